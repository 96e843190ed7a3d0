package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryHasNoTestkit: the layercake binary (frontend, helper steps and
// init) never links the test kit, whose packages serve fixtures, re-signed
// archives and big files.
func TestBinaryHasNoTestkit(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/layercake-build/layercake/"
	own := 0
	for _, pkg := range strings.Fields(string(out)) {
		if !strings.HasPrefix(pkg, module) {
			continue
		}
		own++
		if rest := strings.TrimPrefix(pkg, module); rest == "testkit" || strings.HasPrefix(rest, "testkit/") {
			t.Errorf("the binary depends on %s", pkg)
		}
	}
	if own < 10 { // frontend, step, scaffold, llbgen, spec, debian, ...
		t.Fatalf("go list found %d layercake packages in the binary's dependencies:\n%s", own, out)
	}
}
