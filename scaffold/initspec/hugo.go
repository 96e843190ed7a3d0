package initspec

import (
	"errors"
	"fmt"
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

// hugoGen is Hugo's cache of processed resources, in the site's folder.
const hugoGen = "resources/_gen"

// hugoLegacyConfigs name a Hugo site when they set baseURL (Hugo's keys are
// case-insensitive); other tools use these names too.
var hugoLegacyConfigs = []string{"config.toml", "config.yaml", "config.yml", "config.json"}

func detectHugo(s site) (Detection, bool, error) {
	name, err := firstFile(s.fsys, hugoConfigs...)
	if err != nil {
		return Detection{}, false, err
	}
	for _, legacy := range hugoLegacyConfigs {
		if name != "" {
			break
		}
		text, err := readText(s.fsys, legacy)
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
	notes := []string{
		"Hugo modules and remote resources (resources.GetRemote) need network: true;",
		"then cache: [/root/.cache/hugo_cache] keeps Hugo's downloads between builds.",
	}
	themes, missing, err := hugoThemeNotes(s)
	if err != nil {
		return Detection{}, false, err
	}
	var warnings []string
	if missing {
		themes = problem(&warnings, themes...)
	}
	notes = append(notes, themes...)
	if ok, err := isFile(s.fsys, "go.mod"); err != nil {
		return Detection{}, false, err
	} else if ok {
		notes = append(notes, "go.mod: the site uses Hugo modules, which Hugo downloads with Go: add golang-go",
			"to packages and network: true, or vendor them (hugo mod vendor) and commit _vendor/.")
	}
	b := &spec.Build{Packages: []string{"hugo"}, Run: spec.Command{Shell: "hugo --minify --destination " + out}, Workdir: s.dir, Output: out}
	needs, err := hugoNeeds(s, name)
	if err != nil {
		return Detection{}, false, err
	}
	suite, suiteNotes, warning := chooseSuite(needs)
	b.Suite = suite
	if warning != "" {
		notes = append(notes, problem(&warnings, warning)...)
	}
	// resources/_gen holds Hugo's processed images and styles. A site may
	// commit it (for builds without Hugo's extended edition); a cache
	// mount would hide that copy, so it is mounted only when absent.
	if _, err := fs.Stat(s.fsys, hugoGen); errors.Is(err, fs.ErrNotExist) {
		b.Cache = cacheMounts(s, []string{hugoGen})
		notes = append(notes, cacheNote(Hugo, []string{hugoGen})...)
	} else if err != nil {
		return Detection{}, false, fmt.Errorf("looking at %s: %w", s.path(hugoGen), err)
	} else {
		notes = append(notes, s.path(hugoGen)+" is in the folder, so the build uses it as it is. If it is only a local",
			"build's (ignored by git), add cache: ["+path.Join("/src", s.dir, hugoGen)+"] to keep Hugo's processed images between builds.")
	}
	return Detection{Generator: Hugo, Reason: s.found(name), Spec: Template{
		Build: b,
		Notes: notes, Warnings: warnings, SuiteNotes: suiteNotes,
	}}, true, nil
}

// submodulePath matches a `path = ...` line of .gitmodules.
var submodulePath = regexp.MustCompile(`(?m)^\s*path\s*=\s*(.+?)\s*$`)

// hugoThemeNotes names the site's themes that are git submodules, and says
// which of them are not checked out here (missing): the build context then
// lacks them.
func hugoThemeNotes(s site) (notes []string, missing bool, err error) {
	text, err := readText(s.root, ".gitmodules")
	if err != nil {
		return nil, false, err
	}
	var subs, empty []string
	for _, m := range submodulePath.FindAllStringSubmatch(text, -1) {
		p := path.Clean(m[1])
		rel, ok := strings.CutPrefix(p, strings.TrimPrefix(s.dir+"/", "./"))
		if !ok || !strings.HasPrefix(rel, "themes/") {
			continue
		}
		subs = append(subs, p)
		entries, err := fs.ReadDir(s.root, p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("looking at %s: %w", p, err)
		}
		if len(entries) == 0 {
			empty = append(empty, p)
		}
	}
	switch {
	case len(empty) > 0:
		return []string{"The theme " + strings.Join(empty, ", ") + " is a git submodule that is not checked out here, so the",
			"build context lacks it: run `git submodule update --init` before building (CI: check out submodules)."}, true, nil
	case len(subs) > 0:
		return []string{"The theme " + strings.Join(subs, ", ") + " is a git submodule: the build sees it only when it is",
			"checked out (git clone --recurse-submodules; in CI, check out submodules)."}, false, nil
	}
	return []string{"Themes in themes/ are part of the context: check that git submodules are checked out."}, false, nil
}
