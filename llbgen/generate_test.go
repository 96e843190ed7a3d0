package llbgen

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/solver/pb"
)

func buildSpec(t *testing.T, build string) *spec.Spec {
	t.Helper()
	s, err := spec.Load("Dockerfile", []byte("version: 1\nsite:\n  build:\n"+build))
	if err != nil {
		t.Fatalf("spec.Load() error = %v", err)
	}
	return s
}

func toolchainPackages() []deb.Locked {
	var out []deb.Locked
	for i, name := range []string{"dash", "dpkg", "hugo"} {
		out = append(out, deb.Locked{Name: name, Version: "1.0-1", Architecture: "amd64",
			Path: fmt.Sprintf("pool/main/x/%s/%s_1.0-1_amd64.deb", name, name), Size: 1, SHA256: strings.Repeat(fmt.Sprint(i+1), 64)})
	}
	return out
}

func generatorInput(t *testing.T, build string) Input {
	in := testInput(t)
	in.Spec = buildSpec(t, build)
	in.Toolchain = toolchainPackages()
	return in
}

const hugoBuild = "    packages: [hugo]\n    run: hugo --minify --destination /out\n    output: /out\n    cache: [/root/.cache/hugo_cache]\n    env: {HUGO_ENV: production, LANG: de_DE.UTF-8}\n"

func TestGeneratorEnvironment(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, hugoBuild)).Image)
	exec := g.One(t, "[layercake] generate site: hugo --minify --destination /out").GetExec()
	wantArgs := []string{"/.layercake/bin/layercake", "generate", "--output", "/out",
		"--runs", "/.layercake-runs", "--report", "/.layercake-report", "--skip", "/root/.cache/hugo_cache",
		"--", "/bin/sh", "-c", "hugo --minify --destination /out"}
	if !slices.Equal(exec.Meta.Args, wantArgs) {
		t.Errorf("args = %q, want %q", exec.Meta.Args, wantArgs)
	}
	for _, want := range []string{"LANG=de_DE.UTF-8", "TZ=UTC", "HOME=/root", "HUGO_ENV=production", fmt.Sprintf("SOURCE_DATE_EPOCH=%d", testEpoch.Unix())} {
		if !slices.Contains(exec.Meta.Env, want) {
			t.Errorf("env = %q, want %s in it", exec.Meta.Env, want)
		}
	}
	if exec.Meta.Cwd != "/src" || exec.Network != pb.NetMode_NONE {
		t.Errorf("cwd %q network %v, want /src and none", exec.Meta.Cwd, exec.Network)
	}
	mounts := map[string]*pb.Mount{}
	for _, m := range exec.Mounts {
		mounts[m.Dest] = m
	}
	if m := mounts["/root/.cache/hugo_cache"]; m == nil || m.MountType != pb.MountType_CACHE {
		t.Errorf("cache mount = %v, want a cache mount", m)
	}
	if m := mounts["/out"]; m == nil || m.Output < 0 || m.Input >= 0 {
		t.Errorf("/out mount = %v, want an empty output mount", m)
	}
	if m := mounts["/.layercake"]; m == nil || !m.Readonly {
		t.Errorf("helper mount = %v, want read-only", m)
	}
	if m := mounts["/src"]; m == nil || m.Readonly {
		t.Errorf("/src mount = %v, want a writable copy of the sources", m)
	}
	if m := mounts["/.layercake-runs"]; m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != "layercake:generator-runs" {
		t.Errorf("runs mount = %v, want the shared cache mount of earlier runs", m)
	}
	if m := mounts["/.layercake-report"]; m == nil || m.Output < 0 || m.Input >= 0 {
		t.Errorf("report mount = %v, want an empty output mount", m)
	}
}

