package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/layercake-build/layercake/internal/sitecheck"
	"golang.org/x/sys/unix"
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
	if code, msg := runGenerator(argv); code != 0 {
		fmt.Fprintln(os.Stderr, msg)
		return code
	}
	if msg := outputProblem(*output); msg != "" {
		fmt.Fprintf(os.Stderr, "layercake: %q finished, but %s\n", line, msg)
		return 1
	}
	return 0
}

// runGenerator runs argv with this process's output and returns its status
// and, when it failed, what to tell the user.
func runGenerator(argv []string) (int, string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, ""
	case errors.As(err, &exit):
		return failure(strings.Join(argv, " "), exit.ProcessState)
	default:
		return 127, fmt.Sprintf("layercake: cannot run %q: %v; is the package that provides it in site.build.packages?", argv[0], err)
	}
}

// failure describes a generator that exited non-zero or was killed by a
// signal (status 128+N, as a shell reports it).
func failure(line string, ps *os.ProcessState) (int, string) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		return 128 + int(sig), fmt.Sprintf("layercake: the generator %q was killed by signal %s (%v)%s (its output is above)", line, unix.SignalName(sig), sig, oomHint(sig))
	}
	code := ps.ExitCode()
	msg := fmt.Sprintf("layercake: the generator %q failed with exit status %d (its output is above)", line, code)
	if code > 0 {
		return code, msg
	}
	return 1, msg
}

// oomHint explains the usual sender of SIGKILL to a build step.
func oomHint(sig syscall.Signal) string {
	if sig == syscall.SIGKILL {
		return "; the kernel's out-of-memory killer sends it when the builder runs out of memory"
	}
	return ""
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
	return specialFiles(dir)
}

// specialFiles lists what in dir must not be served (see sitecheck), or "".
func specialFiles(dir string) string {
	var r sitecheck.Report
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		target := ""
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ = os.Readlink(p)
		}
		if msg := sitecheck.Inspect(filepath.ToSlash(rel), d.Type(), target); msg != "" {
			r.Add(sitecheck.Problem{Path: filepath.ToSlash(rel), Msg: msg})
		}
		return nil
	})
	if err != nil {
		return fmt.Sprintf("its output %s cannot be read: %v", dir, err)
	}
	return r.Error()
}
