package main

import (
	"fmt"
	"os"

	"github.com/layercake-build/layercake/internal/sitecheck"
)

// checkSiteMain is the helper step that refuses a site nginx must not serve:
//
//	layercake check-site DIR
func checkSiteMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: layercake check-site DIR")
		return 2
	}
	problems, err := sitecheck.Check(args[0])
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake check-site: %v\n", err)
		return 1
	}
	if len(problems) == 0 {
		return 0
	}
	fmt.Fprintf(os.Stderr, "layercake: the site holds %d entries that must not be served:\n", len(problems))
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "  %s\n", p)
	}
	return 1
}
