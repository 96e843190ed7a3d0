package spec

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// headerNameRE is a header name every HTTP client and proxy takes: RFC
	// 9110 allows more symbols in a token, but names such as `X'a` or `#x`
	// are refused or mangled in practice.
	headerNameRE = regexp.MustCompile("^[A-Za-z0-9][A-Za-z0-9-]*$")
	// healthRE is a plain absolute path nginx can match exactly.
	healthRE = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)
)

// managedHeaders are set by nginx for each response from the file it
// serves; a second value would corrupt the response or its caching (a fixed
// ETag would hide every edit).
var managedHeaders = []string{"connection", "content-encoding", "content-length", "date", "etag", "keep-alive", "last-modified", "server", "transfer-encoding", "upgrade", "vary"}

// HeaderProblem says what is wrong with one response header, or "" when
// nginx can add it as written. The _headers translation uses it too.
func HeaderProblem(name, value string) string {
	switch {
	case !headerNameRE.MatchString(name):
		return fmt.Sprintf("%q is not a header name; use letters, digits and \"-\", such as X-Frame-Options", clipped(name))
	case slices.Contains(managedHeaders, strings.ToLower(name)):
		return fmt.Sprintf("%s is set by nginx for each response from the file it serves; remove it", name)
	case strings.ContainsAny(value, "\r\n\x00"):
		return fmt.Sprintf("the value of %s spans lines; write it on one line", name)
	case strings.ContainsRune(value, '$'):
		return fmt.Sprintf("the value of %s holds \"$\", which nginx would read as a variable; remove it", name)
	case strings.TrimSpace(value) == "":
		return fmt.Sprintf("the value of %s is empty; give one, or remove the header", name)
	}
	for _, r := range value {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return fmt.Sprintf("the value of %s holds a control character; remove it", name)
		}
	}
	return ""
}

// serving checks server.headers, include, compress and health.
func (c *checker) serving(srv Server) {
	for _, name := range sortedKeys(srv.Headers) {
		msg := HeaderProblem(name, srv.Headers[name])
		if msg == "" && strings.EqualFold(name, "Content-Type") {
			msg = "Content-Type follows each file's extension; set it for some paths in the site's _headers instead"
		}
		if msg != "" {
			c.failKey("server.headers."+name, "%s", msg)
		}
	}
	c.snippets("server.include.server", srv.Include.Server)
	c.snippets("server.include.location", srv.Include.Location)
	seen := map[string]bool{}
	for i, e := range srv.Compress {
		p := fmt.Sprintf("server.compress[%d]", i)
		switch {
		case e != EncodingGzip && e != EncodingBrotli:
			c.fail(p, "%q is not an encoding layercake makes; use gzip, br, or both ([] turns precompression off)", clipped(e))
		case seen[e]:
			c.fail(p, "%s is listed twice; remove one", e)
		}
		seen[e] = true
	}
	if c.present("server.health", srv.Health != "") {
		switch h := srv.Health; {
		case !healthRE.MatchString(h):
			c.fail("server.health", "%q is not a plain absolute path; use one such as /healthz (letters, digits, \"/\", \".\", \"-\", \"_\", \"~\")", clipped(h))
		case h == "/" || strings.HasSuffix(h, "/"):
			c.fail("server.health", "%q would hide the site's pages; use a path of its own such as /healthz", h)
		}
	}
}

// snippets checks a list of nginx snippet files of the build context.
func (c *checker) snippets(list string, files []string) {
	for i, f := range files {
		msg := contextPathProblem(f, `such as "nginx/extra.conf"`)
		switch {
		case msg != "":
		case strings.ContainsAny(f, "*?["):
			// nginx's include expands these as a glob: [a].conf reads
			// a.conf, and a*.conf reads every snippet it matches.
			msg = fmt.Sprintf("%q holds \"*\", \"?\" or \"[\", which nginx's include reads as a pattern of file names; rename the file without them", clipped(f))
		case strings.ContainsAny(f, "\r\n"):
			msg = fmt.Sprintf("%q holds a line break; rename the file without it", clipped(f))
		case path.Clean(f) == ".":
			msg = fmt.Sprintf("%q is the build context itself; name a file, %s", f, `such as "nginx/extra.conf"`)
		}
		if msg != "" {
			c.fail(fmt.Sprintf("%s[%d]", list, i), "%s", msg)
		}
	}
}
