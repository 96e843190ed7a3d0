package initspec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// Generator names reported in Detection.Generator.
const (
	Hugo   = "Hugo"
	MkDocs = "MkDocs"
	Jekyll = "Jekyll"
	Hakyll = "Hakyll"
	HTML   = "HTML"
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
	// StepComments are written above Build.Steps, one per step ("" for none).
	StepComments []string
}

// detector recognises one generator; ok is false when it does not apply.
type detector func(fsys fs.FS) (d Detection, ok bool, err error)

// detectors are tried in this order; the first that applies wins.
var detectors = []detector{detectHugo, detectMkDocs, detectJekyll, detectHakyll, detectNode, detectHTML}

// lookedFor is what the detectors look for, for the "nothing found" error.
var lookedFor = []string{
	"hugo.toml, hugo.yaml or hugo.json, or config.toml/config.yaml naming baseURL (Hugo)",
	"mkdocs.yml (MkDocs)",
	"_config.yml (Jekyll)",
	"a *.cabal file naming hakyll (at the top or up to two folders down), or site.hs importing Hakyll (Hakyll)",
	"package.json depending on @11ty/eleventy, astro, @docusaurus/core or vitepress (npm)",
	"index.html in " + strings.Join(htmlDirs, "/, ") + "/ or the folder itself (prebuilt HTML)",
}

// Detect recognises the site in fsys, the root of the site's repository.
// It returns an error wrapping ErrNoSite when nothing matches, and reading
// errors other than a missing file as they are.
func Detect(fsys fs.FS) (Detection, error) {
	for _, detect := range detectors {
		d, ok, err := detect(fsys)
		if err != nil || ok {
			return d, err
		}
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
