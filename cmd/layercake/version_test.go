package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The binary hack/frontend-image packages reports the version and commit
// it was stamped with, so the SBOM names a real layercake, not
// "layercake-dev", and `--call version` names its commit.
func TestBuiltBinaryReportsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "layercake")
	build := exec.Command("bash", "-c", `source hack/lib.sh && build_layercake "$1"`, "build", out)
	build.Dir = filepath.Join("..", "..")
	build.Env = append(os.Environ(), "VERSION=v1.2.3-test")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build_layercake: %v\n%s", err, b)
	}
	got, err := exec.Command(out, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	head, err := exec.Command("git", "-C", filepath.Join("..", ".."), "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "layercake v1.2.3-test (commit " + strings.TrimSpace(string(head)) + ")"; strings.TrimSpace(string(got)) != want {
		t.Errorf("layercake version = %q, want %q", got, want)
	}
}

// Every script and the Dockerfile stamp the version wherever they build
// layercake: a command (continuation lines joined) that runs go build on
// ./cmd/layercake carries the -X flag.
func TestEveryBuildPathSetsVersion(t *testing.T) {
	const flag = "-X github.com/layercake-build/layercake/frontend.Version="
	root := filepath.Join("..", "..")
	paths, _ := filepath.Glob(filepath.Join(root, "hack", "*"))
	paths = append(paths, filepath.Join(root, "Dockerfile"))
	more, _ := filepath.Glob(filepath.Join(root, "bench", "*"))
	builds := 0
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // a folder
		}
		joined := strings.ReplaceAll(string(data), "\\\n", " ")
		for _, cmd := range strings.Split(joined, "\n") {
			if strings.HasPrefix(strings.TrimSpace(cmd), "#") || !strings.Contains(cmd, "go build") || !strings.Contains(cmd, "./cmd/layercake") {
				continue
			}
			builds++
			if !strings.Contains(cmd, flag) {
				t.Errorf("%s builds layercake without %s: %s", p, flag, strings.TrimSpace(cmd))
			}
		}
	}
	if builds < 2 {
		t.Errorf("found %d builds of layercake (Dockerfile, hack/lib.sh), want at least 2", builds)
	}
}
