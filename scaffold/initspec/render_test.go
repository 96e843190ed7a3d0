package initspec

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/spec"
	"go.yaml.in/yaml/v3"
)

// Prebuilt sites give specs that layercake itself accepts.
func TestRenderDirSpecsLoad(t *testing.T) {
	for _, tc := range allLayouts() {
		d, err := Detect(tc.fsys)
		if err != nil || d.Spec.Build != nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			s, err := spec.Load("Dockerfile", Render(d, DefaultImage))
			if err != nil {
				t.Fatalf("spec.Load(Render(%s)) error = %v", tc.name, err)
			}
			if s.Site.Dir != d.Spec.Dir || s.Server.Port != spec.DefaultPort || s.Debian.Suite != spec.DefaultSuite {
				t.Errorf("spec.Load(Render(%s)) = site.dir %q, port %d, suite %q; want %q, %d, %q",
					tc.name, s.Site.Dir, s.Server.Port, s.Debian.Suite, d.Spec.Dir, spec.DefaultPort, spec.DefaultSuite)
			}
		})
	}
}

// Generated sites give specs that layercake accepts, whose site.build holds
// the detected values.
func TestRenderBuildSpecsLoad(t *testing.T) {
	for _, tc := range allLayouts() {
		d, err := Detect(tc.fsys)
		if err != nil || d.Spec.Build == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			data := Render(d, DefaultImage)
			got, err := spec.Load("Dockerfile", data)
			if err != nil {
				t.Fatalf("spec.Load(Render(%s)) error = %v\n%s", tc.name, err, data)
			}
			if got.Version != 1 || got.Debian.Suite != "trixie" || got.Server.Port != 8080 {
				t.Errorf("Render(%s): version %d, suite %q, port %d; want 1, trixie, 8080", tc.name, got.Version, got.Debian.Suite, got.Server.Port)
			}
			b, gb := d.Spec.Build, got.Site.Build
			if gb == nil || got.Site.Dir != "" {
				t.Fatalf("Render(%s) site = %+v, want only site.build", tc.name, got.Site)
			}
			if !slices.Equal(gb.Packages, b.Packages) || gb.Run.Shell != b.Run.Shell || gb.Run.Args != nil || gb.Workdir != b.Workdir || gb.Output != b.Output ||
				!slices.Equal(gb.Cache, b.Cache) || !maps.Equal(gb.Env, b.Env) || len(gb.Steps) != len(b.Steps) {
				t.Errorf("Render(%s) site.build = %+v, want %+v", tc.name, *gb, *b)
			}
			for i := range min(len(gb.Steps), len(b.Steps)) {
				g, w := gb.Steps[i], b.Steps[i]
				if !slices.Equal(g.Inputs, w.Inputs) || g.Run.Shell != w.Run.Shell || g.Workdir != w.Workdir ||
					(g.Network != nil) != (w.Network != nil) || !slices.Equal(g.Cache, w.Cache) {
					t.Errorf("Render(%s) step %d = %+v, want %+v", tc.name, i+1, g, w)
				}
			}
		})
	}
}

// Values that YAML would read as something else, or not at all, are quoted.
func TestScalar(t *testing.T) {
	tests := []struct{ in, want string }{
		{"public", "public"},
		{".", "."},
		{"_site", "_site"},
		{"/out", "/out"},
		{"hugo --minify --destination /out", "hugo --minify --destination /out"},
		{"a && b", "a && b"},
		{"true", `"true"`},
		{"No", `"No"`},
		{"1.0", `"1.0"`},
		{".5", `".5"`},
		{"~", `"~"`},
		{"", `""`},
		{"a: b", `"a: b"`},
		{"a #b", `"a #b"`},
		{"-x", `"-x"`},
		{"a, b", `"a, b"`},
		{"say 'hi'", "say 'hi'"},
		{"'hi'", `"'hi'"`},
		{"trailing ", `"trailing "`},
		{"line\nbreak", `"line\nbreak"`},
	}
	for _, tc := range tests {
		got := scalar(tc.in)
		if got != tc.want {
			t.Errorf("scalar(%q) = %s, want %s", tc.in, got, tc.want)
		}
		var back []string
		if err := yaml.Unmarshal([]byte("["+got+"]"), &back); err != nil || len(back) != 1 || back[0] != tc.in {
			t.Errorf("scalar(%q) = %s reads back in a flow list as %q, %v", tc.in, got, back, err)
		}
	}
}

