package llbgen

import (
	"fmt"
	"hash/fnv"
	"path"
	"strings"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/moby/buildkit/client/llb"
)

// ToolchainBase are the packages every toolchain has besides the spec's
// site.build.packages and their dependencies: the part of Debian's
// Essential set that configuring the root (dpkgConfigure), maintainer
// scripts and build scripts use. Debian packages need not declare what is
// Essential, so these stand in for it: a shell (dash for /bin/sh, bash),
// coreutils, findutils, grep, sed, mawk (the awk Debian installs; "first
// by name" would pick gawk and its five libraries), diffutils, tar, gzip,
// dpkg, debconf and perl-base (the debconf calls of maintainer scripts),
// debianutils (which, run-parts, add-shell), init-system-helpers
// (deb-systemd-helper, invoke-rc.d), libc-bin (ldconfig, getent),
// base-files and base-passwd (/etc/os-release, root in /etc/passwd).
// The rest of Essential (util-linux, login, hostname, ncurses, sysvinit
// and the PAM libraries: some 25 packages) is left out; a build that
// runs one of their commands lists the package in site.build.packages.
// With it, a Node.js site's toolchain (nodejs, ca-certificates, libfaketime)
// is 57 packages on trixie; with all of Essential it was 81.
var ToolchainBase = []string{
	"base-files", "base-passwd", "bash", "coreutils", "dash", "debconf", "debianutils",
	"diffutils", "dpkg", "findutils", "grep", "gzip", "init-system-helpers", "libc-bin",
	"mawk", "perl-base", "sed", "tar",
}

// toolchainEnv is the environment of every toolchain step.
var toolchainEnv = []string{
	pathEnv,
	"LANG=C.UTF-8",
	"LC_ALL=C.UTF-8",
	"TZ=UTC",
	"HOME=/root",
}

// dpkgConfigure finishes a toolchain root whose packages were unpacked one
// layer each (`layercake unpack --dpkg`): it joins their dpkg records and
// runs the preinst scripts of the few packages that have one (a package
// whose script changes a file it ships is left to `dpkg --unpack`), then
// configures everything in dependency order, so every maintainer script and
// trigger runs, as in debootstrap's second stage.
const dpkgConfigure = `set -e
` + helperMount + HelperBinary + ` unpack --finish --out /
if [ -d /var/lib/layercake/debs ]; then
	# Packages whose preinst script changed a file they ship. Their
	# pre-dependencies are not configured yet; dpkg's warnings about that
	# are expected, so they are shown only if unpacking fails.
	if ! dpkg --unpack --force-depends --force-unsafe-io /var/lib/layercake/debs/*.deb >/tmp/dpkg-unpack.log 2>&1; then
		cat /tmp/dpkg-unpack.log >&2
		exit 1
	fi
	rm -f /tmp/dpkg-unpack.log
fi
rm -rf /var/lib/layercake
# Debian's Python packages byte-compile their modules in their postinst, one
# package at a time, each starting interpreters of its own: the interpreter's
# own packages (python3.13-minimal, python3.13) run
# "python3.13 -E -S /usr/lib/python3.13/py_compile.py FILE…" over the
# standard library, the others py3compile. dpkg configures on one core. So
# while it does, stand-ins record those calls: one for py3compile, and one
# for each python3.N that takes exactly that standard library call and runs
# the real interpreter for anything else. Meanwhile the same compilations
# run ahead at the lowest priority, on the CPU dpkg leaves idle: the
# standard library's files (from the interpreter packages' file lists),
# then all public modules, one py3compile per core (the standard library is
# compiled by then, so no interpreter writes its .pyc files while importing
# it). Once dpkg is done, what the recorded calls asked for and the early
# run did not cover is compiled: the standard library files that only
# configuring put in place, public modules that maintainer scripts wrote,
# and the py3compile calls that name private folders. The .pyc files are
# the same; dpkg does not track them.
cores=$(nproc) versions=
: >/tmp/layercake-configure.start
if [ -x /usr/bin/py3compile ]; then
	mv /usr/bin/py3compile /usr/bin/py3compile.layercake
	printf '#!/bin/sh\necho "$*" >>/tmp/py3compile.calls\n' >/usr/bin/py3compile
	chmod 755 /usr/bin/py3compile
fi
for py in /usr/bin/python3.*; do
	case "$py" in *[!0-9]) continue ;; esac # python3.13, not python3.13-config
	[ -f "$py" ] && [ ! -L "$py" ] || continue
	v=${py#/usr/bin/python}
	versions="$versions $v"
	mv "$py" "$py.layercake"
	cat >"$py" <<STANDIN
#!/bin/sh
if [ "\$1 \$2 \$3" = "-E -S /usr/lib/python$v/py_compile.py" ]; then
	shift 3
	printf '%s\\n' "\$@" >>/tmp/stdlib-compile.$v
	exit 0
fi
exec $py.layercake "\$@"
STANDIN
	chmod 755 "$py"
done
cat >/tmp/layercake-compile-early <<'EARLY'
set -e
cores=$(nproc)
for v in "$@"; do
	cat /var/lib/dpkg/info/libpython$v-minimal:*.list /var/lib/dpkg/info/libpython$v-stdlib:*.list 2>/dev/null |
		grep "^/usr/lib/python$v/.*\.py\$" | while read -r f; do [ ! -f "$f" ] || echo "$f"; done | sort >/tmp/stdlib-early.$v
	xargs -r -d '\n' -P "$cores" -n 100 /usr/bin/python$v.layercake -E -S /usr/lib/python$v/py_compile.py </tmp/stdlib-early.$v
done
if [ -x /usr/bin/py3compile.layercake ] && [ -d /usr/lib/python3/dist-packages ]; then
	find /usr/lib/python3/dist-packages -mindepth 1 -maxdepth 1 ! -name __pycache__ | sort >/tmp/py3compile.public
	xargs -r -P "$cores" -n $(( $(wc -l </tmp/py3compile.public) / cores + 1 )) /usr/bin/py3compile.layercake -q </tmp/py3compile.public
fi
EARLY
nice -n 19 sh /tmp/layercake-compile-early $versions </dev/null &
early=$!
dpkg --configure -a --force-unsafe-io
wait "$early" # and fail if it failed
for py in /usr/bin/python3.*.layercake /usr/bin/py3compile.layercake; do
	[ ! -f "$py" ] || mv "$py" "${py%.layercake}"
done
for v in $versions; do
	[ -f /tmp/stdlib-compile.$v ] || continue
	sort -u /tmp/stdlib-compile.$v | comm -23 - /tmp/stdlib-early.$v |
		xargs -r -d '\n' /usr/bin/python$v -E -S /usr/lib/python$v/py_compile.py
done
if [ -d /usr/lib/python3/dist-packages ] && [ -x /usr/bin/py3compile ]; then
	find /usr/lib/python3/dist-packages -name '*.py' -newer /tmp/layercake-configure.start | xargs -r py3compile -q
fi
if [ -f /tmp/py3compile.calls ]; then
	grep ' /' /tmp/py3compile.calls | while read -r call; do py3compile $call; done
fi
rm -f /tmp/layercake-* /tmp/stdlib-* /tmp/py3compile.*
# ldconfig's auxiliary cache records inode numbers and change times: it
# would make the root differ between builders, and ldconfig rebuilds it.
rm -f /var/cache/ldconfig/aux-cache
echo "layercake: toolchain ready: $(dpkg-query -f '.' -W | wc -c) packages configured"
`

