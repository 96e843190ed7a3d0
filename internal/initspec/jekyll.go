package initspec

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"gopkg.in/yaml.v3"
)

// jekyllConfig is what init reads of _config.yml.
type jekyllConfig struct {
	Plugins     []string `yaml:"plugins"`
	Gems        []string `yaml:"gems"` // the name before Jekyll 3.5
	Theme       string   `yaml:"theme"`
	RemoteTheme string   `yaml:"remote_theme"`
}

// gemLine matches `gem "name"` in a Gemfile.
var gemLine = regexp.MustCompile(`^\s*gem\s+["']([^"']+)["']`)

// gemsWithoutPackage are gems a Jekyll Gemfile often lists that a build
// from Debian packages does without: Windows and platform helpers.
var gemsWithoutPackage = []string{"tzinfo-data", "wdm", "http_parser.rb", "jekyll"}

// jekyllPackage maps a gem (plugin or theme) to its Debian package, or "".
func jekyllPackage(gem string) string {
	candidates := []string{"ruby-" + strings.ReplaceAll(gem, "_", "-")}
	if theme, ok := strings.CutPrefix(gem, "jekyll-theme-"); ok {
		candidates = append(candidates, gem, "jekyll-theme-"+theme)
	} else {
		candidates = append(candidates, "jekyll-theme-"+gem)
	}
	for _, c := range candidates {
		if inDebian(c) {
			return c
		}
	}
	return ""
}

func detectJekyll(fsys fs.FS) (Detection, bool, error) {
	if ok, err := isFile(fsys, "_config.yml"); err != nil || !ok {
		return Detection{}, false, err
	}
	text, err := readText(fsys, "_config.yml")
	if err != nil {
		return Detection{}, false, err
	}
	var cfg jekyllConfig
	notes := []string{}
	if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
		notes = append(notes, fmt.Sprintf("_config.yml could not be read (%v): add its plugins' packages by hand.", firstLine(err.Error())))
	}
	gemfile, err := readText(fsys, "Gemfile")
	if err != nil {
		return Detection{}, false, err
	}
	var gems []string
	for _, l := range strings.Split(gemfile, "\n") {
		if m := gemLine.FindStringSubmatch(l); m != nil {
			gems = append(gems, m[1])
		}
	}
	wanted := slices.Concat(cfg.Plugins, cfg.Gems, gems)
	if cfg.Theme != "" {
		wanted = append(wanted, cfg.Theme)
	}
	packages := []string{"jekyll"}
	var unmapped []string
	inGemfile := map[string]bool{}
	for _, g := range gems {
		inGemfile[g] = true
	}
	gemfileMissing := false
	for _, g := range wanted {
		if slices.Contains(gemsWithoutPackage, g) {
			continue
		}
		pkg := jekyllPackage(g)
		if pkg == "" {
			if !slices.Contains(unmapped, g) {
				unmapped = append(unmapped, g)
			}
			gemfileMissing = gemfileMissing || inGemfile[g]
			continue
		}
		if !slices.Contains(packages, pkg) {
			packages = append(packages, pkg)
		}
	}
	b := &spec.Build{Packages: packages, Run: spec.Command{Shell: "jekyll build --destination " + out}, Workdir: ".", Output: out}
	notes = append(notes, "Plugins and themes come from Debian (ruby-jekyll-*, jekyll-theme-minima, ...), not from the Gemfile.")
	if len(unmapped) > 0 {
		notes = append(notes, "Debian has no package for: "+strings.Join(unmapped, ", ")+".",
			"Remove them from the site, or vendor them into _plugins/ (plugins) or the site (themes).")
	}
	if gemfileMissing {
		b.Env = map[string]string{"JEKYLL_NO_BUNDLER_REQUIRE": "true"}
		notes = append(notes, "JEKYLL_NO_BUNDLER_REQUIRE keeps Jekyll from loading the Gemfile, which lists gems Debian does not have.")
	}
	if cfg.RemoteTheme != "" {
		notes = append(notes, "remote_theme ("+cfg.RemoteTheme+") downloads the theme while building: add network: true, or vendor it.")
	}
	return Detection{Generator: Jekyll, Reason: "found _config.yml", Spec: Template{Build: b, Notes: notes}}, true, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
