package initspec

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// pnpmSite is an Eleventy site locked with pnpm, plus the files given.
func pnpmSite(pkg string, files fstest.MapFS) fstest.MapFS {
	fsys := fstest.MapFS{
		"package.json":       file(`{"devDependencies": {"@11ty/eleventy": "^3.0.0"}` + pkg + `}`),
		"pnpm-lock.yaml":     file("lockfileVersion: '9.0'\n"),
		"eleventy.config.js": file("export default {};\n"),
	}
	maps.Copy(fsys, files)
	return fsys
}

// The pnpm init runs is the one the repository asks for, from each place
// a repository says it; the newest major any of them needs wins. A major
// init has a pinned release of, or a packageManager with corepack's
// sha512, goes into site.build.npm; any other exact version runs with npx.
func TestPnpmVersion(t *testing.T) {
	const ci = ".github/workflows/ci.yml"
	const pnpm9 = "pnpm@9.15.9+sha512-aARhQYk8ZvrQHAeSMRKOmvuJ74fiaR1p5NQO7iKJiClf1GghgbrlW1hBjDolO95lpQXsfF+UA+zlzDzTfc8lMQ=="
	const pnpm9hex = "68046141893c66fad01c079231128e9afb89ef87e2691d69e4d40eee228988295fd4682181bae55b58418c3a253bde65a505ec7c5f9403ece5cc3cd37dcf2531"
	pnpm10 := npmPin("pnpm", "10")
	tests := []struct {
		name      string
		fsys      fstest.MapFS
		pnpm, why string
		pin       string // the site.build.npm entry, "" for npx
	}{
		// A hash that is not a sha512 pins nothing.
		{"packageManager", pnpmSite(`, "packageManager": "pnpm@10.4.1+sha512.abc"`, nil), "10.4.1", "package.json's packageManager", ""},
		// corepack's hex sha512 becomes the integrity.
		{"packageManager with sha512", pnpmSite(`, "packageManager": "pnpm@9.15.9+sha512.`+pnpm9hex+`"`, nil), "9.15.9", "package.json's packageManager", pnpm9},
		// packageManager is exact: it wins over a newer CI.
		{"packageManager over CI", pnpmSite(`, "packageManager": "pnpm@9.15.0"`, fstest.MapFS{
			ci: file("steps:\n  - uses: pnpm/action-setup@v4\n    with:\n      version: 10\n")}), "9.15.0", "package.json's packageManager", ""},
		{"engines", pnpmSite(`, "engines": {"pnpm": ">=10.2"}`, nil), "10", "package.json's engines.pnpm", pnpm10},
		// A pnpm 10 setting in the workspace file; the lockfile alone says 9.
		{"workspace settings", pnpmSite("", fstest.MapFS{
			"pnpm-workspace.yaml": file("packages:\n  - docs\nonlyBuiltDependencies:\n  - esbuild\n")}), "10", "pnpm-workspace.yaml's onlyBuiltDependencies, a pnpm 10 setting", pnpm10},
		{"workspace of settings only", pnpmSite("", fstest.MapFS{
			"pnpm-workspace.yaml": file("ignoredBuiltDependencies: [sharp]\n")}), "10", "pnpm-workspace.yaml's ignoredBuiltDependencies, a pnpm 10 setting", pnpm10},
		// Catalogs came in pnpm 9.5.
		{"workspace catalog", pnpmSite("", fstest.MapFS{
			"pnpm-workspace.yaml": file("packages: [docs]\ncatalog:\n  react: ^18\n")}), "9", "pnpm-lock.yaml's lockfileVersion", pnpm9},
		{"CI", pnpmSite("", fstest.MapFS{
			ci: file("jobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: pnpm/action-setup@v4\n        with:\n          version: 10.4.1\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n")}), "10", ci + "'s pnpm/action-setup version", pnpm10},
		// An action-setup step without a version reads packageManager; the
		// next step's version: is not its.
		{"CI without version", pnpmSite("", fstest.MapFS{
			".github/workflows/docs.yaml": file("steps:\n  - uses: pnpm/action-setup@v4\n  - uses: some/tool@v1\n    with:\n      version: 12\n")}), "9", "pnpm-lock.yaml's lockfileVersion", pnpm9},
		{"lockfile only", pnpmSite("", nil), "9", "pnpm-lock.yaml's lockfileVersion", pnpm9},
		// lockfileVersion 6 is pnpm 8, which init has no pin for.
		{"pnpm 8 lockfile", pnpmSite("", fstest.MapFS{"pnpm-lock.yaml": file("lockfileVersion: '6.0'\n")}), "8", "pnpm-lock.yaml's lockfileVersion", ""},
		{"nothing", pnpmSite("", fstest.MapFS{"pnpm-lock.yaml": file("# empty\n")}), "latest", "nothing in the repository", pnpm10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Detect(tc.fsys)
			if err != nil {
				t.Fatal(err)
			}
			wantRun, wantNote, wantNpm := "npx --yes pnpm@"+tc.pnpm+" install --frozen-lockfile", "no pinned pnpm "+tc.pnpm+" (from "+tc.why+")", []string{npmPin("npm", "11")}
			if tc.pin != "" {
				wantRun, wantNote, wantNpm = "pnpm install --frozen-lockfile", "(asked for by "+tc.why+")", append(wantNpm, tc.pin)
			}
			if got := d.Spec.Build.Steps[0].Run.Shell; got != wantRun {
				t.Errorf("install = %q, want %q", got, wantRun)
			}
			if notes := strings.Join(d.Spec.Notes, " "); !strings.Contains(notes, wantNote) {
				t.Errorf("notes = %q, want %q", d.Spec.Notes, wantNote)
			}
			if !slices.Equal(d.Spec.Build.Npm, wantNpm) {
				t.Errorf("site.build.npm = %q, want %q", d.Spec.Build.Npm, wantNpm)
			}
		})
	}
}

