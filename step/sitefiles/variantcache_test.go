package sitefiles

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// A variant is compressed once per content and encoding; a damaged entry is
// made again rather than served; no cache just compresses.
func TestVariantCache(t *testing.T) {
	c := NewVariantCache(t.TempDir())
	dir := t.TempDir()
	data := []byte(strings.Repeat("<p>page</p>\n", 100))
	src := filepath.Join(dir, "page.html")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	calls := 0
	gz := func(w io.Writer, r io.Reader) error { calls++; return GzipStream(w, r, 9) }
	get := func(c *VariantCache, kind string, compress func(io.Writer, io.Reader) error) []byte {
		t.Helper()
		p := &preparer{opts: Options{Cache: c}}
		dst := filepath.Join(dir, "page.html."+kind)
		os.Remove(dst)
		if _, err := p.variant(dst, src, sum, int64(len(data)), kind, compress); err != nil {
			t.Fatalf("variant(%s) error = %v", kind, err)
		}
		out, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := get(c, "gz", gz)
	if want, _ := Gzip(data, 9); !bytes.Equal(first, want) {
		t.Errorf("variant = %d bytes, want Gzip's %d", len(first), len(want))
	}
	second := get(c, "gz", gz)
	if !bytes.Equal(first, second) || calls != 1 {
		t.Errorf("second get in the same run: %d compressions, same bytes %v; want one compression", calls, bytes.Equal(first, second))
	}
	get(c, "br11", func(w io.Writer, r io.Reader) error { calls++; return BrotliStream(w, r, 11) })
	if calls != 2 {
		t.Errorf("another encoding of the same bytes: %d compressions; want its own", calls)
	}
	finish := func() {
		t.Helper()
		if err := c.finish(); err != nil {
			t.Fatalf("finish() error = %v", err)
		}
	}
	finish()
	packs := listPacks(packRoot(t, c))
	if len(packs) != 1 {
		t.Fatalf("cache holds %d packs after one run, want 1: %v", len(packs), packs)
	}
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 2 {
		t.Errorf("next run: %d compressions, same bytes %v; want it read from the pack", calls, bytes.Equal(again, first))
	}
	finish()

	// A damaged entry is made again, into a newer pack that wins from then on.
	entries, err := readPackIndex(packRoot(t, c), packs[0].name)
	if err != nil {
		t.Fatal(err)
	}
	first0 := filepath.Join(packDir(c), packs[0].name)
	pack, _ := os.ReadFile(first0)
	for _, e := range entries {
		if e.key.kind == "gz" {
			pack[e.off+e.size-1] ^= 0xff
		}
	}
	if err := os.WriteFile(first0, pack, 0o644); err != nil {
		t.Fatal(err)
	}
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 3 {
		t.Errorf("after damage: %d compressions, same bytes %v; want it made again", calls, bytes.Equal(again, first))
	}
	finish()
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 3 {
		t.Errorf("the run after the damage: %d compressions, same bytes %v; want the newer pack's entry", calls, bytes.Equal(again, first))
	}
	finish()

	// A cut pack has no index: it is left alone.
	for _, p := range listPacks(packRoot(t, c)) {
		if err := os.Truncate(filepath.Join(packDir(c), p.name), p.size/2); err != nil {
			t.Fatal(err)
		}
	}
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 4 {
		t.Errorf("after truncation: %d compressions, same bytes %v; want it made again", calls, bytes.Equal(again, first))
	}
	finish()
	if out := get(nil, "gz", gz); !bytes.Equal(out, first) || calls != 5 {
		t.Errorf("nil cache: %d compressions, same bytes %v", calls, bytes.Equal(out, first))
	}
}

// A pack's index is read back as written; any cut or changed byte of it
// makes the pack unreadable, never a wrong entry.
func TestPackIndexRoundTrip(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "a.pack"))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("0123456789abcdef")
	if _, err := f.Write(body); err != nil {
		t.Fatal(err)
	}
	want := []packEntry{
		{key: entryKey{sha256.Sum256([]byte("a")), "gz6"}, off: 0, size: 10, digest: sha256.Sum256(body[:10])},
		{key: entryKey{sha256.Sum256([]byte("b")), "br11"}, off: 10, size: 6, digest: sha256.Sum256(body[10:])},
	}
	if err := writePackIndex(f, int64(len(body)), want); err != nil {
		t.Fatal(err)
	}
	f.Close()
	root, err := os.OpenRoot(filepath.Dir(f.Name()))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	got, err := readPackIndex(root, "a.pack")
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("readPackIndex() = %v, %v; want %v", got, err, want)
	}
	whole, _ := os.ReadFile(f.Name())
	for i := len(body); i < len(whole); i++ {
		bad := slices.Clone(whole)
		bad[i] ^= 0x01
		os.WriteFile(f.Name(), bad, 0o644)
		if got, err := readPackIndex(root, "a.pack"); err == nil {
			t.Fatalf("byte %d changed: readPackIndex() = %v, want an error", i, got)
		}
		os.WriteFile(f.Name(), whole[:i], 0o644)
		if got, err := readPackIndex(root, "a.pack"); err == nil {
			t.Fatalf("cut at %d: readPackIndex() = %v, want an error", i, got)
		}
	}
}

