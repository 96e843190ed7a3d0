package llbgen

import (
	"fmt"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
)

// DefaultNpmRegistry is where site.build.npm packages come from unless the
// build names another registry (Input.NpmRegistry): npm's own default.
const DefaultNpmRegistry = "https://registry.npmjs.org"

// atNpm locates the npm tool steps at site.build.npm.
const atNpm = "site.build.npm"

// withNpmTools adds site.build.npm's packages to a configured toolchain
// root: each tarball is downloaded, checked against its pinned sha512 and
// unpacked by the helper (`layercake unpack-npm`) in a step of its own with
// no network, whose only inputs are the helper, the tarball and the pin;
// the layers are then joined onto the root.
func (s packageSource) withNpmTools(root llb.State, tools []spec.NpmTool, registry string) llb.State {
	if len(tools) == 0 {
		return root
	}
	if registry == "" {
		registry = DefaultNpmRegistry
	}
	at := s.at(atNpm)
	layers := []llb.State{root}
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name + "@" + t.Version
		tgz := llb.HTTP(strings.TrimRight(registry, "/")+"/"+t.Tarball(),
			llb.Filename("package.tgz"), Progress("fetch npm "+names[i]), at)
		run := s.helper(at).Run(
			llb.Args([]string{HelperBinary, "unpack-npm", "--name", t.Name, "--integrity", t.Integrity, "--out", "/out", "/in/package.tgz"}),
			llb.Network(llb.NetModeNone),
			Progress("toolchain: install npm "+names[i]+" (sha512 checked)"), at)
		run.AddMount("/in", tgz, llb.Readonly)
		layers = append(layers, run.AddMount("/out", llb.Scratch()))
	}
	return joinLayers(layers, s.copyChain, fmt.Sprintf("toolchain: add %s", strings.Join(names, ", ")), at)
}
