package frontend

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/llbgen"
)

// generatorReport makes the generator step answer with a site and the
// report its helper would write.
func generatorReport(t *testing.T, g *fakeGateway, files []string, count int) {
	t.Helper()
	data, err := json.Marshal(runReport{Step: "", Files: files, Count: count})
	if err != nil {
		t.Fatal(err)
	}
	g.named["generate site"] = func() (tree, error) {
		return tree{"index.html": file("<h1>hi</h1>"), llbgen.ReportFile: file(string(data))}, nil
	}
}

// When the generator's output differs from an earlier run of the same
// inputs, the build warns once at the generator's line, naming the first
// files (quoted, so a name with a newline or quote stays one name) and
// how many more, with the docs' section as the link.
func TestWarnDifferingOutput(t *testing.T) {
	g := generatorFake(t, tree{"content/a.md": file("# a")})
	files := []string{"a\nb.html", `q"uote.html`, "index.html"}
	generatorReport(t, g, files, 14)
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("is not reproducible")
	if len(w) != 1 {
		t.Fatalf("warnings = %+v, want one about the differing output", g.warnings)
	}
	want := fmt.Sprintf(`site.build.run (Dockerfile:8) is not reproducible: run again with the same inputs on this builder, it wrote 14 files whose bytes differ from the earlier run: %q, %q, %q and 11 more;`, files[0], files[1], files[2])
	if !strings.HasPrefix(w[0].msg, want) {
		t.Errorf("warning = %q\nwant it to start %q", w[0].msg, want)
	}
	if !slices.Equal(w[0].lines, []int32{8}) || w[0].url != ReproducibleDocs {
		t.Errorf("warning at lines %v with link %q, want line 8 and %s", w[0].lines, w[0].url, ReproducibleDocs)
	}
}

// The same output as before, or a first run, says nothing.
func TestNoWarningWhenOutputSame(t *testing.T) {
	g := generatorFake(t, tree{"content/a.md": file("# a")})
	generatorReport(t, g, []string{}, 0)
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if w := g.warned("reproducible"); len(w) != 0 {
		t.Errorf("warnings = %+v, want none", w)
	}
}

// With steps, the warning points at the last step, the one whose output
// is the site.
func TestWarnDifferingNamesLastStep(t *testing.T) {
	spec := "version: 1\ndebian:\n  suite: trixie\n  mirror: " + testMirror + "\nsite:\n  build:\n    packages: [hugo]\n    steps:\n" +
		"      - {inputs: [package.json], run: npm ci}\n      - run: hugo --destination /out\n    output: /out\n"
	g := generatorFake(t, tree{"package.json": file("{}")})
	g.locals["dockerfile"]["Dockerfile"] = file(spec)
	data, _ := json.Marshal(runReport{Files: []string{"index.html"}, Count: 1})
	g.named["step 2 of 2"] = func() (tree, error) {
		return tree{"index.html": file("<h1>hi</h1>"), llbgen.ReportFile: file(string(data))}, nil
	}
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("site.build.steps[1] (Dockerfile:10) is not reproducible")
	if len(w) != 1 || !slices.Equal(w[0].lines, []int32{10}) || !strings.Contains(w[0].msg, `1 file whose bytes differ`) {
		t.Errorf("warnings = %+v, want one at line 10 naming index.html", g.warnings)
	}
}

// A lock written before libfaketime joined every toolchain builds as
// before, with a warning at site.build.packages saying what to do; a lock
// with it says nothing.
func TestWarnLockWithoutFakeTime(t *testing.T) {
	g := generatorFake(t, tree{"content/a.md": file("# a")})
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("pins no libfaketime")
	if len(w) != 1 || !slices.Equal(w[0].lines, []int32{7}) || !strings.Contains(w[0].msg, "--target lock") {
		t.Errorf("warnings = %+v, want one at site.build.packages (line 7)", g.warnings)
	}
	if slices.ContainsFunc(g.execs(), func(args []string) bool { return slices.Contains(args, "--pin-clock") }) {
		t.Errorf("a lock without libfaketime pinned the clock: %q", g.execs())
	}

	g = generatorFake(t, tree{"content/a.md": file("# a")})
	l := testLock(t, "amd64")
	l.SetToolchain("amd64", []string{"hugo"}, []debian.Package{testPackage("hugo", "amd64"), testPackage("dpkg", "amd64"), testPackage("libfaketime", "amd64")})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, l))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if w := g.warned("libfaketime"); len(w) != 0 {
		t.Errorf("warnings = %+v, want none", w)
	}
}

// The step's warning about posts dated after the pinned clock reaches the
// build once, at the generator's line, linking the docs' section; the
// step is told where the epoch came from (here the lock's archive date).
func TestWarnFuturePosts(t *testing.T) {
	g := generatorFake(t, tree{"content/a.md": file("# a")})
	l := testLock(t, "amd64")
	l.SetToolchain("amd64", []string{"hugo"}, []debian.Package{testPackage("hugo", "amd64"), testPackage("dpkg", "amd64"), testPackage("libfaketime", "amd64")})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, l))
	future := `1 page is dated after the build's clock, …, so Hugo leaves it out of the site: "content/a.md" line 3 (2099-01-01T00:00:00Z); …`
	data, _ := json.Marshal(runReport{Files: []string{}, Future: future})
	g.named["generate site"] = func() (tree, error) {
		return tree{"index.html": file("<h1>hi</h1>"), llbgen.ReportFile: file(string(data))}, nil
	}
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	w := g.warned("dated after the build's clock")
	if len(w) != 1 || w[0].msg != "site.build.run (Dockerfile:8): "+future || !slices.Equal(w[0].lines, []int32{8}) || w[0].url != ReproducibleDocs {
		t.Errorf("warnings = %+v, want one at line 8: %q", g.warnings, future)
	}
	if w := g.warned("reproducible"); len(w) != 0 {
		t.Errorf("warnings = %+v, want none about differing output", w)
	}
	if !slices.ContainsFunc(g.execs(), func(args []string) bool {
		i := slices.Index(args, "--clock-from")
		return i > 0 && i+1 < len(args) && args[i+1] == "the archive date of layercake.lock"
	}) {
		t.Errorf("no generator step with --clock-from %q in %q", "the archive date of layercake.lock", g.execs())
	}
}
