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

// FinishDatabase completes a toolchain root made of Dpkg layers so that
// dpkg sees every package as unpacked: it joins the status paragraphs
// (in name order) into var/lib/dpkg/status and registers the trigger
// interests their triggers files declare, as `dpkg --unpack` would have.
// Trigger activations need nothing: dpkg ignores them for packages that
// are not configured yet, and every package here is configured afterwards.
// The fragments are removed. It returns the names of the packages added.
func FinishDatabase(dest string) ([]string, error) {
	root, err := os.OpenRoot(dest)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), StatusFragments)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var status bytes.Buffer
	old, err := root.ReadFile("var/lib/dpkg/status")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	status.Write(old)
	var names []string
	trig := triggerInterests{byName: map[string][]string{}}
	for _, e := range entries {
		name := e.Name()
		para, err := root.ReadFile(path.Join(StatusFragments, name))
		if err != nil {
			return nil, err
		}
		if status.Len() > 0 {
			status.WriteString("\n")
		}
		status.Write(para)
		names = append(names, name)
		if err := trig.read(root, name); err != nil {
			return nil, err
		}
	}
	if err := writeNew(root, "var/lib/dpkg/status", status.Bytes(), 0o644); err != nil {
		return nil, err
	}
	if err := trig.write(root); err != nil {
		return nil, err
	}
	return names, root.RemoveAll(StatusFragments)
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
