package initspec

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// nodePackages is the toolchain of npm-based generators from Debian:
// Node.js and the CA certificates npm checks the registry against. npm
// itself comes from the registry, pinned (site.build.npm): Debian's npm
// package pulls in about 360 more packages (445 against 81 on trixie).
var nodePackages = []string{"nodejs", "ca-certificates"}

// nodeNpm is the npm release site.build.npm installs.
var nodeNpm = npmPin("npm", "11")

// nodeGenerator is one npm-based generator.
type nodeGenerator struct {
	name string
	// dep is the npm package that names it in package.json; npx runs it.
	dep string
	// bin is its command.
	bin string
	// invoked matches a build with it in a package.json script.
	invoked *regexp.Regexp
	// configs are its configuration files, relative to the site's folder.
	configs []string
	// outKey matches the output folder in its configuration, outFlag on
	// its command line.
	outKey, outFlag *regexp.Regexp
	// defaultOut is the folder it writes when nothing says otherwise.
	defaultOut string
	// direct is its build command's arguments writing to folder out.
	direct func(src, out string) string
	// caches are the folders, relative to the site's, where it keeps what
	// the next build can reuse; the build step mounts them as caches.
	caches []string
}

// quotedValue is the pattern of a quoted string's contents after a key.
const quotedValue = `\s*:\s*["'` + "`" + `]([^"'` + "`" + `]+)`

var nodeGenerators = []nodeGenerator{
	{name: Eleventy, dep: "@11ty/eleventy", bin: "eleventy",
		invoked: regexp.MustCompile(`(?:^|[\s;&|(/])eleventy(?:$|[\s;&|)])`),
		configs: []string{"eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts", ".eleventy.js", ".eleventy.cjs"},
		outKey:  regexp.MustCompile(`\boutput` + quotedValue), outFlag: regexp.MustCompile(`--output[= ]['"]?([^\s'"]+)`),
		defaultOut: "_site",
		direct:     func(_, out string) string { return "--output=" + out },
		caches:     []string{".cache"}},
	{name: Astro, dep: "astro", bin: "astro",
		invoked: regexp.MustCompile(`\bastro\s+build\b`),
		configs: []string{"astro.config.mjs", "astro.config.js", "astro.config.ts", "astro.config.mts", "astro.config.cjs"},
		outKey:  regexp.MustCompile(`\boutDir` + quotedValue), outFlag: regexp.MustCompile(`--outDir[= ]['"]?([^\s'"]+)`),
		defaultOut: "dist",
		direct:     func(_, out string) string { return "build --outDir " + out },
		caches:     []string{"node_modules/.astro", ".astro"}},
	{name: Docusaurus, dep: "@docusaurus/core", bin: "docusaurus",
		invoked:    regexp.MustCompile(`\bdocusaurus\s+build\b`),
		configs:    []string{"docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs"},
		outFlag:    regexp.MustCompile(`--out-dir[= ]['"]?([^\s'"]+)`),
		defaultOut: "build",
		direct:     func(_, out string) string { return "build --out-dir " + out },
		caches:     []string{".docusaurus", "node_modules/.cache"}},
	{name: VitePress, dep: "vitepress", bin: "vitepress",
		invoked: regexp.MustCompile(`\bvitepress\s+build\b`),
		configs: []string{".vitepress/config.js", ".vitepress/config.ts", ".vitepress/config.mjs", ".vitepress/config.mts", ".vitepress/config.cjs"},
		outKey:  regexp.MustCompile(`\boutDir` + quotedValue), outFlag: regexp.MustCompile(`--outDir[= ]['"]?([^\s'"]+)`),
		defaultOut: ".vitepress/dist",
		direct:     func(src, out string) string { return "build " + ShellQuote(src) + " --outDir " + out }},
}

// packageJSON is what init reads of package.json.
type packageJSON struct {
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	PackageManager  string            `json:"packageManager"`
	Engines         struct {
		Node string `json:"node"`
		PNPM string `json:"pnpm"`
		Yarn string `json:"yarn"`
	} `json:"engines"`
	Workspaces workspaces `json:"workspaces"`
}

// workspaces is package.json's "workspaces": a list of patterns, or an
// object holding them under "packages".
type workspaces []string