func TestRenderImage(t *testing.T) {
	d, err := Detect(layouts[0].fsys)
	if err != nil {
		t.Fatal(err)
	}
	const image = "127.0.0.1:5000/layercake:dev@sha256:0123"
	first, _, _ := strings.Cut(string(Render(d, image)), "\n")
	if first != "# syntax="+image {
		t.Errorf("Render() first line = %q, want %q", first, "# syntax="+image)
	}
}

func TestLooksLikeSpec(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"# syntax=ghcr.io/layercake-build/layercake:1\nversion: 1\nsite: {dir: .}\n", true},
		{"version: 1\n", true},
		{"\ufeffversion: 1\r\n", true},
		{"# syntax=registry.example/tools/layercake:1@sha256:ab\nbroken: [\n", true},
		{"# syntax=docker/dockerfile:1\nFROM nginx\nCOPY . /usr/share/nginx/html\n", false},
		{"FROM alpine\nRUN echo version: 1\n", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := LooksLikeSpec([]byte(tc.text)); got != tc.want {
			t.Errorf("LooksLikeSpec(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// The repository's examples are recognised, and what init writes for them
// is a spec layercake reads.
func TestExamples(t *testing.T) {
	want := map[string]string{"static": HTML, "hugo": Hugo, "hakyll": Hakyll, "mkdocs": MkDocs, "sphinx": Sphinx, "eleventy": Eleventy, "astro": Astro}
	entries, err := os.ReadDir(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var tests []struct{ dir, generator string }
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "ci" {
			continue
		}
		g, ok := want[e.Name()]
		if !ok {
			t.Errorf("examples/%s has no expected generator here; add it to the table", e.Name())
			continue
		}
		delete(want, e.Name())
		tests = append(tests, struct{ dir, generator string }{e.Name(), g})
	}
	for dir := range want {
		t.Errorf("examples/%s is gone; remove it from the table", dir)
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			root := filepath.Join("..", "..", "examples", tc.dir)
			d, err := Detect(os.DirFS(root))
			if err != nil {
				t.Fatalf("Detect(%s) error = %v", root, err)
			}
			if d.Generator != tc.generator {
				t.Errorf("Detect(%s) = %s (%s), want %s", root, d.Generator, d.Reason, tc.generator)
			}
			got, err := spec.Load("Dockerfile", Render(d, DefaultImage))
			if err != nil {
				t.Fatalf("spec.Load(Render(%s)) error = %v", root, err)
			}
			// The example's own spec serves the same folder or builds with
			// the same toolchain into the same web root.
			data, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := spec.Load("Dockerfile", data)
			if err != nil {
				t.Fatal(err)
			}
			if got.Site.Dir != want.Site.Dir || (got.Site.Build == nil) != (want.Site.Build == nil) {
				t.Fatalf("Render(%s) site = %+v, the example has %+v", root, got.Site, want.Site)
			}
			if g, w := got.Site.Build, want.Site.Build; g != nil && tc.dir == "eleventy" {
				// init runs the site's own build script into _site; the
				// example runs Eleventy into /out: both Eleventy's ways.
				// The toolchain and the install step must agree.
				if !slices.Equal(g.Packages, w.Packages) || !slices.Equal(g.Npm, w.Npm) || len(g.Steps) != 2 || len(w.Steps) != 2 || g.Steps[0].Run.String() != w.Steps[0].Run.String() || !slices.Equal(g.Steps[0].Inputs, w.Steps[0].Inputs) {
					t.Errorf("Render(%s) site.build = %+v, the example has %+v", root, *g, *w)
				}
				return
			}
			if g, w := got.Site.Build, want.Site.Build; g != nil && (!slices.Equal(g.Packages, w.Packages) || g.Output != w.Output || g.Workdir != w.Workdir) {
				t.Errorf("Render(%s) site.build = %+v, the example has %+v", root, *g, *w)
			}
		})
	}
}
