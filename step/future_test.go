package step

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// epochForTest is the pinned clock of these tests.
var epochForTest = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// sources writes files (path: content) under a new folder.
func sources(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	return dir
}

// found is "path:line date" for each page, for comparing.
func found(pages []datedPage) []string {
	var out []string
	for _, p := range pages {
		out = append(out, fmt.Sprintf("%s:%d %s", p.Path, p.Line, p.Date.UTC().Format(time.RFC3339)))
	}
	return out
}

func TestFutureJekyllPosts(t *testing.T) {
	huge := strings.Repeat("x", 200<<10)
	dir := sources(t, map[string]string{
		"_config.yml": "title: t\n",
		// the file name's date, after the clock
		"_posts/2026-12-01-name.md": "---\ntitle: a\n---\nbody\n",
		// the front matter's date wins over the file name's, either way
		"_posts/2099-01-01-past.md":      "---\ndate: 2020-01-01\n---\n",
		"_posts/2020-01-01-ahead.md":     "---\ntitle: x\ndate: 2026-11-20 08:00:01\n---\n",
		"_posts/2020-01-01-equal.md":     "---\ndate: 2026-11-20T08:00:00Z\n---\n",
		"_posts/2020-01-01-offset.md":    "---\ndate: 2026-11-20 08:30:00 +0100\n---\n", // 07:30 UTC
		"_posts/2020-01-01-crlf.md":      "\ufeff---\r\ntitle: \"a: b\"\r\ndate: '2026-12-24 10:00'\r\n---\r\n",
		"_posts/2020-01-01-quoted.md":    "---\ndate: \"2027-01-01T00:00:00+02:00\" # new year\n---\n",
		"_posts/2020-01-01-comment.html": "---\ndate: 2027-02-02 # later\n---\n",
		"_posts/2020-01-01-nested.md":    "---\nmeta:\n  date: 2099-01-01\n---\n",
		// a date it cannot read is no reason to warn, nor a file name's either
		"_posts/2099-01-01-odd.md":     "---\ndate: next tuesday\n---\n",
		"_posts/2020-01-01-invalid.md": "---\ndate: 2026-13-45\n---\n",
		"_posts/2099-99-99-badname.md": "---\n---\n",
		// not posts: no front matter, not a post's name, drafts, unpublished
		"_posts/2099-01-01-nofm.md":             "just text\n",
		"_posts/notes.md":                       "---\ndate: 2099-01-01\n---\n",
		"_posts/2099-01-01-text.txt":            "---\n---\n",
		"_drafts/2099-01-01-draft.md":           "---\n---\n",
		"_posts/2099-01-01-unpublished.md":      "---\npublished: false\n---\n",
		"node_modules/x/_posts/2099-01-01-a.md": "---\n---\n",
		".git/_posts/2099-01-01-a.md":           "---\n---\n",
		// nested _posts folders are posts too
		"blog/_posts/2026/2026-12-02-deep.markdown": "---\nlayout: post\n---\n",
		// hostile sizes: a huge body is fine, a huge front matter or line is skipped
		"_posts/2099-01-01-hugebody.md": "---\n---\n" + huge,
		"_posts/2099-01-01-hugefm.md":   "---\n" + strings.Repeat("k: v\n", 20000) + "---\n",
		"_posts/2099-01-01-hugeline.md": "---\ntitle: " + huge + "\n---\n",
		"_posts/2099-01-01-unclosed.md": "---\ntitle: a\n",
		"_posts/2099-01-01-longdate.md": "---\ndate: 2099-01-01" + strings.Repeat(" ", 100) + "x\n---\n",
	})
	got := found(futurePages(&jekyll, dir, nil, epochForTest))
	want := []string{
		"_posts/2020-01-01-ahead.md:3 2026-11-20T08:00:01Z",
		"_posts/2020-01-01-comment.html:2 2027-02-02T00:00:00Z",
		"_posts/2020-01-01-crlf.md:3 2026-12-24T10:00:00Z",
		"_posts/2020-01-01-quoted.md:2 2026-12-31T22:00:00Z",
		"_posts/2026-12-01-name.md:0 2026-12-01T00:00:00Z",
		"_posts/2099-01-01-hugebody.md:0 2099-01-01T00:00:00Z",
		"blog/_posts/2026/2026-12-02-deep.markdown:0 2026-12-02T00:00:00Z",
	}
	if !slices.Equal(got, want) {
		t.Errorf("futurePages(jekyll) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFutureHugoPages(t *testing.T) {
	dir := sources(t, map[string]string{
		"hugo.toml":                "title = 't'\n",
		"content/posts/toml.md":    "+++\ntitle = 'a'\ndate = 2099-01-01T00:00:00Z\n+++\n",
		"content/posts/quoted.md":  "+++\n\"date\" = \"2027-03-04\"\n+++\n",
		"content/posts/publish.md": "---\ndate: 2020-01-01\npublishDate: 2027-05-06T07:08:09-01:00\n---\n",
		"content/posts/pubpast.md": "---\npublishDate: 2020-01-01\ndate: 2099-01-01\n---\n",
		"content/posts/upper.md":   "---\nDate: 2027-01-01\n---\n",
		"content/posts/table.md":   "+++\ntitle = 'a'\n[params]\ndate = 2099-01-01\n+++\n",
		"content/posts/draft.md":   "---\ndate: 2099-01-01\ndraft: true\n---\n",
		"content/posts/json.md":    "{\"date\": \"2099-01-01\"}\n",
		"content/posts/past.md":    "---\ndate: 2024-05-20\n---\n",
		"content/posts/crlf.html":  "+++\r\ndate = 2027-01-01T10:00:00\r\n+++\r\n",
		"content/data.json":        "---\ndate: 2099-01-01\n---\n",
		"posts/outside.md":         "---\ndate: 2099-01-01\n---\n",
	})
	got := found(futurePages(&hugo, dir, nil, epochForTest))
	want := []string{
		"content/posts/crlf.html:2 2027-01-01T10:00:00Z",
		"content/posts/publish.md:3 2027-05-06T08:08:09Z",
		"content/posts/quoted.md:2 2027-03-04T00:00:00Z",
		"content/posts/toml.md:3 2099-01-01T00:00:00Z",
		"content/posts/upper.md:2 2027-01-01T00:00:00Z",
	}
	if !slices.Equal(got, want) {
		t.Errorf("futurePages(hugo) =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The warning is given only for Jekyll or Hugo with their default
// (future pages left out) and the clock at the epoch.
func TestFutureWarningWhen(t *testing.T) {
	jekyllPost := map[string]string{"_config.yml": "title: t\n", "_posts/2099-01-01-a.md": "---\n---\n"}
	hugoPage := map[string]string{"hugo.toml": "title = 't'\n", "content/a.md": "+++\ndate = 2099-01-01\n+++\n"}
	with := func(base map[string]string, k, v string) map[string]string {
		m := map[string]string{k: v}
		for bk, bv := range base {
			if bk != k {
				m[bk] = bv
			}
		}
		return m
	}
	env := []string{"SOURCE_DATE_EPOCH=1795161600"}
	sh := func(line string) []string { return []string{"/bin/sh", "-c", line} }
	for _, tc := range []struct {
		name  string
		files map[string]string
		argv  []string
		env   []string
		warn  string // what the warning must hold, or "" for none
	}{
		{"jekyll", jekyllPost, sh("jekyll build --destination /out"), env, `so Jekyll leaves it out of the site: "_posts/2099-01-01-a.md" (its file name's date, 2099-01-01)`},
		{"jekyll by its config", jekyllPost, sh("make site"), env, "Jekyll"},
		{"jekyll future: true", with(jekyllPost, "_config.yml", "title: t\r\nfuture: true # drafts\r\n"), sh("jekyll build"), env, ""},
		{"jekyll nested future", with(jekyllPost, "_config.yml", "defaults:\n  future: true\n"), sh("jekyll build"), env, "Jekyll"},
		{"jekyll --future", jekyllPost, sh("bundle exec jekyll build --future"), env, ""},
		{"jekyll FAKETIME", jekyllPost, sh("jekyll build"), append(env, "FAKETIME=@2100-01-01 00:00:00"), ""},
		{"hugo", hugoPage, []string{"hugo", "--destination", "/out"}, env, `so Hugo leaves it out of the site: "content/a.md" line 2 (2099-01-01T00:00:00Z)`},
		{"hugo buildFuture", with(hugoPage, "hugo.toml", "buildFuture = true\n"), []string{"hugo"}, env, ""},
		{"hugo yaml buildfuture", with(hugoPage, "config.yaml", "BuildFuture: true\n"), []string{"hugo"}, env, ""},
		{"hugo -F", hugoPage, sh("hugo -F --minify"), env, ""},
		{"hugo env", hugoPage, []string{"hugo"}, append(env, "HUGO_BUILDFUTURE=true"), ""},
		{"hugo clock set", hugoPage, []string{"hugo"}, append(env, "HUGO_CLOCK=2100-01-01T00:00:00Z"), ""},
		{"other generator", map[string]string{}, sh("npx @11ty/eleventy"), env, ""},
		{"no epoch", jekyllPost, sh("jekyll build"), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sources(t, tc.files)
			got := futureWarning(tc.argv, tc.env, dir, nil, "the archive date of layercake.lock")
			if (tc.warn == "") != (got == "") || !strings.Contains(got, tc.warn) {
				t.Errorf("futureWarning() = %q, want it to hold %q", got, tc.warn)
			}
		})
	}
}

// The warning names the first posts, counts the rest, says the clock, where
// it came from and what to do.
func TestFutureMessage(t *testing.T) {
	var pages []datedPage
	for i := range 12 {
		pages = append(pages, datedPage{fmt.Sprintf("_posts/2099-01-%02d-a\"b.md", i+1), i % 2 * 3, time.Date(2099, 1, i+1, 0, 0, 0, 0, time.UTC)})
	}
	got := futureMessage(&jekyll, pages, epochForTest, "the spec's epoch")
	for _, want := range []string{
		`12 posts are dated after the build's clock, 2026-11-20T08:00:00Z (the spec's epoch), so Jekyll leaves them out of the site: `,
		`"_posts/2099-01-01-a\"b.md" (its file name's date, 2099-01-01), "_posts/2099-01-02-a\"b.md" line 3 (2099-01-02T00:00:00Z), `,
		`"_posts/2099-01-10-a\"b.md" line 3 (2099-01-10T00:00:00Z) and 2 more; `,
		"docker build --target lock -o . .", "epoch:", "future: true in _config.yml to publish posts dated ahead",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("futureMessage() = %q\nwant it to hold %q", got, want)
		}
	}
	if futureMessage(&jekyll, nil, epochForTest, "") != "" {
		t.Error("futureMessage(no pages) is not empty")
	}
}
