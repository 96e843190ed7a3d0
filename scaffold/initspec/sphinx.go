package initspec

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// sphinxConfs are where a Sphinx project keeps conf.py in its site folder:
// beside the sources, or in source/ when sphinx-quickstart separated the
// source and build folders.
var sphinxConfs = []string{"conf.py", "source/conf.py"}

// sphinxMarker matches what a Sphinx conf.py has and other conf.py files
// (a Python tool's settings) do not.
var sphinxMarker = regexp.MustCompile(`(?im)sphinx|^\s*(?:html_theme|extensions|master_doc|root_doc)\s*[+]?=`)

// sphinxBuiltinThemes come with Sphinx (alabaster is a dependency of
// Debian's python3-sphinx).
var sphinxBuiltinThemes = []string{"alabaster", "default", "classic", "sphinxdoc", "scrolls", "agogo",
	"traditional", "nature", "haiku", "pyramid", "bizstyle", "basic", "epub", "nonav"}

// sphinxThemes maps html_theme values to the Debian package of the theme.
var sphinxThemes = map[string]string{
	"sphinx_rtd_theme":    "python3-sphinx-rtd-theme",
	"furo":                "furo",
	"pydata_sphinx_theme": "python3-pydata-sphinx-theme",
	"sphinx_book_theme":   "python3-sphinx-book-theme",
	"bootstrap":           "python3-sphinx-bootstrap-theme",
	"press":               "python3-sphinx-press-theme",
	"guzzle_sphinx_theme": "python3-guzzle-sphinx-theme",
	"python_docs_theme":   "python3-docs-theme",
	"bootstrap-astropy":   "python3-astropy-sphinx-theme",
	"flask":               "python3-pallets-sphinx-themes",
	"jinja":               "python3-pallets-sphinx-themes",
	"werkzeug":            "python3-pallets-sphinx-themes",
	"click":               "python3-pallets-sphinx-themes",
	"pocoo":               "python3-pallets-sphinx-themes",
}

// sphinxExtensions maps extension modules whose Debian package does not
// follow from the module's name; "" marks ones that need no package.
var sphinxExtensions = map[string][]string{
	"sphinx.ext.graphviz":            {"graphviz"},
	"sphinx.ext.inheritance_diagram": {"graphviz"},
	"myst_parser":                    {"python3-myst-parser"},
	"myst_nb":                        {"python3-myst-nb"},
	"nbsphinx":                       {"python3-nbsphinx"},
	"breathe":                        {"python3-breathe"},
	"recommonmark":                   {"python3-recommonmark"},
	"numpydoc":                       {"python3-numpydoc"},
	"ablog":                          {"python3-sphinx-ablog"},
	"notfound.extension":             {"python3-sphinx-notfound-page"},
	"autoapi.extension":              {"python3-sphinx-autoapi"},
	"autoapi":                        {"python3-sphinx-autoapi"},
	"sphinxarg.ext":                  {"python3-sphinx-argparse"},
	"hoverxref.extension":            {"python3-sphinx-hoverxref"},
	"sphinxemoji.sphinxemoji":        {"python3-sphinxemoji"},
	"sphinx_rtd_theme":               {"python3-sphinx-rtd-theme"},
	"pydata_sphinx_theme":            {"python3-pydata-sphinx-theme"},
	"sphinx_book_theme":              {"python3-sphinx-book-theme"},
	"furo":                           {"furo"},
}

// sphinxExtensionPackage is the Debian package of a Sphinx extension
// module, "" with ok set when Sphinx has it, or ok false when Debian has
// none. Beyond the explicit map, a module named sphinx_* or in the
// sphinxcontrib and sphinxext namespaces maps by Debian's naming.
func sphinxExtensionPackage(ext string) (pkgs []string, ok bool) {
	if p, ok := sphinxExtensions[ext]; ok {
		return p, true
	}
	if strings.HasPrefix(ext, "sphinx.ext.") || ext == "sphinx.ext" {
		return nil, true
	}
	parts := strings.Split(ext, ".")
	dashed := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	var candidates []string
	switch {
	case (parts[0] == "sphinxcontrib" || parts[0] == "sphinxext") && len(parts) > 1:
		candidates = []string{"python3-" + parts[0] + "." + parts[1], "python3-" + parts[0] + "-" + dashed(parts[1])}
	case strings.HasPrefix(parts[0], "sphinx_"):
		candidates = []string{"python3-" + dashed(parts[0])}
	}
	for _, c := range candidates {
		if inDebian(c) {
			return []string{c}, true
		}
	}
	return nil, false
}

// sphinxConfig is what init reads of conf.py.
type sphinxConfig struct {
	theme      string
	themePath  bool // html_theme_path: the site ships a theme of its own
	extensions []string
	sysPath    []string // folders conf.py puts on sys.path, relative to it
}

var (
	sphinxTheme     = regexp.MustCompile(`(?m)^html_theme\s*=\s*['"]([^'"]+)['"]`)
	sphinxThemePath = regexp.MustCompile(`(?m)^html_theme_path\s*[+]?=`)
	sphinxExtStart  = regexp.MustCompile(`(?m)^extensions\s*[+]?=\s*[\[(]`)
	sphinxExtAppend = regexp.MustCompile(`(?m)^extensions\.(?:append|extend)\(\s*[\[(]?([^)]*)\)`)
	pythonString    = regexp.MustCompile(`['"]([A-Za-z0-9_.]+)['"]`)
	sphinxSysPath   = regexp.MustCompile(`sys\.path\.(?:insert|append)\([^)]*?['"]([^'"]+)['"]`)
)

