package integration

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestComposeDeployLoop runs examples/ci for real on Docker Engine: `docker
// compose up -d --build`, then a page edit deployed with deploy.sh (compose
// build, up --force-recreate, prune), which serves the edit and removes the
// replaced image. An override only swaps the published port for the host
// network: the test's engine has no bridge.
func TestComposeDeployLoop(t *testing.T) {
	e := need(t)
	t.Parallel()
	d := e.engine(t, storeClassic)
	p := port(t)
	dir := e.copyExample(t, "static", p)
	write(t, dir, "layercake.lock", string(e.lock(t)))
	ci := filepath.Join(dir, "ci")
	if err := os.CopyFS(ci, os.DirFS(filepath.Join(repoRoot(), "examples", "ci"))); err != nil {
		t.Fatal(err)
	}
	write(t, ci, "compose.override.yaml", "services:\n  site:\n    network_mode: host\n    ports: !reset []\n")
	project := fmt.Sprintf("lc-compose-%d", p)
	env := append(d.env(), "DEBIAN_MIRROR="+e.mirror, "COMPOSE_PROJECT_NAME="+project)
	compose := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		out, err := runIn(ctx, ci, env, args[0], args[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		runIn(ctx, ci, env, "docker", "compose", "down")
	})
	base := fmt.Sprintf("http://127.0.0.1:%d/", p)
	serves := func(text string) {
		t.Helper()
		err := waitFor("the site serving "+text, 20*time.Second, func() error {
			resp, err := http.Get(base)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if _, _, body := get(t, base); !strings.Contains(body, text) {
				return fmt.Errorf("page without %q", text)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	compose("docker", "compose", "up", "-d", "--build")
	serves("Served by layercake")
	if ro := strings.TrimSpace(compose("docker", "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}", project+"-site-1")); ro != "true [ALL]" {
		t.Errorf("container read-only root and dropped capabilities = %q, want true [ALL]", ro)
	}
	old := d.inspectImage(t, "my-site:latest").ID

	index := filepath.Join(dir, "public", "index.html")
	page, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "public/index.html", strings.Replace(string(page), "</body>", "<p>Second edition</p></body>", 1))
	compose("./deploy.sh")
	serves("Second edition")
	if id := d.inspectImage(t, "my-site:latest").ID; id == old {
		t.Fatalf("my-site:latest is still %s after the edit", old)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := d.docker(ctx, "", "image", "inspect", old); err == nil {
		t.Errorf("the replaced image %s is still there after deploy.sh's prune", old)
	}
}

// runIn runs a command in dir with extra environment.
func runIn(ctx context.Context, dir string, envv []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), envv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(string(out), 60))
	}
	return string(out), nil
}
