package spec

import (
	"slices"
	"strings"
	"testing"
)

const stepsSrc = buildHeader + `    packages: [nodejs, npm]
    workdir: site
    env: {A: build, B: build}
    cache: [/root/.cache/x]
    steps:
      - inputs: [package.json, package-lock.json]
        run: npm ci
        network: true
        cache: [/root/.npm]
      - run: [npx, "@11ty/eleventy"]
        workdir: ./docs/
        env: {B: step}
    output: /out
`

func TestStepsDecodeWithTheBuildsDefaults(t *testing.T) {
	s, err := Load("Dockerfile", []byte(stepsSrc))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	steps := s.Site.Build.RunSteps()
	if len(steps) != 2 {
		t.Fatalf("RunSteps() = %d steps, want 2", len(steps))
	}
	ci, gen := steps[0], steps[1]
	if !slices.Equal(ci.Inputs, []string{"package.json", "package-lock.json"}) || ci.Run.Shell != "npm ci" ||
		!*ci.Network || ci.Workdir != "site" || !slices.Equal(ci.Cache, []string{"/root/.npm"}) || ci.Env["B"] != "build" {
		t.Errorf("step 1 = %+v", ci)
	}
	if gen.Inputs != nil || !slices.Equal(gen.Run.Args, []string{"npx", "@11ty/eleventy"}) || *gen.Network ||
		gen.Workdir != "docs" || !slices.Equal(gen.Cache, []string{"/root/.cache/x"}) || gen.Env["A"] != "build" || gen.Env["B"] != "step" {
		t.Errorf("step 2 = %+v", gen)
	}
	if got := s.Pos("site.build.steps[1]"); got.Line != 13 {
		t.Errorf("Pos(steps[1]) = %v, want line 13", got)
	}
	if s.Site.Build.Env["B"] != "build" {
		t.Error("RunSteps changed the build's env")
	}
}

// A build with run has one step that sees the whole context.
func TestRunIsOneStep(t *testing.T) {
	s, err := Load("Dockerfile", []byte(buildHeader+"    packages: [hugo]\n    run: hugo\n    output: /out\n    network: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	steps := s.Site.Build.RunSteps()
	if len(steps) != 1 || steps[0].Run.Shell != "hugo" || steps[0].Inputs != nil || !*steps[0].Network || steps[0].Workdir != "." {
		t.Errorf("RunSteps() = %+v", steps)
	}
}

func TestStepsErrorsNameTheStepsLine(t *testing.T) {
	for _, tc := range []struct {
		name, build string
		want        []string
	}{
		{"run and steps", "    packages: [hugo]\n    run: hugo\n    steps:\n      - run: hugo\n    output: /out\n",
			[]string{"Dockerfile:6:5: site.build.steps: give either run (one command) or steps, not both"}},
		{"empty steps", "    packages: [hugo]\n    steps: []\n    output: /out\n",
			[]string{"Dockerfile:5:12: site.build.steps: empty; list the steps"}},
		// A key with no value (its items commented out) is an empty list.
		{"steps with no value", "    packages: [hugo]\n    steps:\n    output: /out\n",
			[]string{"Dockerfile:5:11: site.build.steps: empty; list the steps"}},
		{"neither", "    packages: [hugo]\n    output: /out\n",
			[]string{"site.build.run: missing; give the command that generates the site, such as \"hugo --minify --destination /out\", or a list of steps"}},
		{"step without run", "    packages: [hugo]\n    steps:\n      - inputs: [a]\n      - run: hugo\n    output: /out\n",
			[]string{"Dockerfile:6:9: site.build.steps[0].run: missing; give the step's command"}},
		{"input outside the context", "    packages: [hugo]\n    steps:\n      - inputs: [../secret]\n        run: cat ../secret\n    output: /out\n",
			[]string{"Dockerfile:6:18: site.build.steps[0].inputs[0]: \"../secret\" leads outside the build context"}},
		{"unknown step key", "    packages: [hugo]\n    steps:\n      - run: hugo\n        outputs: /out\n    output: /out\n",
			[]string{"Dockerfile:7:9: site.build.steps[0].outputs: unknown key; allowed here: inputs, run, workdir, env, network, cache"}},
		{"bad step env and cache", "    packages: [hugo]\n    steps:\n      - run: hugo\n        env: {SOURCE_DATE_EPOCH: \"1\"}\n        cache: [tmp]\n    output: /out\n",
			[]string{"site.build.steps[0].env.SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH is set by layercake", "site.build.steps[0].cache[0]: \"tmp\" is not an absolute folder"}},
		{"steps not a list", "    packages: [hugo]\n    steps: npm ci\n    output: /out\n",
			[]string{"Dockerfile:5:12: site.build.steps: expected a list of steps"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("Dockerfile", []byte(buildHeader+tc.build))
			if err == nil {
				t.Fatal("Load() succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load() error =\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}
