package debian

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	pgpclearsign "github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ulikunitz/xz"
)

const fixturePackages = "Package: nginx\nVersion: 1.26.3-3\nArchitecture: arm64\nDepends: libc6\n\n" +
	"Package: libc6\nVersion: 2.41-12\nArchitecture: arm64\n\n" +
	"Package: nginx-common\nVersion: 1.26.3-3\nArchitecture: all\n\n" +
	"Package: stray\nVersion: 1\nArchitecture: amd64\n"

// mapFetcher serves files from memory and records the paths asked for.
type mapFetcher struct {
	files map[string][]byte
	asked []string
}

func (m *mapFetcher) Fetch(_ context.Context, path, _ string) ([]byte, error) {
	m.asked = append(m.asked, path)
	if data, ok := m.files[path]; ok {
		return data, nil
	}
	return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
}

func xzData(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func releaseFor(byHash bool, entries ...string) string {
	s := "Suite: trixie\nDate: Sat, 09 Aug 2025 11:12:20 UTC\n"
	if byHash {
		s += "Acquire-By-Hash: yes\n"
	}
	return s + "SHA256:\n" + strings.Join(entries, "")
}

func entry(data []byte, path string) string {
	return fmt.Sprintf(" %s %d %s\n", sum(data), len(data), path)
}

// signedArchive serves an InRelease that key signed, listing xzd as arm64's
// Packages.xz, and xzd at its path.
func signedArchive(t *testing.T, key *openpgp.Entity, xzd []byte) *mapFetcher {
	t.Helper()
	return &mapFetcher{files: map[string][]byte{
		"dists/trixie/InRelease":                     clearsignWith(t, releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")), key),
		"dists/trixie/main/binary-arm64/Packages.xz": xzd,
	}}
}

func TestLoadIndex(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	f := signedArchive(t, key, xzData(t, fixturePackages))
	rel, idx, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime))
	if err != nil {
		t.Fatal(err)
	}
	if rel.Suite != "trixie" || !rel.Date.Equal(signTime) || idx.Len() != 3 || len(idx.Versions("stray")) != 0 {
		t.Errorf("LoadIndex() = %+v, %d packages, want trixie of %v with 3 (no stray amd64)", rel, idx.Len(), signTime)
	}
	wantResolve(t, resolve(t, idx, []string{"nginx"}, nil), "libc6=2.41-12", "nginx=1.26.3-3")
}

// When the Release allows it, the index is fetched by hash.
func TestLoadIndexByHash(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	xzd := xzData(t, fixturePackages)
	f := &mapFetcher{files: map[string][]byte{
		"dists/trixie/InRelease":                                    clearsignWith(t, releaseFor(true, entry(xzd, "main/binary-arm64/Packages.xz")), key),
		"dists/trixie/main/binary-arm64/by-hash/SHA256/" + sum(xzd): xzd,
	}}
	if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime)); err != nil {
		t.Fatalf("LoadIndex(by-hash) error: %v (asked %v)", err, f.asked)
	}
}

// A missing InRelease falls back to Release with Release.gpg.
func TestLoadIndexReleaseFallback(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	xzd := xzData(t, fixturePackages)
	release := []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")))
	f := &mapFetcher{files: map[string][]byte{
		"dists/trixie/Release":                       release,
		"dists/trixie/Release.gpg":                   detachSign(t, release, key, true),
		"dists/trixie/main/binary-arm64/Packages.xz": xzd,
	}}
	if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime)); err != nil {
		t.Fatalf("LoadIndex(Release only) error: %v", err)
	}
	want := []string{"dists/trixie/InRelease", "dists/trixie/Release", "dists/trixie/Release.gpg", "dists/trixie/main/binary-arm64/Packages.xz"}
	if strings.Join(f.asked, " ") != strings.Join(want, " ") {
		t.Errorf("fetched %v, want %v", f.asked, want)
	}
}

