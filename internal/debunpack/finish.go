package debunpack

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
	var f Finished
	root, err := os.OpenRoot(dest)
	if err != nil {
		return f, err
	}
	defer root.Close()
	fragments, err := readDirIfAny(root, StatusFragments)
	if err != nil {
		return f, err
	}
	pendingEntries, err := readDirIfAny(root, PreinstPending)
	if err != nil {
		return f, err
	}
	var pending []string
	for _, e := range pendingEntries {
		if name := e.Name(); !strings.HasSuffix(name, ".files") {
			pending = append(pending, name)
		}
	}
	if len(fragments) == 0 && len(pending) == 0 {
		return f, nil
	}
	var status bytes.Buffer
	old, err := root.ReadFile("var/lib/dpkg/status")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	status.Write(old)
	trig := triggerInterests{byName: map[string][]string{}}
	register := func(dir, name string) error {
		para, err := root.ReadFile(path.Join(dir, name))
		if err != nil {
			return err
		}
		if status.Len() > 0 {
			status.WriteString("\n")
		}
		status.Write(para)
		f.Registered = append(f.Registered, name)
		return trig.read(root, name)
	}
	for _, e := range fragments {
		if err := register(StatusFragments, e.Name()); err != nil {
			return f, err
		}
	}
	if err := writeNew(root, "var/lib/dpkg/status", status.Bytes(), 0o644); err != nil {
		return f, err
	}
	dpkgVersion := installedVersion(status.Bytes(), "dpkg")
	for _, key := range pending {
		para, err := root.ReadFile(path.Join(PreinstPending, key))
		if err != nil {
			return f, err
		}
		fields := controlFields(para)
		p := Preinst{Key: key, Name: fields["Package"], Arch: fields["Architecture"], DpkgVersion: dpkgVersion}
		files, err := readPending(root, key)
		if err != nil {
			return f, err
		}
		if err := files.stageControl(root, key); err != nil {
			return f, err
		}
		if err := run(p); err != nil {
			return f, fmt.Errorf("preinst script of %s: %w", p.Name, err)
		}
		if err := root.RemoveAll(ControlDir); err != nil {
			return f, err
		}
		if changed := files.changed(root); changed != "" {
			if err := files.removeRecords(root); err != nil {
				return f, err
			}
			f.Redo = append(f.Redo, fmt.Sprintf("%s (its preinst changed %s, which it ships)", key, changed))
			continue
		}
		if err := root.Remove(path.Join(PendingDebs, key+".deb")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
		if err := register(PreinstPending, key); err != nil {
			return f, err
		}
		f.Preinst = append(f.Preinst, key)
	}
	if len(f.Preinst) > 0 {
		if err := writeNew(root, "var/lib/dpkg/status", status.Bytes(), 0o644); err != nil {
			return f, err
		}
	}
	if err := trig.write(root); err != nil {
		return f, err
	}
	if err := root.RemoveAll(PreinstPending); err != nil {
		return f, err
	}
	if err := root.RemoveAll(StatusFragments); err != nil {
		return f, err
	}
	if len(f.Redo) > 0 {
		return f, nil
	}
	return f, root.RemoveAll(path.Dir(PendingDebs)) // var/lib/layercake: nothing is left for dpkg
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
