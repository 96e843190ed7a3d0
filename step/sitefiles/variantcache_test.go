package sitefiles

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
		t.Errorf("second get: %d compressions, same bytes %v; want one compression", calls, bytes.Equal(first, second))
	}
	get(c, "br11", func(w io.Writer, r io.Reader) error { calls++; return BrotliStream(w, r, 11) })
	if calls != 2 {
		t.Errorf("another encoding of the same bytes: %d compressions; want its own", calls)
	}

	entries, _ := filepath.Glob(filepath.Join(c.dir, "*", "*.gz.*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %q, want one gzip entry", entries)
	}
	entry, _ := os.ReadFile(entries[0])
	entry[len(entry)-1] ^= 0xff
	if err := os.WriteFile(entries[0], entry, 0o644); err != nil {
		t.Fatal(err)
	}
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 3 {
		t.Errorf("after damage: %d compressions, same bytes %v; want it made again", calls, bytes.Equal(again, first))
	}
	if err := os.WriteFile(entries[0], entry[:len(entry)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if again := get(c, "gz", gz); !bytes.Equal(again, first) || calls != 4 {
		t.Errorf("after truncation: %d compressions, same bytes %v; want it made again", calls, bytes.Equal(again, first))
	}
	if out := get(nil, "gz", gz); !bytes.Equal(out, first) || calls != 5 {
		t.Errorf("nil cache: %d compressions, same bytes %v", calls, bytes.Equal(out, first))
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
