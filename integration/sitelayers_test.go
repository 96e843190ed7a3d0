package integration

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writeBlog fills dir/public with a blog-like site: 50 pages, a feed, a
// stylesheet and 30 images of random bytes (12 MB that compress to nothing).
func writeBlog(t *testing.T, dir string) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		body := strings.Repeat(fmt.Sprintf("<p>Paragraph of post %d, with words that compress well.</p>\n", i), 200)
		write(t, dir, fmt.Sprintf("public/posts/post-%02d/index.html", i), "<!doctype html><title>Post</title>\n"+body)
	}
	write(t, dir, "public/index.html", "<!doctype html><title>Blog</title><p>Served by layercake</p>\n")
	write(t, dir, "public/index.xml", strings.Repeat("<item><title>x</title></item>\n", 2000))
	write(t, dir, "public/css/site.css", strings.Repeat("body { margin: 0 }\n", 500))
	for i := range 30 {
		img := make([]byte, 400<<10)
		for j := range img {
			img[j] = byte(r.Uint32())
		}
		p := filepath.Join(dir, "public", "images", fmt.Sprintf("photo-%02d.jpg", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// siteLayerKinds names each changed layer by its history entry.
func changedLayers(t *testing.T, a, b *image) []string {
	t.Helper()
	var out []string
	for _, i := range diffLayers(a.layerDigests(), b.layerDigests()) {
		if i >= len(b.config.History) {
			out = append(out, fmt.Sprintf("layer %d", i))
			continue
		}
		out = append(out, b.config.History[i].CreatedBy)
	}
	return out
}

// TestSiteLayers: a blog-like site becomes several text and media layers; a
// page edit changes one small text layer, a new image only a media layer, no
// change nothing; a fresh builder and Docker Engine give the same image.
func TestSiteLayers(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.siteDir(t, p)
	os.RemoveAll(filepath.Join(dir, "public"))
	writeBlog(t, dir)
	// A builder of its own: what is asserted is which steps BuildKit finds
	// cached, and builds of other tests running at the same time on a
	// shared builder can change that (concurrent requests share one solve
	// graph; moby/buildkit#4674).
	own := e.freshBuilder(t, "blog")
	base := e.push(t, build{dir: dir, builder: own}, "blog", "base")
	var text, media int
	for _, h := range base.config.History {
		switch {
		case strings.Contains(h.CreatedBy, "site text"):
			text++
		case strings.Contains(h.CreatedBy, "site media"):
			media++
		}
	}
	if text < 2 || media < 2 {
		t.Errorf("blog: %d text and %d media layers, want several of each", text, media)
	}
	if n := len(base.manifest.Layers); n > 40 {
		t.Errorf("image has %d layers, want at most 40", n)
	}

	same := e.push(t, build{dir: dir, builder: own}, "blog", "same")
	if got := changedLayers(t, base, same); len(got) != 0 {
		t.Errorf("a rebuild with no change changed %v", got)
	}

	write(t, dir, "public/posts/post-07/index.html", "<!doctype html><title>Post</title><p>Edited.</p>\n")
	out := e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--output", "type=image,name=" + e.registry.host + "/blog:edited,push=true"}})
	edited, err := e.registry.platformImage("blog", "edited", base.config.Architecture)
	if err != nil {
		t.Fatal(err)
	}
	// Unchanged layers are cache hits: one split step reads the site again
	// (compressing only the edited page: the variant cache has the rest),
	// but only the edited page's layer is made and packed again; the
	// others, media included, are CACHED.
	states := siteLayerStates(out)
	var ran, cached []string
	for name, state := range states {
		switch state {
		case "DONE":
			ran = append(ran, name)
		case "CACHED":
			cached = append(cached, name)
		}
	}
	if len(ran) != 1 || !strings.HasPrefix(ran[0], "site text") {
		t.Errorf("a page edit made %d site layers again (%v), want one text layer", len(ran), ran)
	}
	if len(cached) < 2 {
		t.Errorf("a page edit found %d site layers cached, want every unchanged one:\n%s", len(cached), tail(out, 60))
	}
	got := changedLayers(t, base, edited)
	if len(got) != 1 || !strings.Contains(got[0], "site text") {
		t.Errorf("a page edit changed %v, want one site text layer", got)
	}
	var siteBytes, changedBytes int64
	for i, l := range edited.manifest.Layers {
		if strings.Contains(edited.config.History[i].CreatedBy, "site ") {
			siteBytes += l.Size
			if l.Digest != base.manifest.Layers[i].Digest {
				changedBytes += l.Size
			}
		}
	}
	if changedBytes*10 > siteBytes {
		t.Errorf("the page edit changed %d of the site's %d compressed bytes, want at most 10%%", changedBytes, siteBytes)
	}

	img := make([]byte, 300<<10)
	for i := range img {
		img[i] = byte(i * 7919)
	}
	if err := os.WriteFile(filepath.Join(dir, "public", "images", "new.jpg"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	added := e.push(t, build{dir: dir, builder: own}, "blog", "added")
	got = changedLayers(t, edited, added)
	if len(got) == 0 {
		t.Errorf("adding an image changed no layer")
	}
	for _, g := range got {
		if !strings.Contains(g, "site media") {
			t.Errorf("adding an image changed %q, want only media layers", g)
		}
	}

	// The builder so far took most compressed variants from its cache
	// mount; a fresh one has none and must write the same bytes.
	fresh := e.push(t, build{dir: dir, builder: e.freshBuilder(t, "blog-fresh")}, "blog", "fresh")
	if fresh.digest != added.digest {
		t.Errorf("fresh builder: digest %s, want %s\n%s", fresh.digest, added.digest, layerTable(added, fresh))
	}
	d := e.engine(t, storeClassic)
	d.mustDocker(t, dir, "build", "--build-arg", "DEBIAN_MIRROR="+e.mirror, "-t", "blog:test", ".")
	_, saved := d.saveImage(t, "blog:test")
	sameImage(t, d, saved, added)
}

// siteLayerStates reads buildx's plain progress: each site layer's step (a
// copy of its output of the split step) and whether it ran (DONE) or was
// CACHED.
func siteLayerStates(out string) map[string]string {
	names := map[string]string{}
	states := map[string]string{}
	header := regexp.MustCompile(`^#(\d+) \[layercake\] (site (?:text|media) [^(]*)`)
	status := regexp.MustCompile(`^#(\d+) (DONE|CACHED)`)
	for _, line := range strings.Split(out, "\n") {
		if m := header.FindStringSubmatch(line); m != nil {
			names[m[1]] = strings.TrimSpace(m[2])
		} else if m := status.FindStringSubmatch(line); m != nil && names[m[1]] != "" {
			states[names[m[1]]] = m[2]
		}
	}
	return states
}
