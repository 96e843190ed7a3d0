package integration

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// environment is what every test shares.
type environment struct {
	dir       string // scratch folder for daemons, removed at the end
	bin       string // .tools/bin
	registry  *registry
	builder   *buildkitd // long-lived builder most tests use
	frontend  string     // frontend image reference, as written after # syntax=
	mirror    string     // Debian archive URL from the machine's apt configuration
	dockerCfg string     // DOCKER_CONFIG with the buildx plugin
	docker    string     // "docker" when it runs buildx as a plugin, else the standalone docker-buildx
	lockData  []byte     // layercake.lock of the static site, resolved once per run
	engines   engines    // private Docker Engines, started on first use
}

func setUp() (*environment, error) {
	e := &environment{bin: filepath.Join(repoRoot(), ".tools", "bin")}
	dir, err := os.MkdirTemp("", "layercake-it-")
	if err != nil {
		return nil, err
	}
	e.dir = dir
	for _, tool := range []string{"buildkitd", "buildctl", "docker-buildx", "actionlint", "syft"} {
		if _, err := os.Stat(filepath.Join(e.bin, tool)); err != nil {
			return e, fmt.Errorf("%s is missing from %s: run hack/tools", tool, e.bin)
		}
	}
	for _, tool := range []string{"runc", "docker-registry"} {
		if _, err := exec.LookPath(tool); err != nil {
			return e, fmt.Errorf("%s is not installed: run hack/tools", tool)
		}
	}
	if e.mirror, err = aptMirror(); err != nil {
		return e, err
	}
	if e.registry, err = startRegistry(filepath.Join(dir, "registry")); err != nil {
		return e, err
	}
	if e.builder, err = e.startBuildkitd("shared"); err != nil {
		return e, err
	}
	if err := e.setUpBuildx(); err != nil {
		return e, err
	}
	e.frontend = e.registry.host + "/layercake:test"
	if err := e.pushFrontend(); err != nil {
		return e, err
	}
	if e.lockData, err = e.resolveLock(); err != nil {
		return e, fmt.Errorf("writing the lock with --target lock: %w", err)
	}
	return e, nil
}

func (e *environment) tearDown() {
	e.stopEngines()
	if e.builder != nil {
		e.builder.stop()
	}
	if e.registry != nil {
		e.registry.stop()
	}
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}

// aptMirror reads the Debian archive URL from the machine's apt sources, so no
// mirror host name lives in the repository.
func aptMirror() (string, error) {
	if m := os.Getenv("DEBIAN_MIRROR"); m != "" {
		return strings.TrimRight(m, "/"), nil
	}
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "URIs:"); ok {
				if fields := strings.Fields(rest); len(fields) > 0 {
					return strings.TrimRight(fields[0], "/"), nil
				}
			}
		}
	}
	return "", errors.New("no Debian mirror: no URIs: line in /etc/apt/sources.list.d/*.sources; set DEBIAN_MIRROR")
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitFor polls check until it succeeds or the deadline passes.
func waitFor(what string, d time.Duration, check func() error) error {
	deadline := time.Now().Add(d)
	for {
		err := check()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// run executes a command and returns its combined output.
func run(ctx context.Context, envv []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), envv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(string(out), 60))
	}
	return string(out), nil
}

// tail keeps the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pushFrontend builds the layercake binary and packages it as the frontend
// image with the repository's own script.
func (e *environment) pushFrontend() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	_, err := run(ctx, []string{"PATH=" + e.bin + ":" + os.Getenv("PATH")},
		filepath.Join(repoRoot(), "hack", "frontend-image"), e.builder.addr, e.frontend)
	return err
}
