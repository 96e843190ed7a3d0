package initspec

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// nodePackages is the toolchain of npm-based generators: Node.js and npm
// from Debian, and the CA certificates npm checks the registry against.
var nodePackages = []string{"nodejs", "npm", "ca-certificates"}

// nodeGenerator is one npm-based generator: the dependency that names it,
// its build command and where that writes the site.
type nodeGenerator struct {
	name, dep string
	// build returns the command and the output folder for package.json's scripts.
	build func(scripts map[string]string) (run, output string)
}

var nodeGenerators = []nodeGenerator{
	{Eleventy, "@11ty/eleventy", func(map[string]string) (string, string) {
		return "npx --offline @11ty/eleventy --output=" + out, out
	}},
	{Astro, "astro", func(map[string]string) (string, string) {
		return "npx --offline astro build --outDir " + out, out
	}},
	{Docusaurus, "@docusaurus/core", func(map[string]string) (string, string) {
		return "npx --offline docusaurus build --out-dir " + out, out
	}},
	{VitePress, "vitepress", func(scripts map[string]string) (string, string) {
		dir := vitepressDir(scripts)
		return "npx --offline vitepress build " + ShellQuote(dir) + " --outDir " + out, out
	}},
}

// vitepressBuild finds the folder a "vitepress build <dir>" script builds.
var vitepressBuild = regexp.MustCompile(`vitepress\s+build(?:\s+([^\s&|;]+))?`)

// vitepressDir is the docs folder package.json's scripts build, "." when
// they name none.
func vitepressDir(scripts map[string]string) string {
	names := make([]string, 0, len(scripts))
	for k := range scripts {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if m := vitepressBuild.FindStringSubmatch(scripts[k]); m != nil {
			if m[1] != "" && !strings.HasPrefix(m[1], "-") {
				return m[1]
			}
			return "."
		}
	}
	return "."
}

// packageJSON is what init reads of package.json.
type packageJSON struct {
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func detectNode(fsys fs.FS) (Detection, bool, error) {
	text, err := readText(fsys, "package.json")
	if err != nil || text == "" {
		return Detection{}, false, err
	}
	var pj packageJSON
	if err := json.Unmarshal([]byte(text), &pj); err != nil {
		return Detection{}, false, fmt.Errorf("reading package.json: %w", err)
	}
	for _, g := range nodeGenerators {
		_, dep := pj.Dependencies[g.dep]
		_, dev := pj.DevDependencies[g.dep]
		if !dep && !dev {
			continue
		}
		run, output := g.build(pj.Scripts)
		steps, notes, err := npmSteps(fsys)
		if err != nil {
			return Detection{}, false, err
		}
		steps = append(steps, step{comment: "Build the site: every change to the sources runs this step again.", run: run})
		notes = append(notes,
			g.name+" and its plugins come from npm, pinned by package-lock.json; Node.js and npm come from Debian.",
			"Only the npm ci step has network access. Commit package-lock.json whenever package.json changes.")
		b := &spec.Build{Packages: slices.Clone(nodePackages), Workdir: ".", Output: output}
		comments := setSteps(b, steps)
		return Detection{Generator: g.name, Reason: "found package.json depending on " + g.dep, Spec: Template{
			Build: b, Notes: notes, StepComments: comments,
		}}, true, nil
	}
	return Detection{}, false, nil
}

// npmSteps is the dependency step: npm ci with only the manifest and lock
// as inputs, so it runs again only when they change.
func npmSteps(fsys fs.FS) ([]step, []string, error) {
	lock, err := firstFile(fsys, "package-lock.json", "npm-shrinkwrap.json")
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	if lock == "" {
		lock = "package-lock.json"
		other, err := firstFile(fsys, "yarn.lock", "pnpm-lock.yaml", "bun.lockb")
		if err != nil {
			return nil, nil, err
		}
		if other != "" {
			notes = append(notes, "The site is locked with "+other+", but the build installs with npm from Debian:")
		}
		notes = append(notes, "npm ci needs a package-lock.json: run `npm install` once and commit it.")
	}
	return []step{{
		comment: "Install the locked dependencies: runs again only when these files change.",
		inputs:  []string{"package.json", lock},
		run:     "npm ci --no-audit --no-fund",
		network: true,
		cache:   []string{"/root/.npm"},
	}}, notes, nil
}
