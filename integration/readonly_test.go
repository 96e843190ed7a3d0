package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEngineReadOnlyRoot runs the image built by `docker build` on a
// read-only root. nginx's temp folders are in the image (0700, 65534), so
// nginx's start-up mkdir of each meets EEXIST, which Linux reports before
// EROFS: with no tmpfs the only write left is the pid file, and the start
// fails there, not at /tmp/client_body. With --tmpfs /tmp, which hides
// them, nginx makes them itself and serves.
func TestEngineReadOnlyRoot(t *testing.T) {
	e := need(t)
	t.Parallel()
	d := e.engine(t, storeClassic) // the embedded BuildKit's umask is 022
	p := port(t)
	dir := e.siteDir(t, p)
	ref := "readonly-" + d.store + ":test"
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", "DEBIAN_MIRROR="+e.mirror, "-t", ref, ".")
	// The temp folders' owner and mode, with the rest of what layercake
	// makes, on both builders' umasks (022 here, 0 for buildkitd).
	_, saved := d.saveImage(t, ref)
	checkGeneratedModes(t, "Docker Engine (classic store)", saved.layers)
	checkGeneratedModes(t, "buildkitd", e.registryLayers(t, e.push(t, build{dir: dir}, "readonly", "buildkitd")))

	hardened := []string{"--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", "65534"}
	name := fmt.Sprintf("lc-readonly-%d", p)
	d.mustDocker(t, "", append(append([]string{"run", "-d", "--name", name, "--network", "host"}, hardened...), ref)...)
	t.Cleanup(func() { d.docker(context.Background(), "", "rm", "-f", name) })
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	code, err := d.docker(ctx, "", "wait", name)
	logs, _ := d.docker(t.Context(), "", "logs", name)
	// When nginx.conf moves the pid file to /dev/shm (Docker's tmpfs,
	// mode 1777), this run serves; see the README's "Run it".
	if err != nil || strings.TrimSpace(code) != "1" || !strings.Contains(logs, `open() "/tmp/nginx.pid" failed (30: Read-only file system)`) {
		t.Errorf("--read-only with no tmpfs: exit %q (%v), want 1 at the pid file:\n%s", code, err, tail(logs, 10))
	}
	if strings.Contains(logs, "mkdir()") {
		t.Errorf("--read-only with no tmpfs: nginx failed to make a temp folder the image holds:\n%s", tail(logs, 10))
	}

	base := d.runServing(t, name+"-tmpfs", ref, p, append(hardened, "--tmpfs", "/tmp")...)
	if r := do(t, "GET", base+"/", nil); r.status != 200 {
		t.Errorf("--read-only --tmpfs /tmp: GET / = %d, want 200", r.status)
	}
}