// The clock is pinned only when the lock's toolchain has libfaketime (an
// older lock builds as before), and never in a step with network: TLS
// checks certificates against the wall clock.
func TestGeneratorPinsClock(t *testing.T) {
	steps := "    packages: [hugo]\n    steps:\n      - {run: npm ci, network: true}\n      - run: hugo\n    output: /out\n"
	for _, withLib := range []bool{false, true} {
		in := generatorInput(t, steps)
		if withLib {
			in.Toolchain = append(in.Toolchain, deb.Locked{Name: FakeTimePackage, Version: "0.9.10-2.1", Architecture: "amd64",
				Path: "pool/main/f/faketime/libfaketime_0.9.10-2.1_amd64.deb", Size: 1, SHA256: strings.Repeat("9", 64)})
		}
		g := llbtest.Marshal(t, mustBuild(t, in).Image)
		fetch := g.One(t, "[layercake] step 1 of 2 (Dockerfile:6): npm ci").GetExec()
		gen := g.One(t, "[layercake] step 2 of 2 (Dockerfile:7): hugo").GetExec()
		if slices.Contains(fetch.Meta.Args, "--pin-clock") {
			t.Errorf("libfaketime %v: network step args = %q, want no --pin-clock", withLib, fetch.Meta.Args)
		}
		if got := slices.Contains(gen.Meta.Args, "--pin-clock"); got != withLib {
			t.Errorf("libfaketime %v: generator args = %q, --pin-clock %v", withLib, gen.Meta.Args, got)
		}
		if slices.Contains(fetch.Meta.Args, "--runs") || !slices.Contains(gen.Meta.Args, "--runs") {
			t.Errorf("only the last step compares its output: %q, %q", fetch.Meta.Args, gen.Meta.Args)
		}
	}
}

func TestGeneratorNetworkOptIn(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, "    packages: [hugo]\n    run: [hugo]\n    output: /out\n    network: true\n")).Image)
	if exec := g.One(t, "[layercake] generate site: hugo").GetExec(); exec.Network != pb.NetMode_UNSET {
		t.Errorf("network = %v, want the sandbox default when the spec asks for it", exec.Network)
	}
}

// docker build --network host reaches the steps that ask for a network, and
// only them (an engine without a bridge has no other network to give).
func TestGeneratorNetworkFollowsTheBuild(t *testing.T) {
	in := generatorInput(t, "    packages: [nodejs, npm]\n    steps:\n      - run: npm ci\n        network: true\n      - run: [npx, eleventy]\n    output: /out\n")
	in.NetworkMode = pb.NetMode_HOST
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	got := map[string]pb.NetMode{}
	for _, op := range g.Ops {
		if exec := op.GetExec(); exec != nil && slices.Contains(exec.Meta.Args, "generate") {
			got[exec.Meta.Args[len(exec.Meta.Args)-1]] = exec.Network
		}
	}
	if want := map[string]pb.NetMode{"npm ci": pb.NetMode_HOST, "eleventy": pb.NetMode_NONE}; !maps.Equal(got, want) {
		t.Errorf("step networks = %v, want %v", got, want)
	}
}

// A relative output is taken from the sources mount, below workdir.
func TestGeneratorRelativeOutput(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, "    packages: [ghc]\n    run: [./site, build]\n    workdir: blog\n    output: _site\n")).Image)
	exec := g.One(t, "[layercake] generate site: ./site build").GetExec()
	if exec.Meta.Cwd != "/src/blog" || exec.Meta.Args[3] != "/src/blog/_site" {
		t.Errorf("cwd %q output %q, want /src/blog and /src/blog/_site", exec.Meta.Cwd, exec.Meta.Args[3])
	}
	op := g.One(t, "[layercake] prepare the site (generated by ./site build)")
	in := mountAt(op.GetExec(), "/in")
	if in == nil || in.Selector != "/blog/_site" || !in.Readonly || g.Input(op, int(in.Input)).GetExec() == nil {
		t.Errorf("site read from %v, want the generator's /blog/_site, read-only", in)
	}
}

// Toolchain packages build the site but never become image layers.
func TestToolchainNeverShips(t *testing.T) {
	out := mustBuild(t, generatorInput(t, hugoBuild))
	if got, want := len(out.Layers), len(testPackages())+4; got != want {
		t.Errorf("layers = %d, want %d (runtime packages and four generated layers)", got, want)
	}
	for _, l := range out.Layers {
		for _, p := range toolchainPackages() {
			if strings.HasPrefix(l.Name, p.Name+" ") {
				t.Errorf("toolchain package %s is an image layer", p.Name)
			}
		}
	}
	g := llbtest.Marshal(t, out.Image)
	configure := g.One(t, "[layercake] toolchain: dpkg").GetExec()
	if configure.Network != pb.NetMode_NONE {
		t.Errorf("dpkg runs with network %v, want none", configure.Network)
	}
	unpack := g.One(t, "[layercake] toolchain: unpack hugo ").GetExec()
	if !slices.Contains(unpack.Meta.Args, "--dpkg") || !slices.Contains(unpack.Meta.Args, "/in/hugo/hugo_1.0-1_amd64.deb") {
		t.Errorf("toolchain unpack args = %q", unpack.Meta.Args)
	}
}

