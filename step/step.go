// Package step holds the helper steps: the subcommands of the layercake
// binary that the frontend's own LLB runs inside build containers, from
// the frontend's image pinned by digest (frontend/helper.go). They do the
// file work the frontend never does itself: unpack Debian packages
// (debian/unpack), supervise a site generator, prepare the served site and
// split it into its layers (step/sitefiles, by the rules of webroot), and
// check the generated nginx config. cmd/layercake dispatches to them.
package step

import (
	"errors"
	"flag"
)

// Unpack runs `layercake unpack` with the words after the subcommand and
// returns the exit status.
func Unpack(args []string) int { return unpackMain(args) }

// UnpackNpm runs `layercake unpack-npm`.
func UnpackNpm(args []string) int { return unpackNpmMain(args) }

// Generate runs `layercake generate`.
func Generate(args []string) int { return generateMain(args) }

// Site runs `layercake site`.
func Site(args []string) int { return siteMain(args) }

// Split runs `layercake split`.
func Split(args []string) int { return splitMain(args) }

// NginxTest runs `layercake nginx-test`.
func NginxTest(args []string) int { return nginxTestMain(args) }

// usageStatus is the exit status after a flag parse error: 0 when the
// user asked for help (the flag package has printed the usage), else 2.
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
