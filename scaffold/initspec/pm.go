package initspec

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// packageManager is how an npm-based site installs its dependencies.
type packageManager struct {
	// name is npm, pnpm, yarn or bun.
	name string
	// dir is the folder holding the lockfile (the workspace root),
	// relative to the repository root.
	dir string
	// lock is the lockfile's path, "" when there is none.
	lock string
	// install is the install step's command, run in dir.
	install string
	// inputs are the install step's inputs: manifests, lockfile, settings.
	inputs []string
	// cache are folders kept between builds for the install step.
	cache []string
	// packages are Debian packages it needs beyond Node.js.
	packages []string
	// pins are site.build.npm entries it needs beyond npm: pnpm or Yarn 1,
	// pinned.
	pins []string
	// yarn runs Yarn offline in later steps ("" when it cannot).
	yarn string
	// pnp is set for Yarn Plug'n'Play: there is no node_modules.
	pnp bool
	// notes explain what could not be done as the repository does it.
	notes []string
	// warnings are the problems among them, one line each.
	warnings []string
}

// lockfiles name a package manager by their lockfile, in the order tried.
var lockfiles = []struct{ name, file string }{
	{"npm", "package-lock.json"}, {"npm", "npm-shrinkwrap.json"},
	{"pnpm", "pnpm-lock.yaml"}, {"yarn", "yarn.lock"}, {"bun", "bun.lock"}, {"bun", "bun.lockb"},
}

// lockName is the lockfile's name, "" when there is none.
func (pm packageManager) lockName() string { return path.Base(pm.lock) }

// runScript is the command that runs one of package.json's scripts.
func (pm packageManager) runScript(name string) string {
	if pm.yarn != "" && (pm.pnp || pm.name == "yarn") {
		return pm.yarn + " run " + ShellQuote(name)
	}
	return "npm run " + ShellQuote(name)
}

// runBin is the command that runs g's command with args from the installed
// dependencies (node_modules/.bin), offline.
func (pm packageManager) runBin(g nodeGenerator, args string) string {
	if pm.pnp {
		return pm.yarn + " " + g.bin + " " + args
	}
	return "npx --offline " + g.bin + " " + args
}

// canRun reports whether the build step can run a script's text: it has
// npm, and Yarn when yarn is set, but not pnpm or bun.
func (pm packageManager) canRun(text string) bool {
	for _, m := range otherManager.FindAllStringSubmatch(text, -1) {
		if m[1] != "yarn" || pm.yarn == "" {
			return false
		}
	}
	return true
}

// findPackageManager looks for the nearest lockfile from the site's folder
// up to the root, and says how to install with it from Debian's Node.js.
func findPackageManager(s site) (packageManager, error) {
	for dir := s.dir; ; dir = path.Dir(dir) {
		for _, l := range lockfiles {
			p := path.Join(dir, l.file)
			ok, err := isFile(s.root, p)
			if err != nil {
				return packageManager{}, err
			}
			if ok {
				return newPackageManager(s, l.name, dir, p)
			}
		}
		if dir == "." {
			break
		}
	}
	return newPackageManager(s, "npm", s.dir, "")
}

func newPackageManager(s site, name, dir, lock string) (packageManager, error) {
	pm := packageManager{name: name, dir: dir, lock: lock}
	root, _, err := readPackageJSON(s.root, path.Join(dir, "package.json"))
	if err != nil {
		return pm, err
	}
	pm.inputs = []string{path.Join(dir, "package.json")}
	if lock != "" {
		pm.inputs = append(pm.inputs, lock)
	}
	members := []string(root.Workspaces)
	switch name {
	case "npm":
		err = pm.npm(s, lock)
	case "pnpm":
		members, err = pm.pnpm(s, root)
	case "yarn":
		err = pm.yarnSetup(s, root)
	case "bun":
		pm.name, pm.lock = "npm", ""
		pm.inputs = pm.inputs[:1]
		pm.notes = append(pm.notes, problem(&pm.warnings, "The site is locked with "+path.Base(lock)+", but bun is not in Debian: the build installs",
			"with npm, which needs a package-lock.json: run `npm install` once and commit it.")...)
		err = pm.npm(s, "")
	}
	if err != nil {
		return pm, err
	}
	for _, m := range members {
		if !strings.HasPrefix(m, "!") {
			pm.addInput(path.Join(dir, strings.TrimSuffix(m, "/"), "package.json"))
		}
	}
	pm.addInput(s.path("package.json"))
	for _, f := range []string{".npmrc", "patches"} {
		if err := pm.addIfExists(s, path.Join(dir, f)); err != nil {
			return pm, err
		}
	}
	return pm, nil
}

