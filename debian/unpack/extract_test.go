package unpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	epoch   = time.Unix(1700000000, 0)
	older   = time.Unix(1600000000, 0)
	younger = time.Unix(1800000000, 0)
)

// buildDeb returns a .deb (ar of debian-binary, control.tar.gz, data.tar.gz).
func buildDeb(t *testing.T, entries []tar.Header, bodies map[string]string) []byte {
	t.Helper()
	var data bytes.Buffer
	gz := gzip.NewWriter(&data)
	tw := tar.NewWriter(gz)
	for _, h := range entries {
		body := bodies[h.Name]
		h.Size = int64(len(body))
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	gz.Close()
	// control.tar.gz of odd size: exercises padding.
	return arArchive(arMember{"debian-binary", []byte("2.0\n")}, arMember{"control.tar.gz", []byte("x")}, arMember{"data.tar.gz", data.Bytes()})
}

func dir(name string, mt time.Time) tar.Header {
	return tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: mt}
}

func file(name string, mode int64, mt time.Time) tar.Header {
	return tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: mode, ModTime: mt}
}

// Without an epoch, a folder the archive does not list keeps the time it was
// made at, not year 1 (which wraps around in nanoseconds).
func TestExtractWithoutEpoch(t *testing.T) {
	deb := buildDeb(t, []tar.Header{file("./etc/nginx/nginx.conf", 0o644, older)}, nil)
	dest := t.TempDir()
	if _, err := Extract(bytes.NewReader(deb), dest, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"etc", "etc/nginx"} {
		fi, err := os.Lstat(filepath.Join(dest, p))
		if err != nil {
			t.Fatal(err)
		}
		if y := fi.ModTime().Year(); y < 2000 {
			t.Errorf("%s time = %v, want the time it was made", p, fi.ModTime())
		}
	}
	if fi, _ := os.Lstat(filepath.Join(dest, "etc/nginx/nginx.conf")); !fi.ModTime().Equal(older) {
		t.Errorf("nginx.conf time = %v, want %v", fi.ModTime(), older)
	}
}

func TestExtractWritesTrimsAndPinsTimes(t *testing.T) {
	deb := buildDeb(t, []tar.Header{
		dir("./", older),
		dir("./usr/", older),
		dir("./usr/sbin/", younger),
		file("./usr/sbin/nginx", 0o755, younger),
		dir("./usr/share/", older),
		dir("./usr/share/doc/", older),
		dir("./usr/share/doc/nginx/", older),
		file("./usr/share/doc/nginx/copyright", 0o644, older),
		file("./usr/share/doc/nginx/changelog.gz", 0o644, older),
		dir("./usr/share/man/", older),
		file("./usr/share/man/nginx.8.gz", 0o644, older),
		{Name: "./usr/sbin/nginx-link", Typeflag: tar.TypeSymlink, Linkname: "nginx", ModTime: older},
		{Name: "./usr/sbin/nginx-hard", Typeflag: tar.TypeLink, Linkname: "./usr/sbin/nginx", ModTime: younger},
	}, map[string]string{"./usr/sbin/nginx": "binary", "./usr/share/doc/nginx/copyright": "MIT"})
	dest := t.TempDir()
	st, err := Extract(bytes.NewReader(deb), dest, Options{Epoch: epoch, Trim: true})
	if err != nil {
		t.Fatalf("Extract() error = %v", err)
	}
	if st.Trimmed != 3 {
		t.Errorf("Trimmed = %d, want 3", st.Trimmed)
	}
	for _, tc := range []struct {
		path string
		want time.Time
		mode os.FileMode
	}{
		{"usr", older, 0o755 | os.ModeDir},
		{"usr/sbin", epoch, 0o755 | os.ModeDir},
		{"usr/sbin/nginx", epoch, 0o755},
		{"usr/share/doc/nginx/copyright", older, 0o644},
		{"usr/sbin/nginx-link", older, os.ModeSymlink | 0o777},
	} {
		fi, err := os.Lstat(filepath.Join(dest, tc.path))
		if err != nil {
			t.Errorf("Lstat(%s) error = %v", tc.path, err)
			continue
		}
		if !fi.ModTime().Equal(tc.want) {
			t.Errorf("mtime(%s) = %v, want %v", tc.path, fi.ModTime(), tc.want)
		}
		if fi.Mode() != tc.mode {
			t.Errorf("mode(%s) = %v, want %v", tc.path, fi.Mode(), tc.mode)
		}
	}
	for _, gone := range []string{"usr/share/man", "usr/share/doc/nginx/changelog.gz"} {
		if _, err := os.Lstat(filepath.Join(dest, gone)); err == nil {
			t.Errorf("%s was not trimmed", gone)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "usr/sbin/nginx-hard")); string(b) != "binary" {
		t.Errorf("hard link content = %q, want %q", b, "binary")
	}
}

