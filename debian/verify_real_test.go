package debian

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// TestRealArchiveSignatures verifies the mirror's live InRelease files (trixie,
// bookworm, and the suites site.build.suite names most: forky, trixie-backports) with
// the shipped keyring (and tries trixie's Release with Release.gpg), then loads
// trixie's amd64 index with LoadIndex's defaults. The mirror is the one in
// the machine's apt configuration; no host name is written here.
func TestRealArchiveSignatures(t *testing.T) {
	if os.Getenv("LAYERCAKE_REAL_ARCHIVE") != "1" {
		t.Skip("set LAYERCAKE_REAL_ARCHIVE=1 to verify the real archive (mirror from /etc/apt/sources.list.d/*.sources)")
	}
	keys, err := DebianKeyring()
	if err != nil {
		t.Fatal(err)
	}
	ctx, now := context.Background(), time.Now()
	f := &httpFetcher{BaseURL: aptMirror(t), Client: &http.Client{Timeout: 5 * time.Minute}}
	for _, suite := range []string{"trixie", "bookworm", "forky", "trixie-backports"} {
		data, err := f.Fetch(ctx, "dists/"+suite+"/InRelease", "")
		if err != nil {
			t.Errorf("%s: %v", suite, err)
			continue
		}
		rel, err := VerifyInRelease(data, keys, now)
		if err != nil {
			t.Errorf("VerifyInRelease(%s) error: %v", suite, err)
			continue
		}
		t.Logf("%s InRelease: verified, %s %s, Date %v, %d index files", suite, rel.Suite, rel.Codename, rel.Date, len(rel.SHA256))
		if suite == "trixie" {
			checkRealExpiry(t, data, keys)
		}
	}
	release, err := f.Fetch(ctx, "dists/trixie/Release", "")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := f.Fetch(ctx, "dists/trixie/Release.gpg", "")
	if err != nil {
		t.Fatal(err)
	}
	// Informational: apt reads InRelease, and some mirrors keep serving a
	// stale Release.gpg (seen in November 2026: gpgv said BAD signature too).
	if _, err := VerifyRelease(release, sig, keys, now); err != nil {
		t.Logf("VerifyRelease(trixie) error (mirror problem, not a failure): %v", err)
	} else {
		t.Logf("trixie Release + Release.gpg: verified")
	}
	rel, idx, err := LoadIndex(ctx, f, "trixie", "amd64")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("LoadIndex(trixie, amd64): Date %v, %d packages", rel.Date, idx.Len())
	checkRealArchives(t, f)
}

// checkRealArchives loads trixie, trixie-updates and trixie-security (from
// the mirror's sibling debian-security) with the shipped keyring, Valid-Until
// enforced, and checks that the security archive's nginx wins.
func checkRealArchives(t *testing.T, mirror *httpFetcher) {
	t.Helper()
	base := strings.TrimSuffix(mirror.BaseURL, "/")
	security := &httpFetcher{BaseURL: base[:strings.LastIndex(base, "/")] + "/debian-security", Client: mirror.Client}
	archives := []Archive{{"trixie", mirror}, {"trixie-updates", mirror}, {"trixie-security", security}}
	rels, idx, err := LoadIndexes(context.Background(), archives, "amd64")
	if err != nil {
		t.Fatalf("LoadIndexes(trixie, -updates, -security) error: %v", err)
	}
	if rels[2].ValidUntil.IsZero() {
		t.Errorf("trixie-security has no Valid-Until; it always had one")
	}
	for i, r := range rels {
		t.Logf("%s: Date %v, Valid-Until %v", archives[i].Suite, r.Date, r.ValidUntil)
	}
	ng := idx.Versions("nginx")
	if len(ng) == 0 {
		t.Fatal("no nginx in the three archives")
	}
	t.Logf("nginx: highest %s from %s", ng[0].Version, ng[0].Archive)
	if ng[0].Archive == "trixie" && len(ng) > 1 {
		t.Errorf("nginx %s from trixie wins over %s from %s", ng[0].Version, ng[1].Version, ng[1].Archive)
	}
}

// checkRealExpiry checks the expired-key policy on trixie's real InRelease:
// after bookworm's keys expire (2031) trixie's still verify it; after
// trixie's expire (2035), nothing does.
func checkRealExpiry(t *testing.T, data []byte, keys openpgp.EntityList) {
	t.Helper()
	if _, err := VerifyInRelease(data, keys, time.Date(2032, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("VerifyInRelease(trixie, in 2032) error: %v", err)
	}
	_, err := VerifyInRelease(data, keys, time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC))
	if se := (*SignatureError)(nil); !errors.As(err, &se) || se.Problem != SignatureExpired {
		t.Errorf("VerifyInRelease(trixie, in 2036) error = %v, want SignatureExpired", err)
	}
}

// aptMirror returns the first Debian archive URI (not debian-security) in
// the machine's deb822 apt sources.
func aptMirror(t *testing.T) string {
	t.Helper()
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			key, value, ok := strings.Cut(sc.Text(), ":")
			if !ok || !strings.EqualFold(strings.TrimSpace(key), "URIs") {
				continue
			}
			for _, uri := range strings.Fields(value) {
				if strings.HasSuffix(strings.TrimSuffix(uri, "/"), "/debian") {
					return uri
				}
			}
		}
	}
	t.Fatal("no Debian archive in /etc/apt/sources.list.d/*.sources")
	return ""
}
