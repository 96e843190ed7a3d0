package initspec

import (
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// out is where the generated commands write the site inside the build.
const out = "/out"

// hugoConfigs name a Hugo site by themselves.
var hugoConfigs = []string{
	"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
	"config/_default/hugo.toml", "config/_default/hugo.yaml", "config/_default/hugo.yml", "config/_default/hugo.json",
}

// hugoLegacyConfigs name a Hugo site when they set baseURL (Hugo's keys are
// case-insensitive); other tools use these names too.
var hugoLegacyConfigs = []string{"config.toml", "config.yaml", "config.yml", "config.json"}

func detectHugo(fsys fs.FS) (Detection, bool, error) {
	name, err := firstFile(fsys, hugoConfigs...)
	if err != nil {
		return Detection{}, false, err
	}
	for _, legacy := range hugoLegacyConfigs {
		if name != "" {
			break
		}
		text, err := readText(fsys, legacy)
		if err != nil {
			return Detection{}, false, err
		}
		if strings.Contains(strings.ToLower(text), "baseurl") {
			name = legacy
		}
	}
	if name == "" {
		return Detection{}, false, nil
	}
	return Detection{Generator: Hugo, Reason: "found " + name, Spec: Template{
		Build: &spec.Build{Packages: []string{"hugo"}, Run: spec.Command{Shell: "hugo --minify --destination " + out}, Workdir: ".", Output: out},
		Notes: []string{
			"Hugo modules and remote resources (resources.GetRemote) need network: true;",
			"then cache: [/root/.cache/hugo_cache] keeps Hugo's downloads between builds.",
			"Themes in themes/ are part of the context: check that git submodules are checked out.",
		},
	}}, true, nil
}

// materialTheme matches "theme: material" and "theme:\n  name: material".
var materialTheme = regexp.MustCompile(`(?m)^theme:(?:[ \t]*(?:#.*)?\n(?:[ \t]+.*\n)*?[ \t]+name:)?[ \t]*['"]?material\b`)

func detectMkDocs(fsys fs.FS) (Detection, bool, error) {
	name, err := firstFile(fsys, "mkdocs.yml", "mkdocs.yaml")
	if err != nil || name == "" {
		return Detection{}, false, err
	}
	text, err := readText(fsys, name)
	if err != nil {
		return Detection{}, false, err
	}
	packages := []string{"mkdocs"}
	if materialTheme.MatchString(text) {
		packages = append(packages, "mkdocs-material")
	}
	return Detection{Generator: MkDocs, Reason: "found " + name, Spec: Template{
		Build: &spec.Build{Packages: packages, Run: spec.Command{Shell: "mkdocs build --strict --site-dir " + out}, Workdir: ".", Output: out},
		Notes: []string{
			"Themes, plugins and Markdown extensions come from Debian too: add the packages",
			"of those " + name + " names (mkdocs-*, python3-pymdownx, ...) to packages.",
			"--strict fails the build on warnings such as broken links.",
		},
	}}, true, nil
}

func detectJekyll(fsys fs.FS) (Detection, bool, error) {
	ok, err := isFile(fsys, "_config.yml")
	if err != nil || !ok {
		return Detection{}, false, err
	}
	return Detection{Generator: Jekyll, Reason: "found _config.yml", Spec: Template{
		Build: &spec.Build{Packages: []string{"jekyll"}, Run: spec.Command{Shell: "jekyll build --destination " + out}, Workdir: ".", Output: out},
		Notes: []string{
			"The Gemfile is not used: plugins and themes come from Debian (ruby-jekyll-*,",
			"ruby-minima, ...), so add the packages of the gems your site uses to packages.",
		},
	}}, true, nil
}

// hakyllImport matches a Haskell module that imports Hakyll.
var hakyllImport = regexp.MustCompile(`(?m)^import\s+(?:qualified\s+)?Hakyll\b`)

func detectHakyll(fsys fs.FS) (Detection, bool, error) {
	main, reason, err := hakyllMain(fsys)
	if err != nil || main == "" {
		return Detection{}, false, err
	}
	return Detection{Generator: Hakyll, Reason: reason, Spec: Template{
		Build: &spec.Build{Packages: []string{"ghc", "libghc-hakyll-dev"}, Run: spec.Command{Shell: hakyllRun(main)}, Workdir: ".", Output: "_site"},
		Notes: []string{
			main + " is compiled with Debian's ghc and Hakyll, then run: other Haskell libraries",
			"it imports need their libghc-*-dev packages. If it sets destinationDirectory,",
			"change output to match (Hakyll writes _site by default).",
		},
	}}, true, nil
}

// hakyllMain finds the generator's main module: the main-is of a top-level
// *.cabal file that names hakyll, else a top-level site.hs importing Hakyll.
func hakyllMain(fsys fs.FS) (main, reason string, err error) {
	cabals, err := fs.Glob(fsys, "*.cabal")
	if err != nil {
		return "", "", err
	}
	for _, name := range cabals {
		text, err := readText(fsys, name)
		if err != nil {
			return "", "", err
		}
		if !strings.Contains(strings.ToLower(stripCabalComments(text)), "hakyll") {
			continue
		}
		main, err := cabalMain(fsys, text)
		return main, "found " + name + " naming hakyll", err
	}
	text, err := readText(fsys, defaultHakyllMain)
	if err != nil || !hakyllImport.MatchString(text) {
		return "", "", err
	}
	return defaultHakyllMain, "found " + defaultHakyllMain + " importing Hakyll", nil
}

// hakyllRun compiles main with the build products out of the sources and
// runs the generator's build command in the working folder.
func hakyllRun(main string) string {
	args := []string{"ghc", "-O0", "-threaded", "-outputdir", "/tmp/hakyll-ghc"}
	if dir := path.Dir(main); dir != "." {
		args = append(args, "-i"+ShellQuote(dir))
	}
	args = append(args, ShellQuote(main), "-o", "/tmp/site")
	return strings.Join(args, " ") + " && /tmp/site build"
}

// htmlDirs are the usual folders of a prebuilt site, in the order tried.
var htmlDirs = []string{"public", "site", "www", "dist", "_site"}

func detectHTML(fsys fs.FS) (Detection, bool, error) {
	for _, dir := range htmlDirs {
		ok, err := isFile(fsys, dir+"/index.html")
		if err != nil {
			return Detection{}, false, err
		}
		if ok {
			return Detection{Generator: HTML, Reason: "found " + dir + "/index.html", Spec: Template{Dir: dir}}, true, nil
		}
	}
	ok, err := isFile(fsys, "index.html")
	if err != nil || !ok {
		return Detection{}, false, err
	}
	return Detection{Generator: HTML, Reason: "found index.html", Spec: Template{Dir: ".", Notes: []string{
		"The whole folder is served, this file and layercake.lock included. Keep them",
		"and other files not meant for the web out with a .dockerignore, for example:",
		"  Dockerfile",
		"  layercake.lock",
		"  .dockerignore",
		"  .git",
	}}}, true, nil
}

// shellSafe matches words that /bin/sh reads as they are.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// ShellQuote quotes s for /bin/sh when it needs it; init uses it for the
// commands it prints too.
func ShellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
