package unpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tarGz returns a tar.gz of the entries; bodies are keyed by entry name.
func tarGz(t *testing.T, entries []tar.Header, bodies map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, h := range entries {
		h.Size = int64(len(bodies[h.Name]))
		if h.Typeflag == tar.TypeSymlink || h.Typeflag == tar.TypeLink || h.Typeflag == tar.TypeDir {
			h.Size = 0
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(bodies[h.Name])); err != nil && h.Size > 0 {
			t.Fatal(err)
		}
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// debOf returns a .deb whose control.tar.gz holds control (name -> body).
func debOf(t *testing.T, control map[string]string, data []tar.Header, bodies map[string]string) []byte {
	t.Helper()
	var ctl []tar.Header
	for _, name := range []string{"control", "conffiles", "md5sums", "postinst", "preinst", "triggers"} {
		if _, ok := control["./"+name]; ok {
			ctl = append(ctl, tar.Header{Name: "./" + name, Typeflag: tar.TypeReg, Mode: 0o644})
		}
	}
	return arArchive(arMember{"debian-binary", []byte("2.0\n")},
		arMember{"control.tar.gz", tarGz(t, ctl, control)}, arMember{"data.tar.gz", tarGz(t, data, bodies)})
}

const libxControl = "Package: libx\nVersion: 1.0-1\nArchitecture: amd64\nMulti-Arch: same\nDescription: x\n a library\n"

func libxDeb(t *testing.T, extra map[string]string) []byte {
	control := map[string]string{
		"./control":   libxControl,
		"./conffiles": "/etc/x.conf\n",
		"./md5sums":   "0123  usr/lib/libx.so.1\n",
		"./postinst":  "#!/bin/sh\nexit 0\n",
		"./triggers":  "# comment\ninterest-noawait /usr/lib/x-plugins\ninterest ldconfig\nactivate-noawait ldconfig\n",
	}
	for k, v := range extra {
		control[k] = v
	}
	data := []tar.Header{
		dir("./", older), dir("./etc/", older), file("./etc/x.conf", 0o644, older),
		dir("./lib64/", older), file("./lib64/ld-x.so", 0o755, older),
		dir("./usr/", older), dir("./usr/share/", older), dir("./usr/share/doc/", older),
		dir("./usr/share/doc/libx/", older), file("./usr/share/doc/libx/copyright", 0o644, older),
		dir("./usr/lib/", older), file("./usr/lib/libx.so.1", 0o644, older),
		{Name: "./usr/lib/libx.so", Typeflag: tar.TypeSymlink, Linkname: "libx.so.1", ModTime: older},
	}
	bodies := map[string]string{"./etc/x.conf": "conf\n", "./lib64/ld-x.so": "ld\n", "./usr/lib/libx.so.1": "lib\n", "./usr/share/doc/libx/copyright": "c\n"}
	return debOf(t, control, data, bodies)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A package is laid out as dpkg --unpack leaves it: files, conffiles as
// .dpkg-new, control files and file list, and an "unpacked" status record.
func TestDpkgLeavesPackageUnpacked(t *testing.T) {
	dest := t.TempDir()
	res, err := Dpkg(bytes.NewReader(libxDeb(t, nil)), dest)
	if err != nil {
		t.Fatalf("Dpkg() error = %v", err)
	}
	if res.Name != "libx:amd64" || res.Pending {
		t.Errorf("Dpkg() = %+v, want libx:amd64, not pending", res)
	}
	for _, p := range []string{"etc/x.conf.dpkg-new", "usr/lib64/ld-x.so", "usr/lib/libx.so.1", "var/lib/dpkg/info/libx:amd64.postinst", "var/lib/dpkg/info/libx:amd64.md5sums"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"etc/x.conf", "lib64", "usr/share/doc/libx/copyright", "var/lib/dpkg/info/libx:amd64.control"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); err == nil {
			t.Errorf("%s exists, want it absent", p)
		}
	}
	if fi, err := os.Stat(filepath.Join(dest, "var/lib/dpkg/info/libx:amd64.postinst")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("postinst mode = %v (%v), want 0755", fi.Mode(), err)
	}
	list := readFile(t, filepath.Join(dest, "var/lib/dpkg/info/libx:amd64.list"))
	for _, want := range []string{"/.\n", "/etc/x.conf\n", "/lib64/ld-x.so\n", "/usr/share/doc/libx/copyright\n", "/usr/lib/libx.so\n"} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	status := readFile(t, filepath.Join(dest, StatusFragments, "libx:amd64"))
	if !strings.HasPrefix(status, "Package: libx\nStatus: install ok unpacked\n") || !strings.HasSuffix(status, "Conffiles:\n /etc/x.conf newconffile\n") {
		t.Errorf("status record:\n%s", status)
	}
}

// A package with a preinst script is laid out like any other, but its
// status record waits, with the list of what it wrote, for its script.
func TestDpkgKeepsPreinstPackagesPending(t *testing.T) {
	dest := t.TempDir()
	res, err := Dpkg(bytes.NewReader(libxDeb(t, map[string]string{"./preinst": "#!/bin/sh\n"})), dest)
	if err != nil {
		t.Fatalf("Dpkg() error = %v", err)
	}
	if !res.Pending {
		t.Error("Pending = false, want true")
	}
	for _, p := range []string{"usr/lib/libx.so.1", "etc/x.conf.dpkg-new", "var/lib/dpkg/info/libx:amd64.preinst", PreinstPending + "/libx:amd64", PreinstPending + "/libx:amd64.files"} {
		if _, err := os.Lstat(filepath.Join(dest, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, StatusFragments)); err == nil {
		t.Error("a package whose preinst has not run has a status record")
	}
}

// FinishDatabase joins the records in name order after what the status
// file holds and registers trigger interests as dpkg does.
func TestFinishDatabase(t *testing.T) {
	dest := t.TempDir()
	if err := PrepareRoot(dest); err != nil {
		t.Fatal(err)
	}
	if _, err := Dpkg(bytes.NewReader(libxDeb(t, nil)), dest); err != nil {
		t.Fatal(err)
	}
	done, err := FinishDatabase(dest, func(p Preinst) error {
		t.Errorf("ran the preinst of %s, which has none", p.Name)
		return nil
	})
	if err != nil {
		t.Fatalf("FinishDatabase() error = %v", err)
	}
	if len(done.Registered) != 1 || done.Registered[0] != "libx:amd64" || len(done.Preinst) != 0 {
		t.Errorf("FinishDatabase() = %+v", done)
	}
	status := readFile(t, filepath.Join(dest, "var/lib/dpkg/status"))
	if !strings.HasPrefix(status, "Package: libx\nStatus: install ok unpacked\n") {
		t.Errorf("status:\n%s", status)
	}
	if got := readFile(t, filepath.Join(dest, "var/lib/dpkg/triggers/File")); got != "/usr/lib/x-plugins libx:amd64/noawait\n" {
		t.Errorf("triggers/File = %q", got)
	}
	if got := readFile(t, filepath.Join(dest, "var/lib/dpkg/triggers/ldconfig")); got != "libx:amd64\n" {
		t.Errorf("triggers/ldconfig = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, StatusFragments)); err == nil {
		t.Error("status records left behind")
	}
}

// preinstRoot is a root with libx (which has a preinst script) and liby
// (which has none) unpacked, and libx's copy kept for dpkg.
func preinstRoot(t *testing.T) string {
	t.Helper()
	dest := t.TempDir()
	if err := PrepareRoot(dest); err != nil {
		t.Fatal(err)
	}
	if _, err := Dpkg(bytes.NewReader(libxDeb(t, map[string]string{"./preinst": "#!/bin/sh\nexit 0\n"})), dest); err != nil {
		t.Fatal(err)
	}
	liby := debOf(t, map[string]string{"./control": "Package: dpkg\nVersion: 1.22.22\nArchitecture: amd64\n"},
		[]tar.Header{dir("./", older), dir("./usr/", older), dir("./usr/bin/", older), file("./usr/bin/dpkg", 0o755, older)},
		map[string]string{"./usr/bin/dpkg": "dpkg\n"})
	if _, err := Dpkg(bytes.NewReader(liby), dest); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dest, PendingDebs), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, PendingDebs, "libx:amd64.deb"), []byte("deb"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dest
}

// The preinst runs once the other packages are registered, from dpkg's
// control folder, with dpkg's variables; its package is then registered.
func TestFinishDatabaseRunsPreinst(t *testing.T) {
	dest := preinstRoot(t)
	var ran []Preinst
	done, err := FinishDatabase(dest, func(p Preinst) error {
		ran = append(ran, p)
		if status := readFile(t, filepath.Join(dest, "var/lib/dpkg/status")); !strings.Contains(status, "Package: dpkg\n") || strings.Contains(status, "Package: libx\n") {
			t.Errorf("status while the preinst runs:\n%s", status)
		}
		if got := readFile(t, filepath.Join(dest, ControlDir, "control")); got != libxControl {
			t.Errorf("%s/control = %q", ControlDir, got)
		}
		if got := readFile(t, filepath.Join(dest, p.Script())); got != "#!/bin/sh\nexit 0\n" {
			t.Errorf("%s = %q", p.Script(), got)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("FinishDatabase() error = %v", err)
	}
	want := Preinst{Key: "libx:amd64", Name: "libx", Arch: "amd64", DpkgVersion: "1.22.22"}
	if len(ran) != 1 || ran[0] != want {
		t.Errorf("ran %+v, want %+v", ran, want)
	}
	if !slices.Contains(ran[0].Env(), "DPKG_MAINTSCRIPT_PACKAGE=libx") || !slices.Contains(ran[0].Env(), "DPKG_MAINTSCRIPT_NAME=preinst") {
		t.Errorf("Env() = %q", ran[0].Env())
	}
	if !slices.Equal(done.Registered, []string{"dpkg", "libx:amd64"}) || !slices.Equal(done.Preinst, []string{"libx:amd64"}) || len(done.Redo) != 0 {
		t.Errorf("FinishDatabase() = %+v", done)
	}
	status := readFile(t, filepath.Join(dest, "var/lib/dpkg/status"))
	if !strings.Contains(status, "Package: libx\nStatus: install ok unpacked\n") {
		t.Errorf("status:\n%s", status)
	}
	for _, p := range []string{"var/lib/layercake", ControlDir} {
		if _, err := os.Stat(filepath.Join(dest, p)); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
}

// A preinst that changes a file its package ships leaves the package to
// dpkg: its records go, its copy stays.
func TestFinishDatabaseRedoesChangedPackage(t *testing.T) {
	for name, change := range map[string]func(dest string) error{
		"rewritten": func(dest string) error {
			return os.WriteFile(filepath.Join(dest, "usr/lib/libx.so.1"), []byte("new\n"), 0o644)
		},
		"removed": func(dest string) error { return os.Remove(filepath.Join(dest, "usr/lib/libx.so")) },
		"relinked": func(dest string) error {
			os.Remove(filepath.Join(dest, "usr/lib/libx.so"))
			return os.Symlink("elsewhere", filepath.Join(dest, "usr/lib/libx.so"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dest := preinstRoot(t)
			done, err := FinishDatabase(dest, func(Preinst) error { return change(dest) })
			if err != nil {
				t.Fatalf("FinishDatabase() error = %v", err)
			}
			if len(done.Redo) != 1 || !strings.HasPrefix(done.Redo[0], "libx:amd64 (its preinst changed /usr/lib/libx.so") || len(done.Preinst) != 0 {
				t.Errorf("FinishDatabase() = %+v", done)
			}
			if status := readFile(t, filepath.Join(dest, "var/lib/dpkg/status")); strings.Contains(status, "Package: libx\n") {
				t.Errorf("libx registered:\n%s", status)
			}
			if _, err := os.Stat(filepath.Join(dest, InfoDir, "libx:amd64.list")); err == nil {
				t.Error("libx's records left behind")
			}
			if _, err := os.Stat(filepath.Join(dest, PendingDebs, "libx:amd64.deb")); err != nil {
				t.Errorf("libx's copy for dpkg: %v", err)
			}
		})
	}
}

// A failing preinst fails the step, naming the package.
func TestFinishDatabasePreinstFails(t *testing.T) {
	dest := preinstRoot(t)
	_, err := FinishDatabase(dest, func(Preinst) error { return errors.New("exit status 1") })
	if err == nil || !strings.Contains(err.Error(), "preinst script of libx: exit status 1") {
		t.Errorf("FinishDatabase() error = %v", err)
	}
}
