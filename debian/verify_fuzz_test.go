package debian

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzVerifyInRelease never panics, and what it accepts is exactly what
// ParseRelease reads from the same bytes.
func FuzzVerifyInRelease(f *testing.F) {
	key := newKey(f, "archive", 0, 0)
	keys := publicKeys(f, key)
	signed := clearsignWith(f, releaseBody, key)
	f.Add(signed)
	f.Add(bytes.Replace(signed, []byte("1234"), []byte("1235"), 1))
	f.Add(clearsignWith(f, "", key))
	f.Add(clearsignWith(f, "- -dash\n\n", key))
	f.Add([]byte(clearsign(releaseBody)))
	f.Add([]byte(releaseBody))
	f.Fuzz(func(t *testing.T, in []byte) {
		rel, err := VerifyInRelease(in, keys, verifyTime)
		if err != nil {
			if rel != nil {
				t.Errorf("VerifyInRelease() = %+v with error %v", rel, err)
			}
			return
		}
		if parsed, err := ParseRelease(in); err != nil || !reflect.DeepEqual(rel, parsed) {
			t.Errorf("VerifyInRelease() = %+v but ParseRelease() = %+v, %v", rel, parsed, err)
		}
	})
}
