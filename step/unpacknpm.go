package step

import (
	"flag"
	"fmt"
	"os"

	"github.com/layercake-build/layercake/step/npmtool"
)

const unpackNpmUsage = `usage: layercake unpack-npm --name NAME --integrity sha512-… --out DIR TARBALL
Installs one npm registry package into the toolchain root DIR (the frontend's
own steps run it for site.build.npm): checks TARBALL against the pinned
integrity, unpacks it under usr/local/lib/node_modules/NAME and links its
commands from usr/local/bin.`

// unpackNpmMain installs one pinned npm package into a toolchain layer.
func unpackNpmMain(args []string) int {
	fs := flag.NewFlagSet("unpack-npm", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), unpackNpmUsage); fs.PrintDefaults() }
	name := fs.String("name", "", "the package's name")
	integrity := fs.String("integrity", "", "its pinned sha512 integrity")
	out := fs.String("out", "", "the root to install into")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if *name == "" || *integrity == "" || *out == "" || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, unpackNpmUsage)
		return 2
	}
	if err := npmtool.Install(fs.Arg(0), *name, *integrity, *out); err != nil {
		fmt.Fprintf(os.Stderr, "layercake: site.build.npm %s: %v\n", *name, err)
		return 1
	}
	return 0
}
