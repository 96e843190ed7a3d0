package initspec

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCabalMain(t *testing.T) {
	tests := []struct {
		name  string
		cabal string
		files []string
		want  string
	}{
		{"main-is", "executable site\n  main-is: site.hs\n  build-depends: hakyll\n", nil, "site.hs"},
		{"other name", "executable blog\n  main-is: Blog.hs\n  build-depends: base, hakyll\n", nil, "Blog.hs"},
		// Field names are case-insensitive; the value may sit on the next line.
		{"case and continuation", "Executable site\n  Main-Is:\n    Main.hs\n  Build-Depends: hakyll\n", nil, "Main.hs"},
		{"no main-is", "executable site\n  build-depends: hakyll\n", nil, "site.hs"},
		// hs-source-dirs: the folder where the module is found wins.
		{"source dirs", "executable site\n  hs-source-dirs: app, src\n  main-is: Main.hs\n  build-depends: hakyll\n", []string{"src/Main.hs"}, "src/Main.hs"},
		{"source dir missing file", "executable site\n  hs-source-dirs: app\n  main-is: Main.hs\n  build-depends: hakyll\n", nil, "app/Main.hs"},
		// The executable that depends on hakyll, not the first one.
		{"second executable", "library\n  build-depends: base\n\nexecutable tool\n  main-is: Tool.hs\n  build-depends: base\n\nexecutable site\n  main-is: site.hs\n  build-depends: base\n               , hakyll\n", nil, "site.hs"},
		{"first executable", "library\n  build-depends: hakyll\nexecutable site\n  main-is: Site.hs\n", nil, "Site.hs"},
		// A main-is of the library section or a comment is not the executable's.
		{"comments", "-- main-is: Wrong.hs\nexecutable site\n  -- main-is: Old.hs\n  main-is: site.hs\n  build-depends: hakyll\n", nil, "site.hs"},
		{"outside", "executable site\n  main-is: ../x.hs\n  build-depends: hakyll\n", nil, "site.hs"},
		{"crlf", "executable site\r\n  main-is: Site.hs\r\n  build-depends: hakyll\r\n", nil, "Site.hs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tc.files {
				fsys[f] = file("main = pure ()\n")
			}
			got, err := cabalMain(fsys, tc.cabal)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("cabalMain(%q) = %q, want %q", tc.cabal, got, tc.want)
			}
		})
	}
}

// The compile step builds the main module found in the cabal file, with
// the generator's sources as its only inputs; the render step runs it.
func TestHakyllSteps(t *testing.T) {
	fsys := fstest.MapFS{
		"blog.cabal":    file("executable blog\n  hs-source-dirs: src\n  main-is: Blog.hs\n  build-depends: base, hakyll\n"),
		"src/Blog.hs":   file("import Hakyll\n"),
		"site dir/x.hs": file(""),
	}
	d, err := Detect(fsys)
	if err != nil {
		t.Fatal(err)
	}
	steps := d.Spec.Build.Steps
	if len(steps) != 2 {
		t.Fatalf("steps = %+v, want 2", steps)
	}
	const want = "ghc -O0 -threaded -outputdir /tmp/hakyll-ghc -isrc src/Blog.hs -o /src/.site"
	if steps[0].Run.Shell != want || !slices.Equal(steps[0].Inputs, []string{"blog.cabal", "*.hs", "src"}) {
		t.Errorf("compile step = %+v, want %q with inputs blog.cabal, *.hs, src", steps[0], want)
	}
	if steps[1].Run.Shell != "/src/.site build" || steps[1].Inputs != nil {
		t.Errorf("render step = %+v", steps[1])
	}
	if got := hakyllCompile("my site/Main.hs"); !strings.Contains(got, `-i'my site' 'my site/Main.hs'`) {
		t.Errorf("hakyllCompile(%q) = %q, want the folder and file quoted", "my site/Main.hs", got)
	}
}

// A generator in a folder of its own (ssg/ with a cabal file) and the
// content in another (site/ with templates/): compile in the root, run in
// the content folder.
func TestHakyllInSubfolder(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		main                  string
		workdir, output, cwd0 string
		inputs                []string
	}{
		{"content folder", "import Hakyll\nmain = hakyll (pure ())\n", "site", "_site", ".", []string{"ssg"}},
		{"providerDirectory", "import Hakyll\nconfig = defaultConfiguration\n  { destinationDirectory = \"dist\"\n  , providerDirectory = \"src\"\n  }\n", ".", "dist", "", []string{"ssg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"ssg/ssg.cabal":            file("cabal-version: 3.6\nname: ssg\nexecutable hakyll-site\n  main-is:  Main.hs\n  hs-source-dirs: src\n  build-depends:  base == 4.*\n                , hakyll == 4.15.*\n                , pandoc >= 2.11\n                , slugger >= 0.1\n"),
				"ssg/src/Main.hs":          file(tc.main),
				"site/templates/a.html":    file("<p>$body$</p>\n"),
				"site/posts/2020-01-01.md": file("hi\n"),
				"src/index.html":           file("<p>hi</p>\n"),
			}
			d, err := Detect(fsys)
			if err != nil {
				t.Fatal(err)
			}
			b := d.Spec.Build
			if d.Generator != Hakyll || d.Reason != "found ssg/ssg.cabal naming hakyll" {
				t.Errorf("Detect() = %s (%s)", d.Generator, d.Reason)
			}
			if b.Workdir != tc.workdir || b.Output != tc.output || b.Steps[0].Workdir != tc.cwd0 {
				t.Errorf("workdir %q, output %q, compile workdir %q; want %q, %q, %q", b.Workdir, b.Output, b.Steps[0].Workdir, tc.workdir, tc.output, tc.cwd0)
			}
			if !slices.Equal(b.Steps[0].Inputs, tc.inputs) || !strings.Contains(b.Steps[0].Run.Shell, "-issg/src ssg/src/Main.hs") {
				t.Errorf("compile step = %+v", b.Steps[0])
			}
			if !slices.Equal(b.Packages, []string{"ghc", "libghc-hakyll-dev", "libghc-pandoc-dev"}) {
				t.Errorf("packages = %q, want ghc, hakyll and pandoc", b.Packages)
			}
			if notes := strings.Join(d.Spec.Notes, " "); !strings.Contains(notes, "no package for these build-depends: slugger") {
				t.Errorf("notes do not name slugger: %s", notes)
			}
		})
	}
}

func TestCabalDepends(t *testing.T) {
	text := "library\n  build-depends: lib-only\nexecutable site\n  build-depends: base >= 4, hakyll\n               , pandoc\n  -- , commented\n  main-is: site.hs\n"
	if got := cabalDepends(text); !slices.Equal(got, []string{"base", "hakyll", "pandoc"}) {
		t.Errorf("cabalDepends() = %q", got)
	}
}
