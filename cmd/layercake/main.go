// Command layercake is the layercake BuildKit frontend, and only dispatches.
// Run with no arguments (as BuildKit does for a `# syntax=` image) it serves
// the gateway API (package frontend); `layercake init` writes a first spec
// (package scaffold); the other subcommands are the helper steps the
// frontend's own LLB runs from this image (package step).
package main

import (
	"fmt"
	"os"

	"github.com/layercake-build/layercake/frontend"
	"github.com/layercake-build/layercake/scaffold"
	"github.com/layercake-build/layercake/step"
	"github.com/moby/buildkit/frontend/gateway/grpcclient"
	"github.com/moby/buildkit/util/appcontext"
	_ "github.com/moby/buildkit/util/grpcutil/encoding/proto"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(runSubcommand(os.Args[1], os.Args[2:]))
	}
	if err := grpcclient.RunFromEnvironment(appcontext.Context(), frontend.Build); err != nil {
		fmt.Fprintf(os.Stderr, "layercake: %v\n", err)
		os.Exit(1)
	}
}

// usage is what `layercake --help` prints.
const usage = `layercake is a BuildKit frontend: a site's spec in, a small reproducible nginx image out.

Usage:
  layercake                   serve BuildKit's gateway API (how BuildKit runs a # syntax= frontend)
  layercake init [flags]      write a first spec for the site in a folder
  layercake version           print the version
  layercake unpack [flags]    helper step: unpack Debian packages (run by the frontend's own LLB)
  layercake unpack-npm [...]  helper step: install a pinned npm package into the toolchain (run by the frontend's own LLB)
  layercake generate [flags]  helper step: supervise a site generator (run by the frontend's own LLB)
  layercake split [flags]     helper step: prepare the site, split into its layers (run by the frontend's own LLB)
  layercake site [flags]      helper step: precompress a prepared site layer (run by the frontend's own LLB)
  layercake nginx-test [...]  helper step: check the generated nginx config (run by the frontend's own LLB)

Run "layercake <command> --help" for a command's flags.
Every spec key: https://github.com/layercake-build/layercake#the-spec-version-1
`

func runSubcommand(name string, args []string) int {
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return 0
	case "unpack":
		return step.Unpack(args)
	case "unpack-npm":
		return step.UnpackNpm(args)
	case "generate":
		return step.Generate(args)
	case "site":
		return step.Site(args)
	case "split":
		return step.Split(args)
	case "nginx-test":
		return step.NginxTest(args)
	case "init":
		return scaffold.Init(args)
	case "version", "--version":
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Println("usage: layercake version\nPrints the frontend's version and, for a release, its commit.")
			return 0
		}
		if frontend.Commit != "unknown" {
			fmt.Printf("layercake %s (commit %s)\n", frontend.Version, frontend.Commit)
			return 0
		}
		fmt.Println("layercake", frontend.Version)
		return 0
	}
	fmt.Fprintf(os.Stderr, "layercake: unknown command %q\n\n%s", name, usage)
	return 2
}
