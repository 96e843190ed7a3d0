package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// stepRan reports whether buildx's plain progress shows the vertex whose
// name starts with prefix running (true) or taken from the cache (false).
func stepRan(t *testing.T, out, prefix string) bool {
	t.Helper()
	re := regexp.MustCompile(`(?m)^#(\d+) ` + regexp.QuoteMeta(prefix))
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no vertex %q in the build's progress:\n%s", prefix, tail(out, 60))
	}
	return !regexp.MustCompile(`(?m)^#` + m[1] + ` CACHED$`).MatchString(out)
}

// appendTo adds text to a file of dir.
func appendTo(t *testing.T, dir, name, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// TestHakyllStepsCache: editing a post re-runs only the Hakyll example's
// second step (render), not the first (compile the generator); editing
// site.hs re-runs both.
func TestHakyllStepsCache(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.exampleDir(t, "hakyll", 8080)
	// A builder of its own: a concurrent build of the same steps on a
	// shared builder would show as this build's steps running.
	own := e.freshBuilder(t, "hakyll-steps")
	first := e.mustBuild(t, build{dir: dir, builder: own})
	if !strings.Contains(first, "[layercake] step 1 of 2 (Dockerfile:") {
		t.Fatalf("no step 1 in the progress:\n%s", tail(first, 40))
	}
	appendTo(t, dir, "posts/2024-01-10-hello.md", "\nAn edit.\n")
	out := e.mustBuild(t, build{dir: dir, builder: own})
	if stepRan(t, out, "[layercake] step 1 of 2") {
		t.Error("editing a post compiled the generator again")
	}
	if !stepRan(t, out, "[layercake] step 2 of 2") {
		t.Error("editing a post did not render the site again")
	}
	appendTo(t, dir, "site.hs", "\n-- an edit\n")
	out = e.mustBuild(t, build{dir: dir, builder: own})
	if !stepRan(t, out, "[layercake] step 1 of 2") || !stepRan(t, out, "[layercake] step 2 of 2") {
		t.Error("editing site.hs did not re-run both steps")
	}
}

// TestStepFailureNamesTheStep: a failing step's error names the step and
// buildx shows the spec's lines for it.
func TestStepFailureNamesTheStep(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf(`# syntax=%s
version: 1
site:
  build:
    packages: [hugo]
    steps:
      - run: echo ok >marker
      - run: echo the-last-words >&2; exit 5
    output: public
`, e.frontend))
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("build succeeded:\n%s", tail(out, 20))
	}
	for _, want := range []string{"the-last-words", `step 2, "echo the-last-words >&2; exit 5", failed with exit status 5`,
		"Dockerfile:8", ">>>       - run: echo the-last-words"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(out, 40))
		}
	}
}

// TestOutputHintNamesWrittenFolder: when the output folder stays empty, the
// error names the folder the generator wrote and suggests it.
func TestOutputHintNamesWrittenFolder(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "Dockerfile", fmt.Sprintf(`# syntax=%s
version: 1
site:
  build:
    packages: [hugo]
    run: mkdir -p public && echo hi >public/index.html
    output: _site
`, e.frontend))
	out, err := e.tryBuild(t, build{dir: dir})
	if err == nil {
		t.Fatalf("build succeeded:\n%s", tail(out, 20))
	}
	if want := "it wrote public/ (public/ holds index.html); set output: public"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, tail(out, 30))
	}
}

// TestCacheInSources: a cache mount inside /src, as init writes for a
// generator's own cache folder (Hugo's resources/_gen, Docusaurus'
// .docusaurus), keeps what the generator wrote there for the next build
// after an edit, in a run and in a step alike, and none of it reaches the
// site.
func TestCacheInSources(t *testing.T) {
	e := need(t)
	t.Parallel()
	// The command counts its runs in the cache folder and publishes the count.
	const count = `mkdir -p resources/_gen && n=$(cat resources/_gen/runs 2>/dev/null || echo 0) && n=$((n+1)) && echo $n >resources/_gen/runs && hugo --minify --destination /out && echo $n >/out/runs.txt`
	for _, tc := range []struct{ name, build string }{
		{"run", fmt.Sprintf("    run: %q\n    cache: [/src/resources/_gen]\n", count)},
		{"step", fmt.Sprintf("    steps:\n      - run: %q\n        cache: [/src/resources/_gen]\n", count)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := e.exampleDir(t, "hugo", 8080)
			spec := regexp.MustCompile(`(?s)    run: .*?\n    workdir:`).ReplaceAllLiteralString(readFile(t, dir, "Dockerfile"), tc.build+"    workdir:")
			write(t, dir, "Dockerfile", spec)
			own := e.freshBuilder(t, "cache-src-"+tc.name)
			for i, want := range []string{"1", "2"} {
				if i > 0 {
					appendTo(t, dir, "content/posts/first-post.md", "\nAn edit.\n")
				}
				out := filepath.Join(t.TempDir(), "site")
				e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--target", "site", "-o", out}})
				if got := strings.TrimSpace(readFile(t, out, "runs.txt")); got != want {
					t.Errorf("build %d: runs.txt = %q, want %q (the cache mount in /src kept nothing)", i+1, got, want)
				}
				if _, err := os.Stat(filepath.Join(out, "resources")); err == nil {
					t.Errorf("build %d: the site holds resources/", i+1)
				}
			}
		})
	}
}

// TestCacheNamespace: with BUILDKIT_CACHE_MOUNT_NS, a site's cache folders
// are its own on a builder the site shares: a build in another namespace
// starts with an empty cache, and the first namespace still finds its own.
func TestCacheNamespace(t *testing.T) {
	e := need(t)
	t.Parallel()
	const count = `mkdir -p resources/_gen && n=$(cat resources/_gen/runs 2>/dev/null || echo 0) && n=$((n+1)) && echo $n >resources/_gen/runs && hugo --minify --destination /out && echo $n >/out/runs.txt`
	dir := e.exampleDir(t, "hugo", 8080)
	spec := regexp.MustCompile(`(?s)    run: .*?\n    workdir:`).ReplaceAllLiteralString(readFile(t, dir, "Dockerfile"),
		fmt.Sprintf("    run: %q\n    cache: [/src/resources/_gen]\n    workdir:", count))
	write(t, dir, "Dockerfile", spec)
	// Names no other build on the shared builder uses.
	a, b := fmt.Sprintf("lc-ns-%d-a", time.Now().UnixNano()), fmt.Sprintf("lc-ns-%d-b", time.Now().UnixNano())
	for i, step := range []struct{ ns, want string }{{a, "1"}, {a, "2"}, {b, "1"}, {a, "3"}} {
		appendTo(t, dir, "content/posts/first-post.md", fmt.Sprintf("\nEdit %d.\n", i))
		out := filepath.Join(t.TempDir(), "site")
		e.mustBuild(t, build{dir: dir, args: []string{"--build-arg", "BUILDKIT_CACHE_MOUNT_NS=" + step.ns, "--target", "site", "-o", out}})
		if got := strings.TrimSpace(readFile(t, out, "runs.txt")); got != step.want {
			t.Errorf("build %d in namespace %s: runs.txt = %q, want %q", i+1, step.ns, got, step.want)
		}
	}
}

// readFile returns a file of dir as text; it fails the test when missing.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
