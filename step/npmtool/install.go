package npmtool

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Limits on what a tarball may hold: npm itself unpacks to about 10 MiB in
// 2,500 files.
const (
	maxFiles    = 100_000
	maxFileSize = 256 << 20
	maxTotal    = 1 << 30
)

// Verify checks that the file at tgz has the Subresource Integrity hash
// integrity ("sha512-<base64>").
func Verify(tgz, integrity string) error {
	want, ok := strings.CutPrefix(integrity, "sha512-")
	if !ok {
		return fmt.Errorf("integrity %q: want sha512-<base64>", integrity)
	}
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("reading %s: %w", tgz, err)
	}
	if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s has integrity sha512-%s, but the spec pins %s: the registry served other bytes than the pinned release", filepath.Base(tgz), got, integrity)
	}
	return nil
}

// Install verifies tgz against integrity and installs package name from it
// into the root out: usr/local/lib/node_modules/<name> and the commands in
// usr/local/bin. Files keep the tarball's times.
func Install(tgz, name, integrity, out string) error {
	if err := Verify(tgz, integrity); err != nil {
		return err
	}
	dir := filepath.Join(out, "usr/local/lib/node_modules", filepath.FromSlash(name))
	if err := unpack(tgz, dir); err != nil {
		return fmt.Errorf("unpacking %s: %w", name, err)
	}
	bins, err := binaries(dir, name)
	if err != nil {
		return err
	}
	binDir := filepath.Join(out, "usr/local/bin")
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return err
	}
	for _, b := range bins {
		if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(b.target)), 0o755); err != nil {
			return fmt.Errorf("%s's command %s: %w", name, b.name, err)
		}
		link := path.Join("..", "lib/node_modules", name, b.target)
		if err := os.Symlink(link, filepath.Join(binDir, b.name)); err != nil {
			return fmt.Errorf("%s's command %s: %w", name, b.name, err)
		}
	}
	return nil
}

// unpack writes the tarball's files to dir, less their first path
// component ("package/"), as npm does. Only files and folders are kept
// (npm skips links too); a path leaving dir is an error.
func unpack(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	files, total := 0, int64(0)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rel, ok := entryPath(h.Name)
		if !ok {
			return fmt.Errorf("entry %q leaves the package", h.Name)
		}
		if rel == "" {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			files++
			total += h.Size
			if files > maxFiles || h.Size > maxFileSize || total > maxTotal {
				return fmt.Errorf("more than %d files or %d bytes", maxFiles, maxTotal)
			}
			if err := writeFile(target, tr, h); err != nil {
				return err
			}
		}
	}
	return nil
}

// entryPath is a tar entry's path below the first component, cleaned;
// ok is false when it would leave the package.
func entryPath(name string) (string, bool) {
	name = strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "./")
	if strings.HasPrefix(name, "/") {
		return "", false
	}
	_, rest, _ := strings.Cut(name, "/")
	if rest == "" {
		return "", true
	}
	clean := path.Clean(rest)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", false
	}
	if clean == "." {
		return "", true
	}
	return clean, true
}

func writeFile(target string, r io.Reader, h *tar.Header) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if h.Mode&0o111 != 0 {
		mode = 0o755
	}
	w, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, io.LimitReader(r, h.Size)); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.Chtimes(target, h.ModTime, h.ModTime)
}

// bin is one command of a package: its name and the file it runs,
// relative to the package.
type bin struct{ name, target string }

// binaries reads package.json's "bin": a path (the command is the
// package's name without its scope) or a map of command names to paths.
func binaries(dir, name string) ([]bin, error) {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("%s has no package.json: %w", name, err)
	}
	var pj struct {
		Bin json.RawMessage `json:"bin"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		return nil, fmt.Errorf("reading %s's package.json: %w", name, err)
	}
	m := map[string]string{}
	var one string
	switch {
	case len(pj.Bin) == 0 || string(pj.Bin) == "null":
	case json.Unmarshal(pj.Bin, &one) == nil:
		m[name[strings.LastIndex(name, "/")+1:]] = one
	case json.Unmarshal(pj.Bin, &m) == nil:
	default:
		return nil, fmt.Errorf("%s's package.json: \"bin\" is neither a path nor a map of commands", name)
	}
	out := make([]bin, 0, len(m))
	for cmd, target := range m {
		clean := path.Clean(strings.TrimPrefix(target, "./"))
		if cmd == "" || strings.ContainsAny(cmd, "/\\\x00") || cmd == "." || cmd == ".." ||
			path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return nil, fmt.Errorf("%s's package.json: command %q -> %q leaves the package", name, cmd, target)
		}
		out = append(out, bin{name: cmd, target: clean})
	}
	slices.SortFunc(out, func(a, b bin) int { return strings.Compare(a.name, b.name) })
	return out, nil
}
