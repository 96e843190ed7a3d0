package sitefiles

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readTree lists every entry below root with its mode, time and bytes.
func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		v := fmt.Sprintf("%v %d", fi.Mode(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += " " + string(b)
		}
		out[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The number of workers changes nothing that is written: one worker and
// many give the same names, modes, times and bytes (and counts), with and
// without a variant cache, for a tree big enough to take quality 6 and
// with files on both sides of MinCompressSize.
func TestPrepareSameWithAnyWorkers(t *testing.T) {
	files := map[string]string{"tiny.css": "a{}", "photo.jpg": string(htmlOfSize(50_000))}
	n := 24
	if testing.Short() || raceEnabled {
		n = 12
	}
	for i := range n {
		files[fmt.Sprintf("guide/ch%d/page-%02d.html", i%5, i)] = string(htmlOfSize(8_000 + i*1_500))
	}
	files["assets/search.json"] = string(textOfSize(900_000)) // the tree takes quality 6
	in := writeTree(t, files)
	var first map[string]string
	var firstSt Stats
	for _, run := range []struct {
		workers int
		cache   bool
	}{{1, false}, {8, false}, {3, true}, {8, true}, {0, true}} {
		opts := Options{Epoch: epoch, Gzip: true, Brotli: true, Workers: run.workers}
		if run.cache {
			opts.Cache = NewVariantCache(t.TempDir())
		}
		out, st := prepare(t, in, opts)
		got := readTree(t, out)
		if first == nil {
			first, firstSt = got, st
			if st.Gzip != n+1 || st.Brotli != n+1 {
				t.Fatalf("Stats = %+v, want %d .gz and .br", st, n+1)
			}
			continue
		}
		if st != firstSt {
			t.Errorf("%d workers (cache %v): Stats = %+v, want %+v as with one", run.workers, run.cache, st, firstSt)
		}
		for name, v := range first {
			if got[name] != v {
				t.Errorf("%d workers (cache %v): %s differs from one worker's", run.workers, run.cache, name)
			}
		}
		if len(got) != len(first) {
			t.Errorf("%d workers (cache %v): %d entries, want %d", run.workers, run.cache, len(got), len(first))
		}
	}
}

// When variants fail, the error names the first file in walk order,
// whatever the workers and whichever finished first.
func TestPrepareFirstErrorInWalkOrder(t *testing.T) {
	files := map[string]string{}
	for i := range 16 {
		files[fmt.Sprintf("p%02d.html", i)] = strings.Repeat(fmt.Sprintf("<p>page %d</p>\n", i), 100+i*50)
	}
	in := writeTree(t, files)
	notADir := filepath.Join(t.TempDir(), "cache")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 8, 8, 8} {
		_, err := Prepare(in, filepath.Join(t.TempDir(), "www"), Options{
			Epoch: epoch, Gzip: true, Brotli: true, Workers: workers, Cache: NewVariantCache(notADir),
		})
		if err == nil || !strings.HasPrefix(err.Error(), "p00.html: gzip: storing a compressed variant in the cache") {
			t.Errorf("%d workers: Prepare() error = %v, want p00.html's gzip error first", workers, err)
		}
	}
}

// The pool never runs more jobs at once than it has workers.
func TestCompressPoolBounded(t *testing.T) {
	c := newCompressPool(3)
	var running, peak int
	var mu = make(chan struct{}, 1)
	var st variantStats
	for i := range 40 {
		err := c.run(func() (int64, error) {
			mu <- struct{}{}
			running++
			peak = max(peak, running)
			<-mu
			b := bytes.Repeat([]byte{byte(i)}, 1<<16)
			_, err := Gzip(b, 6)
			mu <- struct{}{}
			running--
			<-mu
			return int64(i), err
		}, &st)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := c.wait(nil); err != nil {
		t.Fatal(err)
	}
	if peak > 3 || peak < 1 {
		t.Errorf("peak of %d jobs at once, want at most 3 with 3 workers", peak)
	}
	if st.n != 39 || st.bytes != 39*40/2 {
		t.Errorf("stats = %+v, want 39 kept (job 0 kept nothing) of %d bytes", st, 39*40/2)
	}
	if d := newCompressPool(0); cap(d.slots) < 1 || cap(d.slots) > MaxWorkers {
		t.Errorf("default workers = %d, want 1 to %d", cap(d.slots), MaxWorkers)
	}
}