// A file in the cache's folder that claims an index bigger than
// maxIndexBytes (here a sparse file of 1 GiB) is not a pack: its index is
// never read into memory.
func TestPackIndexTooBig(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.pack"))
	if err != nil {
		t.Fatal(err)
	}
	if err := writePackIndex(f, 0, nil); err != nil {
		t.Fatal(err)
	}
	foot := make([]byte, footerSize)
	if _, err := f.ReadAt(foot, 4); err != nil { // after the empty index's count
		t.Fatal(err)
	}
	const size = 1 << 30
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(foot, size-int64(footerSize)); err != nil { // the index is everything before the footer
		t.Fatal(err)
	}
	f.Close()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if got, err := readPackIndex(root, "big.pack"); !errors.Is(err, errBadPack) {
		t.Errorf("readPackIndex() = %v, %v; want errBadPack", got, err)
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
		t.Errorf("reading it allocated %d bytes", grown)
	}
}

// A run holds at most maxEntries entries (and one pack's more) whatever
// the packs claim, the newest packs' first.
func TestVariantCacheEntryLimit(t *testing.T) {
	saved := maxEntries
	maxEntries = 5
	defer func() { maxEntries = saved }()
	c := NewVariantCache(t.TempDir())
	if err := os.MkdirAll(packDir(c), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var entries []packEntry
		for j := range 4 {
			entries = append(entries, packEntry{key: entryKey{sha256.Sum256([]byte{byte(i), byte(j)}), "gz6"}})
		}
		f, err := os.Create(filepath.Join(packDir(c), fmt.Sprintf("%020d-1%s", i+1, packSuffix)))
		if err == nil {
			err = writePackIndex(f, 0, entries)
		}
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	c.mu.Lock()
	c.load()
	n, newest := len(c.index), c.index[entryKey{sha256.Sum256([]byte{2, 0}), "gz6"}].pack
	c.mu.Unlock()
	c.finish()
	if n != 8 || !strings.HasPrefix(newest, fmt.Sprintf("%020d", 3)) {
		t.Errorf("loaded %d entries (the newest pack's from %q); want 8, the two newest packs'", n, newest)
	}
}

// A run writes a pack per worker, not a file per variant; tidy merges small
// packs into one whose entries are still found, and drops the least
// recently used packs beyond the size limit.
func TestVariantCacheTidy(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("p%02d.html", i)] = strings.Repeat(fmt.Sprintf("<p>page %d</p>\n", i), 50)
	}
	in := writeTree(t, files)
	opts := Options{Epoch: epoch, Gzip: true, Brotli: true, Workers: 3, Cache: NewVariantCache(t.TempDir())}
	out, _ := prepare(t, in, opts)
	wantGz := func(rel string) []byte {
		b, _ := os.ReadFile(filepath.Join(out, rel+".gz"))
		return b
	}
	root := packRoot(t, opts.Cache)
	packs := listPacks(root)
	if len(packs) == 0 || len(packs) > 3 {
		t.Fatalf("a run with 3 workers left %d packs, want 1 to 3", len(packs))
	}
	if tmp, _ := filepath.Glob(filepath.Join(packDir(opts.Cache), tempPrefix+"*")); len(tmp) != 0 {
		t.Errorf("temporary packs left: %q", tmp)
	}

	tidy(root, tidyLimits{maxPacks: 1, smallPack: 1 << 20, maxBytes: 1 << 30})
	if packs := listPacks(root); len(packs) != 1 {
		t.Errorf("after merging: %d packs, want 1", len(packs))
	}
	calls := 0
	for rel := range files {
		data := []byte(files[rel])
		dst := filepath.Join(t.TempDir(), "v.gz")
		p := &preparer{opts: Options{Cache: opts.Cache}}
		src := filepath.Join(in, rel)
		if _, err := p.variant(dst, src, sha256.Sum256(data), int64(len(data)), "gz9", func(w io.Writer, r io.Reader) error { calls++; return GzipStream(w, r, 9) }); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(dst); !bytes.Equal(got, wantGz(rel)) {
			t.Errorf("%s.gz from the merged pack differs from the run's", rel)
		}
	}
	opts.Cache.finish()
	if calls != 0 {
		t.Errorf("%d variants compressed again after the merge, want 0", calls)
	}

	recent := listPacks(root)[0].size
	old := filepath.Join(packDir(opts.Cache), "old"+packSuffix)
	f, err := os.Create(old)
	if err == nil {
		_, err = f.Write(make([]byte, 3*recent))
	}
	if err == nil {
		err = writePackIndex(f, 3*recent, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	long := time.Now().Add(-time.Hour)
	os.Chtimes(old, long, long)
	tidy(root, tidyLimits{maxPacks: 64, smallPack: 1 << 20, maxBytes: 2 * recent})
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("over the size limit, the least recently used pack is still there (%v)", err)
	}
	if packs := listPacks(root); len(packs) != 1 {
		t.Errorf("over the size limit: %d packs left, want the recent one", len(packs))
	}
}

