package sitefiles

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Split copies each group of entries (paths relative to the site at in) into
// its own output folder, below dir (e.g. srv/www): outs[i] receives groups[i].
// Files keep their bytes, mode and time (content-derived, from Prepare);
// every folder an output gets, from its root down, is 0755, owned by root
// when chown is set, and at the epoch, set after its contents are written.
func Split(in string, groups [][]string, outs []string, dir string, epoch time.Time, chown bool) error {
	if len(groups) != len(outs) {
		return fmt.Errorf("%d groups for %d output folders", len(groups), len(outs))
	}
	root, err := os.OpenRoot(in)
	if err != nil {
		return err
	}
	defer root.Close()
	for i, g := range groups {
		if err := splitOne(root, g, filepath.Join(outs[i], filepath.FromSlash(dir)), epoch, chown); err != nil {
			return fmt.Errorf("group %d: %w", i+1, err)
		}
		if err := pinFolders(outs[i], filepath.Join(outs[i], filepath.FromSlash(dir)), epoch, chown); err != nil {
			return err
		}
	}
	return nil
}

// splitOne writes one group's entries below site and pins the folders it made.
func splitOne(root *os.Root, paths []string, site string, epoch time.Time, chown bool) error {
	dirs := map[string]bool{site: true}
	for _, rel := range paths {
		fi, err := root.Lstat(rel)
		if err != nil {
			return err
		}
		dst := filepath.Join(site, filepath.FromSlash(rel))
		for d := filepath.Dir(dst); len(d) > len(site); d = filepath.Dir(d) {
			dirs[d] = true
		}
		switch {
		case fi.IsDir():
			dirs[dst] = true
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
		case fi.Mode().IsRegular():
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := copyFile(root, rel, dst, fi, chown); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
		default:
			return fmt.Errorf("%s: a %s, not a file or folder", rel, fi.Mode().Type())
		}
	}
	// Deepest first: a folder's time is set after everything in it.
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	slices.SortFunc(order, func(a, b string) int { return len(b) - len(a) })
	for _, d := range order {
		if err := pin(d, 0o755, epoch, chown); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies one regular file with its mode and time.
func copyFile(root *os.Root, rel, dst string, fi fs.FileInfo, chown bool) error {
	src, err := root.Open(rel)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return pin(dst, fi.Mode().Perm(), fi.ModTime(), chown)
}

// pinFolders pins the folders from out down to, but not including, site.
func pinFolders(out, site string, epoch time.Time, chown bool) error {
	for d := filepath.Dir(site); ; d = filepath.Dir(d) {
		if err := pin(d, 0o755, epoch, chown); err != nil {
			return err
		}
		if filepath.Clean(d) == filepath.Clean(out) {
			return nil
		}
	}
}

func pin(name string, mode fs.FileMode, t time.Time, chown bool) error {
	if err := os.Chmod(name, mode); err != nil {
		return err
	}
	if chown {
		if err := os.Lchown(name, 0, 0); err != nil {
			return err
		}
	}
	return os.Chtimes(name, t, t)
}
