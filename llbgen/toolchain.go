package llbgen

import (
	"fmt"
	"path"
	"strings"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/moby/buildkit/client/llb"
)

// toolchainEnv is the environment of every toolchain step.
var toolchainEnv = []string{
	pathEnv,
	"LANG=C.UTF-8",
	"LC_ALL=C.UTF-8",
	"TZ=UTC",
	"HOME=/root",
}

// dpkgConfigure finishes a toolchain root whose packages were unpacked one
// layer each (`layercake unpack --dpkg`): it joins their dpkg records, lets
// dpkg unpack the few packages whose preinst script must run first, then
// configures everything in dependency order, so every maintainer script and
// trigger runs, as in debootstrap's second stage.
const dpkgConfigure = `set -e
` + helperMount + HelperBinary + ` unpack --finish --out /
if [ -d /var/lib/layercake/debs ]; then
	# Pre-dependencies are not configured yet while packages are unpacked
	# this way; dpkg's warnings about that are expected, so they are shown
	# only if unpacking fails.
	if ! dpkg --unpack --force-depends --force-unsafe-io /var/lib/layercake/debs/*.deb >/tmp/dpkg-unpack.log 2>&1; then
		cat /tmp/dpkg-unpack.log >&2
		exit 1
	fi
	rm -f /tmp/dpkg-unpack.log
fi
rm -rf /var/lib/layercake
dpkg --configure -a --force-unsafe-io
# ldconfig's auxiliary cache records inode numbers and change times: it
# would make the root differ between builders, and ldconfig rebuilds it.
rm -f /var/cache/ldconfig/aux-cache
echo "layercake: toolchain ready: $(dpkg-query -f '.' -W | wc -c) packages configured"
`

// toolchainRoot installs the toolchain packages into a root of their own.
// Each package is fetched and unpacked in a step of its own, the way
// `dpkg --unpack` leaves it (files, control files, a status record), so
// packages unpack in parallel, each .deb is decompressed once, and a
// toolchain change re-unpacks only the packages that changed. The layers
// are joined (MergeOp, or one copy op where the builder lacks it), then
// dpkg configures the root with no network. The root never ships.
func (s packageSource) toolchainRoot(roots []string, pkgs []deb.Locked) llb.State {
	at := s.at(atToolchain)
	layers := make([]llb.State, 0, len(pkgs)+1)
	layers = append(layers, s.toolchainSkeleton(at))
	for _, p := range pkgs {
		layers = append(layers, s.toolchainLayer(p, at))
	}
	joined := joinLayers(layers, s.copyChain, fmt.Sprintf("toolchain: join %d packages for %s", len(pkgs), strings.Join(roots, ", ")), at)
	opts := []llb.RunOption{
		llb.Args([]string{"/bin/sh", "-c", dpkgConfigure}),
		llb.Network(llb.NetModeNone),
		llb.AddEnv("DEBIAN_FRONTEND", "noninteractive"),
		llb.AddEnv("DEBCONF_NONINTERACTIVE_SEEN", "true"),
		Progress("toolchain: dpkg --configure -a"),
		at,
	}
	for _, kv := range toolchainEnv {
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	configure := joined.Run(opts...)
	configure.AddMount(helperMount, s.helper(at), llb.Readonly)
	return configure.Root()
}

// toolchainSkeleton is the empty root the package layers land in: the
// merged-/usr links, an empty dpkg database and its configuration.
func (s packageSource) toolchainSkeleton(at llb.ConstraintsOpt) llb.State {
	run := s.helper(at).Run(
		llb.Args([]string{HelperBinary, "unpack", "--skeleton", "--out", "/out"}),
		llb.Network(llb.NetModeNone),
		Progress("toolchain: empty root"), at)
	return run.AddMount("/out", llb.Scratch())
}

// toolchainLayer unpacks one toolchain package as dpkg would, in a step
// whose only inputs are the helper and that package.
func (s packageSource) toolchainLayer(p deb.Locked, at llb.ConstraintsOpt) llb.State {
	run := s.helper(at).Run(
		llb.Args([]string{HelperBinary, "unpack", "--dpkg", "--out", "/out", "/in/" + path.Base(p.Path)}),
		llb.Network(llb.NetModeNone),
		Progress("toolchain: unpack "+s.describe(p)), at)
	run.AddMount("/in", s.fetch(p, at), llb.Readonly)
	return run.AddMount("/out", llb.Scratch())
}

// joinLayers stacks states bottom first into one: a MergeOp where the
// builder has it, else a single file op that copies each state in turn
// (one snapshot, not one per state).
func joinLayers(states []llb.State, copyChain bool, name string, at llb.ConstraintsOpt) llb.State {
	if !copyChain {
		return llb.Merge(states, Progress(name), at)
	}
	if len(states) == 1 {
		return states[0]
	}
	info := &llb.CopyInfo{CopyDirContentsOnly: true}
	fa := llb.Copy(states[1], "/", "/", info)
	for _, st := range states[2:] {
		fa = fa.Copy(st, "/", "/", info)
	}
	return states[0].File(fa, Progress(name+" (copies)"), at)
}
