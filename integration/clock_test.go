package integration

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// generatorFixture writes a build context from files (the spec's
// "# syntax=" and "port:" lines are set to the test's) and its lock.
func (e *environment) generatorFixture(t *testing.T, files map[string]string, port int) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if name == "Dockerfile" {
			content = fmt.Sprintf("# syntax=%s\n%s", e.frontend, content)
			content = regexp.MustCompile(`(?m)^(\s+port:) \d+`).ReplaceAllString(content, fmt.Sprintf("${1} %d", port))
		}
		write(t, dir, name, content)
	}
	e.mustBuild(t, build{dir: dir, args: []string{"--target", "lock", "-o", dir}})
	return dir
}

// copyContext copies dir into a new folder with other mtimes and modes, as
// another checkout would have.
func copyContext(t *testing.T, dir string, seed int64) string {
	t.Helper()
	other := t.TempDir()
	if err := os.CopyFS(other, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	scramble(t, other, seed)
	return other
}

// builtAndRerun builds dir on b, then, a few seconds later, runs the
// generator again (--no-cache-filter site) from a copy with other file
// times and modes, as another checkout would have: the same image, and no
// warning that the output differs. It returns the image and the second
// build's output.
func (e *environment) builtAndRerun(t *testing.T, b *buildkitd, dir, name string) (*image, string) {
	t.Helper()
	im := e.push(t, build{dir: dir, builder: b}, "clock-"+name, "a")
	time.Sleep(2 * time.Second) // another wall-clock second, whatever the build took
	out, err := e.tryBuild(t, build{dir: copyContext(t, dir, 7), builder: b, args: []string{"--no-cache-filter", "site",
		"--output", "type=image,name=" + e.registry.host + "/clock-" + name + ":b,push=true"}})
	if err != nil {
		t.Fatalf("second build: %v", err)
	}
	again, err := e.registry.platformImage("clock-"+name, "b", runtime.GOARCH)
	if err != nil {
		t.Fatal(err)
	}
	if again.digest != im.digest {
		t.Errorf("%s: manifest digests differ between runs: %s vs %s\n%s\n%s", name, im.digest, again.digest, layerTable(im, again), generatorLines(out))
	}
	if strings.Contains(out, "not reproducible") || !regexp.MustCompile(`\[layercake\] (generate site|step \d+ of \d+)`).MatchString(out) {
		t.Errorf("%s: the rerun did not run the generator, or warned:\n%s", name, generatorLines(out))
	}
	return im, out
}

// readServed reads files of the image's web root; a file it does not
// hold is missing from the map.
func (e *environment) readServed(t *testing.T, im *image, names ...string) map[string]string {
	t.Helper()
	root := t.TempDir()
	if err := e.unpackImage(im, root); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(root, "srv/www", n))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out[n] = string(b)
	}
	return out
}

// jekyllSite mirrors a GitHub Pages Jekyll site: a layout that prints
// site.time (as jekyll-seo-tag's dateModified does), a collection
// document with no date, which Jekyll dates with site.time, and two
// posts: one dated before the epoch, one after (Jekyll leaves it out).
var jekyllSite = map[string]string{
	"Dockerfile": `version: 1
debian:
  suite: trixie
server:
  port: 8080
site:
  build:
    packages: [jekyll]
    run: jekyll build --destination /out
    env: {JEKYLL_NO_BUNDLER_REQUIRE: "true"}
    output: /out
`,
	"_config.yml": "title: Clock\ncollections:\n  guides:\n    output: true\n",
	"_layouts/default.html": `<!doctype html><title>{{ site.title }}</title>
<meta property="article:modified_time" content="{{ site.time | date_to_xmlschema }}">
<p class="date">{{ page.date | date_to_xmlschema }}</p>
{{ content }}
`,
	"index.md":                   "---\nlayout: default\n---\n# Home\n",
	"_guides/undated.md":         "---\nlayout: default\ntitle: Undated\n---\nNo date in this document.\n",
	"_posts/2020-01-01-past.md":  "---\nlayout: default\n---\nPublished.\n",
	"_posts/2020-01-02-ahead.md": "---\r\nlayout: default\r\ndate: 2099-01-01 10:00:00 +0000\r\n---\r\nScheduled.\r\n",
}

// TestJekyllClockPinned builds a Jekyll site that prints the wall clock on
// a fresh builder, then runs the generator again a few seconds later from
// a checkout with other file times: the same image, the time it prints is
// the build's epoch, and the rerun finds nothing that differs. Without the
// pinned clock (libfaketime), the rerun prints its own time. The post
// dated after the epoch is left out, and the build says so at its file
// and line.
func TestJekyllClockPinned(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.generatorFixture(t, jekyllSite, port(t))
	im, out := e.builtAndRerun(t, e.freshBuilder(t, "jekyll"), dir, "jekyll")
	epoch := strings.Replace(im.config.Created.UTC().Format("2006-01-02T15:04:05Z07:00"), "Z", "+00:00", 1)
	pages := e.readServed(t, im, "index.html", "guides/undated.html", "2020/01/01/past.html", "2099/01/01/ahead.html")
	if _, ok := pages["2020/01/01/past.html"]; !ok {
		t.Errorf("the post dated before the epoch is missing: %v", slices.Collect(maps.Keys(pages)))
	}
	if _, ok := pages["2099/01/01/ahead.html"]; ok {
		t.Errorf("the post dated after the epoch was built: Jekyll's clock is not the epoch")
	}
	warning := fmt.Sprintf(`site.build.run (Dockerfile:10): 1 post is dated after the build's clock, %s (the archive date of layercake.lock), so Jekyll leaves it out of the site: "_posts/2020-01-02-ahead.md" line 3 (2099-01-01T10:00:00Z); to publish it, write the lock again (docker build --target lock -o . .)`,
		im.config.Created.UTC().Format(time.RFC3339))
	if !strings.Contains(out, warning) {
		t.Errorf("the build does not warn %q:\n%s", warning, generatorLines(out))
	}
	if want := `content="` + epoch + `"`; !strings.Contains(pages["index.html"], want) {
		t.Errorf("index.html = %q, want site.time at the epoch: %s", pages["index.html"], want)
	}
	if want := `<p class="date">` + epoch + `</p>`; !strings.Contains(pages["guides/undated.html"], want) {
		t.Errorf("guides/undated.html = %q, want the undated document dated at the epoch: %s", pages["guides/undated.html"], want)
	}
}

