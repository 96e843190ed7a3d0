package initspec

import (
	"path"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

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

// cacheMounts are the absolute paths in the build container of a
// generator's cache folders, relative to the site's folder: the sources
// are at /src.
func cacheMounts(s site, rel []string) []string {
	out := make([]string, len(rel))
	for i, r := range rel {
		out[i] = path.Join("/src", s.dir, r)
	}
	return out
}

// cacheNote explains the cache mounts of a generator's own caches.
func cacheNote(generator string, rel []string) []string {
	return []string{generator + "'s own caches (" + strings.Join(rel, ", ") + ") are cache mounts: kept between builds",
		"on the same builder, never in the site or the image, so a rebuild after an edit reuses them."}
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