// stripPythonComment cuts a line of Python at a # outside quotes.
func stripPythonComment(line string) string {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '\'' || r == '"'):
			quote = r
		case quote == 0 && r == '#':
			return line[:i]
		}
	}
	return line
}

// readSphinxConf reads html_theme, html_theme_path, extensions and sys.path
// from conf.py's text. conf.py is Python: init reads the usual literal
// forms and nothing computed.
func readSphinxConf(text string) sphinxConfig {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, stripPythonComment(l))
	}
	text = strings.Join(lines, "\n")
	var c sphinxConfig
	if m := sphinxTheme.FindStringSubmatch(text); m != nil {
		c.theme = m[1]
	}
	c.themePath = sphinxThemePath.MatchString(text)
	for _, loc := range sphinxExtStart.FindAllStringIndex(text, -1) {
		rest := text[loc[1]:]
		if end := strings.IndexAny(rest, "])"); end >= 0 {
			rest = rest[:end]
		}
		c.extensions = appendStrings(c.extensions, rest)
	}
	for _, m := range sphinxExtAppend.FindAllStringSubmatch(text, -1) {
		c.extensions = appendStrings(c.extensions, m[1])
	}
	for _, m := range sphinxSysPath.FindAllStringSubmatch(text, -1) {
		c.sysPath = append(c.sysPath, path.Clean(m[1]))
	}
	return c
}

// appendStrings appends the quoted names in a Python list's text.
func appendStrings(list []string, text string) []string {
	for _, m := range pythonString.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(list, m[1]) {
			list = append(list, m[1])
		}
	}
	return list
}

// findSphinx returns the path of the site's Sphinx conf.py, or "".
func findSphinx(s site) (string, string, error) {
	for _, name := range sphinxConfs {
		text, err := readText(s.fsys, name)
		if err != nil {
			return "", "", err
		}
		if sphinxMarker.MatchString(text) {
			return name, text, nil
		}
	}
	return "", "", nil
}

// localModule reports whether an extension is a module of the site itself:
// a file or package beside conf.py or in a folder conf.py puts on sys.path.
func localModule(s site, confDir string, c sphinxConfig, ext string) (bool, error) {
	top, _, _ := strings.Cut(ext, ".")
	for _, dir := range append([]string{"."}, c.sysPath...) {
		base := path.Join(confDir, dir)
		if strings.HasPrefix(base, "../") && s.dir == "." {
			continue
		}
		for _, f := range []string{top + ".py", top + "/__init__.py"} {
			ok, err := isFile(s.root, path.Join(s.dir, base, f))
			if err != nil || ok {
				return ok, err
			}
		}
	}
	return false, nil
}

func detectSphinx(s site) (Detection, bool, error) {
	conf, text, err := findSphinx(s)
	if err != nil || conf == "" {
		return Detection{}, false, err
	}
	c := readSphinxConf(text)
	confDir := path.Dir(conf)
	packages := []string{"python3-sphinx"}
	var unmapped []string
	switch pkg, ok := sphinxThemes[c.theme]; {
	case ok:
		packages = appendNew(packages, pkg)
	case c.theme == "" || slices.Contains(sphinxBuiltinThemes, c.theme) || c.themePath:
	default:
		unmapped = append(unmapped, "theme "+c.theme)
	}
	for _, e := range c.extensions {
		pkgs, ok := sphinxExtensionPackage(e)
		if !ok {
			local, err := localModule(s, confDir, c, e)
			if err != nil {
				return Detection{}, false, err
			}
			if !local {
				unmapped = append(unmapped, "extension "+e)
			}
			continue
		}
		packages = appendNew(packages, pkgs...)
	}
	workdir := path.Join(s.dir, confDir)
	d := Detection{Generator: Sphinx, Reason: s.found(conf)}
	d.Spec.Build = &spec.Build{Packages: packages,
		Run:     spec.Command{Shell: "sphinx-build -b dirhtml -d /tmp/doctrees . " + out},
		Workdir: workdir, Output: out}
	d.Spec.Notes = []string{
		"sphinx-build -b dirhtml writes each page as page/index.html, so links read /page/ on any",
		"server; -b html writes page.html instead (keep it if other sites link to .html pages).",
		"-d /tmp/doctrees keeps Sphinx's pickled doctrees out of the web root.",
		"The theme and extensions conf.py names come from Debian (python3-sphinx-*, furo, ...),",
		"not from pip: a requirements file's versions do not apply.",
	}
	if len(unmapped) > 0 {
		d.warn("Debian has no package for: "+strings.Join(unmapped, ", ")+".",
			"The build fails until "+path.Join(workdir, "conf.py")+" does without them (or the site vendors them).")
	}
	if slices.Contains(c.extensions, "sphinx.ext.autodoc") {
		d.Spec.Notes = append(d.Spec.Notes, "sphinx.ext.autodoc imports the documented modules: what they import must come",
			"from Debian too (python3-*), or be listed in autodoc_mock_imports.")
	}
	if slices.Contains(c.extensions, "sphinx.ext.intersphinx") {
		d.Spec.Notes = append(d.Spec.Notes, "sphinx.ext.intersphinx downloads other projects' inventories: with no network the",
			"build warns and those links stay plain text (network: true lets it fetch them).")
	}
	return d, true, nil
}
