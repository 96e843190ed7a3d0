package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// buildExample copies examples/NAME with the given port and, as the README
// tells a user, writes its lock with `docker build --target lock -o . .` and
// builds it with `docker build -t REF .`; it returns the context and REF.
func (d *dockerd) buildExample(t *testing.T, e *environment, name string, port int) (dir, ref string) {
	t.Helper()
	return d.buildCopy(t, e, e.copyExample(t, name, port), name)
}

// buildCopy builds a copy of an example (see buildExample) with extra
// arguments to docker build, such as --network host.
func (d *dockerd) buildCopy(t *testing.T, e *environment, dir, name string, extra ...string) (string, string) {
	t.Helper()
	mirror := "DEBIAN_MIRROR=" + e.mirror
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", mirror, "--target", "lock", "-o", ".", ".")
	ref := name + "-" + d.store + ":test"
	d.mustDocker(t, dir, append([]string{"build", "--progress=plain", "--build-arg", mirror, "-t", ref}, append(extra, ".")...)...)
	return dir, ref
}

// engineImage is an image in an engine's store, as `docker image inspect`
// shows it.
type engineImage struct {
	ID     string
	RootFS struct{ Layers []string }
}

func (d *dockerd) inspectImage(t *testing.T, ref string) engineImage {
	t.Helper()
	var ims []engineImage
	if err := json.Unmarshal([]byte(d.mustDocker(t, "", "image", "inspect", ref)), &ims); err != nil || len(ims) != 1 {
		t.Fatalf("docker image inspect %s: %v", ref, err)
	}
	return ims[0]
}

// saveImage writes `docker save REF` to a file and reads it.
func (d *dockerd) saveImage(t *testing.T, ref string) (string, *savedImage) {
	t.Helper()
	archive := filepath.Join(t.TempDir(), "image.tar")
	d.mustDocker(t, "", "save", "-o", archive, ref)
	s, err := readSaved(archive)
	if err != nil {
		t.Fatalf("%s store: reading docker save of %s: %v", d.store, ref, err)
	}
	return archive, s
}

// sameImage wants the engine's image to be the buildkitd image: the same
// config bytes (so the same image ID on the classic store) and diffIDs.
func sameImage(t *testing.T, d *dockerd, got *savedImage, want *image) {
	t.Helper()
	var cfg ocispecs.Image
	if err := json.Unmarshal(got.config, &cfg); err != nil {
		t.Fatal(err)
	}
	var gotIDs, wantIDs []string
	for _, id := range cfg.RootFS.DiffIDs {
		gotIDs = append(gotIDs, id.String())
	}
	for _, id := range want.config.RootFS.DiffIDs {
		wantIDs = append(wantIDs, id.String())
	}
	if !slices.Equal(gotIDs, wantIDs) {
		t.Errorf("%s store: diffIDs differ from buildkitd's:\n engine:    %v\n buildkitd: %v", d.store, gotIDs, wantIDs)
	}
	if dg := digest.FromBytes(got.config); dg != want.manifest.Config.Digest {
		t.Errorf("%s store: config %s, buildkitd's is %s", d.store, dg, want.manifest.Config.Digest)
	}
}

// TestEngineStaticSite is the README's main path on Docker Engine with each
// image store: `docker build .` with no builder flags writes the lock and
// builds the image; the image equals the standalone buildkitd's, every
// generated mode is right in the exported image, and `docker run` serves it.
func TestEngineStaticSite(t *testing.T) {
	e := need(t)
	t.Parallel()
	e.eachStore(t, func(t *testing.T, d *dockerd) {
		store := d.store
		p := port(t)
		dir, ref := d.buildExample(t, e, "static", p)
		if lock, err := os.ReadFile(filepath.Join(dir, "layercake.lock")); err != nil || !strings.Contains(string(lock), `"nginx"`) {
			t.Fatalf("%s store: --target lock -o . wrote no lock pinning nginx: %v", store, err)
		}

		want := e.push(t, build{dir: dir}, "engine-static-"+store, "buildkitd")
		archive, saved := d.saveImage(t, ref)
		sameImage(t, d, saved, want)
		checkGeneratedModes(t, "Docker Engine ("+store+" store)", saved.layers)
		checkGeneratedModes(t, "buildkitd", e.registryLayers(t, want))
		if store == storeClassic {
			if id := d.inspectImage(t, ref).ID; id != want.manifest.Config.Digest.String() {
				t.Errorf("image ID = %s, want the config digest %s", id, want.manifest.Config.Digest)
			}
		}

		serveWithDockerRun(t, d, ref, p)
		roundTrips(t, e, d, dir, ref, archive, want)
	})
}

