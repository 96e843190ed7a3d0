package unpack

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
)

// Paths inside a toolchain root that Dpkg writes and FinishDatabase reads.
const (
	// InfoDir holds dpkg's per-package control files and file lists.
	InfoDir = "var/lib/dpkg/info"
	// StatusFragments holds one status paragraph per package unpacked by
	// Dpkg; FinishDatabase joins them into dpkg's status file.
	StatusFragments = "var/lib/layercake/status"
	// PreinstPending holds, for each package with a preinst script, its
	// status paragraph (kept out of the database until the script has run)
	// and the list of entries it wrote (<name>.files), which
	// FinishDatabase checks after running the script.
	PreinstPending = "var/lib/layercake/preinst"
	// PendingDebs holds a copy of each package with a preinst script,
	// named <name>.deb: if its preinst changes a file the package ships,
	// dpkg unpacks it again from there.
	PendingDebs = "var/lib/layercake/debs"
)

// excludedTrees are left out of a toolchain root, as the dpkg path-exclude
// configuration of the root says for the packages dpkg unpacks itself.
var excludedTrees = []string{"usr/share/doc/", "usr/share/info/", "usr/share/locale/"}

// aliasedDirs are the top-level folders that are links into /usr in a merged
// /usr root; a package layer writes their contents under usr/ instead.
var aliasedDirs = []string{"bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32"}

// DpkgResult says what Dpkg did with one package.
type DpkgResult struct {
	// Name is the package's name as dpkg's database keys it: "pkg", or
	// "pkg:arch" for a Multi-Arch: same package.
	Name string
	// Pending is true when the package has a preinst script: it is laid
	// out like any other, but its status record waits in PreinstPending
	// until FinishDatabase has run the script.
	Pending bool
	// Entries counts the data archive entries written.
	Entries int
}

// Dpkg unpacks one .deb into dest (an empty folder that becomes one layer of
// a toolchain root) the way `dpkg --unpack` leaves it: the files, with
// conffiles as <path>.dpkg-new, the control files and file list under
// InfoDir, and a status paragraph in state "install ok unpacked" under
// StatusFragments. So each package is decompressed once, in a step of its
// own that BuildKit caches and runs in parallel with the others, and dpkg
// only has to configure. A package with a preinst script is reported
// Pending: its status record and the list of what it wrote go to
// PreinstPending, for FinishDatabase to run the script first.
func Dpkg(r io.Reader, dest string) (DpkgResult, error) {
	ar, err := newArReader(r)
	if err != nil {
		return DpkgResult{}, err
	}
	var control map[string][]byte
	for {
		name, member, err := ar.next()
		if errors.Is(err, io.EOF) {
			return DpkgResult{}, errors.New("no data.tar member in package")
		}
		if err != nil {
			return DpkgResult{}, err
		}
		switch {
		case strings.HasPrefix(name, "control.tar"):
			if control, err = readControl(name, member); err != nil {
				return DpkgResult{}, err
			}
		case strings.HasPrefix(name, "data.tar"):
			if control == nil {
				return DpkgResult{}, errors.New("data.tar member before control.tar")
			}
			return unpackForDpkg(name, member, control, dest)
		}
	}
}

// readControl returns the members of control.tar by base name.
func readControl(name string, member io.Reader) (map[string][]byte, error) {
	data, closeFn, err := decompressor(name, member)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", name, err)
	}
	defer closeFn()
	out := map[string][]byte{}
	tr := tar.NewReader(data)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		base := path.Base(path.Clean("/" + hdr.Name))
		if hdr.Typeflag != tar.TypeReg || base == "/" {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		out[base] = b
	}
	if _, ok := out["control"]; !ok {
		return nil, fmt.Errorf("%s has no control file", name)
	}
	return out, nil
}

func unpackForDpkg(name string, member io.Reader, control map[string][]byte, dest string) (DpkgResult, error) {
	fields := controlFields(control["control"])
	if fields["Package"] == "" || fields["Architecture"] == "" {
		return DpkgResult{}, errors.New("control file lacks Package or Architecture")
	}
	res := DpkgResult{Name: fields["Package"]}
	if fields["Multi-Arch"] == "same" {
		res.Name += ":" + fields["Architecture"]
	}
	_, res.Pending = control["preinst"]
	conffiles := map[string]bool{}
	for _, l := range strings.Split(string(control["conffiles"]), "\n") {
		if f := strings.TrimSpace(l); strings.HasPrefix(f, "/") {
			conffiles[f] = true
		}
	}
	data, closeFn, err := decompressor(name, member)
	if err != nil {
		return res, fmt.Errorf("opening %s: %w", name, err)
	}
	defer closeFn()
	root, err := os.OpenRoot(dest)
	if err != nil {
		return res, err
	}
	defer root.Close()
	list, shipped, err := writeData(tar.NewReader(data), root, conffiles, res.Pending)
	res.Entries = len(list)
	if err != nil {
		return res, err
	}
	info, err := writeDatabase(root, res.Name, control, conffiles, list, res.Pending)
	if err != nil || !res.Pending {
		return res, err
	}
	return res, writePending(root, res.Name, pendingFiles{Control: string(control["control"]), Info: info, Entries: shipped})
}

