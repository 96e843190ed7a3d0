package debian

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// releaseWith is a Release of suite listing xzd as arm64's Packages.xz,
// with extra fields (e.g. Valid-Until).
func releaseWith(suite, extra string, xzd []byte) string {
	return "Suite: " + suite + "\nDate: Sat, 09 Aug 2025 11:12:20 UTC\n" + extra +
		"SHA256:\n" + entry(xzd, "main/binary-arm64/Packages.xz")
}

// suiteArchive serves suite's signed InRelease and its Packages.xz.
func suiteArchive(t *testing.T, key *openpgp.Entity, suite, extra, packages string) *mapFetcher {
	t.Helper()
	xzd := xzData(t, packages)
	return &mapFetcher{files: map[string][]byte{
		"dists/" + suite + "/InRelease":                     clearsignWith(t, releaseWith(suite, extra, xzd), key),
		"dists/" + suite + "/main/binary-arm64/Packages.xz": xzd,
	}}
}

// Resolution takes the highest version across the archives, as apt does,
// and each package records the archive it came from.
func TestLoadIndexesHighestAcrossArchives(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	main := suiteArchive(t, key, "trixie", "", fixturePackages)
	updates := suiteArchive(t, key, "trixie-updates", "", "Package: libc6\nVersion: 2.41-12+deb13u1\nArchitecture: arm64\n")
	security := suiteArchive(t, key, "trixie-security", "Valid-Until: Sat, 16 Aug 2025 11:12:20 UTC\n",
		"Package: nginx\nVersion: 1.26.3-3+deb13u1\nArchitecture: arm64\nDepends: libc6\n\n"+
			"Package: libc6\nVersion: 2.41-11\nArchitecture: arm64\n")
	archives := []Archive{{"trixie", main}, {"trixie-updates", updates}, {"trixie-security", security}}
	rels, idx, err := LoadIndexes(context.Background(), archives, "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime))
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) != 3 || rels[2].Suite != "trixie-security" || rels[2].ValidUntil.IsZero() {
		t.Errorf("LoadIndexes() releases = %+v, want trixie, -updates, -security with its Valid-Until", rels)
	}
	got, err := Resolve(idx, []string{"nginx"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, p := range got {
		where = append(where, p.Name+"="+p.Version+"@"+p.Archive)
	}
	want := "libc6=2.41-12+deb13u1@trixie-updates nginx=1.26.3-3+deb13u1@trixie-security"
	if strings.Join(where, " ") != want {
		t.Errorf("Resolve(nginx) over three archives = %v, want %s", where, want)
	}
}

// An index past its Valid-Until is refused, naming the archive, its Date
// and Valid-Until; before it, the same index is fine.
func TestLoadIndexValidUntil(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	f := suiteArchive(t, key, "trixie-security", "Valid-Until: Sat, 09 Aug 2025 13:00:00 UTC\n", fixturePackages)
	keys := WithKeyring(publicKeys(t, key))
	if _, _, err := LoadIndex(context.Background(), f, "trixie-security", "arm64", keys, WithVerifyTime(verifyTime)); err != nil {
		t.Fatalf("LoadIndex() before Valid-Until = %v, want nil", err)
	}
	late := signTime.Add(48 * time.Hour)
	_, _, err := LoadIndex(context.Background(), f, "trixie-security", "arm64", keys, WithVerifyTime(late))
	var exp *ExpiredError
	if !errors.As(err, &exp) {
		t.Fatalf("LoadIndex() after Valid-Until = %v, want an *ExpiredError", err)
	}
	for _, want := range []string{"trixie-security", "2025-08-09T11:12:20Z", "valid until 2025-08-09T13:00:00Z", "2025-08-11T11:12:20Z", "up-to-date mirror"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("LoadIndex() error = %q, want it to contain %q", err, want)
		}
	}
}

// A Valid-Until that is not a date is an error at its line, not "no limit".
func TestParseReleaseBadValidUntil(t *testing.T) {
	_, err := ParseRelease([]byte("Suite: trixie\nDate: Sat, 09 Aug 2025 11:12:20 UTC\nValid-Until: soon\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: Valid-Until") {
		t.Errorf("ParseRelease(Valid-Until: soon) = %v, want an error at line 3", err)
	}
}

// Only a 404 for InRelease falls back to Release and Release.gpg; a server
// error is an error, so an outage cannot downgrade the check.
func TestLoadIndexInRelease404Versus500(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	xzd := xzData(t, fixturePackages)
	release := []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")))
	files := map[string][]byte{
		"dists/trixie/Release":                       release,
		"dists/trixie/Release.gpg":                   detachSign(t, release, key, true),
		"dists/trixie/main/binary-arm64/Packages.xz": xzd,
	}
	serverErr := errors.New("invalid response status 500")
	for _, tc := range []struct {
		name      string
		inRelease error
		wantErr   error
	}{
		{"404 falls back", fs.ErrNotExist, nil},
		{"500 is an error", serverErr, serverErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			f := FetcherFunc(func(_ context.Context, p, _ string) ([]byte, error) {
				asked = append(asked, p)
				if p == "dists/trixie/InRelease" {
					return nil, fmt.Errorf("downloading %s: %w", p, tc.inRelease)
				}
				return files[p], nil
			})
			_, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime))
			if tc.wantErr == nil && err != nil {
				t.Fatalf("LoadIndex() = %v, want the Release fallback to succeed", err)
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), "InRelease") {
					t.Errorf("LoadIndex() = %v, want the InRelease download error", err)
				}
				if len(asked) != 1 {
					t.Errorf("LoadIndex() fetched %v after a 500, want InRelease only", asked)
				}
			}
		})
	}
}
