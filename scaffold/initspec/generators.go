package initspec

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// hakyllImport matches a Haskell module that imports Hakyll.
var hakyllImport = regexp.MustCompile(`(?m)^import\s+(?:qualified\s+)?Hakyll\b`)

func detectHakyll(s site) (Detection, bool, error) {
	if s.dir != "." {
		return Detection{}, false, nil // findHakyll looks below the root itself
	}
	fsys := s.fsys
	p, err := findHakyll(fsys)
	if err != nil || p == nil {
		return Detection{}, false, err
	}
	mainText, err := readText(fsys, p.main)
	if err != nil {
		return Detection{}, false, err
	}
	b := &spec.Build{Packages: []string{"ghc", "libghc-hakyll-dev"}, Workdir: ".", Output: "_site"}
	notes := []string{p.main + " is compiled with Debian's ghc and Hakyll in a step of its own, so a",
		"content change only runs the generator again."}
	if m := hakyllSetting("destinationDirectory").FindStringSubmatch(mainText); m != nil {
		b.Output = m[1]
	}
	compileDir := ""
	if m := hakyllSetting("providerDirectory").FindStringSubmatch(mainText); m != nil {
		notes = append(notes, fmt.Sprintf("It reads the site from %s/ (providerDirectory) and writes %s/.", m[1], b.Output))
	} else if p.dir != "." {
		content, err := contentFolder(fsys, p.dir)
		if err != nil {
			return Detection{}, false, err
		}
		if content != "" {
			b.Workdir, compileDir = content, "."
			notes = append(notes, "It runs in "+content+"/, the folder with the site's templates.")
		}
	}
	var warnings []string
	missing := hakyllDependencies(b, p.deps)
	if len(missing) > 0 {
		notes = append(notes, problem(&warnings, "Debian has no package for these build-depends: "+strings.Join(missing, ", ")+";",
			"the compile step fails until "+p.main+" does without them.")...)
	}
	comments := setSteps(b, []step{
		{comment: "Compile the generator: runs again only when its sources change.",
			inputs: p.inputs, run: hakyllCompile(p.main), workdir: compileDir},
		{comment: "Render the site with it: runs again on every content change.", run: "/src/.site build"},
	})
	return Detection{Generator: Hakyll, Reason: p.reason, Spec: Template{Build: b, Notes: notes, StepComments: comments, Warnings: warnings}}, true, nil
}

// hakyllSetting matches `name = "value"` in a Hakyll configuration record.
func hakyllSetting(name string) *regexp.Regexp {
	return regexp.MustCompile(name + `\s*=\s*"([^"\\]+)"`)
}

// ghcBundled are libraries that come with Debian's ghc itself.
var ghcBundled = []string{"base", "array", "binary", "bytestring", "containers", "deepseq", "directory",
	"exceptions", "filepath", "mtl", "parsec", "process", "stm", "template-haskell", "text", "time",
	"transformers", "unix", "hakyll"}

// hakyllDependencies adds the Debian packages of the generator's other
// build-depends to b and returns those Debian does not have.
func hakyllDependencies(b *spec.Build, deps []string) (missing []string) {
	for _, d := range deps {
		if slices.Contains(ghcBundled, d) {
			continue
		}
		pkg := "libghc-" + strings.ToLower(d) + "-dev"
		switch {
		case !inDebian(pkg):
			missing = append(missing, d)
		case !slices.Contains(b.Packages, pkg):
			b.Packages = append(b.Packages, pkg)
		}
	}
	return missing
}

// contentFolder is the top-level folder, other than the generator's, that
// holds a templates/ folder, or "".
func contentFolder(fsys fs.FS, generatorDir string) (string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == path.Base(generatorDir) || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if fi, err := fs.Stat(fsys, e.Name()+"/templates"); err == nil && fi.IsDir() {
			return e.Name(), nil
		}
	}
	return "", nil
}

// hakyllProject is a Hakyll generator found in the repository.
type hakyllProject struct {
	main   string   // main module, relative to the root
	dir    string   // the cabal file's folder, "." at the root
	inputs []string // what the compile step needs
	deps   []string // the cabal file's build-depends
	reason string
}

// findHakyll finds the generator: a *.cabal file naming hakyll at the top
// or up to two folders down (nearest first), else a top-level site.hs
// importing Hakyll.
func findHakyll(fsys fs.FS) (*hakyllProject, error) {
	for _, pattern := range []string{"*.cabal", "*/*.cabal", "*/*/*.cabal"} {
		cabals, err := fs.Glob(fsys, pattern)
		if err != nil {
			return nil, err
		}
		for _, name := range cabals {
			text, err := readText(fsys, name)
			if err != nil {
				return nil, err
			}
			if !strings.Contains(strings.ToLower(stripCabalComments(text)), "hakyll") {
				continue
			}
			dir := path.Dir(name)
			sub, err := fs.Sub(fsys, dir)
			if err != nil {
				return nil, err
			}
			mainRel, err := cabalMain(sub, text)
			if err != nil {
				return nil, err
			}
			p := &hakyllProject{main: path.Join(dir, mainRel), dir: dir, deps: cabalDepends(text), reason: "found " + name + " naming hakyll"}
			p.inputs = []string{dir}
			if dir == "." {
				p.inputs = []string{name, "*.hs"}
				if d := path.Dir(mainRel); d != "." {
					p.inputs = append(p.inputs, d)
				}
			}
			return p, nil
		}
	}
	text, err := readText(fsys, defaultHakyllMain)
	if err != nil || !hakyllImport.MatchString(text) {
		return nil, err
	}
	return &hakyllProject{main: defaultHakyllMain, dir: ".", inputs: []string{"*.hs"},
		reason: "found " + defaultHakyllMain + " importing Hakyll"}, nil
}

// hakyllCompile compiles main into /src/.site with the build products out
// of the sources.
func hakyllCompile(main string) string {
	args := []string{"ghc", "-O0", "-threaded", "-outputdir", "/tmp/hakyll-ghc"}
	if dir := path.Dir(main); dir != "." {
		args = append(args, "-i"+ShellQuote(dir))
	}
	args = append(args, ShellQuote(main), "-o", "/src/.site")
	return strings.Join(args, " ")
}

// htmlDirs are the usual folders of a prebuilt site, in the order tried.
var htmlDirs = []string{"public", "site", "www", "dist", "_site"}

func detectHTML(s site) (Detection, bool, error) {
	fsys := s.fsys
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
