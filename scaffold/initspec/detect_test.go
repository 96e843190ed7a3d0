package initspec

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// file is a MapFS entry holding text.
func file(text string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(text), Mode: 0o644} }

const blogCabal = `cabal-version: 2.4
name:          blog
version:       0.1.0.0

-- The generator.
executable site
  main-is:          site.hs
  build-depends:    base, hakyll >= 4.15
  ghc-options:      -threaded
  default-language: Haskell2010
`

// layouts are one repository per generator, each named after its golden file.
var layouts = []struct {
	name      string
	fsys      fstest.MapFS
	generator string
	reason    string
}{
	{"hugo", fstest.MapFS{"hugo.toml": file("baseURL = 'https://example.org/'\n"), "content/_index.md": file("# hi\n"), "public/index.html": file("old\n")}, Hugo, "found hugo.toml"},
	{"mkdocs", fstest.MapFS{"mkdocs.yml": file("site_name: Docs\ntheme:\n  name: material\n"), "docs/index.md": file("# hi\n")}, MkDocs, "found mkdocs.yml"},
	{"jekyll", fstest.MapFS{"_config.yml": file("title: Blog\n"), "index.md": file("# hi\n"), "Gemfile": file("gem 'jekyll'\n")}, Jekyll, "found _config.yml"},
	// A blog made with `jekyll new`, grown: plugins in _config.yml (and the
	// old gems: key), more in the Gemfile, one gem Debian does not have.
	{"jekyll-plugins", fstest.MapFS{
		"_config.yml": file("title: Blog\ntheme: minima\nplugins:\n  - jekyll-feed\n  - jekyll-seo-tag\ngems: [jekyll-sitemap]\n"),
		"Gemfile":     file("source \"https://rubygems.org\"\ngem \"jekyll\", \"~> 4.3\"\ngem \"minima\", \"~> 2.5\"\ngroup :jekyll_plugins do\n  gem \"jekyll-feed\"\n  gem \"jekyll-spaceship\"\nend\ngem \"tzinfo-data\", platforms: [:windows]\ngem \"webrick\"\n# gem \"jekyll-admin\"\n"),
		"index.md":    file("# hi\n")}, Jekyll, "found _config.yml"},
	{"hakyll", fstest.MapFS{"blog.cabal": file(blogCabal), "site.hs": file("import Hakyll\nmain = hakyll (pure ())\n"), "posts/a.md": file("a\n")}, Hakyll, "found blog.cabal naming hakyll"},
	{"hakyll-ssg", fstest.MapFS{
		"ssg/ssg.cabal":   file("cabal-version: 3.6\nname: ssg\nexecutable hakyll-site\n  main-is: Main.hs\n  hs-source-dirs: src\n  build-depends: base == 4.*\n               , hakyll == 4.15.*\n               , filepath >= 1.0\n               , pandoc >= 2.11\n               , slugger >= 0.1.0.2\n               , text >= 1 && < 3\n"),
		"ssg/src/Main.hs": file("import Hakyll\nconfig = defaultConfiguration\n    { destinationDirectory = \"dist\"\n    , providerDirectory = \"src\"\n    }\n"),
		"src/index.html":  file("<p>hi</p>\n"), "src/templates/default.html": file("$body$\n")}, Hakyll, "found ssg/ssg.cabal naming hakyll"},
	{"eleventy", fstest.MapFS{"package.json": file(`{"scripts": {"build": "eleventy"}, "devDependencies": {"@11ty/eleventy": "^3.0.0"}}`), "package-lock.json": file("{}\n"), "index.md": file("# hi\n")}, Eleventy, "found package.json depending on @11ty/eleventy"},
	{"astro", fstest.MapFS{"package.json": file(`{"dependencies": {"astro": "^5.0.0", "@astrojs/mdx": "^4.0.0"}}`), "package-lock.json": file("{}\n"), "src/pages/index.astro": file("<p>hi</p>\n")}, Astro, "found package.json depending on astro"},
	{"docusaurus", fstest.MapFS{"package.json": file(`{"dependencies": {"@docusaurus/core": "3.6.0", "react": "^18"}}`), "yarn.lock": file("\n"), "docusaurus.config.js": file("export default {};\n")}, Docusaurus, "found package.json depending on @docusaurus/core"},
	{"vitepress", fstest.MapFS{"package.json": file(`{"scripts": {"docs:dev": "vitepress dev docs", "docs:build": "vitepress build docs"}, "devDependencies": {"vitepress": "^1.5.0"}}`), "package-lock.json": file("{}\n"), "docs/index.md": file("# hi\n")}, VitePress, "found package.json depending on vitepress"},
	{"html-public", fstest.MapFS{"public/index.html": file("<p>hi</p>\n"), "README.md": file("hi\n")}, HTML, "found public/index.html"},
	{"html-root", fstest.MapFS{"index.html": file("<p>hi</p>\n"), "style.css": file("p{}\n")}, HTML, "found index.html"},
}

