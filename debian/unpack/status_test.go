package unpack

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The status paragraph has dpkg's field order whatever the control file's
// order, Status after Package and Essential, Conffiles with their hashes
// before Description, and unknown fields last in their own order.
func TestInstalledParagraph(t *testing.T) {
	control := "Version: 1.26.3-3+deb13u10\n" +
		"package: nginx\n" +
		"Homepage: https://nginx.org\n" +
		"Architecture: amd64\n" +
		"Essential: no\n" +
		"Depends: libc6 (>= 2.34),\n libssl3t64 (>= 3.0.0)\n" +
		"Description: small, powerful, scalable web/proxy server\n Nginx (\"engine X\") is a web server.\n .\n More.\n" +
		"Source: nginx (1.26.3-3)\n" +
		"Built-Using: foo (= 1)\n" +
		"Status: purge ok not-installed\n" +
		"Maintainer: Debian Nginx Maintainers <x@invalid>\n" +
		"Installed-Size: 1263\n"
	got, err := InstalledParagraph([]byte(control), []Conffile{{"/etc/nginx/mime.types", "0123abcd"}, {"/etc/nginx/a b", "ffff"}})
	if err != nil {
		t.Fatalf("InstalledParagraph() error = %v", err)
	}
	want := "Package: nginx\n" +
		"Essential: no\n" +
		"Status: install ok installed\n" +
		"Installed-Size: 1263\n" +
		"Maintainer: Debian Nginx Maintainers <x@invalid>\n" +
		"Architecture: amd64\n" +
		"Source: nginx (1.26.3-3)\n" +
		"Version: 1.26.3-3+deb13u10\n" +
		"Depends: libc6 (>= 2.34),\n libssl3t64 (>= 3.0.0)\n" +
		"Conffiles:\n /etc/nginx/mime.types 0123abcd\n /etc/nginx/a b ffff\n" +
		"Description: small, powerful, scalable web/proxy server\n Nginx (\"engine X\") is a web server.\n .\n More.\n" +
		"Homepage: https://nginx.org\n" +
		"Built-Using: foo (= 1)\n"
	if string(got) != want {
		t.Errorf("InstalledParagraph() =\n%s\nwant\n%s", got, want)
	}
	again, _ := InstalledParagraph([]byte(control), []Conffile{{"/etc/nginx/mime.types", "0123abcd"}, {"/etc/nginx/a b", "ffff"}})
	if !bytes.Equal(got, again) {
		t.Error("InstalledParagraph() differs between two calls")
	}
}

// A control file that is not one well-formed paragraph naming the package
// is refused, never written as a partial record.
func TestInstalledParagraphRefuses(t *testing.T) {
	for _, tc := range []struct{ name, control, want string }{
		{"empty", "", "empty control file"},
		{"no version", "Package: x\nArchitecture: all\n", "lacks Version"},
		{"empty version", "Package: x\nVersion:\nArchitecture: all\n", "lacks Version"},
		{"two paragraphs", "Package: x\n\nPackage: y\n", "more than one paragraph"},
		{"continuation first", " x\nPackage: x\n", "continuation line before any field"},
		{"not a field", "Package: x\nVersion 1\n", "is not a field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := InstalledParagraph([]byte(tc.control), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("InstalledParagraph(%q) error = %v, want %q", tc.control, err, tc.want)
			}
		})
	}
}

// A runtime layer records its package in status.d: the installed
// paragraph, the conffile's hash of what was written, and md5sums lines
// for the files the layer kept only (the trimmed changelog is left out).
// Every new entry carries the epoch, and two unpacks give the same tree.
func TestExtractRecordsPackage(t *testing.T) {
	deb := libxDeb(t, map[string]string{
		"./md5sums": "0123  usr/lib/libx.so.1\n4567  usr/share/doc/libx/changelog.gz\n89ab  usr/share/doc/libx/copyright\n",
	})
	var trees [2]map[string]string
	for i := range trees {
		dest := t.TempDir()
		if _, err := Extract(bytes.NewReader(deb), dest, Options{Epoch: epoch, Trim: true, Record: true}); err != nil {
			t.Fatalf("Extract() error = %v", err)
		}
		trees[i] = snapshot(t, dest)
	}
	conf := md5.Sum([]byte("conf\n"))
	want := "Package: libx\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\nVersion: 1.0-1\n" +
		"Conffiles:\n /etc/x.conf " + hex.EncodeToString(conf[:]) + "\nDescription: x\n a library\n"
	for _, tc := range []struct{ path, want string }{
		{StatusDir + "/libx", "-rw-r--r-- " + want},
		{StatusDir + "/libx.md5sums", "-rw-r--r-- 0123  usr/lib/libx.so.1\n89ab  usr/share/doc/libx/copyright\n"},
		{StatusDir, "drwxr-xr-x "},
		{"var/lib/dpkg", "drwxr-xr-x "},
	} {
		if got := trees[0][tc.path]; got != tc.want {
			t.Errorf("%s =\n%q\nwant\n%q", tc.path, got, tc.want)
		}
	}
	if len(trees[0]) != len(trees[1]) {
		t.Errorf("two unpacks hold %d and %d entries", len(trees[0]), len(trees[1]))
	}
	for p, v := range trees[0] {
		if trees[1][p] != v {
			t.Errorf("%s differs between two unpacks: %q vs %q", p, v, trees[1][p])
		}
	}
	for _, p := range []string{"var", "var/lib", "var/lib/dpkg", StatusDir, StatusDir + "/libx", StatusDir + "/libx.md5sums"} {
		if got := trees[0][p+"@"]; got != epoch.UTC().String() {
			t.Errorf("mtime(%s) = %s, want the epoch %v", p, got, epoch.UTC())
		}
	}
}

// Without Record, as for a toolchain's bootstrap root, nothing is written
// under var/lib/dpkg.
func TestExtractWithoutRecord(t *testing.T) {
	dest := t.TempDir()
	if _, err := Extract(bytes.NewReader(libxDeb(t, nil)), dest, Options{Epoch: epoch, Trim: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dest, "var")); err == nil {
		t.Error("var/ exists without Record")
	}
}

// snapshot maps every entry under dir to its mode and content, and
// path+"@" to its mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		v := fi.Mode().String() + " "
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			v += string(b)
		}
		out[rel] = v
		out[rel+"@"] = fi.ModTime().UTC().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
