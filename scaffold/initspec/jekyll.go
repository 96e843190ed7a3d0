package initspec

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"go.yaml.in/yaml/v3"
)

// jekyllConfig is what init reads of _config.yml.
type jekyllConfig struct {
	Plugins     []string `yaml:"plugins"`
	Gems        []string `yaml:"gems"` // the name before Jekyll 3.5
	Theme       string   `yaml:"theme"`
	RemoteTheme string   `yaml:"remote_theme"`
	Paginate    any      `yaml:"paginate"`
	Repository  string   `yaml:"repository"`
	Markdown    string   `yaml:"markdown"`
	// RelativePermalinks stops Jekyll 3 and later when true.
	RelativePermalinks bool `yaml:"relative_permalinks"`
}

// gemsWithoutPackage are gems a Jekyll Gemfile often lists that a build
// from Debian packages does without: Jekyll itself, Bundler, `jekyll serve`
// helpers and Windows and platform helpers.
var gemsWithoutPackage = []string{"jekyll", "bundler", "webrick", "tzinfo-data", "tzinfo", "wdm", "http_parser.rb"}

// githubPages is the gem that stands for GitHub Pages' own set of gems.
const githubPages = "github-pages"

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

func detectJekyll(s site) (Detection, bool, error) {
	if ok, err := isFile(s.fsys, "_config.yml"); err != nil || !ok {
		return Detection{}, false, err
	}
	text, err := readText(s.fsys, "_config.yml")
	if err != nil {
		return Detection{}, false, err
	}
	var cfg jekyllConfig
	notes, warnings := []string{}, []string(nil)
	if err := yaml.Unmarshal([]byte(text), &cfg); err != nil {
		notes = append(notes, problem(&warnings, fmt.Sprintf("_config.yml could not be read (%v): add its plugins' packages by hand.", firstLine(err.Error())))...)
	}
	gemfileText, err := readText(s.fsys, "Gemfile")
	if err != nil {
		return Detection{}, false, err
	}
	gf, err := readGemfile(s.fsys, gemfileText)
	if err != nil {
		return Detection{}, false, err
	}
	listed := slices.Concat(cfg.Plugins, cfg.Gems)
	wanted := slices.Concat(listed, gf.gems)
	if cfg.Theme != "" {
		wanted = append(wanted, cfg.Theme)
	}
	packages, unmapped := jekyllPackages(wanted)
	b := &spec.Build{Packages: packages, Run: spec.Command{Shell: "jekyll build --destination " + out}, Workdir: s.dir, Output: out,
		Cache: cacheMounts(s, []string{".jekyll-cache"})}
	notes = append(notes, "Plugins and themes come from Debian (ruby-jekyll-*, jekyll-theme-minima, ...), not from the Gemfile.")
	notes = append(notes, cacheNote(Jekyll, []string{".jekyll-cache"})...)
	if len(unmapped) > 0 {
		notes = append(notes, problem(&warnings, "Debian has no package for: "+strings.Join(unmapped, ", ")+".",
			"Remove them from the site, or vendor them into _plugins/ (plugins) or the site (themes).")...)
	}
	env := map[string]string{}
	if gemfileText != "" {
		env["JEKYLL_NO_BUNDLER_REQUIRE"] = "true"
		notes = append(notes, "JEKYLL_NO_BUNDLER_REQUIRE keeps Jekyll from loading the Gemfile (Bundler would want the",
			"gems and versions it names, not Debian's), so Jekyll loads only the plugins _config.yml lists.")
		if missing := notListed(gf.plugins, listed); len(missing) > 0 {
			notes = append(notes, "The Gemfile's jekyll_plugins group has "+strings.Join(missing, ", ")+": add them to",
				"plugins: in _config.yml, or Jekyll skips them.")
		}
	}
	switch {
	case gf.githubPages:
		notes = append(notes, "The Gemfile builds with github-pages, GitHub Pages' own gem set; GitHub Pages also turns",
			"on plugins by itself (jekyll-gist, jekyll-github-metadata, jekyll-relative-links, jekyll-optional-front-matter, ...):",
			"add to plugins: (and their ruby-* packages to packages) the ones the site relies on.")
	case gemfileText == "":
		notes = append(notes, "With no Gemfile this reads like a GitHub Pages site. GitHub Pages turns on plugins by itself",
			"(jekyll-gist, jekyll-github-metadata, jekyll-relative-links, ...): add to plugins: (and their",
			"ruby-* packages to packages) the ones the site relies on, such as jekyll-gist for {% gist %}.")
	}
	if cfg.RelativePermalinks {
		notes = append(notes, problem(&warnings, "_config.yml sets relative_permalinks: true, which stops Jekyll 3 and later: remove it.")...)
	}
	if m := strings.ToLower(cfg.Markdown); m != "" && m != "kramdown" && m != "gfm" && m != "commonmark" && m != "commonmarkghpages" {
		notes = append(notes, problem(&warnings, "_config.yml sets markdown: "+cfg.Markdown+", which Jekyll 4 does not have: use kramdown.")...)
	}
	if cfg.Paginate != nil && !slices.Contains(listed, "jekyll-paginate") && !slices.Contains(listed, "jekyll-paginate-v2") {
		b.Packages = appendNew(b.Packages, "ruby-jekyll-paginate")
		notes = append(notes, "_config.yml sets paginate: but its plugins: lack jekyll-paginate, and Jekyll 3 and later",
			"paginate only with it: add it to plugins: (its package ruby-jekyll-paginate is in packages).")
	}
	if slices.Contains(listed, "jekyll-github-metadata") {
		n, err := githubMetadata(s, cfg, env)
		if err != nil {
			return Detection{}, false, err
		}
		notes = append(notes, n...)
	}
	if len(env) > 0 {
		b.Env = env
	}
	if cfg.RemoteTheme != "" {
		notes = append(notes, "remote_theme ("+cfg.RemoteTheme+") downloads the theme while building: add network: true, or vendor it.")
	}
	return Detection{Generator: Jekyll, Reason: s.found("_config.yml"), Spec: Template{Build: b, Notes: notes, Warnings: warnings}}, true, nil
}

