package debian

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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

func TestLoadIndex(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	f := &mapFetcher{files: map[string][]byte{
		"dists/trixie/InRelease":                     []byte(clearsign(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz")))),
		"dists/trixie/main/binary-arm64/Packages.xz": xzd,
	}}
	rel, idx, err := LoadIndex(context.Background(), f, "trixie", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	if rel.Suite != "trixie" || idx.Len() != 3 || len(idx.Versions("stray")) != 0 {
		t.Errorf("LoadIndex() = %+v, %d packages, want trixie with 3 (no stray amd64)", rel, idx.Len())
	}
	wantResolve(t, resolve(t, idx, []string{"nginx"}, nil), "libc6=2.41-12", "nginx=1.26.3-3")
}

// When the Release allows it, the index is fetched by hash.
func TestLoadIndexByHash(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	f := &mapFetcher{files: map[string][]byte{
		"dists/trixie/InRelease":                                    []byte(releaseFor(true, entry(xzd, "main/binary-arm64/Packages.xz"))),
		"dists/trixie/main/binary-arm64/by-hash/SHA256/" + sum(xzd): xzd,
	}}
	if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64"); err != nil {
		t.Fatalf("LoadIndex(by-hash) error: %v (asked %v)", err, f.asked)
	}
}

// A missing InRelease falls back to Release.
func TestLoadIndexReleaseFallback(t *testing.T) {
	xzd := xzData(t, fixturePackages)
	f := &mapFetcher{files: map[string][]byte{
		"dists/trixie/Release":                       []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz"))),
		"dists/trixie/main/binary-arm64/Packages.xz": xzd,
	}}
	if _, _, err := LoadIndex(context.Background(), f, "trixie", "arm64"); err != nil {
		t.Fatalf("LoadIndex(Release only) error: %v", err)
	}
	if want := []string{"dists/trixie/InRelease", "dists/trixie/Release", "dists/trixie/main/binary-arm64/Packages.xz"}; strings.Join(f.asked, " ") != strings.Join(want, " ") {
		t.Errorf("fetched %v, want %v", f.asked, want)
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
		}, "reading Packages for arm64: main/binary-arm64/Packages.xz: sha256 mismatch"},
		{"size mismatch", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(xzd, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": other,
		}, "size mismatch"},
		{"missing index", map[string][]byte{
			"dists/trixie/InRelease": []byte(releaseFor(false, entry(xzd, "main/binary-amd64/Packages.xz"))),
		}, "reading Packages for arm64: release lists no main/binary-arm64/Packages.xz"},
		{"no release", map[string][]byte{}, "reading Release for trixie: "},
		{"not xz", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(badxz, "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": badxz,
		}, "reading Packages for arm64: main/binary-arm64/Packages.xz: "},
		{"bad stanza", map[string][]byte{
			"dists/trixie/InRelease":                     []byte(releaseFor(false, entry(xzData(t, "Package: a\n"), "main/binary-arm64/Packages.xz"))),
			"dists/trixie/main/binary-arm64/Packages.xz": xzData(t, "Package: a\n"),
		}, "line 1: stanza has no Version field"},
	}
	for _, tt := range tests {
		_, _, err := LoadIndex(context.Background(), &mapFetcher{files: tt.files}, "trixie", "arm64")
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
	f := &HTTPFetcher{BaseURL: srv.URL + "/debian", Client: srv.Client()}
	ctx := context.Background()
	if data, err := f.Fetch(ctx, "dists/trixie/Release", sum([]byte("hello"))); err != nil || string(data) != "hello" {
		t.Errorf("Fetch() = %q, %v", data, err)
	}
	if _, err := f.Fetch(ctx, "dists/trixie/Release", sha); err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Errorf("Fetch(wrong sum) error = %v", err)
	}
	if _, err := f.Fetch(ctx, "dists/trixie/InRelease", ""); err == nil {
		t.Error("Fetch(404) = nil error")
	}
	if _, err := (&HTTPFetcher{BaseURL: srv.URL}).Fetch(ctx, "x", ""); err == nil {
		t.Error("Fetch(nil client) = nil error")
	}
	var nf *HTTPFetcher
	if _, err := nf.Fetch(ctx, "x", ""); err == nil {
		t.Error("Fetch(nil fetcher) = nil error")
	}
}
