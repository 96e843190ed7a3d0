package initspec

import "github.com/layercake-build/layercake/spec"

// step is one of the site.build.steps a detector proposes, with the comment
// written above it.
type step struct {
	comment string
	inputs  []string
	run     string // run under /bin/sh -c
	workdir string // "" for the build's
	network bool
	cache   []string
}

// setSteps sets b's steps and returns their comments, for
// Template.StepComments.
func setSteps(b *spec.Build, steps []step) []string {
	comments := make([]string, len(steps))
	for i, st := range steps {
		s := spec.Step{Inputs: st.inputs, Run: spec.Command{Shell: st.run}, Workdir: st.workdir, Cache: st.cache}
		if st.network {
			n := true
			s.Network = &n
		}
		b.Steps = append(b.Steps, s)
		comments[i] = st.comment
	}
	return comments
}
