package integration

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/layercake-build/layercake/llbgen"
)

// hostileSpec is the spec of the hostile sites: a prebuilt site in public/,
// headers on every response, a health check.
const hostileSpec = `# syntax=%s
version: 1
debian:
  suite: trixie
server:
  port: %d
  headers:
    X-Content-Type-Options: nosniff
    Referrer-Policy: no-referrer
  health: /healthz
site:
  dir: public
`

// hostileServerHeaders are hostileSpec's server.headers: on every response.
var hostileServerHeaders = map[string]string{
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
}

// hostileRedirects are rules whose captures a client fills with whatever
// bytes it likes: CR and LF, backslashes, tabs, slashes.
const hostileRedirects = `# issue 16: rules a hostile client aims at
/u/:name        /users/:name              301!
/news/:year/*   /archive/:year/:splat     301
/to/:name       /:name                    301
/a              /b#top                    301
`

// hostileHeaders are rules that must hold however the client spells the path.
const hostileHeaders = `# issue 16
/admin/*
  X-Frame-Options: DENY
  Content-Security-Policy: default-src 'self'
/café/*
  X-Cafe: yes
/raw/*
  Content-Type: text/plain; charset=utf-8
`

// hostileCSS is big enough to be precompressed (256 bytes or more).
var hostileCSS = strings.Repeat(".hostile { margin: 0 auto; padding: 1rem; color: #333; }\n", 300)

// hostileSite writes a build context: the spec, the run's lock and the
// site's files under public/.
func (e *environment) hostileSite(t *testing.T, port int, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf(hostileSpec, e.frontend, port))
	write(t, dir, "layercake.lock", string(e.lock(t)))
	for name, content := range files {
		write(t, dir, "public/"+name, content)
	}
	return dir
}

// hostileServer is a running hostile site on the host's loopback.
type hostileServer struct {
	addr string // 127.0.0.1:PORT
	// d and name are the engine and the container, for what a failure
	// shows of the served files (see files).
	d    *dockerd
	name string
}

// files says, for a failure message, which of the web root's paths the
// container holds (`docker cp` needs no shell in the image), and what nginx
// last logged: it tells an image that lacks a file from a server that did
// not pick it.
func (s hostileServer) files(paths ...string) string {
	var b strings.Builder
	for _, p := range paths {
		out, err := s.d.docker(context.Background(), "", "cp", s.name+":"+path.Join(llbgen.WebRoot, p), "-")
		if err != nil {
			fmt.Fprintf(&b, "  %s: %v\n", p, err)
		} else {
			fmt.Fprintf(&b, "  %s: in the image (%d bytes of tar)\n", p, len(out))
		}
	}
	logs, _ := s.d.docker(context.Background(), "", "logs", "--tail", "20", s.name)
	return b.String() + "nginx's last lines:\n" + logs
}

// get sends target byte for byte and checks what every response must be:
// a well-formed header block with the spec's headers, each once.
func (s hostileServer) get(t *testing.T, target string, extra ...string) *rawResponse {
	t.Helper()
	r := s.fetch(t, target, extra...)
	for name, want := range hostileServerHeaders {
		if got := r.values(name); len(got) != 1 || got[0] != want {
			t.Errorf("GET %q %q = %d: %s = %q, want [%q] (server.headers go on every response, once)", target, extra, r.status, name, got, want)
		}
	}
	return r
}

// fetch is get checking only that the header block is well-formed, for
// subtests about one thing that checkEveryResponse covers otherwise.
func (s hostileServer) fetch(t *testing.T, target string, extra ...string) *rawResponse {
	t.Helper()
	r, err := rawGet(s.addr, target, extra...)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.malformed) > 0 {
		t.Errorf("GET %q %q: malformed header block:\n%s", target, extra, r)
	}
	return r
}

// runHostile builds the site in dir with `docker build` on the engine's
// classic store and runs it hardened on the host network.
func (e *environment) runHostile(t *testing.T, d *dockerd, variant, dir string, port int) hostileServer {
	t.Helper()
	ref := "hostile-" + variant + ":test"
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", "DEBIAN_MIRROR="+e.mirror, "-t", ref, ".")
	name := fmt.Sprintf("lc-hostile-%s-%d", variant, port)
	d.runServing(t, name, ref, port, "--read-only", "--tmpfs", "/tmp",
		"--cap-drop", "ALL", "--security-opt", "no-new-privileges")
	return hostileServer{addr: fmt.Sprintf("127.0.0.1:%d", port), d: d, name: name}
}

