// Package scaffold is `layercake init`: run once by the user, on their own
// machine and offline, it looks at a site's repository and writes a first
// spec for it (the detection is scaffold/initspec). Nothing here runs in a
// build.
package scaffold

import (
	"errors"
	"flag"
)

// Init runs `layercake init` with the words after the subcommand and
// returns the exit status.
func Init(args []string) int { return initMain(args) }

// usageStatus is the exit status after a flag parse error: 0 when the
// user asked for help (the flag package has printed the usage), else 2.
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