// With a cache, warm or cold, Prepare writes the same tree as without one.
func TestPrepareWithCacheSameBytes(t *testing.T) {
	in := writeTree(t, map[string]string{
		"index.html": strings.Repeat("<p>home</p>\n", 200), "css/site.css": strings.Repeat("body{margin:0}\n", 100),
		"img/a.png": "png",
	})
	opts := Options{Epoch: epoch, Gzip: true, Brotli: true}
	plain, _ := prepare(t, in, opts)
	opts.Cache = NewVariantCache(t.TempDir())
	cold, _ := prepare(t, in, opts)
	warm, st := prepare(t, in, opts)
	if st.Gzip != 2 || st.Brotli != 2 {
		t.Errorf("warm stats %v, want 2 .gz and 2 .br", st)
	}
	for _, out := range []string{cold, warm} {
		if got, want := listing(t, out), listing(t, plain); !slices.Equal(got, want) {
			t.Errorf("with a cache: %q\nwithout: %q", got, want)
		}
		for _, rel := range []string{"index.html.gz", "index.html.br", "css/site.css.br"} {
			a, _ := os.ReadFile(filepath.Join(plain, rel))
			b, err := os.ReadFile(filepath.Join(out, rel))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs with a cache (%v)", rel, err)
			}
		}
	}
}

// Builds sharing a cache at the same time, merging its packs as they end,
// each write what a build without a cache writes.
func TestVariantCacheConcurrentBuilds(t *testing.T) {
	saved := cacheLimits
	cacheLimits = tidyLimits{maxPacks: 2, smallPack: 1 << 20, maxBytes: 1 << 30}
	defer func() { cacheLimits = saved }()
	var trees []string
	for s := range 2 {
		files := map[string]string{}
		for i := range 24 {
			files[fmt.Sprintf("p%02d.html", i)] = strings.Repeat(fmt.Sprintf("<p>page %d of %d</p>\n", i, (i+s)%2), 40+i)
		}
		trees = append(trees, writeTree(t, files))
	}
	want := make([]map[string]string, len(trees))
	for i, in := range trees {
		out, _ := prepare(t, in, Options{Epoch: epoch, Gzip: true, Brotli: true})
		want[i] = readTree(t, out)
	}
	cache := t.TempDir()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				in := (g + i) % len(trees)
				out := filepath.Join(t.TempDir(), "www")
				if _, err := Prepare(trees[in], out, Options{Epoch: epoch, Gzip: true, Brotli: true, Workers: 2, Cache: NewVariantCache(cache)}); err != nil {
					t.Errorf("build %d.%d: %v", g, i, err)
					return
				}
				if got := readTree(t, out); !maps.Equal(got, want[in]) {
					t.Errorf("build %d.%d of tree %d differs from the build without a cache", g, i, in)
				}
			}
		}()
	}
	wg.Wait()
	if packs := listPacks(packRoot(t, NewVariantCache(cache))); len(packs) > 8 {
		t.Errorf("%d packs left with a limit of 2 small ones", len(packs))
	}
}

