package sitefiles

import (
	"bytes"
	"crypto/sha256"
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
	data := []byte(strings.Repeat("<p>page</p>\n", 100))
	sum := sha256.Sum256(data)
	calls := 0
	gz := func(b []byte) ([]byte, error) { calls++; return Gzip(b) }
	first, err := c.get(sum, "gz", data, gz)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.get(sum, "gz", data, gz)
	if err != nil || !bytes.Equal(first, second) || calls != 1 {
		t.Errorf("second get: %d compressions, same bytes %v, error %v; want one compression", calls, bytes.Equal(first, second), err)
	}
	if _, err := c.get(sum, "br11", data, func(b []byte) ([]byte, error) { calls++; return Brotli(b, 11) }); err != nil || calls != 2 {
		t.Errorf("another encoding of the same bytes: %d compressions, error %v; want its own", calls, err)
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
	again, err := c.get(sum, "gz", data, gz)
	if err != nil || !bytes.Equal(again, first) || calls != 3 {
		t.Errorf("after damage: %d compressions, same bytes %v, error %v; want it made again", calls, bytes.Equal(again, first), err)
	}

	var none *VariantCache
	if out, err := none.get(sum, "gz", data, gz); err != nil || !bytes.Equal(out, first) || calls != 4 {
		t.Errorf("nil cache: error %v, %d compressions", err, calls)
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