// serveWithDockerRun runs the image as the README says, and also with no
// flags at all, and checks serving, logs and a graceful stop.
func serveWithDockerRun(t *testing.T, d *dockerd, ref string, p int) {
	t.Helper()
	base := fmt.Sprintf("http://127.0.0.1:%d", p)
	for _, tc := range []struct {
		name  string
		flags []string
	}{
		{"hardened", []string{"--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"}},
		// No tmpfs over /tmp: the image's own /tmp (1777) must do.
		{"plain", nil},
	} {
		name := fmt.Sprintf("lc-%s-%s-%d", d.store, tc.name, p)
		d.runServing(t, name, ref, p, tc.flags...)
		if status, _, body := get(t, base+"/"); status != "200 OK" || !strings.Contains(body, "Served by layercake") {
			t.Errorf("%s store, %s run: GET / = %s %q", d.store, tc.name, status, trim(body))
		}
		if status, _, _ := get(t, base+"/missing.html"); status != "404 Not Found" {
			t.Errorf("%s store, %s run: GET /missing.html = %s, want 404", d.store, tc.name, status)
		}
		err := waitFor("logs of "+name, 5*time.Second, func() error {
			logs, err := d.docker(t.Context(), "", "logs", name)
			if err != nil {
				return err
			}
			if !strings.Contains(logs, `"GET /missing.html HTTP/1.1" 404`) || !strings.Contains(logs, "[notice]") {
				return fmt.Errorf("no access log line and error log line yet:\n%s", logs)
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s store, %s run: docker logs: %v", d.store, tc.name, err)
		}
		// SIGQUIT lets nginx finish and exit 0; a kill after the timeout
		// would show as 137.
		d.mustDocker(t, "", "stop", "--time", "10", name)
		if code := strings.TrimSpace(d.mustDocker(t, "", "inspect", "--format", "{{.State.ExitCode}}", name)); code != "0" {
			t.Errorf("%s store, %s run: exit code after docker stop = %s, want 0 (graceful SIGQUIT)", d.store, tc.name, code)
		}
		if logs := d.mustDocker(t, "", "logs", name); !strings.Contains(logs, "gracefully shutting down") {
			t.Errorf("%s store, %s run: docker logs after docker stop show no graceful shutdown:\n%s", d.store, tc.name, tail(logs, 10))
		}
		d.mustDocker(t, "", "rm", name)
	}
}

// roundTrips: `docker save | docker load` keeps the image ID, and an image
// built by a buildx builder with `-o type=docker` and loaded into the engine
// (the workflow of users whose builder is not the engine's) is the same
// image as the engine's own build.
func roundTrips(t *testing.T, e *environment, d *dockerd, dir, ref, archive string, want *image) {
	t.Helper()
	id := d.inspectImage(t, ref).ID
	d.mustDocker(t, "", "image", "rm", ref)
	d.mustDocker(t, "", "load", "-i", archive)
	if got := d.inspectImage(t, ref).ID; got != id {
		t.Errorf("%s store: docker save | docker load: image ID %s, want %s", d.store, got, id)
	}
	tarball := filepath.Join(t.TempDir(), "docker.tar")
	loaded := "loaded-" + ref
	e.mustBuild(t, build{dir: dir, args: []string{"-o", "type=docker,name=" + loaded + ",dest=" + tarball}})
	d.mustDocker(t, "", "load", "-i", tarball)
	_, saved := d.saveImage(t, loaded)
	sameImage(t, d, saved, want)
	if d.store == storeClassic {
		if got := d.inspectImage(t, loaded).ID; got != id {
			t.Errorf("%s store: -o type=docker | docker load: image ID %s, want %s", d.store, got, id)
		}
	}
}

// TestEngineGeneratedSite builds generated examples with `docker build .`
// on each image store, as their READMEs tell a user. On the classic store
// nothing in the graph may use MergeOp, the toolchain root included; the
// Hugo image equals buildkitd's. The Eleventy example is not here: its npm
// step needs a network, and the test's engine has no bridge.
func TestEngineGeneratedSite(t *testing.T) {
	e := need(t)
	t.Parallel()
	examples := []struct {
		name string
		// same compares the image with buildkitd's build of the example.
		same bool
		// pages are paths and a text each response must hold.
		pages map[string]string
		// network: the example's npm step needs one, and this engine has no
		// bridge, so the build runs with --network host, as a user's would.
		network bool
	}{
		{"hugo", true, map[string]string{"/": "layercake", "/posts/": "<a", "/css/style.css": "{"}, false},
		{"mkdocs", false, map[string]string{"/": "<title>layercake × MkDocs", "/guide/": "Guide", "/search/search_index.json": `"docs"`}, false},
		{"sphinx", false, map[string]string{"/": "layercake × Sphinx", "/guide/": "<h1>Guide", "/_static/styles/furo.css": "{"}, false},
		{"eleventy", false, map[string]string{"/": `<a href="/posts/cached-steps/">`, "/posts/first-post/": "<h1>Hello from Eleventy</h1>"}, true},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			e.eachStore(t, func(t *testing.T, d *dockerd) {
				store := d.store
				p := port(t)
				dir := e.copyExample(t, ex.name, p)
				var extra []string
				if ex.network {
					trustMachineCAs(t, dir)
					extra = []string{"--network", "host"}
				}
				dir, ref := d.buildCopy(t, e, dir, ex.name, extra...)
				if ex.same {
					want := e.push(t, build{dir: dir}, "engine-"+ex.name+"-"+store, "buildkitd")
					_, saved := d.saveImage(t, ref)
					sameImage(t, d, saved, want)
				}
				base := d.runServing(t, fmt.Sprintf("lc-%s-%s-%d", ex.name, store, p), ref, p)
				for path, text := range ex.pages {
					if status, _, body := get(t, base+path); status != "200 OK" || !strings.Contains(body, text) {
						t.Errorf("%s store: GET %s = %s, body %q; want 200 with %q", store, path, status, trim(body), text)
					}
				}
				if status, _, _ := get(t, base+"/no-such-page/"); status != "404 Not Found" {
					t.Errorf("%s store: GET /no-such-page/ = %s, want 404 Not Found", store, status)
				}
			})
		})
	}
}

