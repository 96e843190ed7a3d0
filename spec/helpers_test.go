package spec

import (
	"reflect"
	"testing"
)

// parse decodes data as Load does, without validating, and returns a nil
// Spec when there is any decoding problem.
func parse(file string, data []byte) (*Spec, error) {
	s, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// mustParse parses src as "Dockerfile" and fails the test on an error.
func mustParse(t *testing.T, src string) *Spec {
	t.Helper()
	s, err := parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatalf("parse(%q) error = %v, want nil", src, err)
	}
	return s
}

// errText is err's text, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// sameSpec compares the exported fields and the file name of two specs.
func sameSpec(a, b *Spec) bool {
	return reflect.DeepEqual(a.Version, b.Version) &&
		reflect.DeepEqual(a.Epoch, b.Epoch) &&
		reflect.DeepEqual(a.Debian, b.Debian) &&
		reflect.DeepEqual(a.Server, b.Server) &&
		reflect.DeepEqual(a.Site, b.Site) &&
		a.file == b.file && a.pos == b.pos
}

func int64p(v int64) *int64 { return &v }
