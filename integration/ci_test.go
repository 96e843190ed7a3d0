package integration

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestCIExamples: the example GitHub workflow passes actionlint (which also
// checks the inputs of docker/build-push-action), and compose.yaml runs the
// image the way it is meant to run. Neither can run here: there is no GitHub
// runner and no Docker engine.
func TestCIExamples(t *testing.T) {
	e := need(t)
	ci := filepath.Join(repoRoot(), "examples", "ci")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := run(ctx, nil, filepath.Join(e.bin, "actionlint"), filepath.Join(ci, ".github", "workflows", "site.yml")); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(ci, "compose.yaml"))
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