func TestLoadIndexSignatureErrors(t *testing.T) {
	key, other := newKey(t, "archive", 0, 0), newKey(t, "other", 0, 0)
	short := newKey(t, "short", day, day)
	xzd := xzData(t, fixturePackages)
	release := []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")))
	tampered := signedArchive(t, key, xzd)
	tampered.files["dists/trixie/InRelease"] = []byte(strings.Replace(string(tampered.files["dists/trixie/InRelease"]), sum(xzd)[:4], "0000", 1))
	downgrade := signedArchive(t, other, xzd)
	downgrade.files["dists/trixie/Release"] = release
	downgrade.files["dists/trixie/Release.gpg"] = detachSign(t, release, key, true)
	keys := WithKeyring(publicKeys(t, key, short))
	now, later := WithVerifyTime(verifyTime), WithVerifyTime(signTime.Add(2*day*time.Second))
	tests := []struct {
		name    string
		f       *mapFetcher
		opts    []LoadOption
		problem SignatureProblem
	}{
		// Signed by a key that is not in the keyring.
		{"other key", signedArchive(t, other, xzd), []LoadOption{keys, now}, SignatureUntrusted},
		// With no option, Debian's keyring is the one trusted.
		{"default keyring", signedArchive(t, key, xzd), []LoadOption{now}, SignatureUntrusted},
		// One byte of the Packages.xz checksum changed after signing.
		{"tampered", tampered, []LoadOption{keys, now}, SignatureMismatch},
		// A bad InRelease is never a reason to fall back to Release.
		{"no downgrade to Release", downgrade, []LoadOption{keys, now}, SignatureUntrusted},
		{"no Release.gpg", &mapFetcher{files: map[string][]byte{"dists/trixie/Release": release}}, []LoadOption{keys, now}, SignatureMissing},
		{"unsigned Release.gpg", &mapFetcher{files: map[string][]byte{"dists/trixie/Release": release, "dists/trixie/Release.gpg": release}}, []LoadOption{keys, now}, SignatureMalformed},
		{"expired key", signedArchive(t, short, xzd), []LoadOption{keys, later}, SignatureExpired},
	}
	for _, tt := range tests {
		_, _, err := LoadIndex(context.Background(), tt.f, "trixie", "arm64", tt.opts...)
		wantProblem(t, tt.name, err, tt.problem)
		if err != nil && !strings.HasPrefix(err.Error(), "reading Release for trixie: the archive's ") {
			t.Errorf("%s: error = %v, want it to start with the suite and the file", tt.name, err)
		}
		if slices.Contains(tt.f.asked, "dists/trixie/main/binary-arm64/Packages.xz") {
			t.Errorf("%s: fetched Packages.xz from an unverified archive", tt.name)
		}
	}
}

// WithoutSignatureCheck reads an unsigned archive, InRelease or Release.
func TestLoadIndexWithoutSignatureCheck(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	for _, name := range []string{"InRelease", "Release"} {
		f := &mapFetcher{files: map[string][]byte{
			"dists/trixie/" + name:                       []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": xzd,
		}}
		if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithoutSignatureCheck()); err != nil {
			t.Errorf("LoadIndex(unsigned %s, WithoutSignatureCheck) error: %v", name, err)
		}
	}
}

// Options that contradict each other or carry nothing are errors.
func TestLoadOptions(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	f := signedArchive(t, key, xzData(t, fixturePackages))
	for name, opts := range map[string][]LoadOption{
		"keyring and no check": {WithKeyring(publicKeys(t, key)), WithoutSignatureCheck()},
		"empty keyring":        {WithKeyring(nil)},
		"nil option":           {nil},
	} {
		if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", opts...); err == nil || !strings.HasPrefix(err.Error(), "loading index: ") {
			t.Errorf("%s: LoadIndex() error = %v, want a loading index error", name, err)
		}
	}
	if len(f.asked) != 0 {
		t.Errorf("fetched %v before checking the options", f.asked)
	}
}

// FetcherFunc adapts a plain function.
func TestFetcherFunc(t *testing.T) {
	f := FetcherFunc(func(_ context.Context, path, _ string) ([]byte, error) { return []byte(path), nil })
	if data, err := f.Fetch(context.Background(), "x", ""); err != nil || string(data) != "x" {
		t.Errorf("Fetch() = %q, %v", data, err)
	}
}

