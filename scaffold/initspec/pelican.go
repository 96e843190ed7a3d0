package initspec

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// pelicanBuiltinThemes come with Pelican.
var pelicanBuiltinThemes = []string{"notmyidea", "simple"}

var (
	// pelicanTheme matches THEME = "name or folder".
	pelicanTheme = regexp.MustCompile(`(?m)^THEME\s*=\s*['"]([^'"]+)['"]`)
	// pelicanPlugins and pelicanPluginPaths match where their lists start.
	pelicanPlugins     = regexp.MustCompile(`(?m)^PLUGINS\s*[+]?=\s*[\[(]`)
	pelicanPluginPaths = regexp.MustCompile(`(?m)^PLUGIN_PATHS\s*[+]?=\s*[\[(]`)
	pelicanTypogrify   = regexp.MustCompile(`(?m)^TYPOGRIFY\s*=\s*True`)
	pelicanFSDate      = regexp.MustCompile(`(?m)^DEFAULT_DATE\s*=\s*['"]fs['"]`)
	// pelicanName is a quoted plugin name or path in a list.
	pelicanName = regexp.MustCompile(`['"]([^'"]+)['"]`)
)

// listSetting returns the quoted strings of the Python list that re starts.
func listSetting(re *regexp.Regexp, text string) []string {
	var out []string
	for _, loc := range re.FindAllStringIndex(text, -1) {
		rest := text[loc[1]:]
		if end := strings.IndexAny(rest, "])"); end >= 0 {
			rest = rest[:end]
		}
		for _, m := range pelicanName.FindAllStringSubmatch(rest, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// uncommented is Python text with its comments cut off.
func uncommented(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = stripPythonComment(l)
	}
	return strings.Join(lines, "\n")
}

func detectPelican(s site) (Detection, bool, error) {
	text, err := readText(s.fsys, "pelicanconf.py")
	if err != nil || text == "" {
		return Detection{}, false, err
	}
	text = uncommented(text)
	settings := "pelicanconf.py"
	if ok, err := isFile(s.fsys, "publishconf.py"); err != nil {
		return Detection{}, false, err
	} else if ok {
		settings = "publishconf.py"
		if pub, err := readText(s.fsys, settings); err == nil {
			text += "\n" + uncommented(pub)
		}
	}
	d := Detection{Generator: Pelican, Reason: s.found("pelicanconf.py")}
	b := &spec.Build{Packages: []string{"pelican"}, Workdir: s.dir, Output: out,
		Run: spec.Command{Shell: "pelican --settings " + settings + " --output " + out}}
	d.Spec.Build = b
	d.Spec.Notes = []string{"pelican runs with " + settings + ", the settings of a published build; Markdown and",
		"reStructuredText come with Debian's pelican."}
	if pelicanTypogrify.MatchString(text) {
		b.Packages = appendNew(b.Packages, "python3-typogrify")
	}
	var missing []string
	if m := pelicanTheme.FindStringSubmatch(text); m != nil && !slices.Contains(pelicanBuiltinThemes, m[1]) {
		if fi, err := statIn(s, m[1]); err != nil {
			return Detection{}, false, err
		} else if fi == nil {
			missing = append(missing, "theme "+m[1])
		}
	}
	paths := listSetting(pelicanPluginPaths, text)
	for _, p := range listSetting(pelicanPlugins, text) {
		found, err := pelicanPlugin(s, paths, p)
		if err != nil {
			return Detection{}, false, err
		}
		if !found {
			missing = append(missing, "plugin "+p)
		}
	}
	if len(missing) > 0 {
		d.warn("Debian has no package for: "+strings.Join(missing, ", ")+", and the folder does not hold them.",
			"Vendor them into the site (THEME and PLUGIN_PATHS name folders), or the build fails.")
	}
	if pelicanFSDate.MatchString(text) {
		d.warn("DEFAULT_DATE = 'fs' dates undated articles by their files' modification times, which",
			"differ between checkouts: give each article a Date: for the same pages from the same sources.")
	}
	return d, true, nil
}

// pelicanPlugin reports whether plugin p is in the site: a package or
// module in one of PLUGIN_PATHS (default plugins/).
func pelicanPlugin(s site, paths []string, p string) (bool, error) {
	name := strings.ReplaceAll(strings.TrimPrefix(p, "pelican.plugins."), ".", "/")
	if len(paths) == 0 {
		paths = []string{"plugins"}
	}
	for _, dir := range paths {
		for _, f := range []string{name, name + ".py"} {
			fi, err := statIn(s, path.Join(dir, f))
			if err != nil || fi != nil {
				return fi != nil, err
			}
		}
	}
	return false, nil
}

// statIn stats a path relative to the site's folder (it may lead out of
// it, not out of the root); nil when there is nothing there.
func statIn(s site, p string) (fs.FileInfo, error) {
	full := path.Join(s.dir, p)
	if !fs.ValidPath(full) {
		return nil, nil
	}
	fi, err := fs.Stat(s.root, full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("looking at %s: %w", full, err)
	}
	return fi, nil
}