func TestExtractRefusesEscapes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []tar.Header
		want    string
	}{
		// A path with .. must never reach outside the layer.
		{"dotdot", []tar.Header{file("./../evil", 0o644, older)}, "leaves the package root"},
		// A planted symlink must not redirect later writes.
		{"through symlink", []tar.Header{
			{Name: "./etc", Typeflag: tar.TypeSymlink, Linkname: "/tmp", ModTime: older},
			file("./etc/passwd", 0o644, older),
		}, "not a directory"},
		// Device nodes have no place in a package layer.
		{"device", []tar.Header{{Name: "./dev/null", Typeflag: tar.TypeChar, ModTime: older}}, "unsupported archive entry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deb := buildDeb(t, tc.entries, nil)
			_, err := Extract(bytes.NewReader(deb), t.TempDir(), Options{Epoch: epoch})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Extract() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestExtractRejectsNonDeb(t *testing.T) {
	for _, in := range []string{"", "hello world", arMagic, arMagic + "short header"} {
		if _, err := Extract(strings.NewReader(in), t.TempDir(), Options{}); err == nil {
			t.Errorf("Extract(%q) error = nil, want an error", in)
		}
	}
}

func TestTrimmed(t *testing.T) {
	for p, want := range map[string]bool{
		"usr/share/doc":                                 false,
		"usr/share/doc/nginx":                           false,
		"usr/share/doc/nginx/copyright":                 false,
		"usr/share/doc/nginx/README":                    true,
		"usr/share/doc/nginx/a/b":                       true,
		"usr/share/man":                                 true,
		"usr/share/man/man8/nginx.8.gz":                 true,
		"usr/share/locale/de/x.mo":                      true,
		"usr/share/manx":                                false,
		"etc/nginx/mime.types":                          false,
		"usr/lib/x86_64-linux-gnu/gconv":                true,
		"usr/lib/x86_64-linux-gnu/gconv/BIG5.so":        true,
		"usr/lib/aarch64-linux-gnu/gconv/gconv-modules": true,
		"usr/lib/x86_64-linux-gnu/libc.so.6":            false,
		"usr/lib/gconvx":                                false,
		"usr/share/vim/addons/syntax/nginx.vim":         true,
	} {
		if got := trimmed(p); got != want {
			t.Errorf("trimmed(%q) = %v, want %v", p, got, want)
		}
	}
}

// A bootstrap root follows the merged-/usr links and lets later packages
// replace earlier files.
func TestBootstrapFollowsUsrMergeAndReplaces(t *testing.T) {
	dest := t.TempDir()
	if err := PrepareRoot(dest); err != nil {
		t.Fatalf("PrepareRoot() error = %v", err)
	}
	first := buildDeb(t, []tar.Header{dir("./bin/", older), file("./bin/sh", 0o755, older)}, map[string]string{"./bin/sh": "one"})
	second := buildDeb(t, []tar.Header{file("./usr/bin/sh", 0o755, older)}, map[string]string{"./usr/bin/sh": "two"})
	for _, deb := range [][]byte{first, second} {
		if _, err := Extract(bytes.NewReader(deb), dest, Options{Bootstrap: true}); err != nil {
			t.Fatalf("Extract(bootstrap) error = %v", err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "usr/bin/sh")); string(b) != "two" {
		t.Errorf("usr/bin/sh = %q, want the second package's", b)
	}
	if fi, err := os.Lstat(filepath.Join(dest, "bin")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("bin is no longer a link: %v %v", fi, err)
	}
	for _, f := range []string{"var/lib/dpkg/status", "var/lib/dpkg/available"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("dpkg database: %v", err)
		}
	}
	// Links may not lead out of the root, even when bootstrapping.
	evil := buildDeb(t, []tar.Header{
		{Name: "./escape", Typeflag: tar.TypeSymlink, Linkname: "/tmp", ModTime: older},
		file("./escape/x", 0o644, older),
	}, nil)
	if _, err := Extract(bytes.NewReader(evil), dest, Options{Bootstrap: true}); err == nil {
		t.Error("Extract(bootstrap) followed a link out of the root")
	}
}

// arMember is one member of an ar archive.
type arMember struct {
	name string
	body []byte
}

// arArchive writes members as a .deb's ar archive (bodies padded to even sizes).
func arArchive(members ...arMember) []byte {
	var deb bytes.Buffer
	deb.WriteString(arMagic)
	for _, m := range members {
		fmt.Fprintf(&deb, "%-16s%-12d%-6d%-6d%-8s%-10d`\n", m.name+"/", 0, 0, 0, "100644", len(m.body))
		deb.Write(m.body)
		if len(m.body)%2 == 1 {
			deb.WriteByte('\n')
		}
	}
	return deb.Bytes()
}
