package integration

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// servingSpec serves the whole context (site.dir: .), so the spec, the lock
// and the rule files sit in the web root and must still never be served.
const servingSpec = `# syntax=%s
version: 1
debian:
  suite: trixie
server:
  port: %d
  headers:
    X-Content-Type-Options: nosniff
  include:
    location: [feed-cors.conf]
  health: /healthz
  ipv6: true
site:
  dir: .
`

// feedCORS is the seed blog's snippet: a nested location answering CORS
// preflights for the feed.
const feedCORS = `location = /feed.xml {
    if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin "*";
        add_header Access-Control-Allow-Methods "GET, OPTIONS";
        add_header Access-Control-Max-Age 86400;
        return 204;
    }
    add_header Access-Control-Allow-Origin "*";
}
`

// servingSite writes the test site: pages, a fingerprinted stylesheet big
// enough to compress, dotfiles, a link, and Netlify-style rule files.
func (e *environment) servingSite(t *testing.T, port int) string {
	t.Helper()
	dir := t.TempDir()
	css := strings.Repeat(".card { margin: 0 auto; padding: 1rem; color: #333; }\n", 200)
	for name, content := range map[string]string{
		"Dockerfile":               fmt.Sprintf(servingSpec, e.frontend, port),
		"layercake.lock":           string(e.lock(t)),
		"feed-cors.conf":           feedCORS,
		"index.html":               "<h1>Home version A</h1>\n" + strings.Repeat("<p>filler text for compression</p>\n", 40),
		"docs/index.html":          "<h1>Docs</h1>\n",
		"empty/readme.txt":         "a folder with no index\n",
		"manual/readme.txt":        "a folder with no index, and a rule for its path\n",
		"app.webmanifest":          "{\"name\": \"blog\"}\n",
		"404.html":                 "<h1>Not here</h1>\n",
		"feed.xml":                 "<rss></rss>\n",
		"new.html":                 "<h1>New</h1>\n",
		"kept.html":                "<h1>Kept: a file shadows the rule</h1>\n",
		"assets/site.6543a935.css": css,
		"assets/plain.css":         css,
		".env":                     "SECRET=1\n",
		".git/config":              "[core]\n",
		".well-known/security.txt": "Contact: mailto:security@example.org\n",
		"_headers":                 "/*\n  X-Frame-Options: DENY\n/docs/*\n  Cache-Control: public, max-age=60\n",
		"_redirects":               "# moved pages\n/old /docs/\n/news/:year/* /blog/:year/:splat 302\n/kept.html /new.html\n/forced.html /new.html 307!\n/app/* /index.html 200\n/gone/* /nothere.html 200\n/manual/ /docs/ 302\n",
		"forced.html":              "<h1>Shadowed by a forced rule</h1>\n",
	} {
		write(t, dir, name, content)
	}
	if err := os.Symlink("docs/index.html", filepath.Join(dir, "latest.html")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// response is what a request got.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request without following redirects or decoding bodies.
func do(t *testing.T, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// TestServingLikeStaticHosts builds a site served from the whole context
// and checks, over HTTP, every default and rule a static host applies.
func TestServingLikeStaticHosts(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	im := e.push(t, build{dir: e.servingSite(t, p)}, "serving", "hosts")
	c := e.runImage(t, im, p)
	base := fmt.Sprintf("http://127.0.0.1:%d", p)
	checkServing(t, base)
	if r := do(t, "GET", fmt.Sprintf("http://[::1]:%d/", p), nil); r.status != 200 {
		t.Errorf("GET / over IPv6 (server.ipv6: true) = %d, want 200", r.status)
	}
	time.Sleep(500 * time.Millisecond) // let nginx flush its access log
	if out := c.output.String(); strings.Contains(out, "/healthz") || !strings.Contains(out, "GET /missing") {
		t.Errorf("access log has the health check, or lacks other requests:\n%s", tail(out, 40))
	}
}

// checkServing asks the running servingSite image at base for everything a
// static host does, and every encoding.
func checkServing(t *testing.T, base string) {
	t.Helper()
	for _, tt := range []struct {
		method, path string
		status       int
		header       map[string]string // want these response headers ("" means absent)
		body         string            // want the body to contain this
	}{
		// relative redirects, whatever port the client used
		{"GET", "/docs", 301, map[string]string{"Location": "/docs/"}, ""},
		{"GET", "/docs/", 200, map[string]string{"Cache-Control": "public, max-age=60"}, "<h1>Docs</h1>"}, // _headers overrides
		// a folder without an index is not found, with the site's page
		{"GET", "/empty/", 404, map[string]string{"Cache-Control": ""}, "Not here"},
		{"GET", "/missing", 404, map[string]string{"X-Content-Type-Options": "nosniff"}, "Not here"},
		// dotfiles, the build's files and the rule files are never served
		{"GET", "/.env", 404, nil, "Not here"},
		{"GET", "/.git/config", 404, nil, "Not here"},
		{"GET", "/.well-known/security.txt", 200, nil, "Contact:"},
		{"GET", "/Dockerfile", 404, nil, ""},
		{"GET", "/layercake.lock", 404, nil, ""},
		{"GET", "/_headers", 404, nil, ""},
		{"GET", "/_redirects", 404, nil, ""},
		{"GET", "/feed-cors.conf", 200, nil, ""}, // any other file of the context is the site's
		// headers: the spec's, _headers', and the cache policy
		{"GET", "/", 200, map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-cache"}, "Home version A"},
		{"GET", "/assets/site.6543a935.css", 200, map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Content-Type": "text/css"}, ".card"},
		{"GET", "/assets/plain.css", 200, map[string]string{"Cache-Control": "no-cache"}, ".card"},
		// a link inside the site is served as a copy of its target
		{"GET", "/latest.html", 200, nil, "<h1>Docs</h1>"},
		// health: 204, and (below) no access-log line
		{"GET", "/healthz", 204, nil, ""},
		// _redirects: placeholders, splat, query kept, shadowing, force, rewrite
		{"GET", "/old", 301, map[string]string{"Location": "/docs/"}, ""},
		{"GET", "/news/2024/a/b?x=1", 302, map[string]string{"Location": "/blog/2024/a/b?x=1"}, ""},
		{"GET", "/kept.html", 200, nil, "a file shadows the rule"},
		{"GET", "/forced.html", 307, map[string]string{"Location": "/new.html"}, ""},
		{"GET", "/app/deep/link", 200, nil, "Home version A"},
		{"GET", "/gone/x", 404, nil, "Not here"}, // a rewrite to nothing is not found, not a loop
		// pretty URLs: /page is page.html, as on GitHub Pages and Netlify
		{"GET", "/new", 200, nil, "<h1>New</h1>"},
		{"GET", "/new.html", 200, nil, "<h1>New</h1>"},
		{"GET", "/docs/index.html", 200, nil, "<h1>Docs</h1>"},
		// a rule fires where only a folder without an index is
		{"GET", "/manual/", 302, map[string]string{"Location": "/docs/"}, ""},
		{"GET", "/manual", 301, map[string]string{"Location": "/manual/"}, ""},
		// current web formats get their types
		{"GET", "/app.webmanifest", 200, map[string]string{"Content-Type": "application/manifest+json"}, "blog"},
		// the seed blog's CORS snippet, nested in location /
		{"OPTIONS", "/feed.xml", 204, map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS"}, ""},
		{"GET", "/feed.xml", 200, map[string]string{"Access-Control-Allow-Origin": "*"}, "<rss>"},
	} {
		r := do(t, tt.method, base+tt.path, nil)
		if r.status != tt.status || !bytes.Contains(r.body, []byte(tt.body)) {
			t.Errorf("%s %s = %d, body %q; want %d, body containing %q", tt.method, tt.path, r.status, trim(string(r.body)), tt.status, tt.body)
		}
		for k, v := range tt.header {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s %s: %s = %q, want %q", tt.method, tt.path, k, got, v)
			}
		}
	}
	checkEncodings(t, base)
}

// checkEncodings asks for every encoding and compares the decoded bytes.
func checkEncodings(t *testing.T, base string) {
	t.Helper()
	for _, path := range []string{"/assets/site.6543a935.css", "/"} {
		plain := do(t, "GET", base+path, nil)
		if plain.header.Get("Content-Encoding") != "" || plain.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET %s identity: Content-Encoding %q, Vary %q; want none and Accept-Encoding", path, plain.header.Get("Content-Encoding"), plain.header.Get("Vary"))
		}
		for _, tt := range []struct{ accept, want string }{
			{"gzip", "gzip"}, {"br", "br"}, {"br, gzip", "br"}, {"gzip, deflate, br, zstd", "br"}, {"deflate", ""}, {"identity", ""},
			{"br;q=0, gzip", "gzip"}, {"gzip;q=0, br;q=0", ""}, // q=0 refuses an encoding
		} {
			r := do(t, "GET", base+path, map[string]string{"Accept-Encoding": tt.accept})
			got := r.header.Get("Content-Encoding")
			if got != tt.want || r.header.Get("Vary") != "Accept-Encoding" {
				t.Errorf("GET %s with Accept-Encoding %q: Content-Encoding %q, Vary %q; want %q and Accept-Encoding", path, tt.accept, got, r.header.Get("Vary"), tt.want)
				continue
			}
			if decoded := decode(t, got, r.body); !bytes.Equal(decoded, plain.body) {
				t.Errorf("GET %s with %q: decoded %d bytes differ from the %d identity bytes", path, tt.accept, len(decoded), len(plain.body))
			}
			if got != "" && len(r.body) >= len(plain.body)/2 {
				t.Errorf("GET %s with %q: %d bytes for %d uncompressed", path, tt.accept, len(r.body), len(plain.body))
			}
		}
	}
}

func decode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s body: %v", enc, err)
	}
	return out
}

// TestValidatorsFollowContent edits a page without changing its size and
// rebuilds: the old ETag and Last-Modified must get 200 with the new bytes,
// an untouched page keeps its validators (304), and one site layer changes.
func TestValidatorsFollowContent(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.servingSite(t, p)
	first := e.push(t, build{dir: dir}, "serving", "before")
	base := fmt.Sprintf("http://127.0.0.1:%d", p)
	c := e.runImage(t, first, p)
	home, docs := do(t, "GET", base+"/", nil), do(t, "GET", base+"/docs/", nil)
	c.stop(e)

	write(t, dir, "index.html", strings.Replace(string(home.body), "version A", "version B", 1)) // same size
	second := e.push(t, build{dir: dir}, "serving", "after")
	e.runImage(t, second, p)
	for _, cond := range []map[string]string{
		{"If-None-Match": home.header.Get("ETag")},
		{"If-Modified-Since": home.header.Get("Last-Modified")},
	} {
		r := do(t, "GET", base+"/", cond)
		if r.status != 200 || !strings.Contains(string(r.body), "version B") {
			t.Errorf("GET / with %v after a same-size edit = %d %q, want 200 and the new page", cond, r.status, trim(string(r.body)))
		}
	}
	if r := do(t, "GET", base+"/", nil); r.header.Get("ETag") == home.header.Get("ETag") || len(r.body) != len(home.body) {
		t.Errorf("ETag %s after the edit, before %s (sizes %d, %d); want a new ETag for the same size", r.header.Get("ETag"), home.header.Get("ETag"), len(r.body), len(home.body))
	}
	for _, cond := range []map[string]string{
		{"If-None-Match": docs.header.Get("ETag")},
		{"If-Modified-Since": docs.header.Get("Last-Modified")},
	} {
		if r := do(t, "GET", base+"/docs/", cond); r.status != 304 {
			t.Errorf("GET /docs/ (untouched) with %v = %d, want 304", cond, r.status)
		}
	}
	if got := changedLayers(t, first, second); len(got) != 1 || !strings.Contains(got[0], "site text") {
		t.Errorf("a page edit changed layers %q, want one site text layer:\n%s", got, layerTable(first, second))
	}
}

// TestEngineServing: `docker build` on each of Docker Engine's image stores
// (the classic one joins layers with copies) and `docker run`, hardened, give
// the same serving behaviour, validators and encodings included.
func TestEngineServing(t *testing.T) {
	e := need(t)
	t.Parallel()
	e.eachStore(t, func(t *testing.T, d *dockerd) {
		store := d.store
		p := port(t)
		dir := e.servingSite(t, p)
		ref := "serving-" + store + ":test"
		d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", "DEBIAN_MIRROR="+e.mirror, "-t", ref, ".")
		name := fmt.Sprintf("lc-serving-%s-%d", store, p)
		base := d.runServing(t, name, ref, p, "--read-only", "--tmpfs", "/tmp",
			"--cap-drop", "ALL", "--security-opt", "no-new-privileges")
		checkServing(t, base)
		home := do(t, "GET", base+"/", nil)
		if lm, err := http.ParseTime(home.header.Get("Last-Modified")); err != nil || lm.Year() < 2001 || lm.Year() > 2010 {
			t.Errorf("%s store: Last-Modified %q, want a content-derived time (2001 to 2010)", store, home.header.Get("Last-Modified"))
		}
	})
}
