package initspec

import (
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

// The run command compiles the main module found in the cabal file.
func TestHakyllRun(t *testing.T) {
	fsys := fstest.MapFS{
		"blog.cabal":    file("executable blog\n  hs-source-dirs: src\n  main-is: Blog.hs\n  build-depends: base, hakyll\n"),
		"src/Blog.hs":   file("import Hakyll\n"),
		"site dir/x.hs": file(""),
	}
	d, err := Detect(fsys)
	if err != nil {
		t.Fatal(err)
	}
	const want = "ghc -O0 -threaded -outputdir /tmp/hakyll-ghc -isrc src/Blog.hs -o /tmp/site && /tmp/site build"
	if d.Spec.Build.Run.Shell != want {
		t.Errorf("Detect().Run = %q, want %q", d.Spec.Build.Run.Shell, want)
	}
	if got := hakyllRun("my site/Main.hs"); !strings.Contains(got, `-i'my site' 'my site/Main.hs'`) {
		t.Errorf("hakyllRun(%q) = %q, want the folder and file quoted", "my site/Main.hs", got)
	}
}
