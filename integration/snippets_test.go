package integration

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

const snippetSpec = `# syntax=%s
version: 1
debian:
  suite: trixie
server:
  port: %d
  headers: {X-Content-Type-Options: nosniff}
  include:
    server: [nginx/server.conf]
    location: [nginx/feed.conf]
site:
  dir: public
`

// TestSnippetHeaderWarnings: the build warns where a snippet's add_header
// makes nginx drop the headers the server adds, and nginx does drop them
// exactly there; a server snippet's own add_header adds to them.
func TestSnippetHeaderWarnings(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.siteDir(t, p)
	write(t, dir, "Dockerfile", fmt.Sprintf(snippetSpec, e.frontend, p))
	write(t, dir, "nginx/server.conf", "# adds to the server's headers\nadd_header X-Server-Snippet yes;\n")
	write(t, dir, "nginx/feed.conf", "location = /feed.xml {\n    add_header Access-Control-Allow-Origin \"*\";\n}\n")
	write(t, dir, "public/feed.xml", "<rss></rss>\n")
	ref := e.registry.host + "/snippets:warn"
	out := e.mustBuild(t, build{dir: dir, args: []string{"--output", "type=image,name=" + ref + ",push=true"}})
	if want := ` - nginx/feed.conf:2: add_header in "location = /feed.xml" makes that block drop every add_header it would inherit`; !strings.Contains(out, want) {
		t.Errorf("build output lacks the warning %q:\n%s", want, tail(out, 20))
	}
	if strings.Contains(out, "nginx/server.conf:") {
		t.Errorf("build output warns about the server snippet's own add_header:\n%s", tail(out, 20))
	}
	im, err := e.registry.platformImage("snippets", "warn", runtime.GOARCH)
	if err != nil {
		t.Fatalf("reading pushed %s: %v", ref, err)
	}
	e.runImage(t, im, p)
	base := fmt.Sprintf("http://127.0.0.1:%d", p)
	home := do(t, "GET", base+"/", nil)
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Server-Snippet": "yes", "Cache-Control": "no-cache"} {
		if got := home.header.Get(name); got != want {
			t.Errorf("GET / %s = %q, want %q (inherited from the server)", name, got, want)
		}
	}
	feed := do(t, "GET", base+"/feed.xml", nil)
	if feed.status != 200 || feed.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET /feed.xml = %d with Access-Control-Allow-Origin %q, want 200 and *", feed.status, feed.header.Get("Access-Control-Allow-Origin"))
	}
	for _, name := range []string{"X-Content-Type-Options", "X-Server-Snippet", "Cache-Control"} {
		if got := feed.header.Get(name); got != "" {
			t.Errorf("GET /feed.xml %s = %q, want none: nginx drops inherited add_header where a block sets its own (the warning's claim)", name, got)
		}
	}
}
