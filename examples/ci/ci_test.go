// Package ci holds the deployment examples; its test lints them.
package ci

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// actionlint finds the linter hack/tools installs; without it the test is
// skipped, unless LAYERCAKE_INTEGRATION=1 or CI=true say a broken install
// must fail.
func actionlint(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("actionlint"); err == nil {
		return p
	}
	p, _ := filepath.Abs(filepath.Join("..", "..", ".tools", "bin", "actionlint"))
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("LAYERCAKE_INTEGRATION") == "1" || os.Getenv("CI") == "true" {
		t.Fatal("no actionlint on PATH or in .tools/bin; run hack/tools")
	}
	t.Skip("no actionlint; run hack/tools (LAYERCAKE_INTEGRATION=1 makes this a failure)")
	return ""
}

// TestWorkflowLints: the example GitHub workflows pass actionlint, which
// also checks the inputs of docker/build-push-action and the shell of run
// steps (with shellcheck, where it is installed).
func TestWorkflowLints(t *testing.T) {
	bin := actionlint(t)
	for _, wf := range []string{"site.yml", "security-updates.yml"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := exec.CommandContext(ctx, bin, filepath.Join(".github", "workflows", wf)).CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("actionlint %s: %v\n%s", wf, err, out)
		}
	}
}

// TestComposeHardening: compose.yaml runs the image the way it is meant to
// run: read-only with a tmpfs /tmp, no capabilities, stopped with SIGQUIT.
func TestComposeHardening(t *testing.T) {
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			ReadOnly   bool     `yaml:"read_only"`
			Tmpfs      []string `yaml:"tmpfs"`
			CapDrop    []string `yaml:"cap_drop"`
			StopSignal string   `yaml:"stop_signal"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	site := compose.Services["site"]
	if !site.ReadOnly || !slices.Contains(site.Tmpfs, "/tmp") || !slices.Contains(site.CapDrop, "ALL") || site.StopSignal != "SIGQUIT" {
		t.Errorf("compose.yaml site service = %+v, want read-only, tmpfs /tmp, no capabilities, SIGQUIT", site)
	}
}
