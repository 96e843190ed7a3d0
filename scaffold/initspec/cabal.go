package initspec

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

// defaultHakyllMain is the generator's source when the cabal file does not
// say: the name Hakyll's project template uses.
const defaultHakyllMain = "site.hs"

var (
	// cabalSection matches a section header at the left margin, such as
	// "executable site" or "library".
	cabalSection = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(.*?))?[ \t]*$`)
	// cabalField matches "name: value", with any indentation.
	cabalField = regexp.MustCompile(`^([ \t]*)([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*?)[ \t]*$`)
)

// cabalExe is what an executable section says about its main module.
type cabalExe struct {
	mainIs  string
	srcDirs []string
	hakyll  bool // the section mentions hakyll, as in its build-depends
}

// stripCabalComments drops comment lines; cabal has no end-of-line comments.
func stripCabalComments(text string) string {
	var kept []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// cabalExecutables returns the executable sections of a cabal file in order.
func cabalExecutables(text string) []*cabalExe {
	var exes []*cabalExe
	var cur *cabalExe // the executable section being read, if any
	lines := strings.Split(stripCabalComments(text), "\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			cur = nil
			if m := cabalSection.FindStringSubmatch(line); m != nil && strings.EqualFold(m[1], "executable") {
				cur = &cabalExe{}
				exes = append(exes, cur)
			}
			continue
		}
		if cur == nil {
			continue
		}
		if strings.Contains(strings.ToLower(line), "hakyll") {
			cur.hakyll = true
		}
		m := cabalField.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		value := m[3]
		if value == "" {
			value = continuation(lines[i+1:], len(m[1]))
		}
		switch strings.ToLower(m[2]) {
		case "main-is":
			cur.mainIs = strings.Trim(value, `"`)
		case "hs-source-dirs":
			cur.srcDirs = splitCabalList(value)
		}
	}
	return exes
}

// continuation returns the first line of a field's value written on the
// lines after it (indented deeper than the field), or "".
func continuation(rest []string, indent int) string {
	for _, line := range rest {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		if len(line)-len(strings.TrimLeft(line, " \t")) <= indent {
			return ""
		}
		return trimmed
	}
	return ""
}

// splitCabalList splits a list of folders separated by commas or spaces.
func splitCabalList(value string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		out = append(out, strings.Trim(f, `"`))
	}
	return out
}

// cabalMain returns the path, relative to the cabal file's folder, of the
// main module of the executable that depends on hakyll (else the first
// executable), found in its hs-source-dirs; site.hs when the file says none.
func cabalMain(fsys fs.FS, text string) (string, error) {
	exes := cabalExecutables(text)
	var exe *cabalExe
	for _, e := range exes {
		if e.hakyll {
			exe = e
			break
		}
	}
	if exe == nil && len(exes) > 0 {
		exe = exes[0]
	}
	mainIs, dirs := defaultHakyllMain, []string{"."}
	if exe != nil && exe.mainIs != "" && fs.ValidPath(path.Clean(exe.mainIs)) {
		mainIs = exe.mainIs
	}
	if exe != nil && len(exe.srcDirs) > 0 {
		dirs = exe.srcDirs
	}
	var first string
	for _, dir := range dirs {
		p := path.Join(dir, mainIs)
		if !fs.ValidPath(p) {
			continue
		}
		if first == "" {
			first = p
		}
		if ok, err := isFile(fsys, p); err != nil || ok {
			return p, err
		}
	}
	if first == "" {
		return mainIs, nil
	}
	return first, nil
}

// cabalDepends returns the package names of the build-depends fields of a
// cabal file's executable sections, in order, without versions.
func cabalDepends(text string) []string {
	var deps []string
	inExe := false
	lines := strings.Split(stripCabalComments(text), "\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			m := cabalSection.FindStringSubmatch(line)
			inExe = m != nil && strings.EqualFold(m[1], "executable")
			continue
		}
		m := cabalField.FindStringSubmatch(line)
		if !inExe || m == nil || !strings.EqualFold(m[2], "build-depends") {
			continue
		}
		value := m[3]
		for _, next := range lines[i+1:] {
			if strings.TrimSpace(next) == "" {
				continue
			}
			if len(next)-len(strings.TrimLeft(next, " \t")) <= len(m[1]) {
				break
			}
			value += "," + strings.TrimSpace(next)
		}
		for _, item := range strings.Split(value, ",") {
			if f := strings.Fields(item); len(f) > 0 && !slices.Contains(deps, f[0]) {
				deps = append(deps, f[0])
			}
		}
	}
	return deps
}