// TestHostileRequests (issue 16) sends raw requests that try to inject
// headers, redirect off the site, dodge _headers rules or confuse ranges
// and encodings, to real containers started by Docker Engine with the
// hardened flags, and reads the answers byte by byte. One site carries
// most rules; one redirects a prefix's splat to the root (/go/* /:splat);
// one has no 404.html, where a catch-all redirect used to catch the error
// page too.
func TestHostileRequests(t *testing.T) {
	e := need(t)
	t.Parallel()
	d := e.engine(t, storeClassic)
	t.Run("rules", func(t *testing.T) {
		t.Parallel()
		p := port(t)
		dir := e.hostileSite(t, p, map[string]string{
			"index.html":       "<h1>Hostile home</h1>\n",
			"page.html":        "<h1>A page</h1>\n",
			"404.html":         "<h1>Hostile not found</h1>\n",
			"admin/index.html": "<h1>Admin</h1>\n",
			"café/index.html":  "<h1>Café</h1>\n",
			"raw/file.html":    "<h1>shown as text</h1>\n",
			"big.css":          hostileCSS,
			".env":             "SECRET=1\n",
			"_headers":         hostileHeaders,
			"_redirects":       hostileRedirects,
		})
		s := e.runHostile(t, d, "rules", dir, p)
		t.Run("crlf-in-captures", func(t *testing.T) { checkNoHeaderInjection(t, s) })
		t.Run("open-redirect", func(t *testing.T) { checkNoOpenRedirect(t, s, "/to/") })
		t.Run("headers-on-path-spellings", func(t *testing.T) { checkHeadersOnSpellings(t, s) })
		t.Run("headers-on-utf8-path", func(t *testing.T) { checkHeadersOnUTF8(t, s) })
		t.Run("content-type-override", func(t *testing.T) { checkContentTypeOverride(t, s) })
		t.Run("range-on-precompressed", func(t *testing.T) { checkRangeEncodings(t, s) })
		t.Run("query-before-fragment", func(t *testing.T) { checkQueryBeforeFragment(t, s) })
		t.Run("every-response", func(t *testing.T) { checkEveryResponse(t, s) })
		t.Run("sanity", func(t *testing.T) { checkHostileSanity(t, s) })
	})
	// /go/* /:splat never loops (each hop drops a /go), and sites moving
	// off a prefix (/en/* /:splat) write it; it gets a site of its own so a
	// build that refuses it hides none of the other cases.
	t.Run("splat-to-root", func(t *testing.T) {
		t.Parallel()
		p := port(t)
		dir := e.hostileSite(t, p, map[string]string{
			"index.html":      "<h1>Home</h1>\n",
			"docs/index.html": "<h1>Docs</h1>\n",
			"404.html":        "<h1>Hostile not found</h1>\n",
			"_redirects":      "# the prefix /go/ is gone\n/go/* /:splat 301\n",
		})
		s := e.runHostile(t, d, "splat", dir, p)
		for target, want := range map[string]string{"/go/docs/": "/docs/", "/go/go/docs/?x=1": "/go/docs/?x=1"} {
			if r := s.get(t, target); r.status != 301 || r.get("Location") != want {
				t.Errorf("GET %q = %d, Location %q; want 301, %q", target, r.status, r.get("Location"), want)
			}
		}
		checkNoOpenRedirect(t, s, "/go/")
	})
	t.Run("no-404-page", func(t *testing.T) {
		t.Parallel()
		p := port(t)
		dir := e.hostileSite(t, p, map[string]string{
			"index.html":       "<h1>Home</h1>\n",
			"posts/hello.html": "<h1>Hello</h1>\n",
			"_redirects":       "# every one-segment path moved under /posts/\n/:slug /posts/:slug 301\n",
		})
		s := e.runHostile(t, d, "no404", dir, p)
		checkNoErrorPageLoop(t, s)
	})
}

