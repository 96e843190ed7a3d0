package llbgen

import (
	"slices"
	"testing"

	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/solver/pb"
)

const npmPin = "npm@11.21.3+sha512-5Cf+jE+XctbhH/zjOOqXC+ity7eec/Tkk4Ql38tf6w+1htp2wYPHmE4c1R1Es3DY227Ac14+SLrlYJwkBicbTg=="

const npmBuild = "    packages: [nodejs, ca-certificates]\n    npm: [\"" + npmPin + "\"]\n    steps:\n      - run: npm ci\n        network: true\n      - run: npx --offline eleventy --output=/out\n    output: /out\n"

// site.build.npm fetches the tarball from the registry's path for it and
// installs it with the helper, with no network, pinned by its integrity;
// the generator's steps run on the root with it.
func TestNpmToolStep(t *testing.T) {
	for _, tc := range []struct{ registry, want string }{
		{"", "https://registry.npmjs.org/npm/-/npm-11.21.3.tgz"},
		{"http://127.0.0.1:4873/", "http://127.0.0.1:4873/npm/-/npm-11.21.3.tgz"},
	} {
		in := generatorInput(t, npmBuild)
		in.NpmRegistry = tc.registry
		g := llbtest.Marshal(t, mustBuild(t, in).Image)
		install := g.One(t, "[layercake] toolchain: install npm npm@11.21.3")
		exec := install.GetExec()
		wantArgs := []string{HelperBinary, "unpack-npm", "--name", "npm", "--integrity", npmPin[len("npm@11.21.3+"):], "--out", "/out", "/in/package.tgz"}
		if !slices.Equal(exec.Meta.Args, wantArgs) {
			t.Errorf("args = %q, want %q", exec.Meta.Args, wantArgs)
		}
		if exec.Network != pb.NetMode_NONE {
			t.Errorf("network = %v, want none", exec.Network)
		}
		fetch := g.One(t, "[layercake] fetch npm npm@11.21.3").GetSource()
		if fetch.Identifier != tc.want {
			t.Errorf("registry %q: fetched %q, want %q", tc.registry, fetch.Identifier, tc.want)
		}
		g.One(t, "[layercake] toolchain: add npm@11.21.3")
	}
}

// Without site.build.npm nothing is fetched from a registry.
func TestNoNpmToolsNoStep(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, hugoBuild)).Image)
	if n := g.Named("[layercake] fetch npm"); len(n) != 0 {
		t.Errorf("fetch steps = %d, want none", len(n))
	}
}
