package initspec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// Generator names reported in Detection.Generator.
const (
	Hugo   = "Hugo"
	MkDocs = "MkDocs"
	Jekyll = "Jekyll"
	Hakyll = "Hakyll"
	Sphinx = "Sphinx"
	HTML   = "HTML"
	// Pelican and MdBook ("mdBook") are packaged by Debian too.
	Pelican = "Pelican"
	MdBook  = "mdBook"
	// Eleventy, Astro, Docusaurus and VitePress install with npm.
	Eleventy   = "Eleventy"
	Astro      = "Astro"
	Docusaurus = "Docusaurus"
	VitePress  = "VitePress"
)

// ErrNoSite is wrapped by Detect's error when nothing in the folder says how
// to build or serve the site.
var ErrNoSite = errors.New("no site generator or prebuilt site found")

// Detection is what Detect recognised and the spec it proposes.
type Detection struct {
	// Generator names the site generator, one of the constants above.
	Generator string
	// Reason says which file gave it away, such as "found hugo.toml".
	Reason string
	// Spec is the site section to write.
	Spec Template
	// Mirror is written as debian.mirror when not "" (init --mirror), so
	// builds need no DEBIAN_MIRROR build argument.
	Mirror string
	// weak is set when the generator was named only as a dependency, with
	// none of its configuration files beside it: a site folder below wins.
	weak bool
}

// Template is the site section of the spec: a prebuilt folder (Dir) or a
// build step (Build), never both, plus notes written as comments above it.
type Template struct {
	// Dir is site.dir, the prebuilt folder to serve; "" when Build is set.
	Dir string
	// Build is site.build; nil when Dir is set. Run is a shell command.
	Build *spec.Build
	// Notes are comment lines for the user, written above the site section.
	Notes []string
	// SuiteNotes say why Build.Suite is set, written above it.
	SuiteNotes []string
	// StepComments are written above Build.Steps, one per step ("" for none).
	StepComments []string
	// Warnings are the problems among the notes, one line each, for init
	// to print as well: what Debian lacks, what the build will fail on.
	Warnings []string
}

// warn adds a problem to d's notes, as the comment lines given, and to its
// warnings as one line.
func (d *Detection) warn(lines ...string) {
	d.Spec.Notes = append(d.Spec.Notes, problem(&d.Spec.Warnings, lines...)...)
}

// problem returns a problem's comment lines as they are and adds them to
// warnings as one line.
func problem(warnings *[]string, lines ...string) []string {
	*warnings = append(*warnings, strings.Join(lines, " "))
	return lines
}

// site is the folder a detector looks at: the repository root or a
// subfolder of it, such as docs/.
type site struct {
	// root is the repository: the build context.
	root fs.FS
	// dir is the site's folder in root, "." for the root itself.
	dir string
	// fsys is root's dir.
	fsys fs.FS
}

// at returns the site in dir of root.
func at(root fs.FS, dir string) (site, error) {
	if dir == "." {
		return site{root: root, dir: ".", fsys: root}, nil
	}
	sub, err := fs.Sub(root, dir)
	if err != nil {
		return site{}, err
	}
	return site{root: root, dir: dir, fsys: sub}, nil
}

// path returns name, relative to the site's folder, relative to the root.
func (s site) path(name string) string { return path.Join(s.dir, name) }

// found is a Detection's Reason for the site's file name.
func (s site) found(name string) string { return "found " + s.path(name) }

// detector recognises one generator in a site's folder; ok is false when it
// does not apply. Paths in the Detection are relative to the root.
type detector func(s site) (d Detection, ok bool, err error)

// generators are tried in this order, at the root and then in each of
// siteFolders; the first that applies wins.
var generators = []detector{detectHugo, detectMkDocs, detectSphinx, detectPelican, detectMdBook, detectJekyll, detectHakyll, detectNode}

// siteFolders are the subfolders where a repository keeps its site when it
// is not at the root (a project's documentation, a monorepo's website), in
// the order tried.
var siteFolders = []string{"docs", "website", "site", "www", "doc", "documentation", "blog", "web", "book",
	"apps/docs", "apps/web", "apps/website", "packages/docs", "packages/website"}

// lookedFor is what the detectors look for, for the "nothing found" error.
var lookedFor = []string{
	"hugo.toml, hugo.yaml or hugo.json, or config.toml/config.yaml naming baseURL (Hugo)",
	"mkdocs.yml (MkDocs)",
	"conf.py or source/conf.py naming Sphinx settings (Sphinx)",
	"pelicanconf.py (Pelican)",
	"book.toml (mdBook)",
	"_config.yml (Jekyll)",
	"a *.cabal file naming hakyll (at the top or up to two folders down), or site.hs importing Hakyll (Hakyll)",
	"package.json depending on @11ty/eleventy, astro, @docusaurus/core or vitepress (npm, pnpm or yarn)",
	"each of these at the top and in " + strings.Join(siteFolders, "/, ") + "/",
	"index.html in " + strings.Join(htmlDirs, "/, ") + "/ or the folder itself (prebuilt HTML)",
}

// Detect recognises the site in fsys, the root of the site's repository: a
// generator at the root, else one in a usual site folder (docs/,
// website/, ...), else a prebuilt site. A package.json that depends on a
// generator but has none of its configuration gives way to a site folder
// that has both, as at the root of a monorepo. Detect returns an error
// wrapping ErrNoSite when nothing matches, and reading errors other than a
// missing file as they are.
func Detect(fsys fs.FS) (Detection, error) {
	var weak *Detection
	for _, dir := range append([]string{"."}, siteFolders...) {
		if dir != "." {
			if fi, err := fs.Stat(fsys, dir); err != nil || !fi.IsDir() {
				continue
			}
		}
		s, err := at(fsys, dir)
		if err != nil {
			return Detection{}, err
		}
		for _, detect := range generators {
			d, ok, err := detect(s)
			switch {
			case err != nil:
				return Detection{}, err
			case ok && d.weak:
				if weak == nil {
					weak = &d
				}
			case ok:
				return d, nil
			}
		}
	}
	if weak != nil {
		return *weak, nil
	}
	s, _ := at(fsys, ".")
	d, ok, err := detectHTML(s)
	if err != nil || ok {
		return d, err
	}
	return Detection{}, fmt.Errorf("%w; looked for %s", ErrNoSite, strings.Join(lookedFor, "; "))
}

// maxRead bounds how much of a configuration file is read.
const maxRead = 1 << 20

// isFile reports whether name is a regular file (or a link to one) in fsys.
func isFile(fsys fs.FS, name string) (bool, error) {
	fi, err := fs.Stat(fsys, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("looking at %s: %w", name, err)
	}
	return fi.Mode().IsRegular(), nil
}

// firstFile returns the first of names that is a file in fsys, or "".
func firstFile(fsys fs.FS, names ...string) (string, error) {
	for _, name := range names {
		ok, err := isFile(fsys, name)
		if err != nil || ok {
			return name, err
		}
	}
	return "", nil
}

// readText returns up to maxRead bytes of the file name, or "" and no error
// when it is not a file.
func readText(fsys fs.FS, name string) (string, error) {
	if ok, err := isFile(fsys, name); !ok || err != nil {
		return "", err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxRead))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", name, err)
	}
	return string(b), nil
}