func (w *workspaces) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err == nil {
		*w = list
		return nil
	}
	var obj struct {
		Packages []string `json:"packages"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*w = obj.Packages
	return nil
}

// readPackageJSON reads name in fsys; ok is false when there is none.
func readPackageJSON(fsys fs.FS, name string) (pj packageJSON, ok bool, err error) {
	text, err := readText(fsys, name)
	if err != nil || text == "" {
		return pj, false, err
	}
	if err := json.Unmarshal([]byte(text), &pj); err != nil {
		return pj, false, fmt.Errorf("reading %s: %w", name, err)
	}
	return pj, true, nil
}

func (pj packageJSON) dependsOn(dep string) (version string, ok bool) {
	if v, ok := pj.Dependencies[dep]; ok {
		return v, true
	}
	v, ok := pj.DevDependencies[dep]
	return v, ok
}

func detectNode(s site) (Detection, bool, error) {
	pj, ok, err := readPackageJSON(s.fsys, "package.json")
	if err != nil || !ok {
		return Detection{}, false, err
	}
	for _, g := range nodeGenerators {
		if _, ok := pj.dependsOn(g.dep); !ok {
			continue
		}
		d, err := nodeDetection(s, pj, g)
		return d, err == nil, err
	}
	return Detection{}, false, nil
}

// nodeDetection writes the two steps for generator g of the site: install
// the locked dependencies with the repository's package manager, then build.
func nodeDetection(s site, pj packageJSON, g nodeGenerator) (Detection, error) {
	pm, err := findPackageManager(s)
	if err != nil {
		return Detection{}, err
	}
	b, notes, weak, err := nodeBuild(s, pj, g, pm)
	if err != nil {
		return Detection{}, err
	}
	install := step{
		comment: "Install the locked dependencies: runs again only when these files change.",
		inputs:  pm.inputs, run: pm.install, network: true, cache: pm.cache,
	}
	if pm.dir != s.dir {
		install.workdir = pm.dir
	}
	notes = append(slices.Clone(pm.notes), notes...)
	warnings := slices.Clone(pm.warnings)
	suite, suiteNotes, warning := chooseSuite(nodeNeeds(s, pm.dir, pj))
	b.Build.Suite = suite
	if warning != "" {
		notes = append(notes, problem(&warnings, warning)...)
	}
	notes = append(notes, workspaceNotes(s, pj)...)
	notes = append(notes,
		g.name+" and its plugins come from the npm registry, pinned by "+orElse(pm.lockName(), "the lockfile")+"; Node.js comes from Debian,",
		"npm from the registry, checked against its sha512 (site.build.npm).",
		"Only the install step has network access. Commit the lockfile whenever package.json changes.")
	comments := setSteps(&b.Build, []step{install, b.build})
	return Detection{Generator: g.name, Reason: s.found("package.json") + " depending on " + g.dep, weak: weak,
		Spec: Template{Build: &b.Build, Notes: notes, StepComments: comments, Warnings: warnings, SuiteNotes: suiteNotes}}, nil
}

// nodeBuildSpec is the site.build of an npm-based site and its build step.
type nodeBuildSpec struct {
	spec.Build
	build step
}

// nodeBuild chooses the build step: the site's own build script when it
// runs the generator and the build step can run it, else the generator's
// command writing to /out. weak is set when the site folder has none of the
// generator's configuration files.
func nodeBuild(s site, pj packageJSON, g nodeGenerator, pm packageManager) (nodeBuildSpec, []string, bool, error) {
	b := nodeBuildSpec{Build: spec.Build{Packages: slices.Concat(nodePackages, pm.packages), Npm: append([]string{nodeNpm}, pm.pins...), Workdir: s.dir}}
	b.build.comment = "Build the site: every change to the sources runs this step again."
	var notes []string
	if len(g.caches) > 0 {
		b.build.cache = cacheMounts(s, g.caches)
		notes = append(notes, cacheNote(g.name, g.caches)...)
	}
	name, script, skipped := buildScript(pj, g, pm)
	src := "."
	if g.name == VitePress {
		src = vitepressDir(pj.Scripts)
	}
	config, err := firstFile(s.fsys, configPaths(g, src)...)
	if err != nil {
		return b, nil, false, err
	}
	if name != "" {
		b.build.run = pm.runScript(name)
		folder, err := outputFolder(s, g, src, config, script)
		if err != nil {
			return b, nil, false, err
		}
		b.Output = folder
		notes = append(notes, fmt.Sprintf("The build step runs package.json's %q script, which writes the site to %s/.", name, path.Join(s.dir, folder)))
	} else {
		b.build.run = pm.runBin(g, g.direct(src, out))
		b.Output = out
		if skipped != "" {
			tool := otherManager.FindStringSubmatch(expandScript(pj.Scripts, skipped, 4))[1]
			notes = append(notes, fmt.Sprintf("package.json's %q script runs %s, which the build step does not have,", skipped, tool),
				"so the step runs "+g.name+" itself: add a step for anything else that script does.")
		}
	}
	return b, notes, config == "", nil
}

// configPaths are g's configuration files for a site whose sources are in
// src (VitePress' project folder; "." for the others).
func configPaths(g nodeGenerator, src string) []string {
	paths := make([]string, len(g.configs))
	for i, c := range g.configs {
		paths[i] = path.Join(src, c)
	}
	return paths
}

// scriptRef matches a script running another of package.json's scripts.
var scriptRef = regexp.MustCompile(`\b(?:npm\s+run|pnpm(?:\s+run)?|yarn(?:\s+run)?)\s+([A-Za-z0-9:_.-]+)`)

// otherManager matches a script that runs pnpm, yarn or bun.
var otherManager = regexp.MustCompile(`(?:^|[\s;&|(])(pnpm|yarn|bun|bunx)(?:$|\s)`)

// expandScript is a script's text with the scripts it runs by name
// appended, up to a few levels deep.
func expandScript(scripts map[string]string, name string, depth int) string {
	text := scripts[name]
	if depth == 0 {
		return text
	}
	for _, m := range scriptRef.FindAllStringSubmatch(scripts[name], -1) {
		if _, ok := scripts[m[1]]; ok && m[1] != name {
			text += "\n" + expandScript(scripts, m[1], depth-1)
		}
	}
	return text
}

// buildScript returns the script that builds the site with g ("build"
// first, then others with "build" in their name, in order) and its text
// with the scripts it runs. skipped names a script that builds the site but
// runs a package manager the build step does not have.
func buildScript(pj packageJSON, g nodeGenerator, pm packageManager) (name, text, skipped string) {
	names := make([]string, 0, len(pj.Scripts))
	for k := range pj.Scripts {
		if k != "build" && strings.Contains(k, "build") {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	if _, ok := pj.Scripts["build"]; ok {
		names = append([]string{"build"}, names...)
	}
	for _, k := range names {
		text := expandScript(pj.Scripts, k, 4)
		if !invokes(g, text) {
			continue
		}
		if !pm.canRun(text) {
			if skipped == "" {
				skipped = k
			}
			continue
		}
		return k, text, skipped
	}
	return "", "", skipped
}

// invokes reports whether a script's text builds a site with g (and does
// not only serve or watch it).
func invokes(g nodeGenerator, text string) bool {
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '&' || r == ';' || r == '|' }) {
		if g.invoked.MatchString(line) && !strings.Contains(line, "--serve") && !strings.Contains(line, "--watch") {
			return true
		}
	}
	return false
}

// outputFolder is where the build script writes the site, relative to the
// site's folder: its command-line flag, else the configuration's setting,
// else g's default.
func outputFolder(s site, g nodeGenerator, src, config, script string) (string, error) {
	if g.outFlag != nil {
		if m := g.outFlag.FindStringSubmatch(script); m != nil {
			return path.Clean(m[1]), nil
		}
	}
	if config != "" && g.outKey != nil {
		text, err := readText(s.fsys, config)
		if err != nil {
			return "", err
		}
		if m := g.outKey.FindStringSubmatch(text); m != nil {
			return path.Join(src, m[1]), nil
		}
	}
	return path.Join(src, g.defaultOut), nil
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
				return path.Clean(m[1])
			}
			return "."
		}
	}
	return "."
}

// nodeMajor matches the major version a Node.js version range starts at.
var nodeMajor = regexp.MustCompile(`^\s*(?:v|>=?\s*|\^|~|=)?\s*(\d+)`)

// nodeNeeds are the Node.js versions the site or its workspace root asks
// for: package.json's engines.node, .nvmrc, .node-version.
func nodeNeeds(s site, root string, pj packageJSON) []need {
	var out []need
	for _, dir := range slices.Compact([]string{s.dir, root}) {
		name := path.Join(dir, "package.json")
		engines := pj.Engines.Node
		if dir != s.dir {
			engines = ""
			if rpj, _, err := readPackageJSON(s.root, name); err == nil {
				engines = rpj.Engines.Node
			}
		}
		if strings.TrimSpace(engines) != "" {
			out = append(out, need{tool: toolNode, want: strings.TrimSpace(engines), from: name + "'s engines.node"})
		}
		for _, f := range []string{".nvmrc", ".node-version"} {
			text, _ := readText(s.root, path.Join(dir, f))
			if n, ok := nodeVersionFileNeed(text, path.Join(dir, f)); ok {
				out = append(out, n)
			}
		}
	}
	return out
}

// workspaceNotes names the dependencies the site takes from its monorepo's
// workspace: they are used as they are in the sources.
func workspaceNotes(s site, pj packageJSON) []string {
	var local []string
	for _, deps := range []map[string]string{pj.Dependencies, pj.DevDependencies} {
		for name, v := range deps {
			if strings.HasPrefix(v, "workspace:") {
				local = append(local, name)
			}
		}
	}
	if len(local) == 0 {
		return nil
	}
	slices.Sort(local)
	return []string{s.path("package.json") + " takes " + strings.Join(local, ", ") + " from the workspace. If they must be",
		"built before the site (their own build script), add a step for that between the two."}
}
