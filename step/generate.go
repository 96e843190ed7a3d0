package step

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/layercake-build/layercake/webroot"
	"golang.org/x/sys/unix"
)

const generateUsage = `usage: layercake generate [--step LABEL] [--output DIR] [--pin-clock]
       [--clock-from TEXT] [--runs DIR --report DIR [--skip DIR]…] -- COMMAND [ARG…]
Runs one generator command inside the build (the frontend's own steps use it):
it reports a failure, naming the step, and checks that the command wrote DIR,
naming the folders it wrote instead when it did not. --pin-clock stops the
command's wall clock at SOURCE_DATE_EPOCH (libfaketime). --runs keeps a
manifest of the output per digest of the inputs (--skip: folders that are no
input) and writes, into --report, which files differ from the last run of the
same inputs, and the Jekyll posts or Hugo pages dated after the pinned clock
(--clock-from says where the epoch came from), which the generator leaves
out.`

// generateMain supervises a site generator command inside the build.
func generateMain(args []string) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), generateUsage); fs.PrintDefaults() }
	output := fs.String("output", "", "folder the command must write (site.build.output)")
	step := fs.String("step", "", `which step this is, for messages, e.g. "step 2"`)
	pin := fs.Bool("pin-clock", false, "stop the wall clock at SOURCE_DATE_EPOCH with libfaketime")
	clockFrom := fs.String("clock-from", "", `where SOURCE_DATE_EPOCH came from, for messages, e.g. "the lock's archive date"`)
	runs := fs.String("runs", "", "folder (a cache mount) of the manifests of earlier runs")
	report := fs.String("report", "", "folder to write "+reportFile+" into")
	var skip stringList
	fs.Var(&skip, "skip", "folder that is no input (a cache mount); repeatable")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	argv := fs.Args()
	if len(argv) == 0 || (*output == "" && *step == "") {
		fmt.Fprintln(os.Stderr, generateUsage)
		return 2
	}
	what := fmt.Sprintf("the generator %q", shown(argv))
	if *step != "" {
		what = fmt.Sprintf("%s, %q,", *step, shown(argv))
	}
	cwd, _ := os.Getwd()
	env := os.Environ()
	if *pin {
		var err error
		if env, err = pinnedClock(env, fakeTimeGlob); err != nil {
			fmt.Fprintf(os.Stderr, "layercake: %s cannot run with a pinned clock: %v\n", what, err)
			return 1
		}
	}
	var key string
	if *runs != "" {
		var err error
		if key, err = inputDigest(os.Args, os.Environ(), cwd, dpkgStatus, sourceDir, skip); err != nil {
			fmt.Fprintf(os.Stderr, "layercake: reading the inputs of %s: %v\n", what, err)
			return 1
		}
	}
	start := time.Now()
	before := dirsIn(cwd)
	if code, msg := runGenerator(argv, env, what); code != 0 {
		fmt.Fprintln(os.Stderr, msg)
		return code
	}
	if *output == "" {
		return 0
	}
	if msg := outputProblem(*output); msg != "" {
		fmt.Fprintf(os.Stderr, "layercake: %s finished, but %s%s\n", what, msg, writtenHint(cwd, before, start))
		return 1
	}
	if *runs != "" && *report != "" {
		future := ""
		if *pin {
			future = futureWarning(argv, os.Environ(), cwd, skip, *clockFrom)
		}
		return reportRun(*runs, key, *output, *report, *step, what, future)
	}
	return 0
}

// reportRun compares the output with the last run of the same inputs and
// writes the report (see reproducible.go); a difference is a warning, and
// so is future, the pages left out for dates after the clock (future.go).
func reportRun(runs, key, output, report, step, what, future string) int {
	r, err := compareRun(runs, key, output, step)
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake: comparing the output of %s with earlier runs: %v\n", what, err)
		return 1
	}
	if r.Future = future; future != "" {
		fmt.Fprintf(os.Stderr, "layercake: warning: %s\n", future)
	}
	if msg := r.message(what); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	b, _ := json.Marshal(r)
	if err := os.WriteFile(filepath.Join(report, reportFile), b, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "layercake: %v\n", err)
		return 1
	}
	return 0
}

// shown is the command as the spec wrote it: a shell line without its
// /bin/sh -c, or the argv joined with spaces.
func shown(argv []string) string {
	if len(argv) == 3 && argv[0] == "/bin/sh" && argv[1] == "-c" {
		return argv[2]
	}
	return strings.Join(argv, " ")
}

// runGenerator runs argv with this process's output and returns its status
// and, when it failed, what to tell the user; what names the command.
func runGenerator(argv, env []string, what string) (int, string) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var versions versionLines
	cmd.Stdout, cmd.Stderr = versions.writer(os.Stdout), versions.writer(os.Stderr)
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, ""
	case errors.As(err, &exit):
		code, msg := failure(what, exit.ProcessState)
		return code, msg + versions.String()
	default:
		return 127, fmt.Sprintf("layercake: cannot run %q: %v; is the package that provides it in site.build.packages?", argv[0], err)
	}
}

// failure describes a generator that exited non-zero or was killed by a
// signal (status 128+N, as a shell reports it).
func failure(what string, ps *os.ProcessState) (int, string) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		return 128 + int(sig), fmt.Sprintf("layercake: %s was killed by signal %s (%v)%s (its output is above)", what, unix.SignalName(sig), sig, oomHint(sig))
	}
	code := ps.ExitCode()
	msg := fmt.Sprintf("layercake: %s failed with exit status %d (its output is above)", what, code)
	if code == 127 {
		msg += "; 127 is a shell's \"command not found\": the toolchain holds site.build.packages, their dependencies and a base of Debian's essential tools (not util-linux, login, hostname or ncurses-bin), so add the Debian package that has the command to site.build.packages"
	}
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
	var r webroot.Report
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		target := ""
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ = os.Readlink(p)
		}
		if msg := webroot.Inspect(filepath.ToSlash(rel), d.Type(), target); msg != "" {
			r.Add(webroot.Problem{Path: filepath.ToSlash(rel), Msg: msg})
		}
		return nil
	})
	if err != nil {
		return fmt.Sprintf("its output %s cannot be read: %v", dir, err)
	}
	return r.Error()
}

// dirsIn lists the folders directly in dir.
func dirsIn(dir string) map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()] = true
		}
	}
	return out
}

// writtenHint names the folders of cwd the generator created or wrote into
// since start (not hidden ones, nor node_modules), those with an
// index.html first, and suggests the first as site.build.output.
func writtenHint(cwd string, before map[string]bool, start time.Time) string {
	var withIndex, other []string
	entries, _ := os.ReadDir(cwd)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || name == "node_modules" {
			continue
		}
		fi, err := e.Info()
		if err != nil || (before[name] && fi.ModTime().Before(start)) {
			continue
		}
		if _, err := os.Stat(filepath.Join(cwd, name, "index.html")); err == nil {
			withIndex = append(withIndex, name)
		} else {
			other = append(other, name)
		}
	}
	all := append(slices.Clone(withIndex), other...)
	if len(all) == 0 {
		return ""
	}
	shown := make([]string, len(all))
	for i, n := range all {
		shown[i] = n + "/"
	}
	hint := fmt.Sprintf("; it wrote %s", strings.Join(shown, ", "))
	if len(withIndex) > 0 {
		hint += fmt.Sprintf(" (%s holds index.html); set output: %s", withIndex[0]+"/", withIndex[0])
	}
	return hint
}
