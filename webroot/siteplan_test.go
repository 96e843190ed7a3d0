package webroot

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
)

// blog is a site like a real blog: pages with precompressed variants, feeds,
// styles and many large images.
func blog() []SiteEntry {
	var es []SiteEntry
	for i := range 50 {
		p := fmt.Sprintf("posts/post-%02d/index.html", i)
		es = append(es, SiteEntry{p, 30 << 10}, SiteEntry{p + ".gz", 8 << 10}, SiteEntry{p + ".br", 7 << 10})
	}
	es = append(es, SiteEntry{"index.xml", 90 << 10}, SiteEntry{"feed.atom", 80 << 10}, SiteEntry{"css/site.css", 20 << 10})
	for i := range 30 {
		es = append(es, SiteEntry{fmt.Sprintf("images/photo-%02d.jpg", i), 400 << 10})
	}
	es = append(es, SiteEntry{"fonts/inter.woff2", 100 << 10}, SiteEntry{"empty-dir", 0})
	return es
}

func groupOf(groups []SiteGroup, p string) (SiteGroup, bool) {
	for _, g := range groups {
		if slices.Contains(g.Paths, p) {
			return g, true
		}
	}
	return SiteGroup{}, false
}

func TestPlanSiteClassesAndVariants(t *testing.T) {
	groups := PlanSite(blog(), 25)
	seen := 0
	for _, g := range groups {
		seen += len(g.Paths)
		for _, p := range g.Paths {
			if got := classOf(p); got != g.Class {
				t.Errorf("%s is in a %s layer, its class is %s", p, g.Class, got)
			}
		}
	}
	if seen != len(blog()) {
		t.Errorf("groups hold %d entries, want every one of %d", seen, len(blog()))
	}
	// A page and its precompressed variants change together: one layer.
	page, _ := groupOf(groups, "posts/post-07/index.html")
	for _, v := range []string{"posts/post-07/index.html.gz", "posts/post-07/index.html.br"} {
		if g, _ := groupOf(groups, v); g.Class != page.Class || g.Bucket != page.Bucket {
			t.Errorf("%s is in %s, its page in %s", v, g.Name(), page.Name())
		}
	}
	for _, p := range []string{"images/photo-03.jpg", "fonts/inter.woff2"} {
		if g, _ := groupOf(groups, p); g.Class != ClassMedia {
			t.Errorf("%s is %s, want media", p, g.Class)
		}
	}
	for _, p := range []string{"index.xml", "feed.atom", "css/site.css", "posts/post-01/index.html.br"} {
		if g, _ := groupOf(groups, p); g.Class != ClassText {
			t.Errorf("%s is %s, want text", p, g.Class)
		}
	}
}

// Adding or editing one file moves no other file between layers, and the
// plan is the same for the same entries in any order.
func TestPlanSiteStable(t *testing.T) {
	before := PlanSite(blog(), 25)
	more := append(blog(), SiteEntry{"images/new.jpg", 300 << 10}, SiteEntry{"posts/new/index.html", 30 << 10})
	after := PlanSite(more, 25)
	for _, e := range blog() {
		a, _ := groupOf(before, e.Path)
		b, _ := groupOf(after, e.Path)
		if a.Class != b.Class || a.Bucket != b.Bucket || a.Buckets != b.Buckets {
			t.Errorf("%s moved from %s to %s after two unrelated additions", e.Path, a.Name(), b.Name())
		}
	}
	reversed := slices.Clone(blog())
	slices.Reverse(reversed)
	if got, want := names(PlanSite(reversed, 25)), names(before); !slices.Equal(got, want) {
		t.Errorf("plan depends on entry order:\n%v\n%v", got, want)
	}
}

func names(gs []SiteGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name()+": "+strings.Join(g.Paths, ","))
	}
	return out
}

func TestPlanSiteBudget(t *testing.T) {
	for _, tc := range []struct {
		name       string
		entries    []SiteEntry
		max        int
		wantGroups int // at most
	}{
		{"tiny site: one text and one media layer", []SiteEntry{{"index.html", 900}, {"logo.png", 4000}}, 25, 2},
		{"text only", []SiteEntry{{"index.html", 900}, {"about.html", 900}}, 25, 1},
		{"blog within 25", blog(), 25, 25},
		{"blog squeezed", blog(), 4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groups := PlanSite(tc.entries, tc.max)
			if len(groups) == 0 || len(groups) > tc.wantGroups {
				t.Errorf("PlanSite() = %d groups, want 1..%d: %v", len(groups), tc.wantGroups, names(groups))
			}
		})
	}
	// The blog's 12 MB of images spread over several media layers, its text
	// over several text layers.
	var text, media int
	for _, g := range PlanSite(blog(), 25) {
		if g.Class == ClassText {
			text++
		} else {
			media++
		}
	}
	if text < 2 || media < 2 {
		t.Errorf("blog: %d text and %d media layers, want several of each", text, media)
	}
}

