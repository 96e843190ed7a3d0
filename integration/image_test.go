package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
)

// TestStaticSiteServes builds the static example and checks the image: its
// config, that it has no shell, and that nginx, run as nobody on a read-only
// root with no capabilities, serves the site with the right types.
func TestStaticSiteServes(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	im := e.push(t, build{dir: e.siteDir(t, p)}, "static", "serves")

	cfg := im.config.Config
	if cfg.User != "65534:65534" {
		t.Errorf("User = %q, want 65534:65534", cfg.User)
	}
	if _, ok := cfg.ExposedPorts[fmt.Sprintf("%d/tcp", p)]; !ok {
		t.Errorf("ExposedPorts = %v, want %d/tcp", cfg.ExposedPorts, p)
	}
	if cfg.StopSignal != "SIGQUIT" {
		t.Errorf("StopSignal = %q, want SIGQUIT", cfg.StopSignal)
	}
	checkHistory(t, im)

	c := e.runImage(t, im, p)
	base := fmt.Sprintf("http://127.0.0.1:%d", p)
	for _, tc := range []struct {
		path, status, ctype, body string
	}{
		{"/", "200 OK", "text/html", "Served by layercake"},
		{"/about.html", "200 OK", "text/html", "read-only root"},
		{"/css/site.css", "200 OK", "text/css", "font-family"},
		{"/missing.html", "404 Not Found", "text/html", ""},
	} {
		status, ctype, body := get(t, base+tc.path)
		if status != tc.status || !strings.HasPrefix(ctype, tc.ctype) || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s = %s, %q, body %q; want %s, %s…, body containing %q", tc.path, status, ctype, trim(body), tc.status, tc.ctype, tc.body)
		}
	}
	if err := waitFor("access log on stdout", 5*time.Second, func() error {
		if !strings.Contains(c.output.String(), `"GET /missing.html HTTP/1.1" 404`) {
			return fmt.Errorf("no access log line yet")
		}
		return nil
	}); err != nil {
		t.Errorf("%v; container output:\n%s", err, c.output.String())
	}
	if uid := nginxUID(t, e, c); uid != "65534" {
		t.Errorf("nginx master runs as uid %s, want 65534", uid)
	}
	checkNoShell(t, e, im)
}

// checkHistory wants one history entry per layer, each at the epoch.
func checkHistory(t *testing.T, im *image) {
	t.Helper()
	var layers int
	for _, h := range im.config.History {
		if !h.EmptyLayer {
			layers++
			if !strings.HasPrefix(h.CreatedBy, "layercake: ") {
				t.Errorf("history created_by = %q, want it to name the dependency", h.CreatedBy)
			}
		}
		if h.Created == nil || !h.Created.Equal(*im.config.Created) {
			t.Errorf("history %q created = %v, want the image's %v", h.CreatedBy, h.Created, im.config.Created)
		}
	}
	if layers != len(im.manifest.Layers) {
		t.Errorf("%d history entries with layers, %d layers", layers, len(im.manifest.Layers))
	}
}

func get(t *testing.T, url string) (status, ctype, body string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.Status, resp.Header.Get("Content-Type"), string(data)
}

func trim(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// nginxUID reads the real uid of the container's first process.
func nginxUID(t *testing.T, e *environment, c *container) string {
	t.Helper()
	out, err := run(t.Context(), nil, "runc", "--root", filepath.Join(e.dir, "runc"), "state", c.id)
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Pid int }
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", st.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			return strings.Fields(rest)[0]
		}
	}
	return "?"
}

// checkNoShell wants no shell anywhere in the image.
func checkNoShell(t *testing.T, e *environment, im *image) {
	t.Helper()
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	for _, sh := range []string{"bin/sh", "usr/bin/sh", "bin/bash", "usr/bin/dash", "usr/bin/bash", "bin/dash"} {
		if _, err := os.Lstat(filepath.Join(root, sh)); err == nil {
			t.Errorf("image has a shell at /%s", sh)
		}
	}
}

// TestLockTarget checks the written lock: parseable, pins nginx, no host names.
func TestLockTarget(t *testing.T) {
	e := need(t)
	t.Parallel()
	data := e.lock(t)
	lock, err := debian.ParseLock(data)
	if err != nil {
		t.Fatalf("ParseLock(written lock) error = %v", err)
	}
	var names []string
	for _, arch := range lock.Architectures {
		for _, p := range arch.Runtime {
			names = append(names, p.Name)
		}
	}
	joined := strings.Join(names, " ")
	for _, want := range []string{"nginx", "nginx-common", "libc6", "libssl3t64"} {
		if !strings.Contains(" "+joined+" ", " "+want+" ") {
			t.Errorf("lock packages = %s, want %s among them", joined, want)
		}
	}
	for _, banned := range []string{"debconf", "perl-base", "iproute2", "dpkg"} {
		if strings.Contains(" "+joined+" ", " "+banned+" ") {
			t.Errorf("lock packages = %s, want no %s", joined, banned)
		}
	}
	host := strings.SplitN(strings.TrimPrefix(strings.TrimPrefix(e.mirror, "http://"), "https://"), "/", 2)[0]
	if strings.Contains(string(data), host) {
		t.Errorf("the lock names the mirror host %s", host)
	}
	if !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("the lock does not end with a newline")
	}
}

// TestSiteTarget exports the web root alone.
func TestSiteTarget(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	out := filepath.Join(t.TempDir(), "site")
	log := e.mustBuild(t, build{dir: dir, args: []string{"--target", "site", "-o", out}})
	if strings.Contains(log, "fetch dists/") {
		t.Errorf("a build with a lock read the archive index:\n%s", tail(log, 30))
	}
	for _, f := range []string{"index.html", "about.html", "css/site.css"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("--target site: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "Dockerfile")); err == nil {
		t.Errorf("--target site exported the spec too")
	}
}