func (pm *packageManager) addInput(p string) {
	if !slices.Contains(pm.inputs, p) {
		pm.inputs = append(pm.inputs, p)
	}
}

// addIfExists adds p to the inputs when the repository has it.
func (pm *packageManager) addIfExists(s site, p string) error {
	_, err := fs.Stat(s.root, p)
	switch {
	case err == nil:
		pm.addInput(p)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("looking at %s: %w", p, err)
	}
	return nil
}

func (pm *packageManager) npm(s site, lock string) error {
	pm.install = "npm ci --no-audit --no-fund"
	pm.cache = []string{"/root/.npm"}
	if lock == "" {
		lock = path.Join(pm.dir, "package-lock.json")
		pm.inputs = append(pm.inputs, lock)
		other := ""
		for _, l := range lockfiles[2:] {
			if ok, err := isFile(s.root, path.Join(pm.dir, l.file)); err != nil {
				return err
			} else if ok && other == "" {
				other = l.file
			}
		}
		if other == "" {
			pm.notes = append(pm.notes, problem(&pm.warnings, "npm ci needs a package-lock.json: run `npm install` once and commit it.")...)
		}
	}
	return nil
}

// packageManagerVersion is the version in package.json's packageManager
// ("pnpm@9.15.0+sha512...") when it names tool.
func packageManagerVersion(root packageJSON, tool string) string {
	v, ok := strings.CutPrefix(root.PackageManager, tool+"@")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, "+")
	return v
}

// pnpmLockMajor maps pnpm-lock.yaml's lockfileVersion to the pnpm that
// writes it.
var pnpmLockMajor = regexp.MustCompile(`(?m)^lockfileVersion:\s*['"]?(\d+)\.(\d+)`)

// pnpm: Debian has no pnpm, so the install step runs the version the
// repository asks for from the npm registry with npx (pnpmVersion).
func (pm *packageManager) pnpm(s site, root packageJSON) ([]string, error) {
	ws := path.Join(pm.dir, "pnpm-workspace.yaml")
	wsText, err := readText(s.root, ws)
	if err != nil {
		return nil, err
	}
	var w map[string]any
	wsErr := yaml.Unmarshal([]byte(wsText), &w)
	version, from, err := pm.pnpmVersion(s, root, w)
	if err != nil {
		return nil, err
	}
	pm.cache = []string{"/root/.local/share/pnpm/store"}
	if pin := pinFor(root, "pnpm", version); pin != "" {
		pm.install = "pnpm install --frozen-lockfile"
		pm.pins = []string{pin}
		pm.notes = append(pm.notes, "pnpm is not in Debian: site.build.npm installs "+strings.SplitN(pin, "+", 2)[0]+" (asked for by "+from+")",
			"from the npm registry, checked against its sha512.")
	} else {
		pm.install = "npx --yes pnpm@" + version + " install --frozen-lockfile"
		pm.cache = append(pm.cache, "/root/.npm")
		pm.notes = append(pm.notes, "pnpm is not in Debian, and init knows no pinned pnpm "+version+" (from "+from+"): the install step runs",
			"it from the npm registry with npx. Pin it in site.build.npm (`npm view pnpm@"+version+" dist.integrity`).")
	}
	if wsText == "" {
		return nil, nil
	}
	pm.addInput(ws)
	if wsErr != nil {
		pm.notes = append(pm.notes, problem(&pm.warnings, ws+" could not be read: add its packages' package.json files to the inputs.")...)
		return nil, nil
	}
	var members []string
	if list, ok := w["packages"].([]any); ok {
		for _, m := range list {
			if m, ok := m.(string); ok {
				members = append(members, m)
			}
		}
	}
	return members, pm.addIfExists(s, path.Join(pm.dir, ".pnpmfile.cjs"))
}

// pnpmWorkspaceKeys are the keys of pnpm-workspace.yaml that pnpm 9 reads
// (catalogs came in 9.5); any other setting there needs pnpm 10, and so
// does a workspace file without packages (pnpm 9 stops: "packages field
// missing or empty").
var pnpmWorkspaceKeys = []string{"packages", "catalog", "catalogs"}

