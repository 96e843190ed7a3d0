package initspec

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"go.yaml.in/yaml/v3"
)

// mkdocsPlugins maps MkDocs plugins to the Debian packages that provide
// them; "" marks plugins of MkDocs itself or of Material for MkDocs (whose
// package the theme brings).
var mkdocsPlugins = map[string][]string{
	"search": nil,
	// Material for MkDocs' own plugins.
	"blog": {"mkdocs-material"}, "tags": {"mkdocs-material"}, "offline": {"mkdocs-material"},
	"privacy": {"mkdocs-material"}, "info": {"mkdocs-material"}, "meta": {"mkdocs-material"},
	"group": {"mkdocs-material"}, "typeset": {"mkdocs-material"},
	"social": {"mkdocs-material", "python3-cairosvg", "python3-pil"},
	// Separate projects Debian packages.
	"redirects": {"mkdocs-redirects"}, "macros": {"mkdocs-macros-plugin"},
	"mkdocstrings": {"mkdocstrings", "mkdocstrings-python-handlers"}, "autorefs": {"mkdocs-autorefs"},
	"gen-files": {"mkdocs-gen-files"}, "literate-nav": {"mkdocs-literate-nav"},
	"section-index": {"mkdocs-section-index"},
}

// markdownBuiltin are Python-Markdown's own extensions (python3-markdown,
// which mkdocs depends on).
var markdownBuiltin = []string{"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra",
	"fenced_code", "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br",
	"sane_lists", "smarty", "tables", "toc", "wikilinks"}

// markdownPackages maps an extension's module prefix to its Debian package.
var markdownPackages = []struct{ prefix, pkg string }{
	{"pymdownx.", "python3-pymdownx"},
	{"material.", "mkdocs-material"},
	{"markdown_include.", "python3-markdown-include"},
	{"mdx_math", "python3-mdx-math"},
	{"markdown_exec", "python3-markdown-exec"},
	{"markdown_callouts", "python3-markdown-callouts"},
	{"mkdocs-click", "mkdocs-click"},
	{"mkdocs_click", "mkdocs-click"},
}

// mkdocsThemes maps theme names to packages; the built-in themes need none.
var mkdocsThemes = map[string]string{"mkdocs": "", "readthedocs": "", "material": "mkdocs-material",
	"bootstrap": "mkdocs-bootstrap", "nature": "mkdocs-nature"}

// mkdocsConfig is what init reads of mkdocs.yml.
type mkdocsConfig struct {
	theme      string
	plugins    []string
	extensions []string
	inherit    string
	hooks      bool
}

// readMkDocs reads the keys init maps from an mkdocs.yml. It walks the YAML
// nodes, so MkDocs' own tags (!ENV, !!python/name:...) are no obstacle.
func readMkDocs(text string) (mkdocsConfig, error) {
	var doc yaml.Node
	var c mkdocsConfig
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return c, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return c, nil
	}
	top := doc.Content[0].Content
	for i := 0; i+1 < len(top); i += 2 {
		key, val := top[i].Value, top[i+1]
		switch key {
		case "theme":
			c.theme = val.Value
			if val.Kind == yaml.MappingNode {
				c.theme = mappingValue(val, "name")
			}
		case "plugins":
			c.plugins = itemNames(val)
		case "markdown_extensions":
			c.extensions = itemNames(val)
		case "INHERIT":
			c.inherit = val.Value
		case "hooks":
			c.hooks = len(val.Content) > 0
		}
	}
	return c, nil
}

// mappingValue is the scalar value of key in a mapping node, or "".
func mappingValue(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// itemNames are the names in a list of plugins or extensions, each a string
// or a one-key mapping ({name: {options}}), or the keys of a mapping.
func itemNames(n *yaml.Node) []string {
	var names []string
	switch n.Kind {
	case yaml.SequenceNode:
		for _, it := range n.Content {
			switch {
			case it.Kind == yaml.ScalarNode:
				names = append(names, it.Value)
			case it.Kind == yaml.MappingNode && len(it.Content) > 0:
				names = append(names, it.Content[0].Value)
			}
		}
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			names = append(names, n.Content[i].Value)
		}
	}
	return names
}

// mkdocsMapping adds the packages of c's theme, plugins and extensions to
// packages and returns the names it could not map.
func mkdocsMapping(c mkdocsConfig, packages []string) ([]string, []string) {
	add := func(pkgs ...string) {
		for _, p := range pkgs {
			if p != "" && !slices.Contains(packages, p) {
				packages = append(packages, p)
			}
		}
	}
	var unmapped []string
	if pkg, ok := mkdocsThemes[c.theme]; ok {
		add(pkg)
	} else if c.theme != "" {
		unmapped = append(unmapped, "theme "+c.theme)
	}
	for _, p := range c.plugins {
		pkgs, ok := mkdocsPlugins[strings.TrimPrefix(p, "material/")]
		if !ok {
			unmapped = append(unmapped, "plugin "+p)
		}
		add(pkgs...)
	}
	for _, e := range c.extensions {
		name := strings.TrimPrefix(e, "markdown.extensions.")
		if slices.Contains(markdownBuiltin, name) {
			continue
		}
		pkg := ""
		for _, m := range markdownPackages {
			if strings.HasPrefix(name, m.prefix) {
				pkg = m.pkg
				break
			}
		}
		if pkg == "" {
			unmapped = append(unmapped, "extension "+e)
		}
		add(pkg)
	}
	return packages, unmapped
}

func detectMkDocs(s site) (Detection, bool, error) {
	name, err := firstFile(s.fsys, "mkdocs.yml", "mkdocs.yaml")
	if err != nil || name == "" {
		return Detection{}, false, err
	}
	text, err := readText(s.fsys, name)
	if err != nil {
		return Detection{}, false, err
	}
	var notes, warnings []string
	c, err := readMkDocs(text)
	if err != nil {
		notes = append(notes, problem(&warnings, fmt.Sprintf("%s could not be read (%v): add its theme's and plugins' packages by hand.", s.path(name), firstLine(err.Error())))...)
	}
	if c.inherit != "" {
		parent, err := readText(s.fsys, path.Join(path.Dir(name), c.inherit))
		if err != nil {
			return Detection{}, false, err
		}
		if pc, err := readMkDocs(parent); err == nil {
			c.plugins = append(c.plugins, pc.plugins...)
			c.extensions = append(c.extensions, pc.extensions...)
			c.theme = orElse(c.theme, pc.theme)
		}
	}
	packages, unmapped := mkdocsMapping(c, []string{"mkdocs"})
	notes = append(notes, "The theme, plugins and Markdown extensions "+s.path(name)+" names come from Debian",
		"(mkdocs-*, python3-pymdownx, ...), not from pip.")
	if len(unmapped) > 0 {
		notes = append(notes, problem(&warnings, "Debian has no package for: "+strings.Join(unmapped, ", ")+".",
			"The build fails until "+name+" does without them (or the site vendors them).")...)
	}
	if c.hooks {
		notes = append(notes, "hooks: run Python files of the site; what they import must come from Debian too.")
	}
	notes = append(notes, "--strict fails the build on warnings such as broken links.")
	return Detection{Generator: MkDocs, Reason: s.found(name), Spec: Template{
		Build: &spec.Build{Packages: packages, Run: spec.Command{Shell: "mkdocs build --strict --site-dir " + out}, Workdir: s.dir, Output: out},
		Notes: notes, Warnings: warnings,
	}}, true, nil
}

// orElse returns a unless it is "", else b.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
