package llbgen

import (
	"context"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// locatedSpec puts every section on lines of its own:
//
//	1 version: 1
//	2 debian:
//	3   suite: trixie
//	4 server:
//	5   port: 8080
//	6 site:
//	7   build:
//	8     packages: [hugo]
//	9     run: hugo --destination /out
//	10    output: /out
const locatedSpec = "version: 1\ndebian:\n  suite: trixie\nserver:\n  port: 8080\nsite:\n  build:\n    packages: [hugo]\n    run: hugo --destination /out\n    output: /out\n"

// lines marshals st and returns each op's progress name and the spec lines
// its source locations cover.
func lines(t *testing.T, st llb.State) (map[string][]int32, []string) {
	t.Helper()
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int32{}
	var unlocated []string
	for _, dt := range def.Def {
		d := digest.FromBytes(dt)
		name := def.Metadata[d].Description["llb.customname"]
		if isTerminal(dt) || isContext(dt) {
			continue
		}
		var ls *pb.Locations
		if def.Source != nil {
			ls = def.Source.Locations[string(d)]
		}
		if ls == nil || len(ls.Locations) == 0 {
			unlocated = append(unlocated, name)
			continue
		}
		for _, l := range ls.Locations {
			for _, r := range l.Ranges {
				got[name] = append(got[name], r.Start.Line)
			}
		}
	}
	return got, unlocated
}

// isContext reports whether dt is the build context, which the frontend
// makes (and locates), not llbgen.
func isContext(dt []byte) bool {
	var op pb.Op
	return op.UnmarshalVT(dt) == nil && op.GetSource() != nil && strings.HasPrefix(op.GetSource().Identifier, "local://")
}

// isTerminal reports whether dt is the definition's last, input-only op.
func isTerminal(dt []byte) bool {
	var op pb.Op
	return op.UnmarshalVT(dt) == nil && op.Op == nil
}

// Every vertex carries the spec lines it comes from, so buildx shows them
// when the step fails: packages at debian:, the generator at its run:, the
// toolchain at site.build.packages, config at server:, the site at site:.
func TestEveryVertexHasASpecLocation(t *testing.T) {
	s, err := spec.Load("Dockerfile", []byte(locatedSpec))
	if err != nil {
		t.Fatal(err)
	}
	in := testInput(t)
	in.Spec = s
	in.Toolchain = toolchainPackages()
	in.SourceMap = llb.NewSourceMap(nil, "Dockerfile", "YAML", []byte(locatedSpec))
	out := mustBuild(t, in)
	seen := map[string]bool{}
	for name, st := range map[string]llb.State{"image": out.Image, "site": out.Site, "check": out.Check, "staged": out.Staged} {
		got, unlocated := lines(t, st)
		if len(unlocated) > 0 {
			t.Errorf("%s: vertices without a spec location: %q", name, unlocated)
		}
		for prefix, want := range map[string]int32{
			"[layercake] fetch nginx":               2,
			"[layercake] unpack nginx":              2,
			"[layercake] fetch hugo":                8,
			"[layercake] toolchain: dpkg":           8,
			"[layercake] generate site: hugo":       9,
			"[layercake] stage nginx.conf":          4,
			"[layercake] nginx -t":                  4,
			"[layercake] prepare the site":          6,
			"[layercake] site (":                    6,
			"[layercake] stage filesystem skeleton": 4,
			"[layercake] stage fake NSS files":      4,
		} {
			for n, ls := range got {
				if !strings.HasPrefix(n, prefix) {
					continue
				}
				seen[prefix] = true
				if len(ls) != 1 || ls[0] != want {
					t.Errorf("%s: %q at lines %v, want [%d]", name, n, ls, want)
				}
			}
		}
	}
	if len(seen) != 11 {
		t.Errorf("matched %d of the 11 vertex names: %v", len(seen), seen)
	}
}

// Without a source map (a caller that has none) nothing is located and the
// graph is the same.
func TestNoSourceMapSameGraph(t *testing.T) {
	in := testInput(t)
	a := mustBuild(t, in)
	in.SourceMap = llb.NewSourceMap(nil, "Dockerfile", "YAML", []byte("version: 1\n"))
	b := mustBuild(t, in)
	da, _ := a.Image.Marshal(context.Background())
	db, _ := b.Image.Marshal(context.Background())
	if len(da.Def) != len(db.Def) {
		t.Fatalf("%d ops without a source map, %d with", len(da.Def), len(db.Def))
	}
	for i := range da.Def {
		if string(da.Def[i]) != string(db.Def[i]) {
			t.Errorf("op %d differs with a source map: locations must not change cache keys", i)
		}
	}
}

// With steps, every vertex is located too, each step at its own lines.
func TestStepsAreLocated(t *testing.T) {
	src := "version: 1\nsite:\n  build:\n    packages: [hugo]\n    steps:\n      - inputs: [a.txt]\n        run: make a\n      - run: make b\n    output: /out\n"
	s, err := spec.Load("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	in := testInput(t)
	in.Spec = s
	in.Toolchain = toolchainPackages()
	in.SourceMap = llb.NewSourceMap(nil, "Dockerfile", "YAML", []byte(src))
	got, unlocated := lines(t, mustBuild(t, in).Image)
	if len(unlocated) > 0 {
		t.Errorf("vertices without a spec location: %q", unlocated)
	}
	found := 0
	for name, ls := range got {
		switch {
		case strings.HasPrefix(name, "[layercake] step 1 of 2"):
			found++
			if ls[0] != 6 {
				t.Errorf("%q at %v, want line 6", name, ls)
			}
		case strings.HasPrefix(name, "[layercake] step 2 of 2"):
			found++
			if ls[0] != 8 {
				t.Errorf("%q at %v, want line 8", name, ls)
			}
		}
	}
	if found != 4 {
		t.Errorf("found %d step vertices (copy and run of each), want 4: %v", found, got)
	}
}
