package llbgen

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
)

// Paths of the generator step.
const (
	// SourceDir is where the (filtered) build context is mounted.
	SourceDir = "/src"
	// helperMount is where the frontend image is mounted so its binary can
	// supervise the generator.
	helperMount = "/.layercake"
)

// generated is a generator run's output: the state and the folder in it that
// holds the site.
type generated struct {
	state llb.State
	dir   string
}

// generateSite runs the spec's generator in the toolchain root with the
// sources at /src, a fixed environment and, unless asked, no network. The
// frontend binary supervises it: it reports the exit status and checks that
// the output folder was written.
func (s packageSource) generateSite(root, sources llb.State, b *spec.Build, extra ...llb.ConstraintsOpt) generated {
	out := b.Output
	if !path.IsAbs(out) {
		out = path.Join(SourceDir, b.Workdir, out)
	}
	argv := append([]string{helperMount + HelperBinary, "generate", "--output", out, "--"}, b.Run.Argv()...)
	opts := []llb.RunOption{
		llb.Args(argv),
		llb.Dir(path.Join(SourceDir, b.Workdir)),
		llb.User("0:0"),
		Progress("generate site: " + b.Run.String()),
	}
	for _, o := range extra {
		opts = append(opts, o)
	}
	if !b.Network {
		opts = append(opts, llb.Network(llb.NetModeNone))
	}
	for _, kv := range generatorEnv(s.epoch, b.Env) {
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	run := root.Run(opts...)
	run.AddMount(helperMount, s.helper(s.at(atGenerator)), llb.Readonly)
	for _, dir := range b.Cache {
		run.AddMount(dir, llb.Scratch(), llb.AsPersistentCacheDir("layercake:"+dir, llb.CacheMountShared))
	}
	src := run.AddMount(SourceDir, sources)
	if path.IsAbs(b.Output) {
		return generated{state: run.AddMount(b.Output, llb.Scratch()), dir: "."}
	}
	return generated{state: src, dir: path.Join(b.Workdir, b.Output)}
}

// generatorEnv is the controlled environment: the toolchain's, the epoch,
// then the spec's variables in name order (they may override LANG or TZ).
func generatorEnv(epoch time.Time, extra map[string]string) []string {
	env := append(slices.Clone(toolchainEnv), "SOURCE_DATE_EPOCH="+strconv.FormatInt(epoch.Unix(), 10))
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		env = append(env, k+"="+extra[k])
	}
	return env
}
