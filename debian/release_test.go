package debian

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const releaseBody = `Origin: Debian
Label: Debian
Suite: stable
Codename: trixie
Date: Sat, 09 Aug 2025 11:12:20 UTC
Acquire-By-Hash: yes
Architectures: all amd64 arm64
Components: main contrib
Description: Debian 13
MD5Sum:
 d41d8cd98f00b204e9800998ecf8427e 0 main/binary-amd64/Packages
SHA256:
 ` + sha + ` 1234 main/binary-amd64/Packages.xz
 ` + sha + ` 99 main/binary-arm64/Packages.xz
`

var wantRelease = &Release{
	Origin: "Debian", Suite: "stable", Codename: "trixie",
	Date:          time.Date(2025, 8, 9, 11, 12, 20, 0, time.UTC),
	Architectures: []string{"all", "amd64", "arm64"},
	Components:    []string{"main", "contrib"},
	AcquireByHash: true,
	SHA256: []IndexFile{
		{Path: "main/binary-amd64/Packages.xz", Size: 1234, SHA256: sha},
		{Path: "main/binary-arm64/Packages.xz", Size: 99, SHA256: sha},
	},
}

func clearsign(body string) string {
	return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + body +
		"-----BEGIN PGP SIGNATURE-----\n\nwsFzBAEBCgAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n"
}

func TestParseRelease(t *testing.T) {
	for name, in := range map[string]string{"plain": releaseBody, "clearsigned": clearsign(releaseBody)} {
		got, err := ParseRelease([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, wantRelease) {
			t.Errorf("%s: ParseRelease() = %+v, want %+v", name, got, wantRelease)
		}
		if f, ok := got.Index("main/binary-arm64/Packages.xz"); !ok || f.Size != 99 {
			t.Errorf("%s: Index(arm64) = %+v, %v", name, f, ok)
		}
		if _, ok := got.Index("main/binary-i386/Packages.xz"); ok {
			t.Errorf("%s: Index(i386) found, want missing", name)
		}
	}
}

func TestSplitClearsigned(t *testing.T) {
	cs, err := SplitClearsigned([]byte(clearsign("A: b\n- -dash: escaped\n")))
	if err != nil {
		t.Fatal(err)
	}
	if string(cs.Body) != "A: b\n-dash: escaped\n" || cs.BodyLine != 4 {
		t.Errorf("SplitClearsigned() body %q at line %d", cs.Body, cs.BodyLine)
	}
	if !strings.HasPrefix(string(cs.Signature), "-----BEGIN PGP SIGNATURE-----\n") ||
		!strings.HasSuffix(string(cs.Signature), "-----END PGP SIGNATURE-----\n") {
		t.Errorf("SplitClearsigned() signature %q", cs.Signature)
	}
}

func TestParseReleaseErrors(t *testing.T) {
	date := "Date: Sat, 09 Aug 2025 11:12:20 UTC\n"
	tests := []struct {
		in, wantErr string
	}{
		{"", "empty"},
		{"Suite: x\n", "line 1: release has no Date"},
		{"Suite: x\nDate: yesterday\n", "line 2: Date: invalid date"},
		{date + "SHA256:\n " + sha + " 12\n", "line 3: SHA256"},
		{date + "SHA256:\n " + sha + " 1 a\n " + sha + " x a\n", "line 4: SHA256"},
		{date + "SHA256:\n abc 1 a\n", "line 3: SHA256"},
		{date + "SHA256:\n " + sha + " 1 ../a\n", "line 3: SHA256"},
		{clearsign("Suite: x\n"), "line 4: release has no Date"},
		{clearsign("Suite: x\nDate: no\n"), "line 5: Date"},
		{"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + date, "missing signature"},
		{"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512", "missing blank line"},
		{"-----BEGIN PGP SIGNED MESSAGE-----\n\n" + date + "-----BEGIN PGP SIGNATURE-----\n", "missing signature"},
	}
	for _, tt := range tests {
		_, err := ParseRelease([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseRelease(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}
