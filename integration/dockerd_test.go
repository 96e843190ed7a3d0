package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Image stores of Docker Engine. The classic store (overlay2) is the default
// of most engines in use and has no MergeOp; the containerd store has it.
const (
	storeClassic    = "classic"
	storeContainerd = "containerd"
)

// engineStores are the stores every engine test runs on.
var engineStores = []string{storeClassic, storeContainerd}

// engineOld is Debian 12's Docker Engine 20.10 (BuildKit v0.8) on its
// classic store, from .tools/old-engine.
const engineOld = "old"

// dockerd is a private Docker Engine: its own data and exec roots, socket and
// pidfile; no bridge and no iptables rules, so it changes nothing in the
// machine's network (containers use --network host on loopback).
type dockerd struct {
	store string
	dir   string
	host  string // unix://…/docker.sock
	cfg   string // DOCKER_CONFIG: the buildx and compose plugins, no builders
	cmd   *exec.Cmd
	log   string
}

// engines starts each store's daemon once per run, on first use. The error
// is kept, not bound to the first caller's test.
type engines struct {
	mu      sync.Mutex
	started map[string]*dockerd
	errs    map[string]error
}

// engine returns the run's Docker Engine with the given image store,
// starting it the first time.
func (e *environment) engine(t *testing.T, store string) *dockerd {
	t.Helper()
	e.engines.mu.Lock()
	defer e.engines.mu.Unlock()
	if e.engines.started == nil {
		e.engines.started, e.engines.errs = map[string]*dockerd{}, map[string]error{}
	}
	if _, ok := e.engines.started[store]; !ok && e.engines.errs[store] == nil {
		d, err := e.startDockerd(store)
		e.engines.started[store], e.engines.errs[store] = d, err
	}
	if err := e.engines.errs[store]; err != nil {
		t.Fatalf("Docker Engine (%s store): %v", store, err)
	}
	return e.engines.started[store]
}

func (e *environment) stopEngines() {
	e.engines.mu.Lock()
	defer e.engines.mu.Unlock()
	for _, d := range e.engines.started {
		if d != nil {
			d.stop()
		}
	}
}

// startDockerd starts a daemon; dockerd starts its own containerd from PATH.
func (e *environment) startDockerd(store string) (*dockerd, error) {
	bin := e.bin
	if store == engineOld {
		bin = filepath.Join(filepath.Dir(e.bin), "old-engine", "bin")
	}
	for _, tool := range []string{"dockerd", "docker-proxy", "containerd", "containerd-shim-runc-v2"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			return nil, fmt.Errorf("%s is missing from %s: run hack/tools", tool, bin)
		}
	}
	if _, err := exec.LookPath("docker"); err != nil {
		return nil, errors.New("the docker CLI is not on PATH")
	}
	// A short path: the socket's path must fit in sun_path.
	dir, err := os.MkdirTemp("", "lc-dockerd-")
	if err != nil {
		return nil, err
	}
	d := &dockerd{store: store, dir: dir, host: "unix://" + filepath.Join(dir, "docker.sock"), log: filepath.Join(dir, "dockerd.log")}
	cfg := map[string]any{"features": map[string]bool{"containerd-snapshotter": store == storeContainerd}}
	data, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, "daemon.json"), data, 0o644); err != nil {
		return nil, err
	}
	if d.cfg, err = e.dockerConfig(filepath.Join(dir, "cli")); err != nil {
		return nil, err
	}
	logf, err := os.Create(d.log)
	if err != nil {
		return nil, err
	}
	args := []string{"--data-root", filepath.Join(dir, "data"), "--exec-root", filepath.Join(dir, "exec"),
		"-H", d.host, "--pidfile", filepath.Join(dir, "docker.pid"),
		"--iptables=false", "--ip6tables=false", "--bridge=none"}
	if store != engineOld {
		args = append(args, "--config-file", filepath.Join(dir, "daemon.json"))
	}
	d.cmd = exec.Command(filepath.Join(bin, "dockerd"), args...)
	d.cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	// Its own process group: containerd and the shims it starts end with it.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	err = waitFor("dockerd ("+store+" store)", 90*time.Second, func() error {
		if d.cmd.ProcessState != nil {
			return errors.New("dockerd exited")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := d.docker(ctx, "", "version")
		return err
	})
	if err != nil {
		d.stop()
		log, _ := os.ReadFile(d.log)
		return nil, fmt.Errorf("%w\n%s", err, tail(string(log), 30))
	}
	return d, nil
}

// dockerConfig makes a DOCKER_CONFIG folder with the buildx and compose
// plugins and no builder instances, so `docker build` uses the engine's own
// BuildKit exactly as on a user's machine.
func (e *environment) dockerConfig(dir string) (string, error) {
	plugins := filepath.Join(dir, "cli-plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return "", err
	}
	for _, p := range []string{"docker-buildx", "docker-compose"} {
		if err := os.Symlink(filepath.Join(e.bin, p), filepath.Join(plugins, p)); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// env is the environment of a docker CLI talking to this daemon.
func (d *dockerd) env() []string {
	return []string{"DOCKER_HOST=" + d.host, "DOCKER_CONFIG=" + d.cfg, "BUILDX_BUILDER=", "DOCKER_CONTEXT="}
}

// docker runs the docker CLI against this daemon in dir (if set).
func (d *dockerd) docker(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), d.env()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("docker %s: %w\n%s", strings.Join(args, " "), err, tail(string(out), 60))
	}
	return string(out), nil
}

// mustDocker runs the docker CLI and fails the test on error.
func (d *dockerd) mustDocker(t *testing.T, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := d.docker(ctx, dir, args...)
	if err != nil {
		t.Fatalf("%s store: %v", d.store, err)
	}
	return out
}

// stop ends the daemon by its process id (containerd and shims follow it),
// undoes the network namespace mount dockerd leaves and removes its folders.
func (d *dockerd) stop() {
	if d.cmd.Process != nil && d.cmd.ProcessState == nil {
		d.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { d.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	unix.Unmount(filepath.Join(d.dir, "exec", "netns", "default"), unix.MNT_DETACH)
	unmountBelow(d.dir)
	os.RemoveAll(d.dir)
}

// unmountBelow undoes any mount left under dir (overlay mounts of a killed
// daemon), deepest first.
func unmountBelow(dir string) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return
	}
	var points []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 4 && strings.HasPrefix(f[4], dir+"/") {
			points = append(points, f[4])
		}
	}
	for i := len(points) - 1; i >= 0; i-- {
		unix.Unmount(points[i], unix.MNT_DETACH)
	}
}

// runServing starts ref detached on the host network with extra docker run
// flags, removes it when the test ends, and waits until nginx answers on
// port; it fails the test with the container's logs otherwise. It returns
// the site's base URL.
func (d *dockerd) runServing(t *testing.T, name, ref string, port int, flags ...string) string {
	t.Helper()
	args := append([]string{"run", "-d", "--name", name, "--network", "host"}, flags...)
	d.mustDocker(t, "", append(args, ref)...)
	t.Cleanup(func() { d.docker(context.Background(), "", "rm", "-f", name) })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitFor("nginx in "+name, 20*time.Second, func() error {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}); err != nil {
		logs, _ := d.docker(context.Background(), "", "logs", name)
		t.Fatalf("%s store: %v\n%s", d.store, err, logs)
	}
	return base
}

// eachStore runs fn as a parallel subtest on the run's engine of each image
// store.
func (e *environment) eachStore(t *testing.T, fn func(t *testing.T, d *dockerd)) {
	t.Helper()
	for _, store := range engineStores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			fn(t, e.engine(t, store))
		})
	}
}
