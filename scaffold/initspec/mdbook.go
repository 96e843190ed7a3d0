package initspec

import (
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// mdbookBuiltin are the preprocessors and renderers that come with mdbook.
var mdbookBuiltin = []string{"links", "index", "html", "markdown"}

var (
	// tomlTable matches a table header such as [preprocessor.mermaid].
	tomlTable = regexp.MustCompile(`^\s*\[\s*(preprocessor|output)\.([A-Za-z0-9_-]+)\s*\]`)
	// tomlOptional matches `optional = true` in a renderer's table.
	tomlOptional = regexp.MustCompile(`^\s*optional\s*=\s*true`)
	// tomlAnyTable matches any table header.
	tomlAnyTable = regexp.MustCompile(`^\s*\[`)
)

// bookTables are the preprocessors and renderers book.toml configures, and
// the renderers marked optional (mdbook skips them when missing).
func bookTables(text string) (preprocessors, outputs, optional []string) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l, _, _ = strings.Cut(l, "#")
		m := tomlTable.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if m[1] == "preprocessor" {
			preprocessors = appendNew(preprocessors, m[2])
			continue
		}
		outputs = appendNew(outputs, m[2])
		for _, next := range lines[i+1:] {
			if tomlAnyTable.MatchString(next) {
				break
			}
			if tomlOptional.MatchString(next) {
				optional = appendNew(optional, m[2])
			}
		}
	}
	return preprocessors, outputs, optional
}

func detectMdBook(s site) (Detection, bool, error) {
	text, err := readText(s.fsys, "book.toml")
	if err != nil || text == "" {
		return Detection{}, false, err
	}
	preprocessors, outputs, optional := bookTables(text)
	d := Detection{Generator: MdBook, Reason: s.found("book.toml")}
	b := &spec.Build{Packages: []string{"mdbook"}, Workdir: s.dir, Output: out,
		Run: spec.Command{Shell: "mdbook build --dest-dir " + out}}
	d.Spec.Build = b
	var missing []string
	for _, p := range preprocessors {
		if !slices.Contains(mdbookBuiltin, p) {
			missing = append(missing, "preprocessor mdbook-"+p)
		}
	}
	others := 0
	for _, o := range outputs {
		if o != "html" {
			others++
			if !slices.Contains(mdbookBuiltin, o) && !slices.Contains(optional, o) {
				missing = append(missing, "renderer mdbook-"+o)
			}
		}
	}
	if others > 0 {
		// With more than one renderer (optional ones too), each writes a
		// folder of its own.
		b.Output = out + "/html"
		d.Spec.Notes = append(d.Spec.Notes, "book.toml has more than one renderer, so mdbook writes the web site to "+b.Output+".")
	}
	if len(missing) > 0 {
		d.warn("Debian has no package for: "+strings.Join(missing, ", ")+".",
			"The build fails until book.toml does without them (or marks a renderer optional = true).")
	}
	return d, true, nil
}
