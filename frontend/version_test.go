package frontend

import (
	"strings"
	"testing"
)

// --call version names the version and commit stamped at link time, and
// needs neither a valid spec nor a lock nor a mirror.
func TestCallVersion(t *testing.T) {
	oldV, oldC := Version, Commit
	t.Cleanup(func() { Version, Commit = oldV, oldC })
	Version, Commit = "1.2.3", "0123456789abcdef0123456789abcdef01234567"
	g := newFake("version: 1\nnot-a-key: true\n", tree{}, map[string]string{"requestid": requestVersion})
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build(%s) error = %v", requestVersion, err)
	}
	if got, want := string(res.Metadata["result.json"]), `{"version":"1.2.3","commit":"0123456789abcdef0123456789abcdef01234567"}`; got != want {
		t.Errorf("result.json = %s, want %s", got, want)
	}
	if txt := string(res.Metadata["result.txt"]); !strings.Contains(txt, "layercake 1.2.3 (commit 0123456789abcdef") {
		t.Errorf("result.txt = %q, want the version and commit", txt)
	}
}
