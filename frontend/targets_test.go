package frontend

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	commonexptypes "github.com/moby/buildkit/exporter/exptypes"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	digest "github.com/opencontainers/go-digest"
)

func imageConfig(t *testing.T, meta map[string][]byte, key string) dockerspec.DockerOCIImage {
	t.Helper()
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(meta[key], &img); err != nil {
		t.Fatalf("image config %s: %v", key, err)
	}
	return img
}

// SOURCE_DATE_EPOCH wins over the spec and the lock, in the config and
// every history entry, and is returned as the build's epoch.
func TestEpochBuildArg(t *testing.T) {
	g := staticFake(t, map[string]string{"build-arg:SOURCE_DATE_EPOCH": "1700000000"})
	g.locals["dockerfile"]["Dockerfile"] = file(staticSpec + "epoch: 1600000000\n")
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Unix(1700000000, 0).UTC()
	img := imageConfig(t, res.Metadata, exptypes.ExporterImageConfigKey)
	if img.Created == nil || !img.Created.Equal(want) {
		t.Errorf("created = %v, want %v", img.Created, want)
	}
	for _, h := range img.History {
		if h.Created == nil || !h.Created.Equal(want) {
			t.Errorf("history %q created %v, want %v", h.CreatedBy, h.Created, want)
		}
	}
	if got := string(res.Metadata[commonexptypes.ExporterEpochKey]); got != "1700000000" {
		t.Errorf("source date epoch = %q, want 1700000000", got)
	}
}

// The spec's epoch wins over the lock's date.
func TestSpecEpoch(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file(staticSpec + "epoch: 1600000000\n")
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	if img := imageConfig(t, res.Metadata, exptypes.ExporterImageConfigKey); !img.Created.Equal(time.Unix(1600000000, 0)) {
		t.Errorf("created = %v, want the spec's epoch", img.Created)
	}
}

// A link out of the web root fails the build, naming exactly that entry, at
// the site: key; every problem is counted, and the list says when it is cut.
func TestSiteCheck(t *testing.T) {
	site := tree{
		"index.html":    file("hi"),
		"about.html":    file("about"),
		"about-us.html": symlink("about.html"),
		"passwd.html":   symlink("/etc/passwd"),
	}
	g := staticFake(t, nil)
	g.serveSite(site)
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "passwd.html: is a symbolic link to /etc/passwd, outside the site") || strings.Contains(err.Error(), "about-us.html") {
		t.Fatalf("Build() error = %v, want exactly passwd.html named", err)
	}
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Ranges[0].Start.Line != 5 {
		t.Errorf("Build() error is not at the site: key (line 5): %v", err)
	}

	many := tree{"index.html": file("hi"), "fifo": special(fs.ModeNamedPipe)}
	for i := range 60 {
		many[fmt.Sprintf("l%02d", i)] = symlink("/etc/passwd")
	}
	g = staticFake(t, nil)
	g.serveSite(many)
	_, err = run(t, g)
	if err == nil || !strings.Contains(err.Error(), "the site holds 61 entries that must not be served (the first 50 are listed)") {
		t.Errorf("Build() error = %.300v, want all 61 counted", err)
	}
	if strings.Contains(fmt.Sprint(err), "p---------") || !strings.Contains(fmt.Sprint(err), "fifo: is a named pipe") {
		t.Errorf("Build() error = %.300v, want the pipe named in words", err)
	}
}

// A site.dir missing from the context, or a file, fails at site.dir with
// what to do, before anything is built.
func TestSiteDirMissing(t *testing.T) {
	for _, tt := range []struct {
		name string
		site tree
		want string
	}{
		{"missing", nil, "site.dir public: no such folder in the build context"},
		{"a file", tree{"public": file("x")}, "site.dir public is a file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := staticFake(t, nil)
			delete(g.locals["context"], "public/index.html")
			maps.Copy(g.locals["context"], tt.site)
			_, err := run(t, g)
			var se *errdefs.SourceError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &se) || se.Ranges[0].Start.Line != 6 {
				t.Fatalf("Build() error = %v, want %q at site.dir (line 6)", err, tt.want)
			}
			if g.solvedNamed("merge") {
				t.Error("the image was built anyway")
			}
		})
	}
}