// checkNoHeaderInjection: a CR LF (or a lone LF) decoded into a capture
// must not reach the Location header as a line break; the target keeps it
// percent-encoded. A splat may also not match a line break at all (404).
func checkNoHeaderInjection(t *testing.T, s hostileServer) {
	for _, tt := range []struct {
		target, prefix, suffix string
		or404                  bool
	}{
		{"/u/x%0d%0aSet-Cookie:%20pwned=1", "/users/x", "", false},
		{"/u/x%0D%0ASet-Cookie:%20pwned=1", "/users/x", "", false},
		{"/u/x%0aSet-Cookie:%20pwned=1", "/users/x", "", false},
		{"/news/2024/a%0d%0aSet-Cookie:%20pwned=1", "/archive/2024/a", "", true},
		{"/news/2024/a/b%0d%0aSet-Cookie:%20pwned=1?x=1", "/archive/2024/a/b", "?x=1", true},
	} {
		r := s.get(t, tt.target)
		loc := r.values("Location")
		if tt.or404 && r.status == 404 && len(loc) == 0 && len(r.values("Set-Cookie")) == 0 {
			continue
		}
		if r.status != 301 || len(loc) != 1 {
			t.Errorf("GET %q = %d with Location %q, want 301 and one Location:\n%s", tt.target, r.status, loc, r)
			continue
		}
		if c := r.values("Set-Cookie"); len(c) > 0 {
			t.Errorf("GET %q: Set-Cookie %q injected:\n%s", tt.target, c, r)
		}
		l := loc[0]
		if !strings.HasPrefix(l, tt.prefix) || !strings.HasSuffix(l, tt.suffix) || strings.ContainsAny(l, " \\") ||
			!strings.Contains(strings.ToLower(l), "%0a") || strings.ContainsFunc(l, isControl) {
			t.Errorf("GET %q: Location %q, want %s… keeping the line break percent-encoded, ending in %q, no raw control byte, space or backslash",
				tt.target, l, tt.prefix, tt.suffix)
		}
	}
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// checkNoOpenRedirect: a rule whose target starts with its capture (/go/*
// /:splat, /to/:name /:name) must never send a browser to another host,
// however the client spells a second slash after prefix.
func checkNoOpenRedirect(t *testing.T, s hostileServer, prefix string) {
	for _, rest := range []string{
		"%5Cevil.example",
		"%5C%5Cevil.example",
		"%09/evil.example",
		"%09%2Fevil.example",
		"/evil.example",
		"%2F%2Fevil.example",
		"%2F%5Cevil.example",
		`\evil.example`,
	} {
		target := prefix + rest
		r := s.get(t, target)
		loc := r.values("Location")
		switch {
		case (r.status == 404 || r.status == 400) && len(loc) == 0:
		case r.status >= 300 && r.status < 400 && len(loc) == 1:
			if why := offSite(loc[0]); why != "" {
				t.Errorf("GET %q = %d, Location %q: %s", target, r.status, loc[0], why)
			}
		default:
			t.Errorf("GET %q = %d with Location %q, want 404 or a redirect on the site:\n%s", target, r.status, loc, r)
		}
	}
}

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// offSite says why a browser could follow loc to another host, or "". A
// browser strips tabs and line breaks from a URL and reads "\" as "/".
func offSite(loc string) string {
	if strings.ContainsFunc(loc, isControl) || strings.ContainsAny(loc, " \\") {
		return "raw control byte, space or backslash in the Location"
	}
	seen := strings.NewReplacer("\t", "", "\r", "", "\n", "", `\`, "/").Replace(loc)
	switch {
	case strings.HasPrefix(seen, "//"):
		return fmt.Sprintf("a browser reads %q: another host", seen)
	case schemeRE.MatchString(seen):
		return "an absolute URL, for a rule whose target is a path"
	}
	return ""
}

// checkHeadersOnSpellings: every spelling of /admin/ that nginx serves as
// the admin page gets the rule's headers.
func checkHeadersOnSpellings(t *testing.T, s hostileServer) {
	for _, target := range []string{"/admin/", "/admin/index.html", "/%61dmin/", "/%61%64%6d%69%6e/", "//admin/", "/admin//", "/x/../admin/", "/admin/./", "/./admin/"} {
		r := s.get(t, target)
		if target == "/admin/" && r.status != 200 {
			t.Fatalf("GET /admin/ = %d, want 200:\n%s", r.status, r)
		}
		if r.status != 200 {
			continue
		}
		if !bytes.Contains(r.body, []byte("<h1>Admin</h1>")) {
			t.Errorf("GET %q = 200 with body %q, want the admin page", target, trim(string(r.body)))
		}
		if xfo, csp := r.values("X-Frame-Options"), r.values("Content-Security-Policy"); len(xfo) != 1 || xfo[0] != "DENY" ||
			len(csp) != 1 || csp[0] != "default-src 'self'" {
			t.Errorf("GET %q serves the admin page with X-Frame-Options %q, Content-Security-Policy %q; want DENY and default-src 'self' once each",
				target, xfo, csp)
		}
	}
}

// checkHeadersOnUTF8: /café/* matches the folder café/ however the client
// encodes its é.
func checkHeadersOnUTF8(t *testing.T, s hostileServer) {
	for _, target := range []string{"/caf%C3%A9/", "/caf%c3%a9/", "/caf\xc3\xa9/", "/caf%C3%A9/index.html"} {
		r := s.get(t, target)
		if r.status != 200 || !bytes.Contains(r.body, []byte("Café")) || r.get("X-Cafe") != "yes" {
			t.Errorf("GET %q = %d, X-Cafe %q, body %q; want 200, yes and the café page", target, r.status, r.get("X-Cafe"), trim(string(r.body)))
		}
	}
}

// checkContentTypeOverride: a _headers Content-Type replaces nginx's, it is
// not sent beside it, and a Range request gets it too.
func checkContentTypeOverride(t *testing.T, s hostileServer) {
	r := s.get(t, "/raw/file.html")
	if ct := r.values("Content-Type"); r.status != 200 || len(ct) != 1 || ct[0] != "text/plain; charset=utf-8" {
		t.Errorf("GET /raw/file.html = %d, Content-Type %q; want 200 and one Content-Type, text/plain; charset=utf-8", r.status, ct)
	}
	// A range of the file keeps the rule's type (its own Range location).
	r = s.get(t, "/raw/file.html", "Range: bytes=0-3")
	if ct := r.values("Content-Type"); r.status != 206 || string(r.body) != "<h1>" || len(ct) != 1 || ct[0] != "text/plain; charset=utf-8" {
		t.Errorf("GET /raw/file.html, Range bytes=0-3 = %d %q, Content-Type %q; want 206 \"<h1>\" and one Content-Type, text/plain; charset=utf-8", r.status, r.body, ct)
	}
	if ct := s.get(t, "/page.html").values("Content-Type"); len(ct) != 1 || !strings.HasPrefix(ct[0], "text/html") {
		t.Errorf("GET /page.html: Content-Type %q, want one text/html (the rule is for /raw/* only)", ct)
	}
}

// checkRangeEncodings: a range request for a precompressed file gets a
// valid answer whatever the range: a 416 names no encoding it did not
// apply, and a 200 or 206 body is what its headers say.
func checkRangeEncodings(t *testing.T, s hostileServer) {
	plain := s.get(t, "/big.css", "Accept-Encoding: identity")
	if plain.status != 200 || string(plain.body) != hostileCSS {
		t.Fatalf("GET /big.css identity = %d, %d bytes; want 200 and the %d bytes of the file", plain.status, len(plain.body), len(hostileCSS))
	}
	for _, enc := range []string{"gzip", "br"} {
		full := s.get(t, "/big.css", "Accept-Encoding: "+enc)
		if full.status != 200 || full.get("Content-Encoding") != enc {
			t.Fatalf("GET /big.css with Accept-Encoding %s = %d, Content-Encoding %q; want 200, %s (precompressed)\n%s", enc, full.status, full.get("Content-Encoding"), enc,
				s.files("big.css", "big.css.gz", "big.css.br"))
		}
		for _, rng := range []string{"bytes=999999-", fmt.Sprintf("bytes=%d-", len(full.body)), "bytes=0-9", "bytes=-5", "bytes=5-2"} {
			r := s.fetch(t, "/big.css", "Accept-Encoding: "+enc, "Range: "+rng)
			if why := rangeProblem(r, []byte(hostileCSS), full.body); why != "" {
				t.Errorf("GET /big.css with Accept-Encoding %s, Range %s: %s\n%s", enc, rng, why, r)
			}
		}
	}
	// Go's client, asking for gzip itself, must be able to read the answer.
	req, err := http.NewRequest("GET", "http://"+s.addr+"/big.css", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Range", "bytes=999999-")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("net/http GET /big.css, gzip, past the end: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("net/http GET /big.css, gzip, past the end: reading: %v", err)
	}
	if ce := resp.Header.Get("Content-Encoding"); ce == "gzip" && resp.StatusCode != 206 {
		if _, err := gunzip(body); err != nil {
			t.Errorf("net/http GET /big.css, gzip, past the end = %d labelled Content-Encoding: gzip, but the body is not gzip: %v (%q)", resp.StatusCode, err, trim(string(body)))
		}
	}
}

// rangeProblem says what is wrong with a range answer, or "". plain is the
// file, encoded its representation in r's Content-Encoding (if any).
func rangeProblem(r *rawResponse, plain, encoded []byte) string {
	ce := r.get("Content-Encoding")
	rep := plain
	if ce != "" {
		rep = encoded
	}
	switch r.status {
	case 416:
		if ce != "" {
			return fmt.Sprintf("416 labelled Content-Encoding: %s; its body is nginx's error page, not %s", ce, ce)
		}
		if cr := r.get("Content-Range"); cr != "" && cr != fmt.Sprintf("bytes */%d", len(plain)) {
			return fmt.Sprintf("416 with Content-Range %q for a representation of %d bytes", cr, len(plain))
		}
	case 200:
		got, err := decodeAs(ce, r.body)
		if err != nil || !bytes.Equal(got, plain) {
			return fmt.Sprintf("200 with Content-Encoding %q does not decode to the file (%v)", ce, err)
		}
	case 206:
		var first, last, size int
		if _, err := fmt.Sscanf(r.get("Content-Range"), "bytes %d-%d/%d", &first, &last, &size); err != nil {
			return fmt.Sprintf("206 with Content-Range %q", r.get("Content-Range"))
		}
		if size != len(rep) || first > last || last >= size || !bytes.Equal(r.body, rep[first:last+1]) {
			return fmt.Sprintf("206 body (%d bytes) is not bytes %d-%d of the %d-byte representation with Content-Encoding %q", len(r.body), first, last, len(rep), ce)
		}
	default:
		return fmt.Sprintf("status %d, want 200, 206 or 416", r.status)
	}
	return ""
}

func decodeAs(enc string, body []byte) ([]byte, error) {
	switch enc {
	case "":
		return body, nil
	case "gzip":
		return gunzip(body)
	case "br":
		return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	}
	return nil, fmt.Errorf("unknown Content-Encoding %q", enc)
}

func gunzip(body []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// checkQueryBeforeFragment: a kept query goes before the target's fragment.
func checkQueryBeforeFragment(t *testing.T, s hostileServer) {
	for target, want := range map[string]string{"/a?x=1": "/b?x=1#top", "/a": "/b#top", "/a/?x=1&y=2": "/b?x=1&y=2#top"} {
		r := s.get(t, target)
		if loc := r.values("Location"); r.status != 301 || len(loc) != 1 || loc[0] != want {
			t.Errorf("GET %q = %d, Location %q; want 301, %q", target, r.status, loc, want)
		}
	}
}

// checkEveryResponse: a redirect, a 404, a 416, the health check and a
// page all carry the spec's headers once on a well-formed block (s.get
// checks both).
func checkEveryResponse(t *testing.T, s hostileServer) {
	for _, tt := range []struct {
		target string
		extra  []string
		status int
	}{
		{"/healthz", nil, 204},
		{"/u/someone", nil, 301},
		{"/admin", nil, 301},
		{"/nothing-here", nil, 404},
		{"/page.html", nil, 200},
		{"/big.css", []string{"Range: bytes=999999-"}, 416},
		{"/big.css", []string{"Accept-Encoding: gzip", "Range: bytes=0-9"}, 206},
	} {
		if r := s.get(t, tt.target, tt.extra...); r.status != tt.status {
			t.Errorf("GET %q %q = %d, want %d:\n%s", tt.target, tt.extra, r.status, tt.status, r)
		}
	}
}

// checkHostileSanity: what already worked keeps working.
func checkHostileSanity(t *testing.T, s hostileServer) {
	for _, target := range []string{"/.env", "/_headers", "/_redirects", "/Dockerfile", "/nothing-here"} {
		if r := s.get(t, target); r.status != 404 || !bytes.Contains(r.body, []byte("Hostile not found")) {
			t.Errorf("GET %q = %d, body %q; want 404 with the site's 404.html", target, r.status, trim(string(r.body)))
		}
	}
	for target, body := range map[string]string{"/": "Hostile home", "/page.html": "A page", "/big.css": ".hostile"} {
		r := s.get(t, target)
		if r.status != 200 || !bytes.Contains(r.body, []byte(body)) || r.get("ETag") == "" {
			t.Errorf("GET %q = %d, ETag %q, body %q; want 200, an ETag and %q", target, r.status, r.get("ETag"), trim(string(r.body)), body)
		}
	}
}

// checkNoErrorPageLoop: with no 404.html, a catch-all one-segment redirect
// must not catch nginx's internal request for the error page.
func checkNoErrorPageLoop(t *testing.T, s hostileServer) {
	if r := s.get(t, "/hello"); r.status != 301 || r.get("Location") != "/posts/hello" {
		t.Fatalf("GET /hello = %d, Location %q; want 301 /posts/hello (the rule)", r.status, r.get("Location"))
	}
	for _, target := range []string{"/a/b/c", "/posts/nothing", "/posts/hello/x"} {
		if r := s.get(t, target); r.status != 404 || len(r.values("Location")) > 0 {
			t.Errorf("GET %q = %d, Location %q; want 404 and no redirect", target, r.status, r.values("Location"))
		}
	}
	if r := s.get(t, "/posts/hello.html"); r.status != 200 {
		t.Errorf("GET /posts/hello.html = %d, want 200", r.status)
	}
}

// TestHostileRulesFailBuild (issue 16): rules that would open a redirect to
// another host, redirect to themselves, or pin a validator fail the build
// at their line. Each fails in the frontend, before any package is fetched,
// so each case is its own small build, all at once.
func TestHostileRulesFailBuild(t *testing.T) {
	e := need(t)
	t.Parallel()
	for _, tt := range []struct {
		name, file, content string
		at                  string         // the error names this place
		says                *regexp.Regexp // and says this on that line
	}{
		{"protocol-relative target", "public/_redirects", "# moved\n/old /new 301\n/out //evil.example 301\n",
			"public/_redirects:3:", regexp.MustCompile(`(?i)scheme|https?://`)},
		{"forced catch-all to a page it catches", "public/_redirects", "# moved\n/old /new 301\n/* /index.html 301!\n",
			"public/_redirects:3:", regexp.MustCompile(`(?i)itself|loop|repeat`)},
		{"prefix redirected under itself", "public/_redirects", "# moved\n/old /new 301\n/blog/* /blog/x/:splat 301\n",
			"public/_redirects:3:", regexp.MustCompile(`(?i)itself|loop|repeat`)},
		{"fixed ETag in _headers", "public/_headers", "/*\n  X-Frame-Options: DENY\n/assets/*\n  ETag: \"fixed\"\n",
			"public/_headers:4:", regexp.MustCompile(`ETag`)},
		{"fixed ETag in server.headers", "Dockerfile", "",
			"Dockerfile:8:", regexp.MustCompile(`ETag`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := e.siteDir(t, 8080)
			if tt.file == "Dockerfile" {
				write(t, dir, "Dockerfile", strings.Replace(fmt.Sprintf(siteSpec, e.frontend, 8080),
					"  port: 8080\n", "  port: 8080\n  headers:\n    ETag: '\"fixed\"'\n", 1))
			} else {
				write(t, dir, tt.file, tt.content)
			}
			start := time.Now()
			out, err := e.tryBuild(t, build{dir: dir})
			if err == nil {
				t.Fatalf("the build succeeded (%v); want an error at %s:\n%s", time.Since(start).Round(time.Second), tt.at, tail(out, 10))
			}
			if line := lineWith(out, tt.at); line == "" || !tt.says.MatchString(line) {
				t.Errorf("want an error at %s saying %s; got %q in:\n%s", tt.at, tt.says, line, tail(out, 30))
			}
		})
	}
}

// lineWith returns the first line of out that holds s, or "".
func lineWith(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
