package frontend

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

const testMirror = "http://archive.test/debian"

// staticSpec serves public/ with packages from testMirror.
const staticSpec = "version: 1\ndebian:\n  suite: trixie\n  mirror: " + testMirror + "\nsite:\n  dir: public\n"

// lockDate is the archive date the test locks record.
var lockDate = time.Date(2025, 8, 9, 11, 12, 20, 0, time.UTC)

func testPackage(name, arch string) debian.Package {
	return debian.Package{Name: name, Version: "1.0-1", Architecture: arch, Size: 100,
		SHA256: strings.Repeat("ab", 32), Archive: "trixie",
		Filename: "pool/main/" + name[:1] + "/" + name + "/" + name + "_1.0-1_" + arch + ".deb"}
}

// testLock pins nginx for arches, made for staticSpec.
func testLock(t *testing.T, arches ...string) *debian.Lock {
	t.Helper()
	exclude := slices.Sorted(slices.Values(debian.DefaultExclude))
	l := &debian.Lock{Version: debian.LockVersion, Suite: "trixie", Date: lockDate, Roots: llbgen.RuntimeRoots(), Exclude: slices.Compact(exclude)}
	for _, a := range arches {
		l.Set(a, []debian.Package{testPackage("nginx", a), testPackage("libc6", a), testPackage("libnginx-mod-http-brotli-static", a)})
	}
	rel := &debian.Release{Date: lockDate}
	l.SetArchives([]string{"trixie", "trixie-updates", "trixie-security"}, []*debian.Release{rel, rel, rel})
	return l
}

func lockBytes(t *testing.T, l *debian.Lock) string {
	t.Helper()
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// staticFake is a build of staticSpec with a lock for amd64 and a site.
func staticFake(t *testing.T, opts map[string]string) *fakeGateway {
	g := newFake(staticSpec, tree{"public/index.html": file("<h1>hi</h1>")}, opts)
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64")))
	return g
}

// The default target builds the image from the lock, checks the site and
// the config, and returns the image config with the lock's date.
func TestBuildImageFromLock(t *testing.T) {
	g := staticFake(t, nil)
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if res.Ref == nil {
		t.Fatal("Build() returned no image reference")
	}
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(res.Metadata[exptypes.ExporterImageConfigKey], &img); err != nil {
		t.Fatalf("image config: %v", err)
	}
	if img.Created == nil || !img.Created.Equal(lockDate) || img.Config.User != "65534:65534" {
		t.Errorf("image config created %v user %q, want the lock's date and 65534:65534", img.Created, img.Config.User)
	}
	for _, want := range []string{"[internal] load build context", "nginx -t", "merge"} {
		if !g.solvedNamed(want) {
			t.Errorf("no solve of %q; solved %q", want, g.solved)
		}
	}
	if !g.solvedOp("prepare the site") {
		t.Error("the image holds no site")
	}
	if w := g.warned("not pinned"); len(w) != 0 {
		t.Errorf("a locked build warned %q", w[0].msg)
	}
	if g.solvedNamed("fetch dists/") {
		t.Error("a locked build read the archive index")
	}
}
