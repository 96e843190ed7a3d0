package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// generateMain supervises the site generator inside the build:
//
//	layercake generate --output DIR -- COMMAND ARGS…
//
// It runs the command with the step's environment and output, says plainly
// when it fails, and checks that it wrote the folder the spec names.
func generateMain(args []string) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	output := fs.String("output", "", "folder the generator must write (site.build.output)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 || *output == "" {
		fmt.Fprintln(os.Stderr, "usage: layercake generate --output DIR -- COMMAND [ARG…]")
		return 2
	}
	line := strings.Join(argv, " ")
	if code := runGenerator(argv); code != 0 {
		return code
	}
	if msg := outputProblem(*output); msg != "" {
		fmt.Fprintf(os.Stderr, "layercake: %q finished, but %s\n", line, msg)
		return 1
	}
	return 0
}

// runGenerator runs argv with this process's output and returns its status.
func runGenerator(argv []string) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		fmt.Fprintf(os.Stderr, "layercake: the generator %q failed with exit status %d (its output is above)\n", strings.Join(argv, " "), exit.ExitCode())
		if exit.ExitCode() > 0 {
			return exit.ExitCode()
		}
		return 1
	default:
		fmt.Fprintf(os.Stderr, "layercake: cannot run %q: %v; is the package that provides it in site.build.packages?\n", argv[0], err)
		return 127
	}
}

// outputProblem says what is wrong with the generator's output folder, or "".
func outputProblem(dir string) string {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("it did not write %s, the folder site.build.output names; point output at the folder the generator writes (e.g. hugo --destination /out, Hakyll's _site)", dir)
	case err != nil:
		return fmt.Sprintf("its output %s cannot be read: %v", dir, err)
	case len(entries) == 0:
		return fmt.Sprintf("it wrote nothing into %s, the folder site.build.output names", dir)
	}
	return ""
}
