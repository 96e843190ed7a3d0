package unpack

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/hello-xz_1.0-1_all.deb was made by dpkg-deb --build -Zxz (dpkg
// 1.21): control.tar.xz and data.tar.xz as Debian's archive has them, one
// xz block with a CRC64 check. Its data: /usr/bin/hello-xz, a link to it,
// the conffile /etc/hello-xz.conf and a copyright file.
const xzFixture = "testdata/hello-xz_1.0-1_all.deb"

// A package compressed by dpkg-deb with xz is unpacked as dpkg would.
func TestDpkgUnpacksXZPackage(t *testing.T) {
	deb, err := os.ReadFile(xzFixture)
	if err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	res, err := Dpkg(bytes.NewReader(deb), dest)
	if err != nil {
		t.Fatalf("Dpkg(%s) error = %v", xzFixture, err)
	}
	if res.Name != "hello-xz" || res.Pending || res.Entries != 10 {
		t.Errorf("Dpkg(%s) = %+v, want hello-xz, not pending, 10 entries", xzFixture, res)
	}
	for p, want := range map[string]string{
		"usr/bin/hello-xz":                    "#!/bin/sh\necho hello\n",
		"etc/hello-xz.conf.dpkg-new":          "greeting = hello\n",
		"var/lib/dpkg/info/hello-xz.postinst": "#!/bin/sh\nexit 0\n",
	} {
		if got := readFile(t, filepath.Join(dest, p)); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if link, err := os.Readlink(filepath.Join(dest, "usr/bin/hi-xz")); err != nil || link != "hello-xz" {
		t.Errorf("usr/bin/hi-xz -> %q (%v), want hello-xz", link, err)
	}
	status := readFile(t, filepath.Join(dest, StatusFragments, "hello-xz"))
	if !strings.HasPrefix(status, "Package: hello-xz\nStatus: install ok unpacked\n") {
		t.Errorf("status record:\n%s", status)
	}
}

// A flipped byte in the compressed data fails the unpack (the block's
// CRC64 or the LZMA2 stream itself no longer checks out).
func TestDpkgRejectsCorruptXZ(t *testing.T) {
	deb, err := os.ReadFile(xzFixture)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(deb, []byte("data.tar.xz"))
	if i < 0 {
		t.Fatal("fixture has no data.tar.xz member")
	}
	body := i + arHeaderSize // the member's data starts after its header
	deb[body+40] ^= 0xff
	if _, err := Dpkg(bytes.NewReader(deb), t.TempDir()); err == nil {
		t.Error("Dpkg() of a corrupt data.tar.xz succeeded")
	}
}