// The frontend plans the site's layers from what the staged site serves:
// text and media apart, links followed, dotfiles and rule files left out.
func TestSiteLayersPlanned(t *testing.T) {
	g := staticFake(t, nil)
	site := tree{"index.html": file("<h1>hi</h1>"), "photo.jpg": file("jpeg"), "latest.html": symlink("index.html"),
		".env": file("SECRET=1"), "_headers": file("/*\n  X-A: b\n")}
	g.serveSite(site)
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, def := range g.defs {
		for _, dt := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(dt) == nil && op.GetExec() != nil && slices.Contains(op.GetExec().Meta.Args, "split") {
				args = op.GetExec().Meta.Args
			}
		}
	}
	var keys []string
	for i, a := range args {
		if a == "--group" {
			keys = append(keys, args[i+1])
		}
	}
	if want := []string{"text/0/1", "media/0/1"}; !slices.Equal(keys, want) {
		t.Errorf("split groups = %q, want %q (args %q)", keys, want, args)
	}
}

// splitArgs returns the arguments of the last solved split step.
func (g *fakeGateway) splitArgs() []string {
	var args []string
	for _, def := range g.defs {
		for _, dt := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(dt) == nil && op.GetExec() != nil && slices.Contains(op.GetExec().Meta.Args, "split") {
				args = op.GetExec().Meta.Args
			}
		}
	}
	return args
}

// Copies of the spec and the lock anywhere in the site (site.dir . with
// the spec in a folder: docker build -f specs/site.yaml .) are never
// served: the split step leaves out their paths, found by name and bytes,
// and a file that only shares a name is served.
func TestSpecAndLockNeverServed(t *testing.T) {
	g := staticFake(t, nil)
	g.serveSite(tree{
		"index.html": file("<h1>hi</h1>"), "specs/Dockerfile": g.locals["dockerfile"]["Dockerfile"],
		"specs/layercake.lock": g.locals["dockerfile"]["layercake.lock"], "docs/Dockerfile": file("FROM scratch\n"),
		"deep/er/layercake.lock": g.locals["dockerfile"]["layercake.lock"],
	})
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	args := g.splitArgs()
	var exclude []string
	for i, a := range args {
		if a == "--exclude" {
			exclude = append(exclude, args[i+1])
		}
	}
	for _, want := range []string{"Dockerfile", "layercake.lock", "specs/Dockerfile", "specs/layercake.lock", "deep/er/layercake.lock"} {
		if !slices.Contains(exclude, want) {
			t.Errorf("split excludes %q, want %s among them", exclude, want)
		}
	}
	if slices.Contains(exclude, "docs/Dockerfile") {
		t.Errorf("split excludes docs/Dockerfile, which only shares the spec's name")
	}
}

// --target site returns the web root alone and checks it.
func TestSiteTarget(t *testing.T) {
	g := staticFake(t, map[string]string{"target": "site"})
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref == nil || !g.solvedNamed("web root") || !g.solvedNamed("[internal] load build context") || !g.solvedOp("prepare the site") {
		t.Errorf("--target site solved %q, want the site check and the web root", g.solved)
	}
	if g.solvedNamed("nginx -t") || g.solvedNamed("merge") {
		t.Errorf("--target site built the image: %q", g.solved)
	}
}

// A failing nginx -t fails the build and says so, with nginx's messages.
func TestNginxCheckFailsBuild(t *testing.T) {
	g := staticFake(t, nil)
	g.named["nginx -t"] = func() (tree, error) {
		return tree{"nginx-t.txt": file("exit 1\nnginx: [emerg] open() \"/etc/nginx/mime.types\" failed\n")}, nil
	}
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "does not pass nginx -t (exit 1)") || !strings.Contains(err.Error(), "mime.types") {
		t.Errorf("Build() error = %v, want the nginx -t failure with its messages", err)
	}
	g = staticFake(t, nil)
	g.named["nginx -t"] = func() (tree, error) { return nil, errors.New("process did not complete successfully: exit code 1") }
	if _, err := run(t, g); err == nil || !strings.Contains(err.Error(), "running nginx -t") {
		t.Errorf("Build() error = %v, want the failed check step named", err)
	}
}

// With no target platform native to the builder, nginx -t cannot run and a
// warning says so; each platform gets its own image config.
func TestNoNativePlatformWarns(t *testing.T) {
	g := staticFake(t, map[string]string{"platform": "linux/arm64"})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64", "arm64")))
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.warned("nginx -t is not run")) != 1 {
		t.Errorf("warnings = %+v, want one about nginx -t", g.warnings)
	}
	if g.solvedNamed("nginx -t") {
		t.Error("nginx -t ran on a foreign platform")
	}
	if img := imageConfig(t, res.Metadata, exptypes.ExporterImageConfigKey); img.Architecture != "arm64" {
		t.Errorf("image architecture = %q, want arm64", img.Architecture)
	}
}

