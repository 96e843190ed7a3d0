package sitefiles

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

var epoch = time.Unix(1700000000, 0).UTC()

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func prepare(t *testing.T, in string, opts Options) (string, Stats) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "www")
	st, err := Prepare(in, out, opts)
	if err != nil {
		t.Fatalf("Prepare() error = %v", err)
	}
	return out, st
}

func listing(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		fi, _ := os.Lstat(p)
		out = append(out, rel+" "+fi.Mode().String()+" "+fi.ModTime().UTC().Format(time.RFC3339))
		return nil
	})
	return out
}

func TestPrepareLeavesOut(t *testing.T) {
	in := writeTree(t, map[string]string{
		"index.html": "home", "_headers": "/*\n", "_redirects": "/a /b\n", "Dockerfile": "spec", "layercake.lock": "{}",
		".env": "SECRET=1", ".git/config": "x", "blog/.hidden": "x", ".well-known/security.txt": "Contact: x",
		"blog/_headers": "kept: only the top one is the build's",
	})
	out, st := prepare(t, in, Options{Epoch: epoch, Exclude: []string{"_headers", "_redirects", "Dockerfile", "layercake.lock"}})
	var got []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(out, p)
		got = append(got, rel)
		return nil
	})
	want := []string{".", ".well-known", ".well-known/security.txt", "blog", "blog/_headers", "index.html"}
	if !slices.Equal(got, want) {
		t.Errorf("Prepare() wrote %q, want %q", got, want)
	}
	if st.Left != 7 {
		t.Errorf("Stats.Left = %d, want 7", st.Left)
	}
}

func TestPrepareTimesFollowContent(t *testing.T) {
	in := writeTree(t, map[string]string{"a.html": "hello", "b.html": "hellp", "sub/c.html": "hello"})
	out, _ := prepare(t, in, Options{Epoch: epoch})
	mtime := func(name string) time.Time {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime().UTC()
	}
	if !mtime("a.html").Equal(ContentTime([]byte("hello"))) || !mtime("a.html").Equal(mtime("sub/c.html")) {
		t.Errorf("same bytes got times %v and %v, want both %v", mtime("a.html"), mtime("sub/c.html"), ContentTime([]byte("hello")))
	}
	if mtime("a.html").Equal(mtime("b.html")) {
		t.Errorf("a same-size edit kept the time %v", mtime("a.html"))
	}
	if !mtime(".").Equal(epoch) || !mtime("sub").Equal(epoch) {
		t.Errorf("folders at %v and %v, want the epoch %v", mtime("."), mtime("sub"), epoch)
	}
	if y := mtime("a.html").Year(); y < 2001 || y > 2010 {
		t.Errorf("content time in %d, want 2001 to 2010", y)
	}
}

func TestPrepareDeterministic(t *testing.T) {
	in := writeTree(t, map[string]string{"index.html": strings.Repeat("<p>hello world</p>\n", 200), "x/app.js": strings.Repeat("let a = 1;\n", 300)})
	opts := Options{Epoch: epoch, Gzip: true, Brotli: true}
	a, _ := prepare(t, in, opts)
	os.Chtimes(filepath.Join(in, "index.html"), time.Now(), time.Now()) // another checkout
	os.Chmod(filepath.Join(in, "index.html"), 0o664)                    // another umask
	b, _ := prepare(t, in, opts)
	if la, lb := listing(t, a), listing(t, b); !slices.Equal(la, lb) {
		t.Errorf("two runs differ:\n%q\n%q", la, lb)
	}
	for _, f := range []string{"index.html.gz", "index.html.br", "x/app.js.gz", "x/app.js.br"} {
		da, _ := os.ReadFile(filepath.Join(a, f))
		db, _ := os.ReadFile(filepath.Join(b, f))
		if len(da) == 0 || !bytes.Equal(da, db) {
			t.Errorf("%s differs between runs or is missing (%d, %d bytes)", f, len(da), len(db))
		}
	}
}

