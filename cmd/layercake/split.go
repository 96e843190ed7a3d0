package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/layercake-build/layercake/internal/sitefiles"
)

const splitUsage = "usage: layercake split --epoch N --plan FILE --in SITE --dir srv/www --out DIR [--out DIR]…"

// splitMain is the helper step that splits the prepared site into layers in
// one pass: the plan (JSON, a list of path lists, written by the frontend)
// names the entries of each layer, and the i-th --out folder receives the
// i-th list below --dir.
func splitMain(args []string) int {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), splitUsage); fs.PrintDefaults() }
	epoch := fs.Int64("epoch", 0, "time (Unix seconds) of every folder")
	plan := fs.String("plan", "", "JSON file: the entries of each layer, relative to the site")
	in := fs.String("in", "", "the prepared site")
	dir := fs.String("dir", "", "folder of the site below each --out, such as srv/www")
	var outs stringList
	fs.Var(&outs, "out", "root of one layer to write (repeatable, in plan order)")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if *plan == "" || *in == "" || *dir == "" || len(outs) == 0 || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, splitUsage)
		return 2
	}
	data, err := os.ReadFile(*plan)
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake split: %v\n", err)
		return 1
	}
	var groups [][]string
	if err := json.Unmarshal(data, &groups); err != nil {
		fmt.Fprintf(os.Stderr, "layercake split: reading %s: %v\n", *plan, err)
		return 1
	}
	if err := sitefiles.Split(*in, groups, outs, *dir, time.Unix(*epoch, 0).UTC(), os.Geteuid() == 0); err != nil {
		fmt.Fprintf(os.Stderr, "layercake split: %v\n", err)
		return 1
	}
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	fmt.Printf("split %d entries into %d layers\n", n, len(groups))
	return 0
}