// generatorLines are the lines of buildx's plain output from the generator
// step, and its warnings.
func generatorLines(out string) string {
	vertex := regexp.MustCompile(`(?m)^(#\d+) \[layercake\] generate site`).FindStringSubmatch(out)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if (vertex != nil && strings.HasPrefix(l, vertex[1]+" ")) || strings.Contains(strings.ToLower(l), "warn") || strings.Contains(l, " - ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// hugoSite mirrors a Hugo site with its own layouts: pages without dates,
// a list page, a sitemap and an RSS feed, whose dates come from the
// content, never the clock.
var hugoSite = map[string]string{
	"Dockerfile": `version: 1
debian:
  suite: trixie
server:
  port: 8080
site:
  build:
    packages: [hugo]
    run: hugo --destination /out
    output: /out
`,
	"hugo.toml":                    "baseURL = 'https://example.org/'\ntitle = 'Clock'\n",
	"content/_index.md":            "---\ntitle: Home\n---\nHome.\n",
	"content/posts/undated.md":     "---\ntitle: Undated\n---\nNo date.\n",
	"content/posts/dated.md":       "---\ntitle: Dated\ndate: 2024-05-20\n---\nDated.\n",
	"layouts/_default/baseof.html": "<!doctype html><title>{{ .Title }}</title>{{ block \"main\" . }}{{ end }}\n",
	"layouts/_default/single.html": "{{ define \"main\" }}<p>{{ .Date }} {{ .Lastmod }}</p>{{ .Content }}{{ end }}\n",
	"layouts/_default/list.html":   "{{ define \"main\" }}<p>{{ site.Lastmod }}</p>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}\n",
}

// TestHugoReproducible builds a Hugo site on a fresh builder, and runs
// Hugo again seconds later from another checkout: the same image.
func TestHugoReproducible(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.generatorFixture(t, hugoSite, port(t))
	e.builtAndRerun(t, e.freshBuilder(t, "hugo"), dir, "hugo")
}

// TestEleventyUndatedReproducible builds the Eleventy example with a post
// that has no date (Eleventy dates it by the file's creation time), and
// runs Eleventy again seconds later from another checkout: the same image.
func TestEleventyUndatedReproducible(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	dir := e.exampleDir(t, "eleventy", p)
	trustMachineCAs(t, dir)
	write(t, dir, "posts/undated.md", "---\ntitle: Undated\n---\nNo date in the front matter.\n")
	im, _ := e.builtAndRerun(t, e.builder, dir, "eleventy")
	page := e.readServed(t, im, "index.html")["index.html"]
	if !strings.Contains(page, `>Undated</a>`) {
		t.Errorf("index.html = %q, want the undated post listed", page)
	}
}

// TestDifferingOutputWarns runs a generator that writes the clock into
// pages through Hugo's now (started at the epoch by HUGO_CLOCK; it runs on,
// so only its date is printed) and date(1) (stopped by libfaketime), and
// random bytes into one file. Run again with
// --no-cache-filter site on the same builder, the build warns at the
// generator's line, naming the random file alone.
func TestDifferingOutputWarns(t *testing.T) {
	e := need(t)
	t.Parallel()
	files := map[string]string{}
	for k, v := range hugoSite {
		files[k] = v
	}
	files["Dockerfile"] = strings.Replace(hugoSite["Dockerfile"], "run: hugo --destination /out",
		"run: hugo --destination /out && date +%s%N > /out/date.txt && od -An -N16 -tx1 /dev/urandom > /out/random.txt", 1)
	files["layouts/_default/single.html"] = "{{ define \"main\" }}<p>{{ now.Format \"2006-01-02\" }}</p>{{ .Content }}{{ end }}\n"
	dir := e.generatorFixture(t, files, port(t))
	b := e.freshBuilder(t, "differing")
	first := e.mustBuild(t, build{dir: dir, builder: b})
	if strings.Contains(first, "not reproducible") {
		t.Errorf("first build warned:\n%s", generatorLines(first))
	}
	again := e.mustBuild(t, build{dir: dir, builder: b, args: []string{"--no-cache-filter", "site"}})
	want := regexp.MustCompile(`site\.build\.run \(Dockerfile:10\) is not reproducible: run again with the same inputs on this builder, it wrote 1 file whose bytes differ from the earlier run: "random.txt";`)
	if !want.MatchString(again) {
		t.Errorf("second build's output does not match %s:\n%s", want, generatorLines(again))
	}
}