// pnpmVersion is the pnpm the repository asks for: package.json's
// packageManager as it is, else the newest major any of these needs:
// engines.pnpm, pnpm-workspace.yaml's settings, the version CI installs
// (pnpm/action-setup), the lockfile's format. from says which decided.
func (pm *packageManager) pnpmVersion(s site, root packageJSON, workspace map[string]any) (version, from string, err error) {
	if v := packageManagerVersion(root, "pnpm"); v != "" {
		return v, "package.json's packageManager", nil
	}
	major, from := 0, "nothing in the repository"
	want := func(m int, why string) {
		if m > major {
			major, from = m, why
		}
	}
	if m := nodeMajor.FindStringSubmatch(root.Engines.PNPM); m != nil {
		want(atoi(m[1]), "package.json's engines.pnpm")
	}
	if workspace != nil {
		keys := slices.Sorted(maps.Keys(workspace))
		for _, k := range keys {
			if !slices.Contains(pnpmWorkspaceKeys, k) {
				want(10, "pnpm-workspace.yaml's "+k+", a pnpm 10 setting")
				break
			}
		}
		if _, ok := workspace["packages"]; !ok && len(keys) > 0 {
			want(10, "pnpm-workspace.yaml without packages, which pnpm 10 allows")
		}
	}
	ci, file, err := ciPnpmMajor(s.root)
	if err != nil {
		return "", "", err
	}
	want(ci, file+"'s pnpm/action-setup version")
	text, err := readText(s.root, pm.lock)
	if err != nil {
		return "", "", err
	}
	if m := pnpmLockMajor.FindStringSubmatch(text); m != nil {
		lockPnpm := map[string]int{"9": 9, "6": 8, "5": 7}[m[1]]
		want(lockPnpm, "pnpm-lock.yaml's lockfileVersion")
	}
	if major == 0 {
		return "latest", from, nil
	}
	return strconv.Itoa(major), from, nil
}

// pinFor is the site.build.npm entry for tool at version (exact, a major,
// or "latest"): package.json's packageManager when it carries corepack's
// sha512 for that version, else init's pin for that release or major;
// "" when neither pins it.
func pinFor(root packageJSON, tool, version string) string {
	if pin := packageManagerPin(root.PackageManager, tool); pin != "" && strings.HasPrefix(pin, tool+"@"+version+"+") {
		return pin
	}
	major, _, _ := strings.Cut(version, ".")
	if major == "latest" {
		major = "10"
	}
	pin := npmPin(tool, major)
	if exactVersion.MatchString(version) && !strings.HasPrefix(pin, tool+"@"+version+"+") {
		return ""
	}
	return pin
}

// actionSetup matches a step using pnpm/action-setup; actionVersion its
// `version:` input.
var (
	actionSetup   = regexp.MustCompile(`uses:\s*['"]?pnpm/action-setup@`)
	actionVersion = regexp.MustCompile(`^\s*version:\s*['"]?v?(\d+)`)
	nextStep      = regexp.MustCompile(`^\s*-\s|^\s*uses:`)
)

// ciPnpmMajor is the newest pnpm major a GitHub Actions workflow installs
// with pnpm/action-setup, and the workflow's path; 0 when none says.
func ciPnpmMajor(root fs.FS) (int, string, error) {
	var files []string
	for _, pattern := range []string{".github/workflows/*.yml", ".github/workflows/*.yaml"} {
		found, err := fs.Glob(root, pattern)
		if err != nil {
			return 0, "", err
		}
		files = append(files, found...)
	}
	slices.Sort(files)
	best, bestFile := 0, ""
	for _, f := range files {
		text, err := readText(root, f)
		if err != nil {
			return 0, "", err
		}
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			if !actionSetup.MatchString(l) {
				continue
			}
			// The step's inputs follow within a few lines (with:, version:).
			for _, next := range lines[i+1 : min(i+6, len(lines))] {
				if nextStep.MatchString(next) {
					break
				}
				if m := actionVersion.FindStringSubmatch(next); m != nil {
					if v := atoi(m[1]); v > best {
						best, bestFile = v, f
					}
					break
				}
			}
		}
	}
	return best, bestFile, nil
}

// atoi is the number in digits, 0 when there is none.
func atoi(digits string) int {
	n, _ := strconv.Atoi(digits)
	return n
}

// yarnBerryLock marks a yarn.lock written by Yarn 2 or later.
const yarnBerryLock = "__metadata:"

