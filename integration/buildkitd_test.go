package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// buildkitd is one daemon with a state directory of its own.
type buildkitd struct {
	name string
	addr string // unix://…/buildkitd.sock
	dir  string
	cmd  *exec.Cmd
}

// startBuildkitd starts a fresh daemon (OCI worker, runc) that may push to
// and pull from the test registry over plain HTTP, and registers it with buildx.
func (e *environment) startBuildkitd(name string) (*buildkitd, error) {
	return e.startBuildkitdWith(name, nil, "")
}

// startBuildkitdWith starts a daemon with extra environment variables and,
// if umask is set, that umask, as another machine's daemon might run.
func (e *environment) startBuildkitdWith(name string, env []string, umask string) (*buildkitd, error) {
	dir := filepath.Join(e.dir, "buildkitd-"+name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "buildkitd.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("[registry.%q]\n  http = true\n", e.registry.host)), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "buildkitd.log"))
	if err != nil {
		return nil, err
	}
	b := &buildkitd{name: name, dir: dir, addr: "unix://" + filepath.Join(dir, "buildkitd.sock")}
	args := []string{filepath.Join(e.bin, "buildkitd"), "--config", cfg,
		"--oci-worker=true", "--containerd-worker=false",
		"--root", filepath.Join(dir, "root"), "--addr", b.addr,
		// Each daemon gets its own trace socket: by default they all share
		// /run/buildkit/otel-grpc.sock, and a daemon stopping removes the
		// socket another daemon is bind-mounting into a container.
		"--otel-socket-path", filepath.Join(dir, "otel.sock")}
	if umask != "" {
		args = append([]string{"/bin/sh", "-c", "umask " + umask + ` && exec "$@"`, "buildkitd"}, args...)
	}
	b.cmd = exec.Command(args[0], args[1:]...)
	b.cmd.Env = append(os.Environ(), env...)
	b.cmd.Stdout, b.cmd.Stderr = logf, logf
	if err := b.cmd.Start(); err != nil {
		return nil, err
	}
	err = waitFor("buildkitd "+name, 60*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := run(ctx, nil, filepath.Join(e.bin, "buildctl"), "--addr", b.addr, "debug", "workers")
		return err
	})
	if err != nil {
		b.stop()
		log, _ := os.ReadFile(filepath.Join(dir, "buildkitd.log"))
		return nil, fmt.Errorf("%w\n%s", err, tail(string(log), 30))
	}
	return b, nil
}

// stop ends the daemon this test started, by its process id.
func (b *buildkitd) stop() {
	if b.cmd.Process == nil {
		return
	}
	b.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
}
