package frontend

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
)

// buildSpec generates the site with hugo.
const buildSpec = "version: 1\ndebian:\n  suite: trixie\n  mirror: " + testMirror + "\nsite:\n  build:\n    packages: [hugo]\n    run: hugo --destination /out\n    output: /out\n"

// generatorFake builds buildSpec with a lock that pins the toolchain.
func generatorFake(t *testing.T, context tree) *fakeGateway {
	t.Helper()
	g := newFake(buildSpec, context, nil)
	l := testLock(t, "amd64")
	l.SetToolchain("amd64", []string{"hugo"}, []debian.Package{testPackage("hugo", "amd64"), testPackage("dpkg", "amd64")})
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, l))
	return g
}

// localExcludes returns the exclude patterns of every solved local source
// named name, in solve order.
func (g *fakeGateway) localExcludes(t *testing.T, name string) [][]string {
	t.Helper()
	var out [][]string
	for _, def := range g.defs {
		for _, dt := range def.Def {
			var op pb.Op
			if err := op.UnmarshalVT(dt); err != nil {
				t.Fatal(err)
			}
			if s := op.GetSource(); s != nil && s.Identifier == "local://"+name {
				var ex []string
				if v := s.Attrs[pb.AttrExcludePatterns]; v != "" {
					json.Unmarshal([]byte(v), &ex)
				}
				out = append(out, ex)
			}
		}
	}
	return out
}

// A generator's sources are filtered by every .gitignore of the context
// (and .dockerignore); gitignore: false leaves them out.
func TestGeneratorSourcesFollowGitignore(t *testing.T) {
	context := tree{
		".gitignore":      file("public/\n*.swp\n"),
		"docs/.gitignore": file("draft.md\n"),
		".dockerignore":   file("secret.txt\n"),
		"content/a.md":    file("# a"),
	}
	g := generatorFake(t, context)
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	var all []string
	for _, ex := range g.localExcludes(t, "context") {
		all = append(all, ex...)
	}
	for _, want := range []string{"secret.txt", "docs/**/draft.md"} {
		if !slices.ContainsFunc(all, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("context excludes %q, want one for %q", all, want)
		}
	}
	if !g.solvedNamed("load .gitignore files") {
		t.Errorf("the .gitignore files were not read: %q", g.solved)
	}

	off := generatorFake(t, context)
	off.locals["dockerfile"]["Dockerfile"] = file(buildSpec + "    gitignore: false\n")
	if _, err := run(t, off); err != nil {
		t.Fatalf("Build(gitignore: false) error = %v", err)
	}
	if off.solvedNamed("load .gitignore files") {
		t.Error("gitignore: false still read the .gitignore files")
	}
}

// Too many .gitignore files is an error that says what to do.
func TestTooManyGitignores(t *testing.T) {
	context := tree{}
	for i := range maxGitignores + 1 {
		context[strings.Repeat("d/", 1)+string(rune('a'+i%26))+"/"+itoa(i)+"/.gitignore"] = file("x\n")
	}
	g := generatorFake(t, context)
	_, err := run(t, g)
	if err == nil || !strings.Contains(err.Error(), "site.build.gitignore: false") {
		t.Errorf("Build() error = %v, want the hint to turn gitignore off", err)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// The generator runs in the toolchain from the lock, and the SBOM says how
// the site was made.
func TestGeneratedSite(t *testing.T) {
	g := generatorFake(t, tree{"content/a.md": file("# a")})
	g.opts["attest:sbom"] = "generator=registry.test/scanner"
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	for _, want := range []string{"toolchain: unpack hugo 1.0-1", "toolchain: dpkg --configure", "generate site: hugo --destination /out", "fetch hugo 1.0-1"} {
		if !g.solvedOp(want) {
			t.Errorf("no solved graph holds %q", want)
		}
	}
	for _, list := range res.Attestations {
		data, err := list[0].Ref.ReadFile(t.Context(), clientRead(sbomPath))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "generated in the build by: hugo --destination /out") {
			t.Errorf("SBOM does not say how the site was made")
		}
	}
}

// A lock without the toolchain is completed from the archive, with a
// warning; --check reports it.
func TestLockMissingToolchain(t *testing.T) {
	a := newArchiveWith(t, []string{"hugo", "libfaketime"}, "amd64")
	g := unlockedFake(t, a, nil)
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(buildSpec, "  mirror: "+testMirror+"\n", "  mirror: "+testMirror+"\n  keys: [keys/archive.asc]\n", 1))
	g.locals["dockerfile"]["layercake.lock"] = file(lockBytes(t, testLock(t, "amd64")))
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if w := g.warned("lacks the site.build toolchain for amd64"); len(w) != 1 {
		t.Errorf("warnings = %+v, want one about the toolchain", g.warnings)
	}
	// The generator's clock is pinned with libfaketime, which the
	// toolchain gets without being asked for.
	if !slices.ContainsFunc(g.execs(), func(args []string) bool { return slices.Contains(args, "--pin-clock") }) {
		t.Errorf("no generator step with --pin-clock in %q", g.execs())
	}
}

