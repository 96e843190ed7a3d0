package integration

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// siteSpec is the spec the tests build, with the test registry's frontend.
const siteSpec = `# syntax=%s
version: 1
debian:
  suite: trixie
server:
  port: %d
site:
  dir: public
`

// resolveLock writes layercake.lock once per run through `--target lock`,
// so every build of the run pins the same packages.
func (e *environment) resolveLock() ([]byte, error) {
	dir, err := os.MkdirTemp(e.dir, "lock-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(siteSpec, e.frontend, 8080)), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := e.useBuilder(ctx, e.builder); err != nil {
		return nil, err
	}
	if _, err := e.buildx(ctx, "build", "--builder", e.builder.name, "--progress=plain",
		"--build-arg", "DEBIAN_MIRROR="+e.mirror, "--target", "lock", "-o", out, dir); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(out, "layercake.lock"))
}

// lock is the run's layercake.lock of the static site.
func (e *environment) lock(t *testing.T) []byte {
	t.Helper()
	return e.lockData
}

// siteDir makes a build context: the static example's public/ folder, the
// spec with the given port, and the run's lock.
func (e *environment) siteDir(t *testing.T, port int) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(), "examples", "static"))); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "layercake.lock"))
	write(t, dir, "Dockerfile", fmt.Sprintf(siteSpec, e.frontend, port))
	write(t, dir, "layercake.lock", string(e.lock(t)))
	return dir
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scramble gives every entry under dir a different mtime and loosens file
// modes, as another checkout with another umask would.
func scramble(t *testing.T, dir string, seed int64) {
	t.Helper()
	scrambleModes(t, dir, seed, 0o664, 0o775)
}

// scrambleModes sets random mtimes and the given file and folder modes.
func scrambleModes(t *testing.T, dir string, seed int64, fileMode, dirMode os.FileMode) {
	t.Helper()
	i := seed
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		i = i*7919 + 104729
		when := time.Unix(1e9+i%(5e8), 0)
		mode := fileMode
		if d.IsDir() {
			mode = dirMode
		}
		if err := os.Chmod(p, mode); err != nil {
			return err
		}
		return os.Chtimes(p, when, when)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// freshBuilder starts a builder with an empty state directory for one test.
func (e *environment) freshBuilder(t *testing.T, name string) *buildkitd {
	t.Helper()
	return e.freshBuilderWith(t, name, nil, "")
}

// freshBuilderWith is freshBuilder with extra environment and a umask.
func (e *environment) freshBuilderWith(t *testing.T, name string, env []string, umask string) *buildkitd {
	t.Helper()
	b, err := e.startBuildkitdWith(name, env, umask)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		e.buildx(ctx, "rm", b.name)
		b.stop()
	})
	return b
}

func port(t *testing.T) int {
	t.Helper()
	p, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
