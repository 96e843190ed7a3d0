// Command layercake is the layercake BuildKit frontend. Run with no arguments
// (as BuildKit does for a `# syntax=` image) it serves the gateway API; its
// subcommands are helper steps the frontend's own LLB runs from this image.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/layercake-build/layercake/frontend"
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

func runSubcommand(name string, args []string) int {
	switch name {
	case "unpack":
		return unpackMain(args)
	case "generate":
		return generateMain(args)
	case "site":
		return siteMain(args)
	case "nginx-test":
		return nginxTestMain(args)
	case "init":
		return initMain(args)
	case "version", "--version":
		fmt.Println("layercake", frontend.Version)
		return 0
	}
	fmt.Fprintf(os.Stderr, "layercake: unknown subcommand %q (known: init, unpack, generate, site, nginx-test, version)\n", name)
	return 2
}

// usageStatus is the exit status after a flag parse error: 0 when the
// user asked for help (the flag package has printed the usage), else 2.
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
