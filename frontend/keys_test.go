package frontend

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/layercake-build/layercake/spec"
)

// A debian.keys file that is missing or not a key fails at its line, and
// the error keeps its cause for callers (errors.Is / errors.As).
func TestKeyErrorsKeepTheirCause(t *testing.T) {
	a := newArchive(t, "amd64")
	for _, tc := range []struct {
		name string
		key  *entry
		want func(error) bool
		text string
	}{
		{"missing", nil, func(err error) bool { return errors.Is(err, fs.ErrNotExist) }, "cannot be read from the build context"},
		{"not a key", &entry{data: []byte("hello"), mode: 0o644}, func(err error) bool {
			var se pgperrors.StructuralError
			var ie pgperrors.InvalidArgumentError
			var ue pgperrors.UnsupportedError
			return errors.As(err, &se) || errors.As(err, &ie) || errors.As(err, &ue) || errors.Is(err, pgperrors.ErrKeyIncorrect)
		}, "give an OpenPGP public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := unlockedFake(t, a, nil)
			delete(g.locals["context"], "keys/archive.asc")
			if tc.key != nil {
				g.locals["context"]["keys/archive.asc"] = *tc.key
			}
			_, err := run(t, g)
			if err == nil || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("Build() error = %v, want %q", err, tc.text)
			}
			if !tc.want(err) {
				t.Errorf("Build() error = %v (%T) lost its cause", err, errors.Unwrap(err))
			}
			if es := spec.Errors(err); len(es) != 1 || es[0].Path != "debian.keys[0]" || es[0].Pos.Line != 5 {
				t.Errorf("spec errors = %v, want one at debian.keys[0], line 5", es)
			}
		})
	}
}