func TestPrepareCompresses(t *testing.T) {
	page := strings.Repeat("<p>compress me</p>\n", 100)
	in := writeTree(t, map[string]string{
		"index.html": page, "tiny.css": "a{}", "photo.jpg": page, "own.css": page, "own.css.gz": "the site's own",
	})
	out, st := prepare(t, in, Options{Epoch: epoch, Gzip: true, Brotli: true})
	gz, err := os.ReadFile(filepath.Join(out, "index.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); string(plain) != page || zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("index.html.gz decodes to %d bytes (name %q, time %v), want the page with no name or time", len(plain), zr.Name, zr.ModTime)
	}
	br, _ := os.ReadFile(filepath.Join(out, "index.html.br"))
	if plain, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); string(plain) != page {
		t.Errorf("index.html.br decodes to %d bytes, want the page", len(plain))
	}
	for _, f := range []string{"tiny.css.gz", "photo.jpg.gz", "photo.jpg.br"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s written; small and already-compressed files need none", f)
		}
	}
	if own, _ := os.ReadFile(filepath.Join(out, "own.css.gz")); string(own) != "the site's own" {
		t.Errorf("own.css.gz = %q, want the site's own file kept", own)
	}
	if st.Gzip != 1 || st.Brotli != 2 {
		t.Errorf("Stats = %+v, want 1 .gz and 2 .br", st)
	}
}

func TestPrepareLinks(t *testing.T) {
	in := writeTree(t, map[string]string{"posts/a.html": "A", "docs/index.html": "D"})
	os.Symlink("posts/a.html", filepath.Join(in, "latest.html"))
	os.Symlink("docs", filepath.Join(in, "manual"))
	out, st := prepare(t, in, Options{Epoch: epoch})
	for name, want := range map[string]string{"latest.html": "A", "manual/index.html": "D"} {
		fi, err := os.Lstat(filepath.Join(out, name))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v, %v; want a regular file", name, fi, err)
			continue
		}
		if got, _ := os.ReadFile(filepath.Join(out, name)); string(got) != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if st.Links != 2 {
		t.Errorf("Stats.Links = %d, want 2", st.Links)
	}
}

func TestPrepareRefusesEscapesAndCycles(t *testing.T) {
	for _, tt := range []struct {
		name  string
		links [][2]string // path, target
		want  string
	}{
		{"absolute", [][2]string{{"passwd", "/etc/passwd"}}, "passwd: a link to /etc/passwd, which is not a file or folder inside the site"},
		{"upwards", [][2]string{{"sub/up2", "../../etc/passwd"}}, "sub/up2: a link to ../../etc/passwd"},
		{"through a link", [][2]string{{"sub/top", "../sub"}, {"sub/esc", "top/../../etc/passwd"}}, "sub/esc: a link to top/../../etc/passwd"},
		{"cycle", [][2]string{{"sub/up", ".."}}, "sub/up: a link leads back into a folder that contains it"},
		{"dangling", [][2]string{{"gone.html", "nowhere.html"}}, "gone.html: a link to nowhere.html"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := writeTree(t, map[string]string{"sub/a.html": "A"})
			for _, l := range tt.links {
				if err := os.Symlink(l[1], filepath.Join(in, filepath.FromSlash(l[0]))); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Prepare(in, filepath.Join(t.TempDir(), "www"), Options{Epoch: epoch})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Prepare() error = %v, want %q", err, tt.want)
			}
		})
	}
}

// A site folder given as a link gets the qualities of the folder itself:
// its compressible bytes are counted through the link.
func TestPrepareSiteThroughLink(t *testing.T) {
	in := writeTree(t, map[string]string{"big.json": string(textOfSize(4 << 20)), "index.html": strings.Repeat("<p>x</p>\n", 100)})
	link := filepath.Join(t.TempDir(), "public")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	opts := Options{Epoch: epoch, Gzip: true, Brotli: true}
	_, direct := prepare(t, in, opts)
	_, linked := prepare(t, link, opts)
	if direct.BrotliQuality >= 10 || linked != direct {
		t.Errorf("through a link: %v\ndirect: %v; want the same, below quality 10", linked, direct)
	}
}
