package llbgen

import (
	"fmt"
	"strings"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// runSteps runs site.build.steps in order in one working tree. Before each
// step its inputs are copied from the filtered context onto what earlier
// steps left in /src (all of the context when it names none); BuildKit
// keys that copy by the content of the copied files, so a step runs again
// only when its inputs or an earlier step changed, like a Dockerfile's
// layers. Only /src carries over: each step starts from the toolchain root.
func (s packageSource) runSteps(root, sources llb.State, in Input, extra ...llb.ConstraintsOpt) generated {
	b := in.Spec.Site.Build
	steps := b.RunSteps()
	work := llb.Scratch()
	var run llb.ExecState
	for i, st := range steps {
		// The progress name (metadata) may say where the step is; what the
		// step runs may not, or moving it, or adding a step after it, would
		// run it again.
		shown := fmt.Sprintf("step %d of %d", i+1, len(steps))
		if in.Spec.File() != "" {
			shown += fmt.Sprintf(" (%s:%d)", in.Spec.File(), in.Spec.Pos(stepPath(i)).Line)
		}
		work = work.File(copyInputs(sources, st.Inputs), append(s.stepLocation(in, i), Progress(fmt.Sprintf("%s: %s", shown, describeInputs(st.Inputs))))...)
		info := stepInfo{name: fmt.Sprintf("%s: %s", shown, st.Run.String()), label: fmt.Sprintf("step %d", i+1)}
		if i == len(steps)-1 {
			info.output = outputPath(b)
		}
		opts := append(append([]llb.ConstraintsOpt(nil), extra...), s.stepLocation(in, i)...)
		run = s.runStep(root, st, info, opts...)
		work = run.AddMount(SourceDir, work)
	}
	return s.output(run, work, b)
}

func stepPath(i int) string { return fmt.Sprintf("site.build.steps[%d]", i) }

// copyInputs copies a step's inputs (or the whole context) to /src's root.
func copyInputs(sources llb.State, inputs []string) *llb.FileAction {
	info := &llb.CopyInfo{CopyDirContentsOnly: true, CreateDestPath: true, AllowEmptyWildcard: true}
	if len(inputs) > 0 {
		info.IncludePatterns = inputs
	}
	return llb.Copy(sources, "/", "/", info)
}

func describeInputs(inputs []string) string {
	if len(inputs) == 0 {
		return "copy the sources"
	}
	return "copy " + strings.Join(inputs, ", ")
}

// stepLocation points the step's vertex at its lines of the spec, so a
// failing step shows them.
func (s packageSource) stepLocation(in Input, i int) []llb.ConstraintsOpt {
	if in.SourceMap == nil {
		return nil
	}
	start := in.Spec.Pos(stepPath(i)).Line
	end := max(start, in.Spec.Pos(stepPath(i)+".run").Line)
	r := &pb.Range{Start: &pb.Position{Line: int32(start)}, End: &pb.Position{Line: int32(end)}}
	return []llb.ConstraintsOpt{in.SourceMap.Location([]*pb.Range{r})}
}

// generatorName names the generator in the site layer's history: the run
// command, or the last step's.
func generatorName(b *spec.Build) string {
	if len(b.Steps) > 0 {
		return b.Steps[len(b.Steps)-1].Run.String()
	}
	return b.Run.String()
}
