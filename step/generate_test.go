package step

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGenerateChecksOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"writes output", []string{"--output", out, "--", "/bin/sh", "-c", "mkdir -p " + out + " && echo hi > " + out + "/index.html"}, 0},
		{"fails", []string{"--output", out, "--", "/bin/sh", "-c", "exit 3"}, 3},
		{"missing command", []string{"--output", out, "--", "/nonexistent/generator"}, 127},
		{"step without output", []string{"--step", "step 1", "--", "/bin/true"}, 0},
		{"step fails", []string{"--step", "step 1", "--", "/bin/sh", "-c", "exit 4"}, 4},
		{"neither output nor step", []string{"--", "/bin/true"}, 2},
		{"help", []string{"--help"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := generateMain(tc.args); got != tc.want {
				t.Errorf("generateMain(%q) = %d, want %d", tc.args, got, tc.want)
			}
		})
	}
}

func TestOutputProblem(t *testing.T) {
	dir := t.TempDir()
	if msg := outputProblem(filepath.Join(dir, "missing")); !strings.Contains(msg, "did not write") {
		t.Errorf("outputProblem(missing) = %q", msg)
	}
	if msg := outputProblem(dir); !strings.Contains(msg, "wrote nothing") {
		t.Errorf("outputProblem(empty) = %q", msg)
	}
	os.WriteFile(filepath.Join(dir, "index.html"), nil, 0o644)
	if msg := outputProblem(dir); msg != "" {
		t.Errorf("outputProblem(full) = %q, want none", msg)
	}
}

// When the output folder is missing, the hint names the folders the
// generator wrote, the one with an index.html first, and suggests it.
func TestWrittenHint(t *testing.T) {
	cwd := t.TempDir()
	for _, d := range []string{"content", "public", "resources", ".cache", "node_modules"} {
		os.MkdirAll(filepath.Join(cwd, d), 0o755)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(cwd, "content"), old, old)
	before := map[string]bool{"content": true}
	os.WriteFile(filepath.Join(cwd, "public", "index.html"), nil, 0o644)
	got := writtenHint(cwd, before, time.Now().Add(-time.Minute))
	want := "; it wrote public/, resources/ (public/ holds index.html); set output: public"
	if got != want {
		t.Errorf("writtenHint() = %q, want %q", got, want)
	}
	if got := writtenHint(t.TempDir(), nil, time.Now()); got != "" {
		t.Errorf("writtenHint(nothing written) = %q, want empty", got)
	}
}

// A generator killed by a signal is reported by the signal's name, and the
// step fails with the shell's 128+N status.
func TestGeneratorKilledBySignal(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	argv := []string{"/bin/sh", "-c", "kill -KILL $$"}
	if got := generateMain(append([]string{"--output", out, "--"}, argv...)); got != 128+9 {
		t.Errorf("generateMain(killed) = %d, want %d", got, 128+9)
	}
	code, msg := runGenerator(argv, os.Environ(), "the generator")
	if code != 128+9 || !strings.Contains(msg, "killed by signal SIGKILL") || strings.Contains(msg, "-1") {
		t.Errorf("runGenerator(killed) = %d, %q; want 137 and the signal's name", code, msg)
	}
}

// A command the toolchain lacks (a shell's status 127) is explained: the
// base has no util-linux, so a build calling getopt is told what to add.
func TestGeneratorCommandNotFound(t *testing.T) {
	code, msg := runGenerator([]string{"/bin/sh", "-c", "no-such-command-here --version"}, os.Environ(), "the generator")
	if code != 127 || !strings.Contains(msg, "command not found") || !strings.Contains(msg, "add the Debian package that has the command to site.build.packages") {
		t.Errorf("runGenerator(missing command) = %d, %q; want 127 and what to add", code, msg)
	}
	if _, msg := runGenerator([]string{"/bin/sh", "-c", "exit 2"}, os.Environ(), "the generator"); strings.Contains(msg, "command not found") {
		t.Errorf("runGenerator(exit 2) = %q, want no command-not-found hint", msg)
	}
}

// Special files in the output fail the step, named in words: only here,
// before BuildKit copies it, is a socket still a socket.
func TestGenerateRefusesSpecialFiles(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "index.html"), []byte("hi"), 0o644)
	l, err := net.Listen("unix", filepath.Join(out, "dev.sock"))
	if err != nil {
		t.Skipf("no unix socket here: %v", err)
	}
	defer l.Close()
	if got := generateMain([]string{"--output", out, "--", "/bin/true"}); got != 1 {
		t.Errorf("generateMain(output with a socket) = %d, want 1", got)
	}
	msg := outputProblem(out)
	if !strings.Contains(msg, "dev.sock: is a socket") {
		t.Errorf("outputProblem(output with a socket) = %q, want the socket named", msg)
	}
}
