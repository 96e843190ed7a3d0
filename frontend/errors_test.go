package frontend

import (
	"errors"
	"testing"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/errdefs"
)

// Spec errors reach BuildKit as source ranges on the lines they name.
func TestWithPositionsAttachesEveryLine(t *testing.T) {
	data := []byte("version: 2\nserver:\n  port: 0\nsite:\n  dir: /abs\n")
	_, err := spec.Load("Dockerfile", data)
	if err == nil {
		t.Fatal("Load() = nil, want errors")
	}
	src := sourceFile{sm: llb.NewSourceMap(nil, "Dockerfile", "YAML", data)}
	var se *errdefs.SourceError
	if !errors.As(src.withPositions(err), &se) {
		t.Fatalf("withPositions() = %v, want a BuildKit source error", err)
	}
	var lines []int32
	for _, r := range se.Ranges {
		lines = append(lines, r.Start.Line)
	}
	want := []int32{1, 3, 5}
	if len(lines) != len(want) || lines[0] != 1 || lines[1] != 3 || lines[2] != 5 {
		t.Errorf("source lines = %v, want %v", lines, want)
	}
	if se.Info.Filename != "Dockerfile" || string(se.Info.Data) != string(data) {
		t.Errorf("source info = %s, want the spec file", se.Info.Filename)
	}
}

func TestWithPositionsLeavesOtherErrors(t *testing.T) {
	src := sourceFile{sm: llb.NewSourceMap(nil, "Dockerfile", "YAML", nil)}
	plain := errors.New("boom")
	if got := src.withPositions(plain); got != plain {
		t.Errorf("withPositions(plain) = %v, want it unchanged", got)
	}
}

// A broken lock is shown at the line of the JSON problem.
func TestLockSourceError(t *testing.T) {
	data := []byte("{\n  \"version\": 1,\n  \"suite\": 7\n}\n")
	_, cause := debian.ParseLock(data)
	if cause == nil {
		t.Fatal("ParseLock() = nil error, want a type error")
	}
	var se *errdefs.SourceError
	if !errors.As(lockSourceError(cause, "layercake.lock", data, cause), &se) {
		t.Fatal("lockSourceError() carries no source")
	}
	if se.Info.Filename != "layercake.lock" || se.Ranges[0].Start.Line != 3 {
		t.Errorf("source %s line %d, want layercake.lock line 3", se.Info.Filename, se.Ranges[0].Start.Line)
	}
}