// allLayouts are the layouts above and the stand-ins for real repositories.
func allLayouts() []struct {
	name      string
	fsys      fstest.MapFS
	generator string
	reason    string
} {
	return append(slices.Clone(layouts), realLayouts...)
}

func TestDetectGolden(t *testing.T) {
	for _, tc := range allLayouts() {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Detect(tc.fsys)
			if err != nil {
				t.Fatalf("Detect() error = %v", err)
			}
			if d.Generator != tc.generator || d.Reason != tc.reason {
				t.Errorf("Detect() = %s (%s), want %s (%s)", d.Generator, d.Reason, tc.generator, tc.reason)
			}
			checkGolden(t, filepath.Join("testdata", tc.name+".golden"), Render(d, DefaultImage))
		})
	}
}

func checkGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to write it): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("Render() differs from %s (run with -update after checking):\n%s", golden, got)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name      string
		fsys      fstest.MapFS
		generator string
		reason    string
	}{
		// mkdocs.yml wins over _config.yml, which is Jekyll's only on its own.
		{"mkdocs before jekyll", fstest.MapFS{"mkdocs.yml": file("site_name: x\n"), "_config.yml": file("x: 1\n")}, MkDocs, "found mkdocs.yml"},
		// A generator's sources win over a prebuilt index.html.
		{"hugo before html", fstest.MapFS{"hugo.toml": file(""), "index.html": file("")}, Hugo, "found hugo.toml"},
		{"hugo before mkdocs", fstest.MapFS{"hugo.yaml": file(""), "mkdocs.yml": file("")}, Hugo, "found hugo.yaml"},
		{"jekyll before hakyll", fstest.MapFS{"_config.yml": file(""), "blog.cabal": file(blogCabal)}, Jekyll, "found _config.yml"},
		{"hakyll before html", fstest.MapFS{"blog.cabal": file(blogCabal), "_site/index.html": file("")}, Hakyll, "found blog.cabal naming hakyll"},
		// config.toml is Hugo's only when it sets baseURL, in any case.
		{"hugo config.toml", fstest.MapFS{"config.toml": file("baseURL = '/'\n")}, Hugo, "found config.toml"},
		{"hugo config.yaml lower case", fstest.MapFS{"config.yaml": file("baseurl: /\n")}, Hugo, "found config.yaml"},
		{"hugo config dir", fstest.MapFS{"config/_default/hugo.toml": file("")}, Hugo, "found config/_default/hugo.toml"},
		{"config.toml without baseURL", fstest.MapFS{"config.toml": file("[tool]\n"), "www/index.html": file("")}, HTML, "found www/index.html"},
		{"mkdocs.yaml", fstest.MapFS{"mkdocs.yaml": file("")}, MkDocs, "found mkdocs.yaml"},
		// A cabal file without hakyll is some other Haskell program.
		{"cabal without hakyll", fstest.MapFS{"tool.cabal": file("executable tool\n  main-is: Main.hs\n  build-depends: base\n"), "dist/index.html": file("")}, HTML, "found dist/index.html"},
		// hakyll named only in a comment does not count.
		{"cabal comment", fstest.MapFS{"tool.cabal": file("-- not hakyll\nexecutable tool\n  main-is: Main.hs\n")}, "", ""},
		{"site.hs without cabal", fstest.MapFS{"site.hs": file("{-# LANGUAGE OverloadedStrings #-}\nimport           Hakyll\n")}, Hakyll, "found site.hs importing Hakyll"},
		{"html dirs in order", fstest.MapFS{"site/index.html": file(""), "www/index.html": file(""), "index.html": file("")}, HTML, "found site/index.html"},
		{"_site", fstest.MapFS{"_site/index.html": file("")}, HTML, "found _site/index.html"},
		// conf.py is Sphinx's only when it reads like Sphinx settings.
		{"conf.py of another tool", fstest.MapFS{"conf.py": file("DEBUG = True\n"), "public/index.html": file("")}, HTML, "found public/index.html"},
		{"sphinx source folder", fstest.MapFS{"source/conf.py": file("extensions = []\n")}, Sphinx, "found source/conf.py"},
		{"sphinx docs/source", fstest.MapFS{"docs/source/conf.py": file("project = 'x'  # Sphinx\n")}, Sphinx, "found docs/source/conf.py"},
		// A folder named like a config file is not one.
		{"directory named hugo.toml", fstest.MapFS{"hugo.toml/x": file(""), "public/index.html": file("")}, HTML, "found public/index.html"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Detect(tc.fsys)
			if tc.generator == "" {
				if !errors.Is(err, ErrNoSite) {
					t.Fatalf("Detect() = %s, %v, want ErrNoSite", d.Generator, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Detect() error = %v", err)
			}
			if d.Generator != tc.generator || d.Reason != tc.reason {
				t.Errorf("Detect() = %s (%s), want %s (%s)", d.Generator, d.Reason, tc.generator, tc.reason)
			}
		})
	}
}