// A root the archive does not have fails resolution at the debian: key; a
// toolchain package it does not have, at site.build.packages.
func TestResolutionFailsAtItsKey(t *testing.T) {
	g := unlockedFake(t, newArchiveOf(t, []string{"nginx", "libc6"}, "amd64"), nil)
	_, err := run(t, g)
	var se *errdefs.SourceError
	if err == nil || !strings.Contains(err.Error(), "libnginx-mod-http-brotli-static") || !errors.As(err, &se) || se.Ranges[0].Start.Line != 2 {
		t.Errorf("Build() error = %v, want the missing root at the debian: key (line 2)", err)
	}

	g = unlockedFake(t, newArchive(t, "amd64"), nil)
	g.locals["dockerfile"]["Dockerfile"] = file(strings.Replace(buildSpec, "  mirror: "+testMirror+"\n", "  mirror: "+testMirror+"\n  keys: [keys/archive.asc]\n", 1))
	_, err = run(t, g)
	if err == nil || !strings.Contains(err.Error(), "site.build.packages: resolving the toolchain [hugo]") || !errors.As(err, &se) || se.Ranges[0].Start.Line != 8 {
		t.Errorf("Build() error = %v, want the missing toolchain at site.build.packages (line 8)", err)
	}
}

// An InRelease signed by a key the build does not trust fails at
// debian.keys.
func TestUntrustedArchive(t *testing.T) {
	a := newArchive(t, "amd64")
	other := newArchive(t, "amd64")
	g := unlockedFake(t, a, nil)
	g.locals["context"]["keys/archive.asc"] = file(string(other.pubKey))
	_, err := run(t, g)
	var sig *debian.SignatureError
	if !errors.As(err, &sig) {
		t.Fatalf("Build() error = %v, want a signature error", err)
	}
	var se *errdefs.SourceError
	if !errors.As(err, &se) || se.Ranges[len(se.Ranges)-1].Start.Line != 5 {
		t.Errorf("Build() error = %v, want it at debian.keys (line 5)", err)
	}
}

// --build-context site=DIR replaces the build context as the site's source.
func TestNamedSiteContext(t *testing.T) {
	g := staticFake(t, map[string]string{"context:site": "local:sitedir"})
	g.locals["sitedir"] = tree{"public/index.html": file("other")}
	if _, err := run(t, g); err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	if len(g.localExcludes(t, "sitedir")) == 0 {
		t.Errorf("the site context was not used: %q", g.solved)
	}
}

// A file a step names in inputs: but a .gitignore leaves out would be
// silently missing from the step: the build fails at the input's line,
// naming the .gitignore.
func TestStepInputIgnored(t *testing.T) {
	spec := "version: 1\ndebian:\n  suite: trixie\n  mirror: " + testMirror + "\nsite:\n  build:\n    packages: [hugo]\n    steps:\n" +
		"      - {inputs: [package.json, build/config.json], run: npm ci}\n      - run: hugo --destination /out\n    output: /out\n"
	g := generatorFake(t, tree{
		".gitignore":        file("node_modules/\n"),
		"build/.gitignore":  file("*.json\n"),
		"package.json":      file("{}"),
		"build/config.json": file("{}"),
	})
	g.locals["dockerfile"]["Dockerfile"] = file(spec)
	_, err := run(t, g)
	want := `Dockerfile:9:33: site.build.steps[0].inputs[1]: build/config.json is ignored by build/.gitignore, so this step would not get it; take it out of that file, or set site.build.gitignore: false and leave build output out with .dockerignore`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Build() error = %v, want %s", err, want)
	}
	if err != nil && strings.Contains(err.Error(), "package.json is ignored") {
		t.Errorf("Build() error = %v, blames an input no .gitignore matches", err)
	}
}
