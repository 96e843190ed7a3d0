package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
)

// Finished says what FinishDatabase did.
type Finished struct {
	// Registered names the packages now recorded as unpacked.
	Registered []string
	// Preinst names those of them whose preinst script ran.
	Preinst []string
	// Redo names the packages left to `dpkg --unpack` (their copies stay
	// in PendingDebs), each with the reason.
	Redo []string
}

// FinishDatabase completes a toolchain root made of Dpkg layers so that
// dpkg sees every package as unpacked: it joins the status paragraphs
// (in name order) into var/lib/dpkg/status and registers the trigger
// interests their triggers files declare, as `dpkg --unpack` would have.
// Then it runs, through run, the preinst script of each package that has
// one, in name order, with the other packages registered, as dpkg would
// have before unpacking it. A package whose script left its files as they
// were unpacked is registered too; one whose script changed any of them
// loses its records and is left to dpkg (see preinst.go). Trigger
// activations need nothing: dpkg ignores them for packages that are not
// configured yet, and every package here is configured afterwards. The
// fragments are removed.
func FinishDatabase(dest string, run func(Preinst) error) (Finished, error) {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return Finished{}, err
	}
	defer root.Close()
	fragments, err := readDirIfAny(root, StatusFragments)
	if err != nil {
		return Finished{}, err
	}
	pending, err := preinstPending(root)
	if err != nil || len(fragments) == 0 && len(pending) == 0 {
		return Finished{}, err
	}
	fin := &finisher{root: root, trig: triggerInterests{byName: map[string][]string{}}}
	if err := fin.start(); err != nil {
		return fin.done, err
	}
	for _, e := range fragments {
		if err := fin.register(StatusFragments, e.Name()); err != nil {
			return fin.done, err
		}
	}
	if err := fin.writeStatus(); err != nil {
		return fin.done, err
	}
	dpkgVersion := installedVersion(fin.status.Bytes(), "dpkg")
	for _, key := range pending {
		if err := fin.preinst(key, dpkgVersion, run); err != nil {
			return fin.done, err
		}
	}
	return fin.done, fin.end()
}

// preinstPending names the packages whose preinst script has yet to run.
func preinstPending(root *os.Root) ([]string, error) {
	entries, err := readDirIfAny(root, PreinstPending)
	var keys []string
	for _, e := range entries {
		if name := e.Name(); !strings.HasSuffix(name, ".files") {
			keys = append(keys, name)
		}
	}
	return keys, err
}

// finisher builds dpkg's status file and trigger interests for
// FinishDatabase.
type finisher struct {
	root   *os.Root
	status bytes.Buffer
	trig   triggerInterests
	done   Finished
}

// start reads the status file the root has (the skeleton's, empty).
func (f *finisher) start() error {
	old, err := f.root.ReadFile("var/lib/dpkg/status")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f.status.Write(old)
	return nil
}

// register adds the package's status paragraph from dir and its trigger
// interests.
func (f *finisher) register(dir, name string) error {
	para, err := f.root.ReadFile(path.Join(dir, name))
	if err != nil {
		return err
	}
	if f.status.Len() > 0 {
		f.status.WriteString("\n")
	}
	f.status.Write(para)
	f.done.Registered = append(f.done.Registered, name)
	return f.trig.read(f.root, name)
}

func (f *finisher) writeStatus() error {
	return writeNew(f.root, "var/lib/dpkg/status", f.status.Bytes(), 0o644)
}

// preinst runs the package's preinst script from dpkg's control folder,
// then registers the package, or leaves it to dpkg when the script changed
// a file the package ships.
func (f *finisher) preinst(key, dpkgVersion string, run func(Preinst) error) error {
	para, err := f.root.ReadFile(path.Join(PreinstPending, key))
	if err != nil {
		return err
	}
	fields := controlFields(para)
	p := Preinst{Key: key, Name: fields["Package"], Arch: fields["Architecture"], DpkgVersion: dpkgVersion}
	files, err := readPending(f.root, key)
	if err != nil {
		return err
	}
	if err := files.stageControl(f.root, key); err != nil {
		return err
	}
	if err := run(p); err != nil {
		return fmt.Errorf("preinst script of %s: %w", p.Name, err)
	}
	if err := f.root.RemoveAll(ControlDir); err != nil {
		return err
	}
	if changed := files.changed(f.root); changed != "" {
		f.done.Redo = append(f.done.Redo, fmt.Sprintf("%s (its preinst changed %s, which it ships)", key, changed))
		return files.removeRecords(f.root)
	}
	if err := f.root.Remove(path.Join(PendingDebs, key+".deb")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f.done.Preinst = append(f.done.Preinst, key)
	return f.register(PreinstPending, key)
}

// end writes the status file with the packages whose preinst ran and the
// trigger interests, and removes what the layers left for FinishDatabase.
func (f *finisher) end() error {
	if len(f.done.Preinst) > 0 {
		if err := f.writeStatus(); err != nil {
			return err
		}
	}
	if err := f.trig.write(f.root); err != nil {
		return err
	}
	for _, dir := range []string{PreinstPending, StatusFragments} {
		if err := f.root.RemoveAll(dir); err != nil {
			return err
		}
	}
	if len(f.done.Redo) > 0 {
		return nil
	}
	return f.root.RemoveAll(path.Dir(PendingDebs)) // var/lib/layercake: nothing is left for dpkg
}

func readDirIfAny(root *os.Root, dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(root.FS(), dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return entries, err
}

// installedVersion is the Version of package name in a status file, or "".
func installedVersion(status []byte, name string) string {
	for _, para := range strings.Split(string(status), "\n\n") {
		fields := controlFields([]byte(para))
		if fields["Package"] == name {
			return fields["Version"]
		}
	}
	return ""
}

// triggerInterests collects the lines dpkg keeps under var/lib/dpkg/triggers:
// file triggers in File ("<path> <package>[/noawait]"), explicit triggers in
// a file per trigger name ("<package>[/noawait]").
type triggerInterests struct {
	file   []string
	byName map[string][]string
}

func (t *triggerInterests) read(root *os.Root, pkg string) error {
	b, err := root.ReadFile(path.Join(InfoDir, pkg+".triggers"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		who := pkg
		switch f[0] {
		case "interest", "interest-await":
		case "interest-noawait":
			who += "/noawait"
		default:
			continue // activations: see FinishDatabase
		}
		if strings.HasPrefix(f[1], "/") {
			t.file = append(t.file, f[1]+" "+who)
			continue
		}
		if strings.Contains(f[1], "/") {
			return fmt.Errorf("%s.triggers: bad trigger name %q", pkg, f[1])
		}
		t.byName[f[1]] = append(t.byName[f[1]], who)
	}
	return nil
}

func (t *triggerInterests) write(root *os.Root) error {
	if err := root.MkdirAll("var/lib/dpkg/triggers", 0o755); err != nil {
		return err
	}
	if err := appendLines(root, "var/lib/dpkg/triggers/File", t.file); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(t.byName)) {
		if err := appendLines(root, "var/lib/dpkg/triggers/"+name, t.byName[name]); err != nil {
			return err
		}
	}
	return nil
}

func appendLines(root *os.Root, name string, lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	old, err := root.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return writeNew(root, name, append(old, []byte(strings.Join(lines, "\n")+"\n")...), 0o644)
}