// jekyllPackages maps gems to Debian packages, Jekyll first, and returns
// the gems it could not map.
func jekyllPackages(gems []string) (packages, unmapped []string) {
	packages = []string{"jekyll"}
	for _, g := range gems {
		if slices.Contains(gemsWithoutPackage, g) || g == githubPages {
			continue
		}
		if pkg := jekyllPackage(g); pkg != "" {
			packages = appendNew(packages, pkg)
		} else {
			unmapped = appendNew(unmapped, g)
		}
	}
	return packages, unmapped
}

// githubRemote matches a github.com remote URL in .git/config.
var githubRemote = regexp.MustCompile(`(?m)^\s*url\s*=\s*\S*github\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?\s*$`)

// githubMetadata sets what jekyll-github-metadata needs in a build with no
// network and no .git: it may not call the GitHub API, and it must be told
// the repository.
func githubMetadata(s site, cfg jekyllConfig, env map[string]string) ([]string, error) {
	env["PAGES_DISABLE_NETWORK"] = "1"
	notes := []string{"PAGES_DISABLE_NETWORK keeps jekyll-github-metadata from calling the GitHub API."}
	if cfg.Repository != "" {
		return notes, nil
	}
	gitConfig, err := readText(s.root, ".git/config")
	if err != nil {
		return nil, err
	}
	if m := githubRemote.FindStringSubmatch(gitConfig); m != nil {
		env["PAGES_REPO_NWO"] = m[1]
		return append(notes, "PAGES_REPO_NWO names the repository, which it reads from git otherwise (.git is not in the build)."), nil
	}
	return append(notes, "jekyll-github-metadata stops unless it knows the repository: set repository: owner/name",
		"in _config.yml, or PAGES_REPO_NWO in env."), nil
}