// yarnSite is an Eleventy site locked with Yarn (lock is yarn.lock's text).
func yarnSite(pkg, lock string) fstest.MapFS {
	return fstest.MapFS{
		"package.json":       file(`{"devDependencies": {"@11ty/eleventy": "^3.0.0"}` + pkg + `}`),
		"yarn.lock":          file(lock),
		".yarnrc.yml":        file("nodeLinker: node-modules\n"),
		"eleventy.config.js": file("export default {};\n"),
	}
}

// Yarn's version comes from packageManager or engines.yarn: Yarn 1 runs
// that release; Yarn 2+ without a committed release warns when Debian's
// Yarn 4 does not fit.
func TestYarnVersion(t *testing.T) {
	const v1 = "# yarn lockfile v1\n"
	const berry = "__metadata:\n  version: 8\n"
	tests := []struct {
		name, pkg, lock string
		install         string
		warning         string // "" for none
	}{
		{"yarn 1 packageManager", `, "packageManager": "yarn@1.22.19"`, v1, "npx --yes yarn@1.22.19 install --frozen-lockfile", ""},
		{"yarn 1 engines exact", `, "engines": {"yarn": "1.22.21"}`, v1, "npx --yes yarn@1.22.21 install --frozen-lockfile", ""},
		{"yarn 1 engines range", `, "engines": {"yarn": "^1.22.0"}`, v1, "yarn install --frozen-lockfile", ""},
		{"yarn 4", `, "packageManager": "yarn@4.5.0"`, berry, "yarnpkg install --immutable", ""},
		{"yarn 3 packageManager", `, "packageManager": "yarn@3.6.4"`, berry, "yarnpkg install --immutable",
			"but package.json's packageManager asks for yarn 3.6.4: commit that release"},
		{"yarn 3 engines", `, "engines": {"yarn": "^3.6.0"}`, berry, "yarnpkg install --immutable",
			"but package.json's engines.yarn asks for yarn ^3.6.0"},
		{"engines lower bound", `, "engines": {"yarn": ">=3"}`, berry, "yarnpkg install --immutable", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Detect(yarnSite(tc.pkg, tc.lock))
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Spec.Build.Steps[0].Run.Shell; got != tc.install {
				t.Errorf("install = %q, want %q", got, tc.install)
			}
			warnings := strings.Join(d.Spec.Warnings, "\n")
			switch {
			case tc.warning == "" && warnings != "":
				t.Errorf("warnings = %q, want none", warnings)
			case !strings.Contains(warnings, tc.warning):
				t.Errorf("warnings = %q, want %q", warnings, tc.warning)
			}
		})
	}
}
