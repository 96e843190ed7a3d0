package unpack

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
)

// StatusDir is where a runtime layer records its package for scanners, the
// way distroless images do: the package's status paragraph in
// StatusDir/<package> and its file hashes in StatusDir/<package>.md5sums.
// syft, Trivy and Grype read this folder as a dpkg database.
const StatusDir = "var/lib/dpkg/status.d"

// statusFieldOrder is the order in which dpkg writes the fields it knows
// into its status file (lib/dpkg/parse.c, fieldinfos); other fields follow
// in the order of the control file.
var statusFieldOrder = []string{
	"Package", "Essential", "Protected", "Status", "Priority", "Section",
	"Installed-Size", "Origin", "Maintainer", "Bugs", "Architecture",
	"Multi-Arch", "Source", "Version", "Config-Version", "Replaces",
	"Provides", "Depends", "Pre-Depends", "Recommends", "Suggests", "Breaks",
	"Conflicts", "Enhances", "Conffiles", "Filename", "Size", "MD5sum",
	"MSDOS-Filename", "Description", "Triggers-Pending", "Triggers-Awaited",
}

// field is one field of a control paragraph; Value holds its first line
// and any continuation lines, without the name and colon.
type field struct {
	Name, Value string
}

// Conffile is a configuration file as dpkg's status records it: its path
// and the MD5 of its content as installed.
type Conffile struct {
	Path, MD5 string
}

// InstalledParagraph returns the status paragraph dpkg keeps for the
// package of control once it is installed: the control file's fields in
// dpkg's order, "Status: install ok installed", and the conffiles with
// their hashes. The same input gives the same bytes.
func InstalledParagraph(control []byte, conffiles []Conffile) ([]byte, error) {
	fields, err := parseParagraph(control)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, want := range []string{"Package", "Version", "Architecture"} {
		if !slices.ContainsFunc(fields, func(f field) bool { return f.Name == want && strings.TrimSpace(f.Value) != "" }) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("control file lacks %s", strings.Join(missing, ", "))
	}
	fields = slices.DeleteFunc(fields, func(f field) bool { return f.Name == "Status" || f.Name == "Conffiles" })
	fields = append(fields, field{Name: "Status", Value: " install ok installed"})
	if len(conffiles) > 0 {
		var v strings.Builder
		for _, c := range conffiles {
			fmt.Fprintf(&v, "\n %s %s", c.Path, c.MD5)
		}
		fields = append(fields, field{Name: "Conffiles", Value: v.String()})
	}
	var b bytes.Buffer
	for _, f := range sortFields(fields) {
		b.WriteString(f.Name + ":" + f.Value + "\n")
	}
	return b.Bytes(), nil
}

// sortFields puts dpkg's known fields first, in its order; the stable sort
// keeps the others in the order they came.
func sortFields(fields []field) []field {
	rank := func(f field) int {
		if i := slices.Index(statusFieldOrder, f.Name); i >= 0 {
			return i
		}
		return len(statusFieldOrder)
	}
	out := slices.Clone(fields)
	slices.SortStableFunc(out, func(a, b field) int { return rank(a) - rank(b) })
	return out
}

// parseParagraph splits one control paragraph into its fields, keeping
// continuation lines. Field names are matched without regard to case, as
// dpkg does, and written in dpkg's spelling.
func parseParagraph(control []byte) ([]field, error) {
	text := strings.TrimRight(strings.ReplaceAll(string(control), "\r\n", "\n"), "\n")
	if text == "" {
		return nil, errors.New("empty control file")
	}
	var fields []field
	for i, line := range strings.Split(text, "\n") {
		switch {
		case line == "":
			return nil, fmt.Errorf("control file line %d: more than one paragraph", i+1)
		case line[0] == ' ' || line[0] == '\t':
			if len(fields) == 0 {
				return nil, fmt.Errorf("control file line %d: continuation line before any field", i+1)
			}
			fields[len(fields)-1].Value += "\n" + line
		default:
			name, value, ok := strings.Cut(line, ":")
			if !ok || name == "" || strings.ContainsAny(name, " \t") {
				return nil, fmt.Errorf("control file line %d: %q is not a field", i+1, line)
			}
			fields = append(fields, field{Name: canonicalField(name), Value: value})
		}
	}
	return fields, nil
}

func canonicalField(name string) string {
	for _, known := range statusFieldOrder {
		if strings.EqualFold(known, name) {
			return known
		}
	}
	return name
}

// keptMD5sums returns the lines of a package's md5sums file for the files
// that are in the layer, in the file's order: scanners take them as the
// files the package owns.
func keptMD5sums(md5sums []byte, kept map[string]bool) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(string(md5sums), "\n") {
		_, p, ok := strings.Cut(line, "  ")
		if ok && kept[strings.TrimPrefix(p, "./")] {
			b.WriteString(line + "\n")
		}
	}
	return b.Bytes()
}

// writeStatus records the package of control, unpacked into root, under
// StatusDir; kept holds the files the layer has, by relative path.
func writeStatus(root *os.Root, control map[string][]byte, kept map[string]bool) error {
	conffiles, err := installedConffiles(root, control["conffiles"], kept)
	if err != nil {
		return err
	}
	para, err := InstalledParagraph(control["control"], conffiles)
	if err != nil {
		return err
	}
	name := controlFields(control["control"])["Package"]
	if !validPackageName(name) {
		return fmt.Errorf("control file names the package %q", name)
	}
	if err := root.MkdirAll(StatusDir, 0o755); err != nil {
		return err
	}
	if err := writeNew(root, path.Join(StatusDir, name), para, 0o644); err != nil {
		return err
	}
	if sums := keptMD5sums(control["md5sums"], kept); len(sums) > 0 {
		return writeNew(root, path.Join(StatusDir, name+".md5sums"), sums, 0o644)
	}
	return nil
}

// installedConffiles hashes the conffiles the layer holds, in the order
// the package lists them.
func installedConffiles(root *os.Root, list []byte, kept map[string]bool) ([]Conffile, error) {
	var out []Conffile
	for _, l := range strings.Split(string(list), "\n") {
		p := strings.TrimSpace(l)
		if !strings.HasPrefix(p, "/") || !kept[strings.TrimPrefix(p, "/")] {
			continue
		}
		sum, err := md5File(root, strings.TrimPrefix(p, "/"))
		if err != nil {
			return nil, fmt.Errorf("hashing conffile %s: %w", p, err)
		}
		out = append(out, Conffile{Path: p, MD5: sum})
	}
	return out, nil
}

func md5File(root *os.Root, rel string) (string, error) {
	f, err := root.Open(rel)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// validPackageName reports whether name is a Debian package name (Debian
// Policy 5.6.1), so it can name a file.
func validPackageName(name string) bool {
	if len(name) < 2 || !isLowerAlnum(rune(name[0])) {
		return false
	}
	for _, r := range name {
		if !isLowerAlnum(r) && !strings.ContainsRune("+-.", r) {
			return false
		}
	}
	return true
}

func isLowerAlnum(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
