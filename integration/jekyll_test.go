package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// jekyllCacheSite writes a small Jekyll site laid out as GitHub Pages sites are
// (_config.yml, _layouts, _includes, _posts, pages) with the given spec
// header, and returns its spec's build part.
func jekyllCacheSite(t *testing.T, dir, header string) {
	t.Helper()
	write(t, dir, "Dockerfile", header+`site:
  build:
    packages: [jekyll]
    # The number of files in Jekyll's cache before it runs goes into the
    # site: the evidence that the cache mount outlived the last build.
    run: "find .jekyll-cache -type f 2>/dev/null | wc -l >/tmp/cached && jekyll build --destination /out && cp /tmp/cached /out/cached.txt"
    output: /out
    cache: [/src/.jekyll-cache]
`)
	write(t, dir, "_config.yml", "title: Warm Jekyll\nmarkdown: kramdown\npermalink: /:year/:month/:title/\n")
	write(t, dir, "_layouts/default.html", "<!doctype html>\n<html><head><title>{{ page.title }}</title></head>\n<body>{% include nav.html %}\n{{ content }}</body></html>\n")
	write(t, dir, "_includes/nav.html", "<nav><a href=\"/\">Home</a> <a href=\"/about/\">About</a></nav>\n")
	write(t, dir, "index.md", "---\nlayout: default\ntitle: Home\n---\n# Posts\n\n{% for post in site.posts %}- [{{ post.title }}]({{ post.url }})\n{% endfor %}\n")
	write(t, dir, "about.md", "---\nlayout: default\ntitle: About\npermalink: /about/\n---\n# About\n\nThe first version.\n")
	for i := 1; i <= 20; i++ {
		write(t, dir, fmt.Sprintf("_posts/2024-01-%02d-post-%d.md", i, i),
			fmt.Sprintf("---\nlayout: default\ntitle: Post %d\n---\n# Post %d\n\nSome *Markdown* with a [link](/about/) and a list:\n\n- one\n- two\n", i, i))
	}
}

// TestJekyllCacheMountKeepsCache builds a Jekyll site with init's cache
// mount for .jekyll-cache, edits one page and builds again on the same
// builder: the second run finds the first run's cache (Jekyll 4 keeps the
// Markdown it converted there, so unchanged pages are not converted
// again), while the edit reaches the site.
func TestJekyllCacheMountKeepsCache(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	jekyllCacheSite(t, dir, fmt.Sprintf("# syntax=%s\nversion: 1\nserver:\n  port: %d\n", e.frontend, port(t)))
	builder := e.freshBuilder(t, "jekyll-cache")
	e.mustBuild(t, build{dir: dir, builder: builder, args: []string{"--target", "lock", "-o", dir}})
	cached := func(out string) int {
		t.Helper()
		n, err := strconv.Atoi(strings.TrimSpace(readFile(t, out, "cached.txt")))
		if err != nil {
			t.Fatalf("cached.txt: %v", err)
		}
		return n
	}
	first := t.TempDir()
	e.mustBuild(t, build{dir: dir, builder: builder, args: []string{"--target", "site", "-o", first}})
	if n := cached(first); n != 0 {
		t.Errorf("first build found %d files in .jekyll-cache, want none (a fresh builder)", n)
	}
	appendTo(t, dir, "about.md", "\nAn edit.\n")
	second := t.TempDir()
	e.mustBuild(t, build{dir: dir, builder: builder, args: []string{"--target", "site", "-o", second}})
	if n := cached(second); n < 20 {
		t.Errorf("after an edit, Jekyll found %d files in .jekyll-cache, want the first build's (at least one per post)", n)
	}
	if body := readFile(t, second, "about/index.html"); !strings.Contains(body, "An edit.") {
		t.Errorf("about/index.html = %q, want the edit", trim(body))
	}
}
