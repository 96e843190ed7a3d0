package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateChecksOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		argv []string
		want int
	}{
		{"writes output", []string{"/bin/sh", "-c", "mkdir -p " + out + " && echo hi > " + out + "/index.html"}, 0},
		{"fails", []string{"/bin/sh", "-c", "exit 3"}, 3},
		{"missing command", []string{"/nonexistent/generator"}, 127},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--output", out, "--"}, tc.argv...)
			if got := generateMain(args); got != tc.want {
				t.Errorf("generateMain(%q) = %d, want %d", tc.argv, got, tc.want)
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
