package npmtool

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tarball writes a .tgz of the entries (name -> contents; a name ending in
// "/" is a folder) and returns its path and integrity.
func tarball(t *testing.T, entries [][2]string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e[0], Mode: 0o644, Size: int64(len(e[1])), ModTime: time.Unix(499162500, 0), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e[0], "/") {
			h.Typeflag, h.Size, h.Mode = tar.TypeDir, 0, 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "package.tgz")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum512(buf.Bytes())
	return p, "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// A package manager with two commands lands under usr/local, its
// commands linked and executable.
func TestInstallLinksCommands(t *testing.T) {
	tgz, sri := tarball(t, [][2]string{
		{"package/package.json", `{"name":"npm","bin":{"npm":"bin/npm-cli.js","npx":"./bin/npx-cli.js"}}`},
		{"package/bin/npm-cli.js", "#!/usr/bin/env node\n"},
		{"package/bin/npx-cli.js", "#!/usr/bin/env node\n"},
		{"package/lib/", ""},
	})
	out := t.TempDir()
	if err := Install(tgz, "npm", sri, out); err != nil {
		t.Fatal(err)
	}
	for cmd, want := range map[string]string{"npm": "../lib/node_modules/npm/bin/npm-cli.js", "npx": "../lib/node_modules/npm/bin/npx-cli.js"} {
		link := filepath.Join(out, "usr/local/bin", cmd)
		got, err := os.Readlink(link)
		if err != nil || got != want {
			t.Errorf("Readlink(%s) = %q, %v; want %q", cmd, got, err, want)
		}
		fi, err := os.Stat(link)
		if err != nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("Stat(%s) = %v, %v; want an executable file", cmd, fi, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(out, "usr/local/lib/node_modules/npm/lib")); err != nil || !fi.IsDir() {
		t.Errorf("lib folder: %v, %v", fi, err)
	}
}

// A scoped package with one command (a path) is named after the package.
func TestInstallScopedSingleCommand(t *testing.T) {
	tgz, sri := tarball(t, [][2]string{
		{"pkg/package.json", `{"name":"@scope/tool","bin":"cli.js"}`},
		{"pkg/cli.js", "x"},
	})
	out := t.TempDir()
	if err := Install(tgz, "@scope/tool", sri, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.Readlink(filepath.Join(out, "usr/local/bin/tool"))
	if want := "../lib/node_modules/@scope/tool/cli.js"; err != nil || got != want {
		t.Errorf("Readlink(tool) = %q, %v; want %q", got, err, want)
	}
	if _, err := os.Stat(filepath.Join(out, "usr/local/bin/tool")); err != nil {
		t.Errorf("the link does not resolve: %v", err)
	}
}

// Other bytes than the pinned ones are refused before anything is unpacked.
func TestInstallRefusesOtherBytes(t *testing.T) {
	tgz, _ := tarball(t, [][2]string{{"package/package.json", `{}`}})
	_, other := tarball(t, [][2]string{{"package/package.json", `{"x":1}`}})
	out := t.TempDir()
	err := Install(tgz, "npm", other, out)
	if err == nil || !strings.Contains(err.Error(), "the spec pins "+other) {
		t.Fatalf("Install with another hash = %v, want a mismatch naming the pinned hash", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("Install wrote %v before checking the hash", entries)
	}
}

// Hostile tarballs and package.json files: every one must fail and write
// nothing outside out.
func TestInstallHostile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries [][2]string
		want    string
	}{
		{"dot-dot entry", [][2]string{{"package/../../escape", "x"}}, "leaves the package"},
		{"absolute entry", [][2]string{{"/etc/passwd", "x"}}, "leaves the package"},
		{"bin outside", [][2]string{{"package/package.json", `{"bin":{"x":"../../../etc/passwd"}}`}}, "leaves the package"},
		{"bin name with slash", [][2]string{{"package/package.json", `{"bin":{"../x":"a.js"}}`}, {"package/a.js", ""}}, "leaves the package"},
		{"bin absolute", [][2]string{{"package/package.json", `{"bin":{"x":"/bin/sh"}}`}}, "leaves the package"},
		{"bin a number", [][2]string{{"package/package.json", `{"bin":1}`}}, "neither a path nor a map"},
		{"no package.json", [][2]string{{"package/a.js", ""}}, "has no package.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tgz, sri := tarball(t, tc.entries)
			parent := t.TempDir()
			out := filepath.Join(parent, "root")
			err := Install(tgz, "npm", sri, out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Install = %v, want an error containing %q", err, tc.want)
			}
			if entries, _ := os.ReadDir(parent); len(entries) > 1 {
				t.Errorf("Install wrote beside the root: %v", entries)
			}
		})
	}
}
