package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelp runs the built binary: `layercake --help` and each command's
// --help print usage on stdout or stderr and exit 0; an unknown command
// prints the usage and exits 2.
func TestHelp(t *testing.T) {
	bin := t.TempDir() + "/layercake"
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--help"}, 0, "layercake init [flags]"},
		{[]string{"help"}, 0, "Usage:"},
		{[]string{"init", "--help"}, 0, "usage: layercake init"},
		{[]string{"init", "-h"}, 0, "-mirror"},
		{[]string{"unpack", "--help"}, 0, "usage: layercake unpack"},
		{[]string{"generate", "--help"}, 0, "usage: layercake generate"},
		{[]string{"version", "--help"}, 0, "usage: layercake version"},
		{[]string{"site", "--help"}, 0, "-out"},
		{[]string{"nginx-test", "--help"}, 0, "Usage of nginx-test"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"init", "--bogus"}, 2, "flag provided but not defined"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(out), tc.want) {
			t.Errorf("layercake %s: exit %d, output:\n%s\nwant exit %d and %q", strings.Join(tc.args, " "), code, out, tc.code, tc.want)
		}
	}
}
