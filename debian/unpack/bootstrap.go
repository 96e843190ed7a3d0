package unpack

import (
	"errors"
	"io/fs"
	"os"
)

// nodocConfig keeps dpkg from installing what Dpkg leaves out (excludedTrees).
const nodocConfig = "path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/info/*\npath-exclude=/usr/share/locale/*\n"

// PrepareRoot lays out an empty toolchain root before packages are unpacked
// into it with Options.Bootstrap: the merged-/usr links every trixie binary
// expects, and the empty dpkg database that `dpkg --unpack` and
// `dpkg --configure -a` then fill, as debootstrap's first stage does.
func PrepareRoot(dest string) error {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return err
	}
	defer root.Close()
	for _, d := range []string{"usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "root",
		"var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"} {
		if err := root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	for _, l := range []string{"bin", "sbin", "lib", "lib64"} {
		if err := root.Symlink("usr/"+l, l); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	if err := root.MkdirAll("etc/dpkg/dpkg.cfg.d", 0o755); err != nil {
		return err
	}
	files := []struct{ name, body string }{
		{"var/lib/dpkg/status", ""},
		{"var/lib/dpkg/available", ""},
		{"var/lib/dpkg/info/format", "1\n"},
		{"etc/dpkg/dpkg.cfg.d/layercake-nodoc", nodocConfig},
	}
	for _, f := range files {
		if err := root.WriteFile(f.name, []byte(f.body), 0o644); err != nil {
			return err
		}
	}
	if err := root.Mkdir("tmp", 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return root.Chmod("tmp", 0o777|fs.ModeSticky)
}