func TestLoadIndexErrors(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	other := xzData(t, "Package: evil\nVersion: 1\nArchitecture: arm64\n")
	badxz := []byte("not xz at all")
	tests := []struct {
		name    string
		files   map[string][]byte
		wantErr string
	}{
		{"checksum mismatch", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": append(other, make([]byte, len(xzd)-len(other))...),
		}, "reading Packages of trixie for arm64: main/binary-arm64/Packages.xz: sha256 mismatch"},
		{"size mismatch", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": other,
		}, "size mismatch"},
		{"missing index", map[string][]byte{
			"dists/trixie/InRelease": []byte(releaseFor(false, entry(xzd, "main/binary-amd64/Packages.xz"))),
		}, "reading Packages of trixie for arm64: release lists no main/binary-arm64/Packages.xz"},
		{"no release", map[string][]byte{}, "reading Release for trixie: "},
		{"not xz", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(badxz, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": badxz,
		}, "reading Packages of trixie for arm64: main/binary-arm64/Packages.xz: "},
		{"bad stanza", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(xzData(t, "Package: a\n"), "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": xzData(t, "Package: a\n"),
		}, "line 1: stanza has no Version field"},
	}
	key := newKey(t, "archive", 0, 0)
	for _, tt := range tests {
		if rel, ok := tt.files["dists/trixie/InRelease"]; ok {
			tt.files["dists/trixie/InRelease"] = clearsignWith(t, string(rel), key)
		}
		_, _, err := LoadIndex(context.Background(), &mapFetcher{files: tt.files}, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: LoadIndex() error = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

// A nil Fetcher, or a bad suite or architecture, is an error, never a panic.
func TestLoadIndexBadArguments(t *testing.T) {
	ctx := context.Background()
	if _, _, err := LoadIndex(ctx, nil, "trixie", "amd64"); err == nil {
		t.Error("LoadIndex(nil fetcher) = nil error")
	}
	for _, args := range [][2]string{{"", "amd64"}, {"../x", "amd64"}, {"trixie", "arm/v7"}} {
		if _, _, err := LoadIndex(ctx, &mapFetcher{}, args[0], args[1]); err == nil {
			t.Errorf("LoadIndex(%q, %q) = nil error", args[0], args[1])
		}
	}
}

func TestHTTPFetcher(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/debian/dists/trixie/Release" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	f := &httpFetcher{BaseURL: srv.URL + "/debian", Client: srv.Client()}
	ctx := context.Background()
	if data, err := f.Fetch(ctx, "dists/trixie/Release", sum([]byte("hello"))); err != nil || string(data) != "hello" {
		t.Errorf("Fetch() = %q, %v", data, err)
	}
	if _, err := f.Fetch(ctx, "dists/trixie/Release", sha); err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Errorf("Fetch(wrong sum) error = %v", err)
	}
	if _, err := f.Fetch(ctx, "dists/trixie/InRelease", ""); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Fetch(404) error = %v, want fs.ErrNotExist", err)
	}
	if _, err := (&httpFetcher{BaseURL: srv.URL}).Fetch(ctx, "x", ""); err == nil {
		t.Error("Fetch(nil client) = nil error")
	}
	var nf *httpFetcher
	if _, err := nf.Fetch(ctx, "x", ""); err == nil {
		t.Error("Fetch(nil fetcher) = nil error")
	}
}

// A Release.gpg that cannot be downloaded is a download error, not an
// unsigned archive: only a missing file means "no signature".
func TestLoadIndexReleaseGpgNetworkError(t *testing.T) {
	key := newKey(t, "archive", 0, 0)
	xzd := xzData(t, fixturePackages)
	release := []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")))
	netErr := errors.New("connection reset by peer")
	files := map[string][]byte{"dists/trixie/Release": release, "dists/trixie/main/binary-arm64/Packages.xz": xzd}
	f := FetcherFunc(func(_ context.Context, p, _ string) ([]byte, error) {
		if p == "dists/trixie/Release.gpg" {
			return nil, netErr
		}
		if data, ok := files[p]; ok {
			return data, nil
		}
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	})
	_, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key)), WithVerifyTime(verifyTime))
	var sig *SignatureError
	if err == nil || errors.As(err, &sig) || !errors.Is(err, netErr) || strings.Contains(err.Error(), "no signature") {
		t.Errorf("LoadIndex() error = %v, want the download error, not a signature problem", err)
	}
	if err != nil && !strings.Contains(err.Error(), "Release.gpg") {
		t.Errorf("LoadIndex() error = %v, want it to name Release.gpg", err)
	}
}

// signOnFetch signs InRelease at the moment it is fetched, with the clock,
// as an archive that signs just before serving would.
type signOnFetch struct {
	key *openpgp.Entity
	xzd []byte
}

func (s *signOnFetch) Fetch(_ context.Context, path, _ string) ([]byte, error) {
	switch path {
	case "dists/trixie/InRelease":
		var buf bytes.Buffer
		w, err := pgpclearsign.Encode(&buf, s.key.PrivateKey, &packet.Config{Time: time.Now})
		if err != nil {
			return nil, err
		}
		w.Write([]byte(releaseFor(false, entry(s.xzd, "main/binary-arm64/Packages.xz"))))
		if err := w.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case "dists/trixie/main/binary-arm64/Packages.xz":
		return s.xzd, nil
	}
	return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
}

// Without WithVerifyTime the signature is checked at the clock after the
// download, not at the time the load started: an index signed between the
// two is valid (seen as a one-second race with a signing test mirror).
func TestLoadIndexVerifiesAtDownloadTime(t *testing.T) {
	key, err := openpgp.NewEntity("archive", "test", "", &packet.Config{Time: func() time.Time { return time.Now().Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	f := FetcherFunc(func(ctx context.Context, path, want string) ([]byte, error) {
		time.Sleep(1100 * time.Millisecond) // the fetch starts after the load took any time of its own
		return (&signOnFetch{key: key, xzd: xzData(t, fixturePackages)}).Fetch(ctx, path, want)
	})
	if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64", WithKeyring(publicKeys(t, key))); err != nil {
		t.Fatalf("LoadIndex() of an index signed during the download = %v", err)
	}
}
