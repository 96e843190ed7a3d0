package frontend

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
)

// sourceFile is the spec as BuildKit saw it, for attaching locations to
// errors and warnings so buildx prints the offending lines.
type sourceFile struct {
	sm *llb.SourceMap
}

func (s sourceFile) info() *pb.SourceInfo {
	info := &pb.SourceInfo{Data: s.sm.Data, Filename: s.sm.Filename, Language: s.sm.Language}
	if s.sm.Definition != nil {
		info.Definition = s.sm.Definition.ToPB()
	}
	return info
}

// at locates a vertex at the key of a spec path, so buildx shows that line
// when the vertex fails (as llbgen does for the image's vertices).
func (b *builder) at(path string) llb.ConstraintsOpt {
	return b.entry.SourceMap.Location([]*pb.Range{lineRange(b.spec.KeyPos(path))})
}

// lineRange covers the whole of a 1-based line.
func lineRange(p spec.Pos) *pb.Range {
	line := int32(max(p.Line, 1))
	return &pb.Range{Start: &pb.Position{Line: line}, End: &pb.Position{Line: line}}
}

// withPositions attaches every spec position in err (or the given ones) to
// err as BuildKit source info.
func (s sourceFile) withPositions(err error, extra ...spec.Pos) error {
	if err == nil || s.sm == nil {
		return err
	}
	var ranges []*pb.Range
	for _, e := range spec.Errors(err) {
		ranges = append(ranges, lineRange(e.Pos))
	}
	for _, p := range extra {
		ranges = append(ranges, lineRange(p))
	}
	if len(ranges) == 0 {
		return err
	}
	return errdefs.WithSource(err, &errdefs.Source{Info: s.info(), Ranges: ranges})
}

// lockSourceError attaches the lock file itself to err, at the line of a
// JSON syntax or type error when there is one, so buildx shows that line.
func lockSourceError(err error, name string, data []byte, cause error) error {
	line := 1
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(cause, &syntax):
		line = lineOf(data, syntax.Offset)
	case errors.As(cause, &typ):
		line = lineOf(data, typ.Offset)
	}
	return errdefs.WithSource(err, &errdefs.Source{
		Info:   &pb.SourceInfo{Filename: name, Data: data, Language: "JSON"},
		Ranges: []*pb.Range{lineRange(spec.Pos{Line: line})},
	})
}

// lineOf is the 1-based line holding byte offset off of data.
func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
