package integration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/testkit/resign"
)

// startResigningMirror serves the real archive on 127.0.0.1 with InRelease
// signed by a key made in the test (resign.Mirror), until the test ends;
// with refresh, an expired Valid-Until is moved on (see
// TestToolchainFromForky). It returns the mirror's URL and armored public key.
func startResigningMirror(t *testing.T, upstream string, refresh bool) (url, publicKey string) {
	t.Helper()
	m, err := resign.Start(upstream, refresh)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	key, err := m.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	return m.URL(), key
}

// TestOwnArchiveKey: an archive signed by a key the spec names in
// debian.keys resolves; without that key the build fails, naming the problem.
func TestOwnArchiveKey(t *testing.T) {
	e := need(t)
	t.Parallel()
	url, key := startResigningMirror(t, e.mirror, false)
	for _, tc := range []struct {
		name   string
		keys   string
		wantOK bool
	}{
		{"with debian.keys", "  keys: [keys/archive.asc]\n", true},
		{"without the key", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "keys/archive.asc", key)
			write(t, dir, "Dockerfile", fmt.Sprintf("# syntax=%s\nversion: 1\ndebian:\n  suite: trixie\n%ssite:\n  dir: .\n", e.frontend, tc.keys))
			out, err := e.tryBuild(t, build{dir: dir, args: []string{"--build-arg", "DEBIAN_MIRROR=" + url, "--target", "lock", "-o", t.TempDir()}})
			if (err == nil) != tc.wantOK {
				t.Fatalf("build error = %v, want success %v:\n%s", err, tc.wantOK, tail(out, 30))
			}
			if !tc.wantOK && !strings.Contains(out, "not signed by any trusted key") {
				t.Errorf("the failure does not say the signature is untrusted:\n%s", tail(out, 20))
			}
		})
	}
}