// writeData writes the data archive's kept entries, with aliased top-level
// folders resolved into usr/, and returns the paths dpkg lists for them.
// With record set, it also returns every entry but folders as it landed.
func writeData(tr *tar.Reader, root *os.Root, conffiles map[string]bool, record bool) (list []string, shipped []shippedEntry, err error) {
	opts := Options{Chown: os.Geteuid() == 0}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return list, shipped, nil
		}
		if err != nil {
			return list, shipped, fmt.Errorf("reading data archive: %w", err)
		}
		rel, err := cleanEntry(hdr.Name)
		if err != nil {
			return list, shipped, err
		}
		if rel == "" {
			continue
		}
		if excludedFromRoot(rel) {
			list = append(list, "/"+rel) // dpkg lists what path-exclude keeps off the disk
			continue
		}
		if hdr.Typeflag == tar.TypeDir && slices.Contains(aliasedDirs, rel) {
			list = append(list, "/"+rel) // the root's link into usr/ stands for it
			continue
		}
		target := canonical(rel)
		if conffiles["/"+rel] && hdr.Typeflag == tar.TypeReg {
			target += ".dpkg-new"
		}
		if hdr.Typeflag == tar.TypeLink {
			link, err := cleanEntry(hdr.Linkname)
			if err != nil {
				return list, shipped, err
			}
			if conffiles["/"+link] {
				link += ".dpkg-new"
			}
			hdr.Linkname = canonical(link)
		}
		if err := writeEntry(tr, hdr, root, target, opts); err != nil {
			return list, shipped, fmt.Errorf("unpacking %s: %w", rel, err)
		}
		list = append(list, "/"+rel)
		if record && hdr.Typeflag != tar.TypeDir {
			e, err := landed(root, target)
			if err != nil {
				return list, shipped, err
			}
			shipped = append(shipped, e)
		}
	}
}

// canonical maps a path under an aliased top-level folder to its place
// under usr/: "lib64/ld.so" becomes "usr/lib64/ld.so".
func canonical(rel string) string {
	top, rest, ok := strings.Cut(rel, "/")
	if ok && rest != "" && slices.Contains(aliasedDirs, top) {
		return "usr/" + rel
	}
	return rel
}

func excludedFromRoot(rel string) bool {
	for _, t := range excludedTrees {
		if strings.HasPrefix(rel, t) {
			return true
		}
	}
	return false
}

// writeDatabase writes what `dpkg --unpack` records for a package; the
// status record of a package whose preinst has yet to run goes to
// PreinstPending. It returns the files it wrote under InfoDir.
func writeDatabase(root *os.Root, key string, control map[string][]byte, conffiles map[string]bool, list []string, preinst bool) ([]string, error) {
	if err := root.MkdirAll(InfoDir, 0o755); err != nil {
		return nil, err
	}
	var info []string
	for _, member := range slices.Sorted(maps.Keys(control)) {
		if member == "control" {
			continue
		}
		mode := os.FileMode(0o644)
		if isScript(member) {
			mode = 0o755
		}
		name := path.Join(InfoDir, key+"."+member)
		if err := writeNew(root, name, control[member], mode); err != nil {
			return nil, err
		}
		info = append(info, name)
	}
	listing := "/.\n" + strings.Join(list, "\n") + "\n"
	name := path.Join(InfoDir, key+".list")
	if err := writeNew(root, name, []byte(listing), 0o644); err != nil {
		return nil, err
	}
	info = append(info, name)
	dir := StatusFragments
	if preinst {
		dir = PreinstPending
	}
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return info, writeNew(root, path.Join(dir, key), statusParagraph(control["control"], conffiles), 0o644)
}

func isScript(member string) bool {
	switch member {
	case "preinst", "postinst", "prerm", "postrm", "config":
		return true
	}
	return false
}

func writeNew(root *os.Root, name string, data []byte, mode os.FileMode) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return root.Chmod(name, mode)
}

// statusParagraph is the package's control paragraph as dpkg's status file
// holds it after `dpkg --unpack`: a Status line after Package, and the
// conffiles, not yet installed, marked newconffile.
func statusParagraph(control []byte, conffiles map[string]bool) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(string(control), "\n"), "\n") {
		b.WriteString(line + "\n")
		if strings.HasPrefix(line, "Package:") {
			b.WriteString("Status: install ok unpacked\n")
		}
	}
	if len(conffiles) > 0 {
		b.WriteString("Conffiles:\n")
		for _, f := range slices.Sorted(maps.Keys(conffiles)) {
			b.WriteString(" " + f + " newconffile\n")
		}
	}
	return b.Bytes()
}

// controlFields returns the single-line fields of a control paragraph.
func controlFields(control []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(control), "\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}