// gemfile is what init reads of a Gemfile.
type gemfile struct {
	// gems are the gems a site build loads: outside the development and
	// test groups, without a condition, and the runtime dependencies of a
	// gemspec the Gemfile names.
	gems []string
	// plugins are the gems of the jekyll_plugins group.
	plugins []string
	// githubPages is set when it uses the github-pages gem.
	githubPages bool
}

var (
	// gemLine matches `gem "name"` in a Gemfile.
	gemLine = regexp.MustCompile(`^\s*gem\s+["']([^"']+)["']`)
	// groupLine matches the start of a `group :a, :b do` block.
	groupLine = regexp.MustCompile(`^\s*group\s+(.*?)\s+do\b`)
	// blockStart matches other lines that open a block ending in `end`.
	blockStart = regexp.MustCompile(`\bdo\s*(\|[^|]*\|)?\s*$|^\s*(if|unless|case|begin|while)\b`)
	// inlineGroup matches `group: :test` or `groups: [:a, :b]` on a gem line.
	inlineGroup = regexp.MustCompile(`\bgroups?:\s*(\[[^\]]*\]|:\w+)`)
	// symbol matches a Ruby symbol such as :jekyll_plugins.
	symbol = regexp.MustCompile(`:(\w+)`)
	// condition matches a gem line that applies only sometimes.
	condition = regexp.MustCompile(`\s(if|unless)\s`)
	// gemspecDep matches a runtime dependency in a .gemspec file.
	gemspecDep = regexp.MustCompile(`\.add_(?:runtime_)?dependency\s*\(?\s*["']([^"']+)["']`)
)

// readGemfile reads a Gemfile's gems by their groups.
func readGemfile(fsys fs.FS, text string) (gemfile, error) {
	var gf gemfile
	var blocks [][]string // the groups of each open block (nil: not a group)
	for _, l := range strings.Split(text, "\n") {
		code, _, _ := strings.Cut(l, "#")
		switch trimmed := strings.TrimSpace(code); {
		case trimmed == "end":
			if len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
			continue
		case groupLine.MatchString(code):
			blocks = append(blocks, symbols(groupLine.FindStringSubmatch(code)[1]))
			continue
		case trimmed == "gemspec" || strings.HasPrefix(trimmed, "gemspec "):
			deps, err := gemspecDeps(fsys)
			if err != nil {
				return gf, err
			}
			gf.gems = append(gf.gems, deps...)
			continue
		case blockStart.MatchString(code):
			blocks = append(blocks, nil)
			continue
		}
		m := gemLine.FindStringSubmatch(code)
		if m == nil || condition.MatchString(code) {
			continue
		}
		var groups []string
		for _, b := range blocks {
			groups = append(groups, b...)
		}
		if g := inlineGroup.FindStringSubmatch(code); g != nil {
			groups = append(groups, symbols(g[1])...)
		}
		if m[1] == githubPages {
			gf.githubPages = true
		}
		if slices.Contains(groups, "jekyll_plugins") {
			gf.plugins = append(gf.plugins, m[1])
		}
		if len(groups) == 0 || slices.ContainsFunc(groups, func(g string) bool { return g != "development" && g != "test" }) {
			gf.gems = append(gf.gems, m[1])
		}
	}
	return gf, nil
}

func symbols(s string) []string {
	var out []string
	for _, m := range symbol.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// gemspecDeps are the runtime dependencies of the folder's .gemspec files,
// as a theme's repository has: `gemspec` in its Gemfile installs them.
func gemspecDeps(fsys fs.FS) ([]string, error) {
	specs, err := fs.Glob(fsys, "*.gemspec")
	if err != nil {
		return nil, err
	}
	var deps []string
	for _, name := range specs {
		text, err := readText(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, m := range gemspecDep.FindAllStringSubmatch(text, -1) {
			deps = append(deps, m[1])
		}
	}
	return deps, nil
}

// notListed are the gems of plugins that Debian has and listed lacks, in
// order.
func notListed(plugins, listed []string) []string {
	var out []string
	for _, p := range plugins {
		if !slices.Contains(listed, p) && jekyllPackage(p) != "" {
			out = appendNew(out, p)
		}
	}
	return out
}

// appendNew appends item to list unless it is there already.
func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
