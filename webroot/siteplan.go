package webroot

import (
	"fmt"
	"hash/fnv"
	"path"
	"slices"
	"strconv"
	"strings"
)

// SiteEntry is one entry of the web root as the frontend listed it: a file, a
// link, or a folder with nothing in it.
type SiteEntry struct {
	// Path is relative to the web root, with "/" separators.
	Path string
	// Size is the file's size in bytes (0 for links and folders).
	Size int64
}

// Site classes: text changes with every edit and compresses well; media is
// large and rarely changes. Each class is a set of layers of its own, so a
// page edit never re-uploads an image.
// ClassAll is the one group of a site that is not split (no listing).
const (
	ClassText  = "text"
	ClassMedia = "media"
	ClassAll   = "all"
)

// textExts are the extensions of files that change with content edits.
var textExts = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".xml": true, ".rss": true, ".atom": true,
	".css": true, ".js": true, ".mjs": true, ".cjs": true, ".map": true, ".json": true,
	".jsonld": true, ".webmanifest": true, ".txt": true, ".md": true, ".svg": true,
	".csv": true, ".tsv": true, ".ics": true, ".yaml": true, ".yml": true, ".toml": true,
	".vtt": true, ".srt": true,
}

// variantExts are precompressed variants: they go with the file they encode.
var variantExts = []string{".gz", ".br", ".zst"}

// Bucket sizes: a class is split into the smallest power of two of buckets
// that keeps each near this many bytes, up to its cap. Powers of two keep
// bucket counts stable while a site grows.
const (
	textBucketBytes  = 256 << 10
	mediaBucketBytes = 4 << 20
	maxTextBuckets   = 8
	maxMediaBuckets  = 16
)

// SiteGroup is one site layer: the entries of one bucket of one class.
type SiteGroup struct {
	// Class is ClassText or ClassMedia.
	Class string
	// Bucket is this group's number among the class's Buckets (0-based).
	Bucket, Buckets int
	// Paths are sorted; Bytes is the sum of their sizes.
	Paths []string
	Bytes int64
}

// Name says what the layer holds, for its history entry and progress.
func (g SiteGroup) Name() string {
	if g.Class == ClassAll {
		return "site"
	}
	return fmt.Sprintf("site %s %d/%d (%d entries, %s)", g.Class, g.Bucket+1, g.Buckets, len(g.Paths), humanBytes(g.Bytes))
}

// Key names the group on the split step's command line: class/bucket/buckets.
func (g SiteGroup) Key() string {
	return fmt.Sprintf("%s/%d/%d", g.Class, g.Bucket, g.Buckets)
}

// ParseSiteGroup reads a Key.
func ParseSiteGroup(key string) (SiteGroup, error) {
	var g SiteGroup
	parts := strings.Split(key, "/")
	if len(parts) == 3 {
		g.Class = parts[0]
		b, err1 := strconv.Atoi(parts[1])
		n, err2 := strconv.Atoi(parts[2])
		if err1 == nil && err2 == nil && n > 0 && b >= 0 && b < n && slices.Contains([]string{ClassText, ClassMedia, ClassAll}, g.Class) {
			g.Bucket, g.Buckets = b, n
			return g, nil
		}
	}
	return g, fmt.Errorf("site group %q: want class/bucket/buckets, such as text/0/4", key)
}

// RouteSite is the rule that places a served path in one of groups (as
// PlanSite placed it): the group of its class and bucket. A path whose
// group is not there is an error: the plan was made from another listing.
func RouteSite(groups []SiteGroup) func(rel string) (int, error) {
	type bucket struct {
		class string
		n     int
	}
	index := map[bucket]int{}
	buckets := map[string]int{}
	for i, g := range groups {
		if g.Class == ClassAll {
			return func(string) (int, error) { return i, nil }
		}
		index[bucket{g.Class, g.Bucket}] = i
		buckets[g.Class] = g.Buckets
	}
	return func(rel string) (int, error) {
		class := classOf(rel)
		if n := buckets[class]; n > 0 {
			if i, ok := index[bucket{class, bucketOf(rel, n)}]; ok {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s: no site layer of the plan holds it (the plan was made from another listing of the site)", rel)
	}
}

// classOf is the class of a web root path, precompressed variants taking the
// class of the file they encode.
func classOf(p string) string {
	if textExts[strings.ToLower(path.Ext(baseOf(p)))] {
		return ClassText
	}
	return ClassMedia
}

// baseOf strips a precompressed variant's extension: index.html.gz and
// index.html share a bucket, so an edit changes one layer.
func baseOf(p string) string {
	for _, ext := range variantExts {
		if b, ok := strings.CutSuffix(p, ext); ok && path.Ext(b) != "" {
			return b
		}
	}
	return p
}

// bucketOf places a path in one of n buckets by a hash of its base path: the
// same path lands in the same bucket whatever else the site holds.
func bucketOf(p string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(baseOf(p)))
	return int(h.Sum32() % uint32(n))
}

// bucketsFor is the number of buckets for a class of total bytes.
func bucketsFor(total, per int64, limit int) int {
	n := 1
	for n < limit && int64(n)*per < total {
		n *= 2
	}
	return n
}

// PlanSite splits the site's entries into layers: text and media apart, each
// class into stable buckets by path hash. maxGroups caps the layers (the
// image's other layers count against the 127-layer limit); it is at least 2.
// Empty buckets make no layer. The order is text first, then media, each by
// bucket: stable for the same entries. Without entries the site is one
// group, ClassAll.
func PlanSite(entries []SiteEntry, maxGroups int) []SiteGroup {
	if len(entries) == 0 {
		return []SiteGroup{{Class: ClassAll, Buckets: 1}}
	}
	var bytes = map[string]int64{}
	for _, e := range entries {
		bytes[classOf(e.Path)] += e.Size
	}
	textMax, mediaMax := splitBudget(max(maxGroups, 2))
	counts := map[string]int{
		ClassText:  bucketsFor(bytes[ClassText], textBucketBytes, textMax),
		ClassMedia: bucketsFor(bytes[ClassMedia], mediaBucketBytes, mediaMax),
	}
	groups := map[string][]SiteGroup{}
	for _, class := range []string{ClassText, ClassMedia} {
		groups[class] = make([]SiteGroup, counts[class])
		for i := range groups[class] {
			groups[class][i] = SiteGroup{Class: class, Bucket: i, Buckets: counts[class]}
		}
	}
	for _, e := range entries {
		class := classOf(e.Path)
		g := &groups[class][bucketOf(e.Path, counts[class])]
		g.Paths = append(g.Paths, e.Path)
		g.Bytes += e.Size
	}
	var out []SiteGroup
	for _, class := range []string{ClassText, ClassMedia} {
		for _, g := range groups[class] {
			if len(g.Paths) > 0 {
				slices.Sort(g.Paths)
				out = append(out, g)
			}
		}
	}
	return out
}

// splitBudget shares the layer budget between the classes: a third for text,
// the rest for media, each a power of two within its cap.
func splitBudget(n int) (text, media int) {
	text = floorPow2(min(maxTextBuckets, max(n/3, 1)))
	media = floorPow2(min(maxMediaBuckets, max(n-text, 1)))
	return text, media
}

func floorPow2(n int) int {
	p := 1
	for p*2 <= n {
		p *= 2
	}
	return p
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