// toolchainRoot installs the toolchain packages into a root of their own.
// Packages are fetched and unpacked in steps of their own, the way
// `dpkg --unpack` leaves them (files, control files, a status record), so
// they unpack in parallel, each .deb is decompressed once, and a toolchain
// change re-unpacks only the packages that changed (see toolchainGroups).
// The layers are joined (MergeOp, or one copy op where the builder lacks
// it), then dpkg configures the root with no network. The root never ships.
func (s packageSource) toolchainRoot(roots []string, pkgs []deb.Locked) llb.State {
	at := s.at(atToolchain)
	groups := toolchainGroups(pkgs)
	layers := make([]llb.State, 0, len(groups)+1)
	layers = append(layers, s.toolchainSkeleton(at))
	for _, g := range groups {
		layers = append(layers, s.toolchainLayer(g, at))
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

// Grouping of toolchain packages into unpack steps.
const (
	// smallPackage is the .deb size below which a package shares its
	// unpack step with others: a Hakyll toolchain has about 270 packages
	// under it, and a step of its own costs each a container start. On 2
	// cores, Hugo's 68 packages unpacked in 3.5 s in 15 steps (2 MiB, 8
	// groups) against 4.3 s in 27 (1 MiB, 16 groups), side by side.
	smallPackage = 2 << 20
	// smallGroups is how many steps share the small packages.
	smallGroups = 8
)

// toolchainGroups splits the packages into unpack steps: a package of
// smallPackage or more alone, the smaller ones in smallGroups groups by a
// hash of their name. A package's group depends only on its name, so
// adding, removing or refreshing one package re-unpacks that package alone,
// or its group of small packages, and no other step. Groups keep the
// lock's order; empty groups are left out.
func toolchainGroups(pkgs []deb.Locked) [][]deb.Locked {
	var out [][]deb.Locked
	small := make([][]deb.Locked, smallGroups)
	for _, p := range pkgs {
		if p.Size >= smallPackage {
			out = append(out, []deb.Locked{p})
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(p.Name))
		i := h.Sum32() % smallGroups
		small[i] = append(small[i], p)
	}
	for _, g := range small {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
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

// toolchainLayer unpacks a group of toolchain packages as dpkg would, in a
// step whose only inputs are the helper and those pinned .debs.
func (s packageSource) toolchainLayer(group []deb.Locked, at llb.ConstraintsOpt) llb.State {
	args := []string{HelperBinary, "unpack", "--dpkg", "--out", "/out"}
	names := make([]string, len(group))
	for i, p := range group {
		args = append(args, "/in/"+p.Name+"/"+path.Base(p.Path))
		names[i] = p.Name
	}
	name := "toolchain: unpack " + s.describe(group[0])
	if len(group) > 1 {
		name = fmt.Sprintf("toolchain: unpack %d small packages: %s", len(group), strings.Join(names, ", "))
	}
	run := s.helper(at).Run(llb.Args(args), llb.Network(llb.NetModeNone), Progress(name), at)
	for _, p := range group {
		run.AddMount("/in/"+p.Name, s.fetch(p, at), llb.Readonly)
	}
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
