package frontend

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/internal/clip"
	"github.com/layercake-build/layercake/llbgen"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
)

// ReproducibleDocs explains what to do when a generator's output differs
// between runs of the same inputs.
const ReproducibleDocs = "https://github.com/layercake-build/layercake/blob/main/docs/generated-sites.md#reproducible-output"

// runReport is the generator's llbgen.ReportFile (written by `layercake
// generate --report`).
type runReport struct {
	Step  string   `json:"step"`
	Files []string `json:"files"`
	Count int      `json:"count"`
	// Future is the step's warning about pages the generator left out
	// for dates after the pinned clock, or "".
	Future string `json:"future"`
}

// warnDiffering reads the generator's report (solving it costs nothing
// more: it is an output of the step the staged site came from) and, when
// the output differs from an earlier run of the same inputs on this
// builder, warns at the step's line, naming the files.
func (b *builder) warnDiffering(ctx context.Context, report llb.State) {
	ref, err := b.solve(ctx, report, true)
	if err != nil {
		return // the staged site's solve of the same step reports failures
	}
	// A report that cannot be read says nothing: the warning is advice,
	// never a reason to fail a build that produced its site.
	data, err := ref.ReadFile(ctx, client.ReadRequest{Filename: llbgen.ReportFile})
	if err != nil {
		return
	}
	var r runReport
	if json.Unmarshal(data, &r) != nil {
		return
	}
	if r.Future != "" {
		msg, at := futureMessage(b.spec, b.opts.specFile, r)
		b.entry.Warn(ctx, msg, client.WarnOpts{Range: []*pb.Range{lineRange(at)}, URL: ReproducibleDocs})
	}
	if r.Count > 0 {
		msg, at := differingMessage(b.spec, b.opts.specFile, r)
		b.entry.Warn(ctx, msg, client.WarnOpts{Range: []*pb.Range{lineRange(at)}, URL: ReproducibleDocs})
	}
}

// futureMessage is the step's warning about pages left out for their
// dates, at the step's position in the spec.
func futureMessage(sp *spec.Spec, file string, r runReport) (string, spec.Pos) {
	field, at := lastStep(sp)
	return fmt.Sprintf("%s (%s:%d): %s", field, file, at.Line, clip.String(r.Future, 4000)), at
}

// lastStep is the spec field of the generator's last step, and its position.
func lastStep(sp *spec.Spec) (string, spec.Pos) {
	field := "site.build.run"
	if n := len(sp.Site.Build.Steps); n > 0 {
		field = fmt.Sprintf("site.build.steps[%d]", n-1)
	}
	return field, sp.Pos(field)
}

// warnUnpinnedClock warns when the lock's toolchain has no libfaketime
// (written by an older layercake): the generator then reads the builder's
// clock.
func (b *builder) warnUnpinnedClock(ctx context.Context, toolchain []deb.Locked) {
	if len(toolchain) == 0 || slices.ContainsFunc(toolchain, func(p deb.Locked) bool { return p.Name == llbgen.FakeTimePackage }) {
		return
	}
	b.entry.Warn(ctx, fmt.Sprintf("%s pins no %s, so the generator reads the builder's clock and dates it prints change with every build; write the lock again to pin the clock at the build's epoch: docker buildx build --target lock -o . .", LockFile, llbgen.FakeTimePackage),
		client.WarnOpts{Range: []*pb.Range{lineRange(b.spec.Pos("site.build.packages"))}, URL: ReproducibleDocs})
}

// differingMessage says which step wrote which differing files, and what
// to do; at is the step's position in the spec.
func differingMessage(sp *spec.Spec, file string, r runReport) (string, spec.Pos) {
	field, at := lastStep(sp)
	names := make([]string, len(r.Files))
	for i, f := range r.Files {
		names[i] = fmt.Sprintf("%q", clip.String(f, 120))
	}
	more := ""
	if r.Count > len(r.Files) {
		more = fmt.Sprintf(" and %d more", r.Count-len(r.Files))
	}
	return fmt.Sprintf("%s (%s:%d) is not reproducible: run again with the same inputs on this builder, it wrote %d %s whose bytes differ from the earlier run: %s%s; the generator reads something besides its inputs (the clock where layercake cannot pin it, random numbers, the order of a parallel walk); see \"Reproducible output\" in docs/generated-sites.md",
		field, file, at.Line, r.Count, plural(r.Count, "file", "files"), strings.Join(names, ", "), more), at
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
