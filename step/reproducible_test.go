package step

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The input digest follows the sources' bytes, the command and the
// environment, but not the cache folders (a warm cache is no new input).
func TestInputDigest(t *testing.T) {
	src := t.TempDir()
	writeTree(t, src, map[string]string{"a.md": "# a", ".cache/x": "1"})
	digest := func() string {
		d, err := inputDigest([]string{"hugo"}, []string{"B=2", "A=1"}, src, filepath.Join(src, "no-status"), src, []string{filepath.Join(src, ".cache")})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	first := digest()
	writeTree(t, src, map[string]string{".cache/x": "2", ".cache/y": "3"})
	if got := digest(); got != first {
		t.Errorf("digest changed with the cache folder: %s, want %s", got, first)
	}
	writeTree(t, src, map[string]string{"a.md": "# b"})
	if got := digest(); got == first {
		t.Errorf("digest did not change with a source's bytes")
	}
	d1, _ := inputDigest([]string{"hugo"}, []string{"A=1", "B=2", "TRACEPARENT=00-2d2f-01", "LAYERCAKE_RERUN=a"}, src, "", src, nil)
	d2, _ := inputDigest([]string{"hugo"}, []string{"B=2", "A=1", "TRACEPARENT=00-3e62-01", "LAYERCAKE_RERUN=b"}, src, "", src, nil)
	d3, _ := inputDigest([]string{"hugo", "--minify"}, []string{"B=2", "A=1"}, src, "", src, nil)
	if d1 != d2 || d1 == d3 {
		t.Errorf("digests %s %s %s: want the environment's order, BuildKit's trace context and the rerun nonce not to count, and argv to", d1, d2, d3)
	}
}

// The first run records; a second run of the same key compares and names
// the changed, added and removed files, the first shownDiffs of them.
func TestCompareRun(t *testing.T) {
	runs, out := t.TempDir(), t.TempDir()
	files := map[string]string{"index.html": "same", "feed.xml": "t=1", "gone.html": "x"}
	for i := range 12 {
		files[filepath.Join("posts", string(rune('a'+i))+".html")] = "v1"
	}
	writeTree(t, out, files)
	r, err := compareRun(runs, "k", out, "step 2")
	if err != nil || r.Count != 0 {
		t.Fatalf("first run: %+v, %v; want nothing to report", r, err)
	}
	if again, _ := compareRun(runs, "k", out, "step 2"); again.Count != 0 {
		t.Fatalf("same output: %+v, want nothing to report", again)
	}
	os.Remove(filepath.Join(out, "gone.html"))
	changed := map[string]string{"feed.xml": "t=2", "new\nline.html": "n"}
	for i := range 12 {
		changed[filepath.Join("posts", string(rune('a'+i))+".html")] = "v2"
	}
	writeTree(t, out, changed)
	r, err = compareRun(runs, "k", out, "step 2")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"feed.xml", "gone.html", "new\nline.html", "posts/a.html", "posts/b.html", "posts/c.html", "posts/d.html", "posts/e.html", "posts/f.html", "posts/g.html"}
	if r.Count != 15 || !slices.Equal(r.Files, want) {
		t.Errorf("report = %+v, want 15 files, first %q", r, want)
	}
	msg := r.message(`step 2, "hugo",`)
	if !strings.Contains(msg, `"new\nline.html"`) || !strings.Contains(msg, "and 5 more") || strings.Count(msg, "\n") != 0 {
		t.Errorf("message = %q, want one line naming the files", msg)
	}
	if other, _ := compareRun(runs, "other", out, ""); other.Count != 0 {
		t.Errorf("another key compared with this one's run: %+v", other)
	}
}

// Only the newest manifests are kept.
func TestPruneRuns(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		p := filepath.Join(dir, string(rune('a'+i))+".json")
		writeTree(t, dir, map[string]string{filepath.Base(p): "[]"})
		os.Chtimes(p, fixedTime(i), fixedTime(i))
	}
	pruneRuns(dir, 2)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"d.json", "e.json"}) {
		t.Errorf("kept %q, want the newest two", names)
	}
}

// The pinned clock preloads libfaketime before the spec's own preload,
// stops the wall clock at SOURCE_DATE_EPOCH and leaves the monotonic clock
// running; a FAKETIME the spec sets wins.
func TestPinnedClock(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "x86_64-linux-gnu", "faketime", "libfaketime.so.1")
	writeTree(t, filepath.Dir(lib), map[string]string{"libfaketime.so.1": ""})
	glob := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(lib))), "*", "faketime", "libfaketime.so.1")
	env, err := pinnedClock([]string{"SOURCE_DATE_EPOCH=1735689600", "LD_PRELOAD=/x.so"}, glob)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LD_PRELOAD=" + lib + ":/x.so", "FAKETIME=1735689600", "FAKETIME_FMT=%s", "FAKETIME_DONT_FAKE_MONOTONIC=1", "HUGO_CLOCK=2025-01-01T00:00:00Z"} {
		if !slices.Contains(env, want) {
			t.Errorf("env = %q, want %s", env, want)
		}
	}
	env, _ = pinnedClock([]string{"SOURCE_DATE_EPOCH=1", "FAKETIME=+1d", "HUGO_CLOCK=2030-01-01T00:00:00Z"}, glob)
	if !slices.Contains(env, "FAKETIME=+1d") || slices.Contains(env, "FAKETIME=1") || !slices.Contains(env, "HUGO_CLOCK=2030-01-01T00:00:00Z") || len(env) != 4 {
		t.Errorf("env = %q, want the spec's FAKETIME and HUGO_CLOCK kept", env)
	}
	if _, err := pinnedClock([]string{"SOURCE_DATE_EPOCH=1"}, filepath.Join(t.TempDir(), "*.so")); err == nil {
		t.Error("pinnedClock without libfaketime succeeded, want an error")
	}
}

func fixedTime(i int) time.Time { return time.Unix(1700000000+int64(i)*60, 0) }
