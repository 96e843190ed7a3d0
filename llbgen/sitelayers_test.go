package llbgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/layercake-build/layercake/webroot"
)

// blog is a site like a real blog: pages with precompressed variants, feeds,
// styles and many large images.
func blog() []webroot.SiteEntry {
	var es []webroot.SiteEntry
	for i := range 50 {
		p := fmt.Sprintf("posts/post-%02d/index.html", i)
		es = append(es, webroot.SiteEntry{Path: p, Size: 30 << 10}, webroot.SiteEntry{Path: p + ".gz", Size: 8 << 10}, webroot.SiteEntry{Path: p + ".br", Size: 7 << 10})
	}
	es = append(es, webroot.SiteEntry{Path: "index.xml", Size: 90 << 10}, webroot.SiteEntry{Path: "feed.atom", Size: 80 << 10}, webroot.SiteEntry{Path: "css/site.css", Size: 20 << 10})
	for i := range 30 {
		es = append(es, webroot.SiteEntry{Path: fmt.Sprintf("images/photo-%02d.jpg", i), Size: 400 << 10})
	}
	es = append(es, webroot.SiteEntry{Path: "fonts/inter.woff2", Size: 100 << 10}, webroot.SiteEntry{Path: "empty-dir", Size: 0})
	return es
}

// The site is prepared and split by one helper step with one output per
// group, named on its command line (not a list of paths: the step places
// each path by the plan's rule); each layer is a copy of its own output,
// so BuildKit keys it by that output's content. The image has one layer per
// group, and the web root target gathers them all.
func TestSplitSiteLLB(t *testing.T) {
	in := testInput(t)
	in.SiteEntries = blog()
	out := mustBuild(t, in)
	groups := webroot.PlanSite(blog(), MaxLayers-(len(in.Packages)+3))
	if got, want := len(out.Layers), len(in.Packages)+3+len(groups); got != want {
		t.Fatalf("layers = %d, want %d (packages, skeleton, NSS, config and %d site groups)", got, want, len(groups))
	}
	if len(out.Layers) > MaxLayers {
		t.Errorf("layers = %d, over the cap of %d", len(out.Layers), MaxLayers)
	}
	g := llbtest.Marshal(t, out.Image)
	split := g.One(t, fmt.Sprintf("[layercake] prepare the site (public) in %d layers", len(groups))).GetExec()
	var keys []string
	for i, a := range split.Meta.Args {
		if a == "--group" {
			keys = append(keys, split.Meta.Args[i+1])
		}
	}
	var outs []string
	for _, m := range split.Mounts {
		if m.Output >= 0 && strings.HasPrefix(m.Dest, "/out/") {
			outs = append(outs, m.Dest)
		}
	}
	if len(outs) != len(groups) || len(keys) != len(groups) {
		t.Fatalf("split step has %d outputs and groups %q, want one per group (%d)", len(outs), keys, len(groups))
	}
	splitDigest := g.Named("[layercake] prepare the site")[0]
	for i, grp := range groups {
		if keys[i] != grp.Key() {
			t.Errorf("group %d = %q, want %q", i, keys[i], grp.Key())
		}
		op := g.One(t, "[layercake] "+grp.Name())
		cp := op.GetFile().GetActions()[0].GetCopy()
		var from string
		for _, m := range split.Mounts {
			if m.Output == op.Inputs[0].Index {
				from = m.Dest
			}
		}
		if cp == nil || cp.Src != "/" || op.Inputs[0].Digest != string(splitDigest) || from != splitOut(i) {
			t.Errorf("%s copies %v from %s, want all of split output %s", grp.Name(), cp, from, splitOut(i))
		}
	}
	whole := llbtest.Marshal(t, out.Site)
	if n := len(whole.Named("[layercake] web root: ")); n != len(groups) {
		t.Errorf("--target site gathers %d site layers, want %d", n, len(groups))
	}
}

// The site gets the layers the packages leave: with many runtime packages
// and a large site, the image stays within MaxLayers. Kills build.go:127
// (MaxLayers-len(base) -> MaxLayers+len(base)).
func TestSiteLayersWithinTheCap(t *testing.T) {
	in := testInput(t)
	in.Packages = nil
	for i := range 30 {
		name := fmt.Sprintf("lib%02d", i)
		in.Packages = append(in.Packages, deb.Locked{Name: name, Version: "1.0-1", Architecture: "amd64",
			Path: fmt.Sprintf("pool/main/l/%s/%s_1.0-1_amd64.deb", name, name), Size: 10, SHA256: fmt.Sprintf("%064x", i+1)})
	}
	for i := range 300 {
		in.SiteEntries = append(in.SiteEntries, webroot.SiteEntry{Path: fmt.Sprintf("media/%03d.jpg", i), Size: 4 << 20}, webroot.SiteEntry{Path: fmt.Sprintf("page/%03d.html", i), Size: 64 << 10})
	}
	out := mustBuild(t, in)
	site := len(out.Layers) - len(in.Packages) - 3
	if len(out.Layers) > MaxLayers || site < 2 {
		t.Errorf("layers = %d (%d packages, 3 generated, %d site), want at most %d with at least a text and a media layer", len(out.Layers), len(in.Packages), site, MaxLayers)
	}
}