// A lock lacking a requested platform is completed from the archive, with
// a warning naming what is not pinned.
func TestLockMissingPlatformResolves(t *testing.T) {
	a := newArchive(t, "amd64", "arm64")
	g := unlockedFake(t, a, map[string]string{"platform": "linux/amd64,linux/arm64"})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64")))
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	if w := g.warned("lacks packages for [arm64]"); len(w) != 1 {
		t.Errorf("warnings = %+v, want one naming arm64", g.warnings)
	}
	if len(res.Refs) != 2 {
		t.Errorf("result has %d platforms, want 2", len(res.Refs))
	}
}

// --sbom=true adds an SPDX document per platform made from the lock, naming
// this layercake's version.
func TestSBOM(t *testing.T) {
	g := staticFake(t, map[string]string{"attest:sbom": "generator=registry.test/scanner"})
	res, err := run(t, g)
	if err != nil {
		t.Fatal(err)
	}
	var atts int
	for _, list := range res.Attestations {
		for _, a := range list {
			atts++
			data, err := a.Ref.ReadFile(t.Context(), clientRead(sbomPath))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{`"SPDX-2.3"`, "pkg:deb/debian/nginx@1.0-1", "Tool: layercake-" + Version, "public folder"} {
				if !strings.Contains(string(data), want) {
					t.Errorf("SBOM lacks %q", want)
				}
			}
		}
	}
	if atts != 1 {
		t.Errorf("%d attestations, want 1", atts)
	}
}

// Without MergeOp (Docker Engine's classic store) layers are joined by a
// copy chain; LAYERCAKE_MERGE=false asks for it too.
func TestCopyChainWithoutMergeOp(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    func() *fakeGateway
	}{
		{"builder lacks MergeOp", func() *fakeGateway {
			g := staticFake(t, nil)
			g.caps = []apicaps.CapID{pb.CapMergeOp}
			return g
		}},
		{"build arg", func() *fakeGateway { return staticFake(t, map[string]string{"build-arg:LAYERCAKE_MERGE": "false"}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.g()
			if _, err := run(t, g); err != nil {
				t.Fatal(err)
			}
			for _, def := range g.defs {
				for _, dt := range def.Def {
					var op pb.Op
					if err := op.UnmarshalVT(dt); err != nil {
						t.Fatal(err)
					}
					if op.GetMerge() != nil {
						t.Fatal("a MergeOp was solved")
					}
				}
			}
			if !g.solvedNamed("add layer site") {
				t.Errorf("no copy chain: solved %q", g.solved)
			}
		})
	}
}

// A build without a mirror fails at debian.mirror and says how to set one.
func TestNoMirror(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file("version: 1\nsite:\n  dir: public\n")
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "debian.mirror: no Debian archive") || !strings.Contains(err.Error(), ArgMirror) {
		t.Errorf("Build() error = %v, want the missing mirror", err)
	}
}

// An x- key builds, with a warning at its line.
func TestExtensionKeyWarns(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file(staticSpec + "x-owner: web team\n")
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	w := g.warned("x-owner is not a layercake setting and is ignored")
	if len(w) != 1 || w[0].lines[0] != 7 {
		t.Errorf("warnings = %+v, want one at line 7", g.warnings)
	}
}

// Without a # syntax= image or LAYERCAKE_HELPER_IMAGE nothing can unpack
// packages: the build says how to give one.
func TestNoHelperImage(t *testing.T) {
	g := staticFake(t, nil)
	delete(g.opts, "source")
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), ArgHelperImage) {
		t.Errorf("Build() error = %v, want a hint naming %s", err, ArgHelperImage)
	}
}

// Bad options fail before anything is solved.
func TestBadOptions(t *testing.T) {
	for _, opts := range []map[string]string{
		{"target": "web"},
		{"build-arg:SOURCE_DATE_EPOCH": "99999999999"},
	} {
		g := staticFake(t, opts)
		if _, err := run(t, g); err == nil || len(g.solved) != 0 {
			t.Errorf("Build(%v) error = %v after %d solves, want an error and none", opts, err, len(g.solved))
		}
	}
}