// Every served path goes to the group PlanSite put it in; a path of a group
// the plan does not have is an error, not a silent drop.
func TestRouteSiteMatchesPlan(t *testing.T) {
	groups := PlanSite(blog(), 30)
	route := RouteSite(groups)
	for i, g := range groups {
		for _, p := range g.Paths {
			if got, err := route(p); err != nil || got != i {
				t.Errorf("route(%s) = %d, %v; want group %d", p, got, err, i)
			}
			if baseOf(p) != p || path.Ext(p) == "" {
				continue
			}
			if got, err := route(p + ".br"); err != nil || got != i {
				t.Errorf("route(%s.br) = %d, %v; want group %d with its file", p, got, err, i)
			}
		}
		k, err := ParseSiteGroup(g.Key())
		if err != nil || k.Class != g.Class || k.Bucket != g.Bucket || k.Buckets != g.Buckets {
			t.Errorf("ParseSiteGroup(%q) = %+v, %v", g.Key(), k, err)
		}
	}
	textOnly := PlanSite([]SiteEntry{{Path: "index.html", Size: 10}}, 30)
	if _, err := RouteSite(textOnly)("photo.jpg"); err == nil {
		t.Error("a media file routed with a plan without media layers")
	}
	if i, err := RouteSite(PlanSite(nil, 30))("anything.bin"); err != nil || i != 0 {
		t.Errorf("the one-layer plan routes to %d, %v", i, err)
	}
	for _, bad := range []string{"text/4/4", "text/0/0", "css/0/1", "text/0", "text/a/2"} {
		if _, err := ParseSiteGroup(bad); err == nil {
			t.Errorf("ParseSiteGroup(%q) succeeded", bad)
		}
	}
}

// A class gets the smallest power of two of buckets that keeps each at most
// its bucket size on average, up to its cap. Kills siteplan.go:152 (the
// loop's < and *, at the exact boundary).
func TestBucketsFor(t *testing.T) {
	for _, tt := range []struct {
		total int64
		limit int
		want  int
	}{
		{0, 8, 1},
		{textBucketBytes, 8, 1},
		{textBucketBytes + 1, 8, 2},
		{2 * textBucketBytes, 8, 2},
		{2*textBucketBytes + 1, 8, 4},
		{100 * textBucketBytes, 8, 8},
		{100 * textBucketBytes, 1, 1},
	} {
		if got := bucketsFor(tt.total, textBucketBytes, tt.limit); got != tt.want {
			t.Errorf("bucketsFor(%d, %d, %d) = %d, want %d", tt.total, textBucketBytes, tt.limit, got, tt.want)
		}
	}
}

// The layer budget goes a third to text and the rest to media, each a
// power of two within its cap, and together never over the budget. Kills
// siteplan.go:205, 206 (n/3, n-text) and 212 (floorPow2's p*2 <= n).
func TestSplitBudget(t *testing.T) {
	for _, tt := range []struct{ n, text, media int }{
		{2, 1, 1}, {3, 1, 2}, {4, 1, 2}, {6, 2, 4}, {12, 4, 8}, {24, 8, 16}, {25, 8, 16}, {120, 8, 16},
	} {
		if text, media := splitBudget(tt.n); text != tt.text || media != tt.media {
			t.Errorf("splitBudget(%d) = %d, %d; want %d, %d", tt.n, text, media, tt.text, tt.media)
		}
	}
	for n := 2; n <= 40; n++ { // 40: llbgen.MaxLayers
		text, media := splitBudget(n)
		if text+media > n || text&(text-1) != 0 || media&(media-1) != 0 || text > maxTextBuckets || media > maxMediaBuckets {
			t.Errorf("splitBudget(%d) = %d, %d; want powers of two within the caps, %d at most together", n, text, media, n)
		}
	}
}

// A layer's name, in the image history and the progress display, says its
// class, its place among the class's layers and its size in the unit a
// person reads. Kills siteplan.go:69 (Bucket+1) and 221, 223 (the units).
func TestSiteGroupName(t *testing.T) {
	for _, tt := range []struct {
		g    SiteGroup
		want string
	}{
		{SiteGroup{Class: ClassText, Bucket: 0, Buckets: 4, Paths: []string{"a.html"}, Bytes: 1023}, "site text 1/4 (1 entries, 1023 B)"},
		{SiteGroup{Class: ClassText, Bucket: 3, Buckets: 4, Paths: []string{"a.html", "b.css"}, Bytes: 1536}, "site text 4/4 (2 entries, 1.5 KiB)"},
		{SiteGroup{Class: ClassMedia, Bucket: 1, Buckets: 2, Paths: []string{"a.jpg"}, Bytes: 5 << 19}, "site media 2/2 (1 entries, 2.5 MiB)"},
		{SiteGroup{Class: ClassAll, Buckets: 1}, "site"},
	} {
		if got := tt.g.Name(); got != tt.want {
			t.Errorf("%+v.Name() = %q, want %q", tt.g, got, tt.want)
		}
	}
}