// The error for an empty folder names everything looked for.
func TestDetectNothing(t *testing.T) {
	_, err := Detect(fstest.MapFS{"README.md": file("hi\n")})
	if !errors.Is(err, ErrNoSite) {
		t.Fatalf("Detect() error = %v, want ErrNoSite", err)
	}
	for _, want := range []string{"hugo.toml", "baseURL", "mkdocs.yml", "conf.py", "_config.yml", "*.cabal", "public/", "_site/", "index.html"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Detect() error = %q, want it to name %s", err, want)
		}
	}
}

// MkDocs' Material theme is a Debian package of its own.
func TestDetectMkDocsMaterial(t *testing.T) {
	tests := []struct {
		config   string
		material bool
	}{
		{"theme: material\n", true},
		{"theme: 'material'\n", true},
		{"theme:\n  name: material\n  palette: {}\n", true},
		{"theme:\n  palette: {}\n  name: material\n", true},
		{"theme: readthedocs\n", false},
		{"site_name: material\ntheme: mkdocs\n", false},
		{"site_name: x\n", false},
	}
	for _, tc := range tests {
		d, err := Detect(fstest.MapFS{"mkdocs.yml": file(tc.config)})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(d.Spec.Build.Packages, ",")
		want := "mkdocs"
		if tc.material {
			want = "mkdocs,mkdocs-material"
		}
		if got != want {
			t.Errorf("Detect(%q).Packages = %s, want %s", tc.config, got, want)
		}
	}
}

// The same folder always gives the same bytes.
func TestRenderDeterministic(t *testing.T) {
	for _, tc := range allLayouts() {
		d, err := Detect(tc.fsys)
		if err != nil {
			t.Fatal(err)
		}
		first := Render(d, DefaultImage)
		for range 20 {
			d, _ := Detect(tc.fsys)
			if got := Render(d, DefaultImage); string(got) != string(first) {
				t.Fatalf("%s: Render() changed between runs:\n%s\nthen\n%s", tc.name, first, got)
			}
		}
	}
}

// Every package name init writes exists in Debian trixie, checked against
// the recorded excerpt of its index (trixie-amd64.names).
func TestPackagesExistInDebian(t *testing.T) {
	for _, tc := range allLayouts() {
		d, err := Detect(tc.fsys)
		if err != nil {
			t.Fatal(err)
		}
		if d.Spec.Build == nil {
			continue
		}
		for _, p := range d.Spec.Build.Packages {
			if !inDebian(p) {
				t.Errorf("%s: package %q is not in Debian trixie", tc.name, p)
			}
		}
	}
	for _, name := range []string{"ruby-minima", "libghc-slugger-dev"} {
		if inDebian(name) {
			t.Errorf("inDebian(%q) = true; the recorded index should not have it", name)
		}
	}
}