// A package download that fails inside the image solve is explained in a
// warning at debian.mirror; the failing vertex, not the error's text, says
// it was a download.
func TestDownloadHint(t *testing.T) {
	url := testMirror + "/" + testPackage("nginx", "amd64").Filename
	g := staticFake(t, nil)
	g.failDownloads = map[string]error{url: errors.New("invalid response status 500")}
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("Build() error = %v, want the download's", err)
	}
	if w := g.warned("downloading a package from " + testMirror + " failed"); len(w) != 1 || w[0].lines[0] != 4 {
		t.Errorf("warnings = %+v, want one hint at debian.mirror (line 4)", g.warnings)
	}

	// Another step whose message happens to name the mirror gets no hint.
	g = staticFake(t, nil)
	g.named["merge"] = func() (tree, error) { return nil, fmt.Errorf("cannot read %s/notes.txt", testMirror) }
	if _, err := run(t, g); err == nil {
		t.Fatal("Build() = nil error, want the site step's")
	}
	if w := g.warned("downloading a package"); len(w) != 0 {
		t.Errorf("a failure that is no download got the hint: %q", w[0].msg)
	}
}

// A download that fails in the nginx -t graph (which holds the packages
// too) is a download failure, not a bad config.
func TestDownloadFailureIsNoConfigError(t *testing.T) {
	url := testMirror + "/" + testPackage("nginx", "amd64").Filename
	g := staticFake(t, nil)
	g.failDownloads = map[string]error{url: errors.New("digest mismatch")}
	g.failDownloadsIn = "nginx -t"
	_, err := run(t, g)
	if err == nil || strings.Contains(err.Error(), "does not pass nginx -t") {
		t.Errorf("Build() error = %v, want the download's, not nginx -t's", err)
	}
	if w := g.warned("still serves the locked versions"); len(w) != 1 {
		t.Errorf("warnings = %+v, want the download hint", g.warnings)
	}
}

// An entry whose name is not UTF-8 is named in the error, escaped: BuildKit
// cannot carry a message with invalid UTF-8, and reports "exit code: 1"
// instead.
func TestNonUTF8EntryNamed(t *testing.T) {
	g := staticFake(t, nil)
	g.serveSite(tree{"index.html": file("<h1>hi</h1>"), "caf\xe9.html": file("ok"), "pass\xff": symlink("/etc/passwd")})
	_, err := run(t, g)
	if err == nil || !utf8.ValidString(err.Error()) || !strings.Contains(err.Error(), `pass\xff: is a symbolic link to /etc/passwd, outside the site`) {
		t.Fatalf("Build() error = %q, want valid UTF-8 naming pass\\xff", err)
	}
	var se *errdefs.SourceError
	if !errors.As(err, &se) {
		t.Errorf("the error lost its source (the spec's site key)")
	}
}

// The helper image is resolved once per build and every step runs it by
// digest, on every platform: a tag moved mid-build cannot mix frontends.
func TestHelperImagePinned(t *testing.T) {
	a := newArchive(t, "amd64", "arm64")
	g := unlockedFake(t, a, map[string]string{"platform": "linux/amd64,linux/arm64"})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64", "arm64")))
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.resolved, []string{"registry.test/layercake:1"}) {
		t.Errorf("ResolveImageConfig calls = %q, want one for the # syntax= image", g.resolved)
	}
	want := "docker-image://registry.test/layercake@" + digest.FromString("image registry.test/layercake:1").String()
	var images []string
	for _, def := range g.defs {
		for _, raw := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(raw) == nil && op.GetSource() != nil && strings.HasPrefix(op.GetSource().Identifier, "docker-image://") {
				images = append(images, op.GetSource().Identifier)
			}
		}
	}
	if len(images) == 0 {
		t.Fatal("no step runs the helper image")
	}
	for _, id := range images {
		if id != want {
			t.Errorf("a step runs %s, want %s", id, want)
		}
	}
}

// A helper named by digest is used as written, with nothing to resolve.
func TestHelperImageByDigest(t *testing.T) {
	g := staticFake(t, nil)
	ref := "registry.test/layercake@" + digest.FromString("x").String()
	g.opts["source"] = ref
	if _, err := run(t, g); err != nil {
		t.Fatal(err)
	}
	if len(g.resolved) != 0 {
		t.Errorf("ResolveImageConfig calls = %q, want none", g.resolved)
	}
}

// Docker Engine's classic store resolves an image it holds with no digest:
// the build runs that image, by the reference as written.
func TestHelperImageLocal(t *testing.T) {
	g := staticFake(t, nil)
	g.localImages = true
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v, want the local helper image used as written", err)
	}
	for _, def := range g.defs {
		for _, raw := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(raw) == nil && op.GetSource() != nil && strings.HasPrefix(op.GetSource().Identifier, "docker-image://") {
				if id := op.GetSource().Identifier; id != "docker-image://registry.test/layercake:1" {
					t.Errorf("a step runs %s, want the # syntax= reference", id)
				}
			}
		}
	}
}
