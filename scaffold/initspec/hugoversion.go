package initspec

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// themeMinVersion is theme.toml's min_version.
	themeMinVersion = regexp.MustCompile(`(?m)^\s*min_version\s*=\s*["']?v?([0-9][0-9.]*)`)
	// tomlHugoVersion is a [module.hugoVersion] table, up to the next table.
	tomlHugoVersion = regexp.MustCompile(`(?ms)^\s*\[module\.hugoversion\]\s*$(.*?)(?:^\s*\[|\z)`)
	// tomlMin is its min key.
	tomlMin = regexp.MustCompile(`(?m)^\s*min\s*=\s*["']v?([0-9][0-9.]*)`)
	// yamlHugoVersion is module: hugoVersion: min: in YAML.
	yamlHugoVersion = regexp.MustCompile(`(?m)^\s+hugoversion:\s*\n(?:\s+\w+:.*\n)*?\s+min:\s*["']?v?([0-9][0-9.]*)`)
)

// hugoNeeds are the minimum Hugo versions the site and its themes ask
// for: a theme's theme.toml min_version, and [module.hugoVersion] min in
// the site's or a theme's configuration (hugo.toml, config.toml, their
// YAML forms).
func hugoNeeds(s site, config string) ([]need, error) {
	var out []need
	add := func(name, version string) {
		out = append(out, need{tool: toolHugo, want: ">=" + version, from: s.path(name)})
	}
	configs := []string{config}
	themes, err := fs.ReadDir(s.fsys, "themes")
	if err == nil {
		for _, th := range themes {
			if !th.IsDir() {
				continue
			}
			dir := path.Join("themes", th.Name())
			text, err := readText(s.fsys, path.Join(dir, "theme.toml"))
			if err != nil {
				return nil, err
			}
			if m := themeMinVersion.FindStringSubmatch(text); m != nil {
				add(path.Join(dir, "theme.toml"), m[1])
			}
			for _, c := range []string{"hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml"} {
				configs = append(configs, path.Join(dir, c))
			}
		}
	}
	for _, c := range slices.Compact(configs) {
		text, err := readText(s.fsys, c)
		if err != nil {
			return nil, err
		}
		if v := configHugoMin(text); v != "" {
			add(c, v)
		}
	}
	return out, nil
}

// configHugoMin is the module.hugoVersion.min of a TOML or YAML
// configuration (Hugo's keys are case-insensitive), or "".
func configHugoMin(text string) string {
	lower := strings.ToLower(text)
	if m := tomlHugoVersion.FindStringSubmatch(lower); m != nil {
		if v := tomlMin.FindStringSubmatch(m[1]); v != nil {
			return v[1]
		}
	}
	if m := yamlHugoVersion.FindStringSubmatch(lower); m != nil {
		return m[1]
	}
	return ""
}
