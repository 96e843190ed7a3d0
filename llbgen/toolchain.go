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

// dpkgInstall installs every .deb under /debs with maintainer scripts and
// triggers, as debootstrap's second stage does: unpack all, then configure
// in dependency order. Documentation and translations are not installed
// (manual pages are: update-alternatives links to them).
const dpkgInstall = `set -e
mkdir -p /etc/dpkg/dpkg.cfg.d
printf '%s\n' path-exclude=/usr/share/doc/* path-exclude=/usr/share/info/* path-exclude=/usr/share/locale/* >/etc/dpkg/dpkg.cfg.d/layercake-nodoc
# Pre-dependencies are not configured yet while everything is unpacked at
# once; dpkg's warnings about that are expected, so they are shown only if
# unpacking fails.
if ! dpkg --unpack --force-depends --force-unsafe-io /debs/*.deb >/tmp/dpkg-unpack.log 2>&1; then
	cat /tmp/dpkg-unpack.log >&2
	exit 1
fi
rm -f /tmp/dpkg-unpack.log
dpkg --configure -a --force-unsafe-io
echo "layercake: toolchain ready: $(dpkg-query -f '.' -W | wc -c) packages configured"
`

// toolchainRoot installs the toolchain packages into a root of their own.
// It never ships, so it is one cached layer: the packages are unpacked by
// the helper (debootstrap's first stage), then dpkg runs every maintainer
// script and trigger inside that root, with no network.
func (s packageSource) toolchainRoot(roots []string, pkgs []deb.Locked) llb.State {
	at := s.at(atToolchain)
	debs := make([]llb.State, len(pkgs))
	args := []string{HelperBinary, "unpack", "--bootstrap", "--out", "/out"}
	for i, p := range pkgs {
		debs[i] = s.fetch(p, at)
		args = append(args, "/debs/"+path.Base(p.Path))
	}
	all := joinStates(debs, s.copyChain, fmt.Sprintf("toolchain: %d packages", len(pkgs)), at)
	unpack := s.helper(at).Run(llb.Args(args), llb.Network(llb.NetModeNone),
		Progress(fmt.Sprintf("toolchain: unpack %d packages for %s", len(pkgs), strings.Join(roots, ", "))), at)
	unpack.AddMount("/debs", all, llb.Readonly)
	stage1 := unpack.AddMount("/out", llb.Scratch())

	opts := []llb.RunOption{
		llb.Args([]string{"/bin/sh", "-c", dpkgInstall}),
		llb.Network(llb.NetModeNone),
		llb.AddEnv("DEBIAN_FRONTEND", "noninteractive"),
		llb.AddEnv("DEBCONF_NONINTERACTIVE_SEEN", "true"),
		Progress("toolchain: dpkg --unpack, dpkg --configure -a"),
		at,
	}
	for _, kv := range toolchainEnv {
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	configure := stage1.Run(opts...)
	configure.AddMount("/debs", all, llb.Readonly)
	return configure.Root()
}
