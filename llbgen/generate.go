package llbgen

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// Paths of the generator step.
const (
	// SourceDir is where the (filtered) build context is mounted.
	SourceDir = "/src"
	// helperMount is where the frontend image is mounted so its binary can
	// supervise the generator.
	helperMount = "/.layercake"
	// reportMount is where the last step writes ReportFile.
	reportMount = "/.layercake-report"
	// runsMount is the cache mount that keeps the manifests of earlier
	// runs (see step/reproducible.go).
	runsMount = "/.layercake-runs"
)

// ReportFile is the file, in Output.Report, where the generator's last
// step says which output files differ from an earlier run of the same
// inputs on this builder (JSON; empty when none differ).
const ReportFile = "differs.json"

// RerunEnv is the variable that makes the generator steps run again for
// `--no-cache-filter site` (see Input.Rerun); it is no input of theirs.
const RerunEnv = "LAYERCAKE_RERUN"

// FakeTimePackage is the Debian package that stops the generator's wall
// clock at the epoch; the frontend adds it to every toolchain.
const FakeTimePackage = "libfaketime"

// generated is a generator run's output: the state and the folder in it that
// holds the site.
type generated struct {
	state llb.State
	dir   string
	// report is the last step's ReportFile folder.
	report llb.State
}

// generateSite runs the spec's generator in the toolchain root with the
// sources at /src, a fixed environment and, unless asked, no network. The
// frontend binary supervises it: it reports the exit status and checks that
// the output folder was written. A build with steps runs them in turn
// (runSteps); a single run sees the whole context.
func (s packageSource) generateSite(root, sources llb.State, in Input, extra ...llb.ConstraintsOpt) generated {
	b := in.Spec.Site.Build
	if len(b.Steps) > 0 {
		return s.runSteps(root, sources, in, extra...)
	}
	step := b.RunSteps()[0]
	run := s.runStep(root, step, stepInfo{output: outputPath(b), name: "generate site: " + b.Run.String()}, extra...)
	src := run.AddMount(SourceDir, sources)
	return s.output(run, src, b)
}

// stepInfo is what the supervisor and the progress display say about a step.
type stepInfo struct {
	name   string // progress name
	label  string // "step 2", or "" for a single run
	output string // folder the step must write, or ""
}

// runStep is one supervised generator command; the caller mounts /src.
func (s packageSource) runStep(root llb.State, st spec.Step, info stepInfo, extra ...llb.ConstraintsOpt) llb.ExecState {
	argv := []string{helperMount + HelperBinary, "generate"}
	if info.output != "" {
		argv = append(argv, "--output", info.output)
	}
	if info.label != "" {
		argv = append(argv, "--step", info.label)
	}
	pin := s.pinClock && (st.Network == nil || !*st.Network)
	if pin {
		argv = append(argv, "--pin-clock")
		if s.epochFrom != "" && info.output != "" {
			argv = append(argv, "--clock-from", s.epochFrom)
		}
	}
	if info.output != "" {
		// Only the output is compared with earlier runs; the cache
		// folders are not inputs (a warm cache must not change the key).
		argv = append(argv, "--runs", runsMount, "--report", reportMount)
		for _, dir := range st.Cache {
			argv = append(argv, "--skip", dir)
		}
	}
	argv = append(append(argv, "--"), st.Run.Argv()...)
	opts := []llb.RunOption{
		llb.Args(argv),
		llb.Dir(path.Join(SourceDir, st.Workdir)),
		llb.User("0:0"),
		Progress(info.name),
	}
	for _, o := range extra {
		opts = append(opts, o)
	}
	if st.Network == nil || !*st.Network {
		opts = append(opts, llb.Network(llb.NetModeNone))
	} else if s.network != pb.NetMode_UNSET {
		opts = append(opts, llb.Network(s.network))
	}
	if s.rerun != "" {
		opts = append(opts, llb.AddEnv(RerunEnv, s.rerun))
	}
	for _, kv := range generatorEnv(s.epoch, st.Env) {
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	run := root.Run(opts...)
	run.AddMount(helperMount, s.helper(s.at(atGenerator)), llb.Readonly)
	for _, dir := range st.Cache {
		run.AddMount(dir, llb.Scratch(), llb.AsPersistentCacheDir(s.cacheID("layercake:"+dir), llb.CacheMountShared))
	}
	if info.output != "" {
		run.AddMount(runsMount, llb.Scratch(), llb.AsPersistentCacheDir(s.cacheID("layercake:generator-runs"), llb.CacheMountShared))
	}
	return run
}

// outputPath is the folder the generator must write, as the container sees it.
func outputPath(b *spec.Build) string {
	if path.IsAbs(b.Output) {
		return b.Output
	}
	return path.Join(SourceDir, b.Workdir, b.Output)
}

// output is the generated site: a scratch mount at an absolute output
// folder, or the folder inside the sources.
func (s packageSource) output(run llb.ExecState, src llb.State, b *spec.Build) generated {
	report := run.AddMount(reportMount, llb.Scratch())
	if path.IsAbs(b.Output) {
		return generated{state: run.AddMount(b.Output, llb.Scratch()), dir: ".", report: report}
	}
	return generated{state: src, dir: path.Join(b.Workdir, b.Output), report: report}
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