// yarnSetup: Yarn 1 is not in Debian (its yarnpkg is Yarn 4), so it runs
// from the npm registry; Yarn 2+ runs from the release the repository
// commits (yarnPath), else from Debian's yarnpkg.
func (pm *packageManager) yarnSetup(s site, root packageJSON) error {
	lockText, err := readText(s.root, pm.lock)
	if err != nil {
		return err
	}
	version, from := packageManagerVersion(root, "yarn"), "package.json's packageManager"
	if version == "" && root.Engines.Yarn != "" {
		version, from = strings.TrimSpace(root.Engines.Yarn), "package.json's engines.yarn"
	}
	if !strings.Contains(lockText, yarnBerryLock) {
		if !exactVersion.MatchString(version) || !strings.HasPrefix(version, "1.") {
			version = "1.22.22"
		}
		pm.cache = []string{"/usr/local/share/.cache/yarn"}
		if pin := pinFor(root, "yarn", version); pin != "" {
			pm.install = "yarn install --frozen-lockfile"
			pm.pins = []string{pin}
			pm.notes = append(pm.notes, "Yarn 1 is not in Debian (its yarnpkg is Yarn 4): site.build.npm installs yarn "+version,
				"from the npm registry, checked against its sha512.")
			return nil
		}
		pm.install = "npx --yes yarn@" + version + " install --frozen-lockfile"
		pm.cache = append(pm.cache, "/root/.npm")
		pm.notes = append(pm.notes, "Yarn 1 is not in Debian (its yarnpkg is Yarn 4): the install step runs yarn "+version,
			"from the npm registry with npx. Later steps have no yarn: they run the generator from node_modules.")
		return nil
	}
	rc := path.Join(pm.dir, ".yarnrc.yml")
	rcText, err := readText(s.root, rc)
	if err != nil {
		return err
	}
	var settings struct {
		YarnPath   string `yaml:"yarnPath"`
		NodeLinker string `yaml:"nodeLinker"`
	}
	_ = yaml.Unmarshal([]byte(rcText), &settings) // a broken .yarnrc.yml stops yarn itself, with its own message
	if rcText != "" {
		pm.addInput(rc)
	}
	pm.pnp = settings.NodeLinker == "" || settings.NodeLinker == "pnp"
	pm.cache = []string{"/root/.yarn/berry/cache"}
	if settings.YarnPath != "" {
		release := path.Join(pm.dir, settings.YarnPath)
		pm.addInput(release)
		pm.yarn = "node " + ShellQuote(relTo(release, s.dir))
		pm.install = "node " + ShellQuote(settings.YarnPath) + " install --immutable"
		pm.notes = append(pm.notes, "Yarn runs from the release the repository commits ("+release+", .yarnrc.yml's yarnPath).")
	} else {
		pm.yarn, pm.install = "yarnpkg", "yarnpkg install --immutable"
		pm.packages = []string{"yarnpkg"}
		if yarnpkgFits(version) {
			pm.notes = append(pm.notes, "Yarn comes from Debian's yarnpkg (Yarn 4.1).")
		} else {
			pm.notes = append(pm.notes, problem(&pm.warnings, "Yarn comes from Debian's yarnpkg (Yarn 4.1), but "+from+" asks for yarn "+version+":",
				"commit that release and set yarnPath in .yarnrc.yml.")...)
		}
	}
	for _, f := range []string{".yarn/plugins", ".yarn/patches"} {
		if err := pm.addIfExists(s, path.Join(pm.dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// exactVersion matches a version with no range operator.
var exactVersion = regexp.MustCompile(`^\d+\.\d+\.\d+`)

// yarnpkgFits reports whether Debian's yarnpkg (Yarn 4) satisfies what the
// repository asks for: nothing, a Yarn 4 version, or a lower bound it meets.
func yarnpkgFits(want string) bool {
	m := nodeMajor.FindStringSubmatch(want)
	if m == nil {
		return true
	}
	if strings.HasPrefix(strings.TrimSpace(want), ">") {
		return atoi(m[1]) <= 4
	}
	return m[1] == "4"
}

// relTo is the path of p (relative to the root) seen from folder dir.
func relTo(p, dir string) string {
	if dir == "." {
		return p
	}
	up := strings.Repeat("../", strings.Count(dir, "/")+1)
	return path.Clean(up + p)
}
