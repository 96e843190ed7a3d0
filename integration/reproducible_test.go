package integration

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/debian/deb"
)

// TestReproducibleAcrossBuilders builds the same site on two builders with
// empty state directories, at different times, from two copies of the context
// with different mtimes and file modes: the platform manifest digest must be
// the same, and the same as the shared builder's.
func TestReproducibleAcrossBuilders(t *testing.T) {
	e := need(t)
	t.Parallel()
	const p = 8080
	first := e.push(t, build{dir: e.siteDir(t, p)}, "repro", "shared")

	dirA, dirB := e.siteDir(t, p), e.siteDir(t, p)
	scramble(t, dirA, 1)
	scramble(t, dirB, 2)
	a := e.push(t, build{dir: dirA, builder: e.freshBuilder(t, "fresh-a")}, "repro", "a")
	time.Sleep(1100 * time.Millisecond) // a different wall-clock second
	b := e.push(t, build{dir: dirB, builder: e.freshBuilder(t, "fresh-b")}, "repro", "b")

	if a.digest != b.digest || a.digest != first.digest {
		t.Errorf("manifest digests differ: shared %s, fresh-a %s, fresh-b %s\nlayers:\n%s",
			first.digest, a.digest, b.digest, layerTable(first, a, b))
	}
}

func layerTable(ims ...*image) string {
	var sb strings.Builder
	for i := range ims[0].manifest.Layers {
		for _, im := range ims {
			if i < len(im.manifest.Layers) {
				fmt.Fprintf(&sb, "%s ", im.manifest.Layers[i].Digest.Encoded()[:12])
			}
		}
		if i < len(ims[0].config.History) {
			sb.WriteString(ims[0].config.History[i].CreatedBy)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// TestLayerIndependence edits one page, then changes the port: each change
// must touch exactly one layer blob, and never a package layer.
func TestLayerIndependence(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	base := e.push(t, build{dir: dir}, "layers", "base")

	write(t, dir, "public/about.html", "<!doctype html><title>About</title><p>Edited.</p>\n")
	edited := e.push(t, build{dir: dir}, "layers", "edited")

	portDir := e.siteDir(t, 9090)
	ported := e.push(t, build{dir: portDir}, "layers", "port")

	for _, im := range []*image{base, edited, ported} {
		checkLayers(t, e, im)
	}
	last := len(base.manifest.Layers) - 1
	for _, tc := range []struct {
		name    string
		im      *image
		changed int // index of the only layer that may differ
		what    string
	}{
		{"edit one page", edited, last, "site"},
		{"change server.port", ported, last - 1, "nginx.conf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := diffLayers(base.layerDigests(), tc.im.layerDigests())
			if !slices.Equal(got, []int{tc.changed}) {
				t.Errorf("changed layers = %v, want only %d (%s)\n%s", got, tc.changed, tc.what, layerTable(base, tc.im))
			}
			created := base.config.History[tc.changed].CreatedBy
			if !strings.Contains(created, tc.what) {
				t.Errorf("layer %d is %q, want the %s layer", tc.changed, created, tc.what)
			}
		})
	}
}

// checkLayers wants every layer the image is made of, in order, each its
// own blob: one per package the lock pins for the image's architecture, the
// filesystem skeleton, the fake NSS files, nginx.conf, then the site's
// layers. A missing or extra layer fails, whatever the other tests compare.
func checkLayers(t *testing.T, e *environment, im *image) {
	t.Helper()
	lock, err := debian.ParseLock(e.lock(t))
	if err != nil {
		t.Fatal(err)
	}
	arch, err := deb.Arch(im.config.Architecture, im.config.Variant)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range lock.Architectures[arch].Runtime {
		archive := p.Archive // the suite, -updates or -security
		if archive == "" {
			archive = lock.Suite
		}
		want = append(want, fmt.Sprintf("layercake: %s %s (debian %s %s)", p.Name, p.Version, archive, p.Architecture))
	}
	want = append(want, "layercake: filesystem skeleton", "layercake: fake NSS", "layercake: nginx.conf")
	var got []string
	for _, h := range im.config.History {
		if !h.EmptyLayer {
			got = append(got, h.CreatedBy)
		}
	}
	if len(got) != len(im.manifest.Layers) {
		t.Errorf("%s: %d history entries with layers, %d layers", im.repo, len(got), len(im.manifest.Layers))
	}
	if len(got) <= len(want) {
		t.Fatalf("%s: %d layers, want the %d below and the site's:\n%s", im.repo, len(got), len(want), strings.Join(want, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("%s: layer %d is %q, want %q", im.repo, i, got[i], w)
		}
	}
	for i, g := range got[len(want):] {
		if !strings.HasPrefix(g, "layercake: site") {
			t.Errorf("%s: layer %d is %q, want a site layer", im.repo, len(want)+i, g)
		}
	}
	seen := map[string]bool{}
	for _, d := range im.layerDigests() {
		if seen[d] {
			t.Errorf("%s: layer %s appears twice", im.repo, d)
		}
		seen[d] = true
	}
}

// diffLayers lists the indexes where two layer lists differ.
func diffLayers(a, b []string) []int {
	var out []int
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			out = append(out, i)
		}
	}
	return out
}

// TestCopyChainSameFiles builds with LAYERCAKE_MERGE=false, the path for
// builders without MergeOp: same layer count and the same files, owners,
// modes and times as the MergeOp image.
func TestCopyChainSameFiles(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	merged := e.push(t, build{dir: dir}, "chain", "merge")
	chained := e.push(t, build{dir: dir, args: []string{"--build-arg", "LAYERCAKE_MERGE=false"}}, "chain", "copy")
	if len(chained.manifest.Layers) != len(merged.manifest.Layers) {
		t.Errorf("copy chain has %d layers, MergeOp %d", len(chained.manifest.Layers), len(merged.manifest.Layers))
	}
	rootA, rootB := t.TempDir(), t.TempDir()
	if err := e.unpackImage(merged, rootA); err != nil {
		t.Fatal(err)
	}
	if err := e.unpackImage(chained, rootB); err != nil {
		t.Fatal(err)
	}
	a, b := treeListing(t, rootA), treeListing(t, rootB)
	if d := firstDiff(a, b); d != "" {
		t.Errorf("MergeOp and copy-chain images differ: %s", d)
	}
}

// treeListing describes every entry: path, type and mode, owner, time, and
// content hash or link target.
func treeListing(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		line := fmt.Sprintf("%s %v %s", rel, fi.Mode(), owner(fi))
		if !fi.IsDir() {
			line += " " + fi.ModTime().UTC().Format(time.RFC3339)
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case fi.Mode().IsRegular():
			line += " " + fileHash(t, p)
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fileHash(t *testing.T, p string) string {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func firstDiff(a, b []string) string {
	for i := range max(len(a), len(b)) {
		switch {
		case i >= len(a):
			return "only in the second: " + b[i]
		case i >= len(b):
			return "only in the first: " + a[i]
		case a[i] != b[i]:
			return fmt.Sprintf("\n  %s\n  %s", a[i], b[i])
		}
	}
	return ""
}

// TestReproducibleEverywhere: a daemon in another time zone with umask 077,
// a checkout with private modes, and a build through buildctl instead of
// buildx all give the manifest digest of the shared builder.
func TestReproducibleEverywhere(t *testing.T) {
	e := need(t)
	t.Parallel()
	base := e.push(t, build{dir: e.siteDir(t, 8080)}, "everywhere", "base")

	dir := e.siteDir(t, 8080)
	scrambleModes(t, dir, 4, 0o600, 0o700)
	odd := e.freshBuilderWith(t, "tz-umask", []string{"TZ=Pacific/Chatham"}, "077")
	tz := e.push(t, build{dir: dir, builder: odd}, "everywhere", "tz-umask")
	if tz.digest != base.digest {
		t.Errorf("TZ=Pacific/Chatham, umask 077, private modes: digest %s, want %s\n%s", tz.digest, base.digest, layerTable(base, tz))
	}

	ctl := e.freshBuilder(t, "buildctl")
	ref := e.registry.host + "/everywhere:buildctl"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir = e.siteDir(t, 8080)
	if _, err := run(ctx, nil, filepath.Join(e.bin, "buildctl"), "--addr", ctl.addr, "build",
		"--frontend", "gateway.v0", "--opt", "source="+e.frontend,
		"--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "build-arg:DEBIAN_MIRROR="+e.mirror,
		"--output", "type=image,name="+ref+",push=true,registry.insecure=true"); err != nil {
		t.Fatalf("buildctl build: %v", err)
	}
	viaCtl, err := e.registry.platformImage("everywhere", "buildctl", base.config.Architecture)
	if err != nil {
		t.Fatal(err)
	}
	if viaCtl.digest != base.digest {
		t.Errorf("buildctl: digest %s, want buildx's %s\n%s", viaCtl.digest, base.digest, layerTable(base, viaCtl))
	}
}
