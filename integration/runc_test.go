package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// container is an image's root filesystem run by runc: read-only root, no
// capabilities, the image's user, host network so nginx is reachable on
// loopback.
type container struct {
	id     string
	cmd    *exec.Cmd
	output *syncBuffer
}

// syncBuffer collects a process's output safely while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runImage unpacks im and starts it; the container is stopped when the test ends.
func (e *environment) runImage(t *testing.T, im *image, port int) *container {
	t.Helper()
	bundle := t.TempDir()
	rootfs := filepath.Join(bundle, "rootfs")
	if err := os.Mkdir(rootfs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := e.unpackImage(im, rootfs); err != nil {
		t.Fatalf("unpacking %s: %v", im.digest, err)
	}
	uid, gid, err := parseUser(im.config.Config.User)
	if err != nil {
		t.Fatal(err)
	}
	spec := runtimeSpec(im.config.Config.Cmd, im.config.Config.Env, uid, gid)
	data, _ := json.MarshalIndent(spec, "", "  ")
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	c := &container{id: "layercake-" + strconv.FormatInt(time.Now().UnixNano(), 36), output: &syncBuffer{}}
	c.cmd = exec.Command("runc", "--root", filepath.Join(e.dir, "runc"), "run", "--bundle", bundle, c.id)
	c.cmd.Stdout, c.cmd.Stderr = c.output, c.output
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("runc run: %v", err)
	}
	t.Cleanup(func() { c.stop(e) })
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	err = waitFor("nginx on "+url, 20*time.Second, func() error {
		if c.cmd.ProcessState != nil {
			return fmt.Errorf("container exited")
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err
	})
	if err != nil {
		t.Fatalf("%v\ncontainer output:\n%s", err, c.output.String())
	}
	return c
}

func (c *container) stop(e *environment) {
	exec.Command("runc", "--root", filepath.Join(e.dir, "runc"), "kill", c.id, "KILL").Run()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
	}
	exec.Command("runc", "--root", filepath.Join(e.dir, "runc"), "delete", "--force", c.id).Run()
}

func parseUser(u string) (int, int, error) {
	uidS, gidS, _ := strings.Cut(u, ":")
	uid, err := strconv.Atoi(uidS)
	if err != nil {
		return 0, 0, fmt.Errorf("image user %q is not numeric", u)
	}
	gid := uid
	if gidS != "" {
		if gid, err = strconv.Atoi(gidS); err != nil {
			return 0, 0, fmt.Errorf("image group %q is not numeric", u)
		}
	}
	return uid, gid, nil
}

// runtimeSpec is a minimal OCI runtime config: read-only root, tmpfs /tmp,
// no capabilities, no new privileges, the host's network namespace.
func runtimeSpec(args, env []string, uid, gid int) map[string]any {
	none := []string{}
	return map[string]any{
		"ociVersion": "1.0.2",
		"process": map[string]any{
			"terminal":        false,
			"user":            map[string]any{"uid": uid, "gid": gid},
			"args":            args,
			"env":             env,
			"cwd":             "/",
			"noNewPrivileges": true,
			"capabilities":    map[string]any{"bounding": none, "effective": none, "permitted": none, "ambient": none},
			"rlimits":         []map[string]any{{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 4096}},
		},
		"root":     map[string]any{"path": "rootfs", "readonly": true},
		"hostname": "layercake",
		"mounts": []map[string]any{
			{"destination": "/proc", "type": "proc", "source": "proc"},
			{"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
			{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": []string{"nosuid", "nodev", "mode=1777", "size=65536k"}},
		},
		"linux": map[string]any{
			"namespaces":    []map[string]any{{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}},
			"maskedPaths":   []string{"/proc/kcore", "/proc/keys", "/proc/timer_list"},
			"readonlyPaths": []string{"/proc/sys", "/proc/sysrq-trigger"},
		},
	}
}
