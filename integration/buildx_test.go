package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// setUpBuildx gives buildx a config folder of its own with the plugin in
// it, so `docker buildx` works without touching the user's ~/.docker.
func (e *environment) setUpBuildx() error {
	e.dockerCfg = filepath.Join(e.dir, "docker")
	plugins := filepath.Join(e.dockerCfg, "cli-plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return err
	}
	if err := os.Symlink(filepath.Join(e.bin, "docker-buildx"), filepath.Join(plugins, "docker-buildx")); err != nil {
		return err
	}
	e.docker = filepath.Join(e.bin, "docker-buildx")
	if _, err := exec.LookPath("docker"); err == nil {
		e.docker = "docker"
	}
	return nil
}

// buildx runs `docker buildx ARGS…` (or standalone docker-buildx).
func (e *environment) buildx(ctx context.Context, args ...string) (string, error) {
	if e.docker == "docker" {
		args = append([]string{"buildx"}, args...)
	}
	return run(ctx, []string{"DOCKER_CONFIG=" + e.dockerCfg}, e.docker, args...)
}

// useBuilder registers b with buildx under its name.
func (e *environment) useBuilder(ctx context.Context, b *buildkitd) error {
	_, err := e.buildx(ctx, "create", "--name", b.name, "--driver", "remote", b.addr)
	if err != nil && strings.Contains(err.Error(), "existing instance") {
		return nil
	}
	return err
}

// build is one `docker buildx build` of a context folder.
type build struct {
	dir     string
	builder *buildkitd
	args    []string // extra flags
}

// run builds and returns buildx's output; it fails the test on error.
func (e *environment) mustBuild(t *testing.T, b build) string {
	t.Helper()
	out, err := e.tryBuild(t, b)
	if err != nil {
		t.Fatalf("docker buildx build %s: %v", b.dir, err)
	}
	return out
}

// tryBuild builds and returns buildx's output and error.
func (e *environment) tryBuild(t *testing.T, b build) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if b.builder == nil {
		b.builder = e.builder
	}
	if err := e.useBuilder(ctx, b.builder); err != nil {
		return "", err
	}
	args := append([]string{"build", "--builder", b.builder.name, "--progress=plain",
		"--build-arg", "DEBIAN_MIRROR=" + e.mirror}, b.args...)
	return e.buildx(ctx, append(args, b.dir)...)
}

// push builds dir and pushes it to the test registry as repo:tag, returning
// the platform image.
func (e *environment) push(t *testing.T, b build, repo, tag string) *image {
	t.Helper()
	ref := fmt.Sprintf("%s/%s:%s", e.registry.host, repo, tag)
	b.args = append(b.args, "--output", "type=image,name="+ref+",push=true")
	e.mustBuild(t, b)
	im, err := e.registry.platformImage(repo, tag, runtime.GOARCH)
	if err != nil {
		t.Fatalf("reading pushed %s: %v", ref, err)
	}
	return im
}
