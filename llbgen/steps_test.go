package llbgen

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

const npmSteps = `    packages: [nodejs, npm]
    steps:
      - inputs: [package.json, package-lock.json]
        run: npm ci
        network: true
        cache: [/root/.npm]
      - run: npx @11ty/eleventy --output=/out
        env: {ELEVENTY_ENV: production}
    output: /out
`

// stepOps returns each step's exec op digest, in order.
func stepOps(t *testing.T, build string) ([]digest.Digest, *llbtest.Graph) {
	t.Helper()
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, build)).Image)
	var out []digest.Digest
	for i := 1; ; i++ {
		var found []digest.Digest
		for _, d := range g.Named("[layercake] step " + strconv.Itoa(i) + " of ") {
			if g.Ops[d].GetExec() != nil {
				found = append(found, d)
			}
		}
		if len(found) == 0 {
			return out, g
		}
		if len(found) != 1 {
			t.Fatalf("step %d: %d exec ops", i, len(found))
		}
		out = append(out, found[0])
	}
}

// srcMount returns the file op that feeds the step's /src mount.
func srcMount(t *testing.T, g *llbtest.Graph, op *pb.Op) *pb.FileOp {
	t.Helper()
	for _, m := range op.GetExec().Mounts {
		if m.Dest == SourceDir {
			return g.Input(op, int(m.Input)).GetFile()
		}
	}
	t.Fatal("step has no /src mount")
	return nil
}

// Steps run in order, each with only its declared inputs copied in, its
// own network and cache settings, and the build's environment plus its own.
func TestStepsRunInOrderWithTheirInputs(t *testing.T) {
	ops, g := stepOps(t, npmSteps)
	if len(ops) != 2 {
		t.Fatalf("steps = %d, want 2", len(ops))
	}
	ci, site := g.Ops[ops[0]], g.Ops[ops[1]]
	copy1 := srcMount(t, g, ci).Actions[0].GetCopy()
	if copy1 == nil || !slices.Equal(copy1.IncludePatterns, []string{"package.json", "package-lock.json"}) {
		t.Errorf("step 1 copies %v, want only package.json and package-lock.json", copy1)
	}
	if ci.GetExec().Network != pb.NetMode_UNSET {
		t.Errorf("step 1 network = %v, want the build's (network: true)", ci.GetExec().Network)
	}
	if site.GetExec().Network != pb.NetMode_NONE {
		t.Errorf("step 2 network = %v, want none", site.GetExec().Network)
	}
	if !slices.ContainsFunc(ci.GetExec().Mounts, func(m *pb.Mount) bool { return m.Dest == "/root/.npm" && m.MountType == pb.MountType_CACHE }) {
		t.Error("step 1 has no cache mount at /root/.npm")
	}
	copy2 := srcMount(t, g, site)
	if c := copy2.Actions[0].GetCopy(); c == nil || len(c.IncludePatterns) != 0 {
		t.Errorf("step 2 copies %v, want the whole context", c)
	}
	// Step 2's tree starts from what step 1 left in /src.
	if !dependsOn(g, ops[1], ops[0]) {
		t.Error("step 2 does not build on step 1's /src")
	}
	env := strings.Join(site.GetExec().Meta.Env, " ")
	if !strings.Contains(env, "ELEVENTY_ENV=production") || !strings.Contains(env, "SOURCE_DATE_EPOCH=") {
		t.Errorf("step 2 env = %s", env)
	}
	args := site.GetExec().Meta.Args
	if !slices.Contains(args, "--output") || !slices.Contains(args, "step 2") {
		t.Errorf("step 2 args = %q, want --output and its label", args)
	}
	if slices.Contains(ci.GetExec().Meta.Args, "--output") {
		t.Errorf("step 1 checks the output folder: %q", ci.GetExec().Meta.Args)
	}
}

// dependsOn reports whether op a reaches op b through its inputs.
func dependsOn(g *llbtest.Graph, a, b digest.Digest) bool {
	seen := map[digest.Digest]bool{}
	var walk func(d digest.Digest) bool
	walk = func(d digest.Digest) bool {
		if d == b {
			return true
		}
		if seen[d] {
			return false
		}
		seen[d] = true
		for _, in := range g.Ops[d].Inputs {
			if walk(digest.Digest(in.Digest)) {
				return true
			}
		}
		return false
	}
	return walk(a)
}

// A change to a step changes that step and the later ones, never the
// earlier ones. Moving the steps down the file changes none; adding a step
// at the end changes only the former last one, which no longer checks the
// output folder.
func TestStepDigestsChangeOnlyFromTheChangedStepOn(t *testing.T) {
	base, _ := stepOps(t, npmSteps)
	for _, tc := range []struct {
		name    string
		build   string
		changed []bool
	}{
		{"last step's command", strings.Replace(npmSteps, "--output=/out", "--output=/out --quiet", 1), []bool{false, true}},
		{"last step's env", strings.Replace(npmSteps, "production", "staging", 1), []bool{false, true}},
		{"first step's inputs", strings.Replace(npmSteps, "package-lock.json]", "package-lock.json, .npmrc]", 1), []bool{true, true}},
		{"first step's network", strings.Replace(npmSteps, "network: true", "network: false", 1), []bool{true, true}},
		{"a step added at the end", strings.Replace(npmSteps, "    output: /out\n", "      - run: ls /out\n    output: /out\n", 1), []bool{false, true}},
		{"lines above the steps", strings.Replace(npmSteps, "    steps:\n", "    # a comment\n    steps:\n", 1), []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := stepOps(t, tc.build)
			for i, want := range tc.changed {
				if changed := got[i] != base[i]; changed != want {
					t.Errorf("step %d changed = %v, want %v", i+1, changed, want)
				}
			}
		})
	}
}

// A single run keeps seeing the whole context mounted at /src.
func TestSingleRunMountsTheContext(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, hugoBuild)).Image)
	op := g.One(t, "[layercake] generate site: ")
	for _, m := range op.GetExec().Mounts {
		if m.Dest == SourceDir && g.Input(op, int(m.Input)).GetFile() != nil {
			t.Error("a single run's sources are copied, want the context mounted")
		}
	}
}

// The progress display names each step's two vertices with its place, the
// spec line it starts on, and what it copies or runs, so a user can tell
// which step is slow or failed. Kills steps.go:28 (the file:line left out)
// and 55 (every copy called "copy the sources").
func TestStepsProgressNames(t *testing.T) {
	_, g := stepOps(t, npmSteps)
	for _, want := range []string{
		"[layercake] step 1 of 2 (Dockerfile:6): copy package.json, package-lock.json",
		"[layercake] step 1 of 2 (Dockerfile:6): npm ci",
		"[layercake] step 2 of 2 (Dockerfile:10): copy the sources",
		"[layercake] step 2 of 2 (Dockerfile:10): npx @11ty/eleventy --output=/out",
	} {
		if n := len(g.Named(want)); n != 1 {
			t.Errorf("vertices named %q = %d, want 1", want, n)
		}
	}
}
