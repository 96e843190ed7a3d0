package spec

import (
	"slices"
	"strings"
	"testing"
)

const buildHeader = "version: 1\nsite:\n  build:\n"

func TestBuildDecodes(t *testing.T) {
	src := buildHeader + `    packages: [hugo, git]
    run: hugo --minify --destination /out
    workdir: ./site/
    output: /out/
    env: {HUGO_ENV: production, B: "2"}
    network: true
    cache: [/root/.cache/hugo]
    gitignore: false
`
	s, err := Load("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	b := s.Site.Build
	if !slices.Equal(b.Packages, []string{"hugo", "git"}) || b.Run.Shell != "hugo --minify --destination /out" ||
		b.Workdir != "site" || b.Output != "/out" || b.Env["HUGO_ENV"] != "production" || b.Env["B"] != "2" ||
		!b.Network || !slices.Equal(b.Cache, []string{"/root/.cache/hugo"}) || b.GitignoreOn() {
		t.Errorf("Load() build = %+v", b)
	}
	if got := b.Run.Argv(); !slices.Equal(got, []string{"/bin/sh", "-c", "hugo --minify --destination /out"}) {
		t.Errorf("Argv() = %q", got)
	}
	if got := s.Pos("site.build.env.B"); got != (Pos{8, 36}) {
		t.Errorf("Pos(env.B) = %v, want {8 36}", got)
	}
}

func TestBuildDefaultsAndArgv(t *testing.T) {
	s, err := Load("Dockerfile", []byte(buildHeader+"    packages: [ghc]\n    run: [ghc, --make, site.hs]\n    output: _site\n"))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	b := s.Site.Build
	if b.Workdir != "." || !b.GitignoreOn() || b.Run.Args == nil {
		t.Errorf("defaults: workdir %q gitignore %v argv %q", b.Workdir, b.GitignoreOn(), b.Run.Args)
	}
	if got := b.Run.Argv(); !slices.Equal(got, []string{"ghc", "--make", "site.hs"}) {
		t.Errorf("Argv() = %q", got)
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"missing everything", "    network: false\n", []string{
			"Dockerfile:3:3: site.build.packages: missing",
			"Dockerfile:3:3: site.build.output: missing",
			"Dockerfile:3:3: site.build.run: missing",
		}},
		{"dir and build", "    packages: [hugo]\n    run: hugo\n    output: /out\n  dir: public\n", []string{
			"site.build: set either site.dir (a prebuilt folder) or site.build",
		}},
		{"bad values", `    packages: [Hugo, hugo, hugo]
    run: []
    workdir: ../up
    output: ../../etc
    env: {SOURCE_DATE_EPOCH: "1", 9X: a}
    cache: [relative, /]
    network: maybe
`, []string{
			`Dockerfile:4:16: site.build.packages[0]: "Hugo" is not a Debian package name`,
			`Dockerfile:4:28: site.build.packages[2]: "hugo" is already listed at site.build.packages[1]`,
			`Dockerfile:5:10: site.build.run: empty`,
			`Dockerfile:6:14: site.build.workdir: "../up" leads outside the build context`,
			`Dockerfile:8:35: site.build.env.9X: "9X" is not an environment variable name`,
			`site.build.env.SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH is set by layercake`,
			`Dockerfile:9:13: site.build.cache[0]: "relative" is not an absolute folder`,
			`site.build.cache[1]: "/" is not an absolute folder`,
			`Dockerfile:10:14: site.build.network: expected true or false`,
		}},
		// A relative output is inside workdir, and must stay in the context.
		{"relative output leaving the context", "    packages: [hugo]\n    run: hugo\n    workdir: site\n    output: ../../out\n", []string{`Dockerfile:7:13: site.build.output: "../../out" leads outside the build context`}},
		{"kernel output", "    packages: [hugo]\n    run: hugo\n    output: /proc/x\n", []string{`site.build.output: "/proc/x" is a kernel filesystem`}},
		{"root output", "    packages: [hugo]\n    run: hugo\n    output: /\n", []string{`site.build.output: "/" would serve the whole root filesystem`}},
		{"run wrong type", "    packages: [hugo]\n    run: {a: b}\n    output: /out\n", []string{`site.build.run: expected a command`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("Dockerfile", []byte(buildHeader+tc.body))
			got := errText(err)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Load() error =\n%s\nwant it to contain %q", got, w)
				}
			}
		})
	}
}

func TestBuildCloneIsDeep(t *testing.T) {
	s, err := parse("Dockerfile", []byte(buildHeader+"    packages: [hugo]\n    run: [hugo]\n    output: /out\n    env: {A: b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := s.WithDefaults()
	d.Site.Build.Packages[0] = "x"
	d.Site.Build.Run.Args[0] = "x"
	d.Site.Build.Env["A"] = "x"
	b := s.Site.Build
	if b.Packages[0] != "hugo" || b.Run.Args[0] != "hugo" || b.Env["A"] != "b" || b.Workdir != "" {
		t.Errorf("WithDefaults changed the input: %+v", b)
	}
}

// A clone's steps are its own, down to each step's lists, maps and
// network flag, and a build without steps stays one: an empty list of
// steps next to run would no longer validate. Kills types.go:302 (b.Steps
// != nil negated) and the step copies of Step.clone.
func TestBuildCloneCopiesSteps(t *testing.T) {
	s := mustParse(t, stepsSrc)
	c := s.Clone()
	st := &c.Site.Build.Steps[0]
	st.Inputs[0] = "x"
	*st.Network = false
	st.Cache[0] = "/x"
	c.Site.Build.Steps[1].Run.Args[0] = "x"
	c.Site.Build.Steps[1].Env["B"] = "x"
	orig := s.Site.Build.Steps
	if orig[0].Inputs[0] != "package.json" || !*orig[0].Network || orig[0].Cache[0] != "/root/.npm" ||
		orig[1].Run.Args[0] != "npx" || orig[1].Env["B"] != "step" {
		t.Errorf("changing the clone's steps changed the original: %+v", orig)
	}
	run, err := Load("Dockerfile", []byte(buildHeader+"    packages: [hugo]\n    run: hugo\n    output: /out\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Clone().Site.Build.Steps; got != nil {
		t.Errorf("Clone() of a build without steps has steps %#v, want nil", got)
	}
	if err := run.Clone().Validate(); err != nil {
		t.Errorf("the clone of a valid spec does not validate: %v", err)
	}
}

func TestExtensionsAreRecorded(t *testing.T) {
	s := mustParse(t, "version: 1\nx-team: web\nsite:\n  dir: public\n  x-note: hi\n")
	got := s.Extensions()
	want := []Extension{{Path: "x-team", Pos: Pos{2, 1}}, {Path: "site.x-note", Pos: Pos{5, 3}}}
	if !slices.Equal(got, want) {
		t.Errorf("Extensions() = %v, want %v", got, want)
	}
}

func TestDebianKeys(t *testing.T) {
	s, err := Load("Dockerfile", []byte("version: 1\ndebian:\n  keys: [keys/archive.asc]\nsite:\n  dir: public\n"))
	if err != nil || !slices.Equal(s.Debian.Keys, []string{"keys/archive.asc"}) {
		t.Errorf("Load() keys = %v, %v", s, err)
	}
	_, err = Load("Dockerfile", []byte("version: 1\ndebian:\n  keys: [/etc/apt/trusted.gpg]\nsite:\n  dir: public\n"))
	if got := errText(err); !strings.Contains(got, `Dockerfile:3:10: debian.keys[0]: "/etc/apt/trusted.gpg" is absolute`) {
		t.Errorf("Load() error = %s", got)
	}
}