// TestInitFromFrontendImage runs `layercake init` from the frontend image
// on Docker Engine, as the README tells users without Go to: the spec lands
// in the mounted folder, owned by the user who ran it.
func TestInitFromFrontendImage(t *testing.T) {
	e := need(t)
	t.Parallel()
	d := e.engine(t, storeClassic)
	dir := t.TempDir()
	write(t, dir, "hugo.toml", "title = 'x'\n")
	write(t, dir, "content/_index.md", "# hello\n")
	if err := os.Chown(dir, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	out := d.mustDocker(t, "", "run", "--rm", "--user", "1000:1000", "-v", dir+":/src", "-w", "/src", e.frontend, "init")
	spec, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatalf("init wrote no Dockerfile: %v\n%s", err, out)
	}
	if !strings.Contains(string(spec), "hugo") || !strings.HasPrefix(string(spec), "# syntax=") {
		t.Errorf("init wrote:\n%s\nwant a # syntax= spec that builds with hugo", spec)
	}
	fi, err := os.Stat(filepath.Join(dir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if o := owner(fi); o != "1000:1000" {
		t.Errorf("Dockerfile owner = %s, want 1000:1000", o)
	}
}

// TestOldEngineFailsClearly: on Docker Engine 20.10 (Debian 12's docker.io,
// BuildKit v0.8) the build stops at once with one message naming the oldest
// supported builder and what to do, not a solver error.
func TestOldEngineFailsClearly(t *testing.T) {
	e := need(t)
	t.Parallel()
	d := e.engine(t, engineOld)
	if v := strings.TrimSpace(d.mustDocker(t, "", "version", "--format", "{{.Server.Version}}")); !strings.HasPrefix(v, "20.") {
		t.Fatalf("the old engine is Docker %s, want 20.10: hack/tools fetched another docker.io", v)
	}
	dir := e.copyExample(t, "static", port(t))
	write(t, dir, "layercake.lock", string(e.lock(t)))
	out, err := d.docker(t.Context(), dir, "build", "--progress=plain", "--build-arg", "DEBIAN_MIRROR="+e.mirror, ".")
	if err == nil {
		t.Fatalf("docker build on Docker 20.10 succeeded, want a refusal:\n%s", tail(out, 20))
	}
	for _, want := range []string{"too old for layercake", "BuildKit v0.19 (Docker Engine 28.0) or newer", "file.symlink.create", "docker buildx create"} {
		if !strings.Contains(out, want) {
			t.Errorf("docker build output does not say %q:\n%s", want, tail(out, 20))
		}
	}
	if strings.Contains(out, "invalid action type") || strings.Contains(out, "[layercake] fetch") {
		t.Errorf("the build started steps before refusing:\n%s", tail(out, 20))
	}
}