// Any build on the builder can write to the cache's mount. An entry whose
// own digest is right but which is not the page compressed (another page,
// or the page with bytes after its stream) is made again, never served.
func TestVariantCachePoisonedEntry(t *testing.T) {
	data := []byte(strings.Repeat("<p>the real page</p>\n", 50))
	src := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	other, _ := Gzip([]byte(strings.Repeat("<script>evil()</script>\n", 40)), 9)
	real, _ := Gzip(data, 9)
	otherBr, _ := Brotli([]byte(strings.Repeat("<script>evil()</script>\n", 40)), 5)
	realBr, _ := Brotli(data, 5)
	for _, tt := range []struct {
		name, kind string
		body, want []byte
		compress   func(io.Writer, io.Reader) error
	}{
		{"another page (gzip)", "gz9", other, real, func(w io.Writer, r io.Reader) error { return GzipStream(w, r, 9) }},
		{"bytes after the stream (gzip)", "gz9", append(slices.Clone(real), "<script>"...), real, func(w io.Writer, r io.Reader) error { return GzipStream(w, r, 9) }},
		{"another page (brotli)", "br5", otherBr, realBr, func(w io.Writer, r io.Reader) error { return BrotliStream(w, r, 5) }},
		{"bytes after the stream (brotli)", "br5", append(slices.Clone(realBr), "<script>"...), realBr, func(w io.Writer, r io.Reader) error { return BrotliStream(w, r, 5) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := NewVariantCache(t.TempDir())
			if err := os.MkdirAll(packDir(c), 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := os.Create(filepath.Join(packDir(c), "00000000000000000001-x"+packSuffix))
			if err == nil {
				_, err = f.Write(tt.body)
			}
			if err == nil {
				err = writePackIndex(f, int64(len(tt.body)), []packEntry{{
					key: entryKey{sha256.Sum256(data), tt.kind}, size: int64(len(tt.body)), digest: sha256.Sum256(tt.body),
				}})
			}
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			dst := filepath.Join(t.TempDir(), "page.html.v")
			p := &preparer{opts: Options{Cache: c}}
			if _, err := p.variant(dst, src, sha256.Sum256(data), int64(len(data)), tt.kind, func(w io.Writer, r io.Reader) error { calls++; return tt.compress(w, r) }); err != nil {
				t.Fatal(err)
			}
			c.finish()
			if got, _ := os.ReadFile(dst); !bytes.Equal(got, tt.want) || calls != 1 {
				t.Errorf("variant = %d bytes after %d compressions; want the page compressed again (%d bytes)", len(got), calls, len(tt.want))
			}
		})
	}
}

// packDir is the folder of c's packs.
func packDir(c *VariantCache) string { return filepath.Join(c.mount, c.sub) }

// packRoot opens it, for the functions that work in it.
func packRoot(t *testing.T, c *VariantCache) *os.Root {
	t.Helper()
	r, err := os.OpenRoot(packDir(c))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// A link that another build left in the cache's folder, where the packs
// go, leads no pack out of it: the run fails, naming the cache, and
// nothing is written where the link points.
func TestVariantCacheLinkOut(t *testing.T) {
	in := writeTree(t, map[string]string{"index.html": strings.Repeat("<p>home</p>\n", 100)})
	c := NewVariantCache(t.TempDir())
	outside := t.TempDir()
	if err := os.Symlink(outside, packDir(c)); err != nil {
		t.Fatal(err)
	}
	_, err := Prepare(in, filepath.Join(t.TempDir(), "www"), Options{Epoch: epoch, Gzip: true, Brotli: true, Cache: c})
	if err == nil || !strings.Contains(err.Error(), "in the cache") {
		t.Errorf("Prepare() error = %v, want one storing in the cache", err)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("the link's target holds %d files, want none", len(ents))
	}
}

// A merge keeps what a run would read: where two packs hold a variant, the
// newer pack's (by name), even when the older one was read more recently,
// as the pack of a damaged entry is in the run that makes it again.
func TestMergeKeepsNewerPacksEntry(t *testing.T) {
	c := NewVariantCache(t.TempDir())
	dir := t.TempDir()
	data := []byte(strings.Repeat("<p>merged</p>\n", 100))
	src := filepath.Join(dir, "page.html")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	calls := 0
	get := func() {
		t.Helper()
		p := &preparer{opts: Options{Cache: c}}
		gz := func(w io.Writer, r io.Reader) error { calls++; return GzipStream(w, r, 9) }
		if _, err := p.variant(filepath.Join(dir, "page.html.gz"), src, sha256.Sum256(data), int64(len(data)), "gz9", gz); err != nil {
			t.Fatal(err)
		}
		if err := c.finish(); err != nil {
			t.Fatal(err)
		}
	}
	get()
	packs := listPacks(packRoot(t, c))
	if len(packs) != 1 {
		t.Fatalf("%d packs after one run, want 1", len(packs))
	}
	damaged := filepath.Join(packDir(c), packs[0].name)
	pack, _ := os.ReadFile(damaged)
	pack[0] ^= 0xff // the first (only) entry's first byte
	if err := os.WriteFile(damaged, pack, 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // the newer pack's name is later
	get()                             // made again into a newer pack; the damaged one was read, so it is the most recently used
	if calls != 2 {
		t.Fatalf("%d compressions, want the damaged entry made again", calls)
	}
	tidy(packRoot(t, c), tidyLimits{maxPacks: 1, smallPack: 1 << 20, maxBytes: 1 << 30})
	if packs := listPacks(packRoot(t, c)); len(packs) != 1 {
		t.Fatalf("after merging: %d packs, want 1", len(packs))
	}
	get()
	if calls != 2 {
		t.Errorf("after the merge: %d compressions, want 2 (the merged pack holds the entry made again)", calls)
	}
}
