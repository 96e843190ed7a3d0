package step

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// writeDeb writes a .deb holding one file with the given mtime.
func writeDeb(t *testing.T, name string, mtime time.Time) string {
	t.Helper()
	var data bytes.Buffer
	gz := gzip.NewWriter(&data)
	tw := tar.NewWriter(gz)
	body := "hello\n"
	for _, h := range []tar.Header{
		{Name: "./", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: mtime},
		{Name: "./" + name, Typeflag: tar.TypeReg, Mode: 0o644, ModTime: mtime, Size: int64(len(body))},
	} {
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write([]byte(body))
		}
	}
	tw.Close()
	gz.Close()
	var deb bytes.Buffer
	control := tarGz(t, "./control", "Package: "+name+"pkg\nVersion: 1.0-1\nArchitecture: all\nDescription: test\n")
	deb.WriteString("!<arch>\n")
	for _, m := range []struct {
		name string
		body []byte
	}{{"debian-binary", []byte("2.0\n")}, {"control.tar.gz", control}, {"data.tar.gz", data.Bytes()}} {
		fmt.Fprintf(&deb, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", m.name+"/", 0, 0, 0, "100644", len(m.body))
		deb.Write(m.body)
		if len(m.body)%2 == 1 {
			deb.WriteByte('\n')
		}
	}
	p := filepath.Join(t.TempDir(), "pkg.deb")
	if err := os.WriteFile(p, deb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tarGz is a gzipped tar holding one file.
func tarGz(t *testing.T, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))}); err != nil {
		t.Fatal(err)
	}
	tw.Write([]byte(body))
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// --epoch clamps times to it; without it (a toolchain root) the archive's
// times stay, rather than everything becoming 1970.
func TestUnpackEpoch(t *testing.T) {
	packaged := time.Unix(1_750_000_000, 0)
	deb := writeDeb(t, "f", packaged)
	for _, tc := range []struct {
		name string
		args []string
		want time.Time
	}{
		{"no epoch keeps the archive's times", nil, packaged},
		{"an earlier epoch clamps", []string{"--epoch", "1700000000"}, time.Unix(1_700_000_000, 0)},
		{"a later epoch leaves older times", []string{"--epoch", "1800000000"}, packaged},
		{"epoch 0 is 1970", []string{"--epoch", "0"}, time.Unix(0, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append(append([]string{"--out", out}, tc.args...), deb)
			if code := unpackMain(args); code != 0 {
				t.Fatalf("unpackMain(%q) = %d", args, code)
			}
			fi, err := os.Lstat(filepath.Join(out, "f"))
			if err != nil {
				t.Fatal(err)
			}
			if !fi.ModTime().Equal(tc.want) {
				t.Errorf("mtime = %v, want %v", fi.ModTime().UTC(), tc.want.UTC())
			}
		})
	}
}

// An epoch past 2262 cannot be a file time; it is refused, not wrapped.
func TestUnpackRefusesEpochPast2262(t *testing.T) {
	deb := writeDeb(t, "f", time.Unix(1_750_000_000, 0))
	for _, e := range []int64{9223372037, 1 << 62} {
		if code := unpackMain([]string{"--epoch", strconv.FormatInt(e, 10), "--out", t.TempDir(), deb}); code != 2 {
			t.Errorf("unpackMain(--epoch %d) = %d, want 2 (usage)", e, code)
		}
	}
}

// A runtime layer records its package for scanners in status.d, at the
// epoch like every other entry.
func TestUnpackRecordsPackage(t *testing.T) {
	out := t.TempDir()
	deb := writeDeb(t, "f", time.Unix(1_750_000_000, 0))
	if code := unpackMain([]string{"--epoch", "1700000000", "--out", out, deb}); code != 0 {
		t.Fatalf("unpackMain() = %d", code)
	}
	p := filepath.Join(out, "var/lib/dpkg/status.d/fpkg")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Package: fpkg\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0-1\nDescription: test\n"; string(b) != want {
		t.Errorf("status.d/fpkg = %q, want %q", b, want)
	}
	if fi, err := os.Lstat(p); err != nil || !fi.ModTime().Equal(time.Unix(1_700_000_000, 0)) {
		t.Errorf("status.d/fpkg time = %v (%v), want the epoch", fi.ModTime(), err)
	}
}