func TestGeneratorNeedsToolchain(t *testing.T) {
	in := generatorInput(t, hugoBuild)
	in.Toolchain = nil
	if _, err := Build(in); err == nil || !strings.Contains(err.Error(), "no toolchain packages") {
		t.Errorf("Build() error = %v, want no toolchain packages", err)
	}
}

// The generated tree is prepared like a prebuilt one (times, owners and
// modes pinned by the helper's `layercake split`), whatever the generator wrote.
func TestGeneratedSiteIsNormalised(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, generatorInput(t, hugoBuild)).Image)
	exec := g.One(t, "[layercake] prepare the site (generated by hugo").GetExec()
	if exec == nil || !slices.Contains(exec.Meta.Args, "split") || !slices.Contains(exec.Meta.Args, "--epoch") {
		t.Errorf("generated site prepared by %v, want layercake split --epoch", exec.GetMeta().GetArgs())
	}
}

// --no-cache-filter site with a session ID runs every generator step again
// through RerunEnv, not by ignoring the cache: BuildKit gives a step that
// ignores the cache empty cache mounts, and the last step's mount holds
// the manifests of earlier runs.
func TestNoCacheSiteReruns(t *testing.T) {
	steps := "    packages: [hugo]\n    steps:\n      - {run: npm ci, network: true}\n      - run: hugo\n    output: /out\n"
	in := generatorInput(t, steps)
	in.NoCacheSite, in.Rerun = true, "session-1"
	def, err := mustBuild(t, in).Image.Marshal(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, md := range def.Metadata {
		if name := md.Description["llb.customname"]; md.IgnoreCache && strings.Contains(name, "step ") {
			t.Errorf("%s ignores the cache, want it to run again through %s", name, RerunEnv)
		}
	}
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	for _, name := range []string{"[layercake] step 1 of 2 (Dockerfile:6): npm ci", "[layercake] step 2 of 2 (Dockerfile:7): hugo"} {
		if env := g.One(t, name).GetExec().Meta.Env; !slices.Contains(env, RerunEnv+"=session-1") {
			t.Errorf("%s env = %q, want %s=session-1", name, env, RerunEnv)
		}
	}
	in.NoCacheSite = false
	if env := llbtest.Marshal(t, mustBuild(t, in).Image).One(t, "[layercake] step 2 of 2 (Dockerfile:7): hugo").GetExec().Meta.Env; slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, RerunEnv) }) {
		t.Errorf("env = %q without --no-cache-filter site, want no %s", env, RerunEnv)
	}
}

// BUILDKIT_CACHE_MOUNT_NS puts every cache mount of the build in its
// namespace, as it does a Dockerfile's: the spec's caches, the generator's
// earlier runs and the compressed variants.
func TestCacheNamespace(t *testing.T) {
	for _, ns := range []string{"", "blog"} {
		in := generatorInput(t, hugoBuild)
		in.CacheNamespace = ns
		out := mustBuild(t, in)
		g := llbtest.Marshal(t, out.Image)
		prefix := ""
		if ns != "" {
			prefix = ns + "/"
		}
		want := map[string]string{"/root/.cache/hugo_cache": prefix + "layercake:/root/.cache/hugo_cache", "/.layercake-runs": prefix + "layercake:generator-runs", "/cache": prefix + VariantCacheID}
		got := map[string]string{}
		for _, op := range g.Ops {
			for _, m := range op.GetExec().GetMounts() {
				if m.MountType == pb.MountType_CACHE {
					got[m.Dest] = m.CacheOpt.GetID()
				}
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("namespace %q: cache mounts %v, want %v", ns, got, want)
		}
	}
}
