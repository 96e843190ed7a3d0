package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestFrontendImageLabels: the frontend image the tests push (built by
// hack/frontend-image from the repository's Dockerfile) carries every label
// the Dockerfile promises. Without moby.buildkit.frontend.network.none,
// dockerd runs the frontend on its bridge network.
func TestFrontendImageLabels(t *testing.T) {
	e := need(t)
	t.Parallel()
	dockerfile, err := os.ReadFile(filepath.Join(repoRoot(), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	// LABEL key="value" pairs, continued over lines with a backslash.
	text := strings.ReplaceAll(string(dockerfile), "\\\n", " ")
	want := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^LABEL (.*)$`).FindAllStringSubmatch(text, -1) {
		for _, kv := range regexp.MustCompile(`([\w.-]+)="([^"]*)"`).FindAllStringSubmatch(m[1], -1) {
			if strings.Contains(kv[2], "${") {
				continue // the release stage's labels: TestRelease checks them
			}
			want[kv[1]] = kv[2]
		}
	}
	for _, k := range []string{"moby.buildkit.frontend.network.none", "moby.buildkit.frontend.caps"} {
		if _, ok := want[k]; !ok {
			t.Errorf("the Dockerfile has no %s label", k)
		}
	}
	repo, tag, _ := strings.Cut(strings.TrimPrefix(e.frontend, e.registry.host+"/"), ":")
	im, err := e.registry.platformImage(repo, tag, runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if got := im.config.Config.Labels[k]; got != v {
			t.Errorf("frontend image label %s = %q, want %q", k, got, v)
		}
	}
	if want["moby.buildkit.frontend.network.none"] != "true" {
		t.Errorf("moby.buildkit.frontend.network.none = %q, want true", want["moby.buildkit.frontend.network.none"])
	}
	if ep := im.config.Config.Entrypoint; !slices.Equal(ep, []string{"/bin/layercake"}) {
		t.Errorf("Entrypoint = %q, want [/bin/layercake] (never /run: BuildKit mounts its metadata there)", ep)
	}
}
