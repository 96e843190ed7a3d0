package unpack

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Options controls how a package is unpacked.
type Options struct {
	// Epoch is the latest time any entry may carry; later times are clamped to it.
	Epoch time.Time
	// Chown applies the archive's owners (needs root; the helper step runs as root).
	Chown bool
	// Trim leaves out documentation, manual pages and translations.
	Trim bool
	// Record writes the package's status paragraph and the hashes of its
	// files under StatusDir, for scanners (see writeStatus).
	Record bool
	// Bootstrap unpacks into a shared root for a toolchain, the way
	// debootstrap's first stage does: later packages may replace files of
	// earlier ones, and paths may pass through links that stay inside the
	// root (the merged-/usr links). Times are left as the archive has them.
	Bootstrap bool
}

// Stats counts what Extract wrote.
type Stats struct {
	Entries, Trimmed int
}

// Extract unpacks the data archive of the .deb read from r into dest, which
// must exist. Paths that would leave dest are errors, and so, unless
// opts.Bootstrap is set, are paths through a symbolic link.
func Extract(r io.Reader, dest string, opts Options) (Stats, error) {
	ar, err := newArReader(r)
	if err != nil {
		return Stats{}, err
	}
	var control map[string][]byte
	for {
		name, member, err := ar.next()
		if errors.Is(err, io.EOF) {
			return Stats{}, errors.New("no data.tar member in package")
		}
		if err != nil {
			return Stats{}, err
		}
		if opts.Record && strings.HasPrefix(name, "control.tar") {
			if control, err = readControl(name, member); err != nil {
				return Stats{}, err
			}
			continue
		}
		if !strings.HasPrefix(name, "data.tar") {
			continue
		}
		if opts.Record && control == nil {
			return Stats{}, errors.New("data.tar member before control.tar")
		}
		data, closeFn, err := decompressor(name, member)
		if err != nil {
			return Stats{}, fmt.Errorf("opening %s: %w", name, err)
		}
		defer closeFn()
		root, err := os.OpenRoot(dest)
		if err != nil {
			return Stats{}, err
		}
		defer root.Close()
		return extractTar(tar.NewReader(data), root, opts, control)
	}
}

// extractTar writes every kept entry and, given the package's control
// files, its status record, then pins times bottom-up so writing a child
// never disturbs its parent's time afterwards.
func extractTar(tr *tar.Reader, root *os.Root, opts Options, control map[string][]byte) (Stats, error) {
	var st Stats
	times := map[string]time.Time{}
	files := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, fmt.Errorf("reading data archive: %w", err)
		}
		rel, err := cleanEntry(hdr.Name)
		if err != nil {
			return st, err
		}
		if rel == "" {
			continue
		}
		if opts.Trim && trimmed(rel) {
			st.Trimmed++
			continue
		}
		if err := writeEntry(tr, hdr, root, rel, opts); err != nil {
			return st, fmt.Errorf("unpacking %s: %w", rel, err)
		}
		times[rel] = clamp(hdr.ModTime, opts.Epoch)
		files[rel] = hdr.Typeflag == tar.TypeReg || hdr.Typeflag == tar.TypeLink
		st.Entries++
	}
	if opts.Bootstrap {
		return st, nil
	}
	if control != nil {
		if err := writeStatus(root, control, files); err != nil {
			return st, fmt.Errorf("recording the package in %s: %w", StatusDir, err)
		}
	}
	return st, pinTimes(root.Name(), times, opts.Epoch)
}

// cleanEntry turns "./usr/bin/x" into "usr/bin/x" and refuses escapes.
func cleanEntry(name string) (string, error) {
	p := path.Clean("/" + strings.TrimPrefix(name, "./"))
	if p == "/" {
		return "", nil
	}
	if slices.Contains(strings.Split(name, "/"), "..") {
		return "", fmt.Errorf("archive entry %q leaves the package root", name)
	}
	return p[1:], nil
}

func clamp(t, epoch time.Time) time.Time {
	if epoch.IsZero() || t.Before(epoch) {
		return t
	}
	return epoch
}

func writeEntry(tr *tar.Reader, hdr *tar.Header, root *os.Root, rel string, opts Options) error {
	if err := prepareParents(root, rel, opts.Bootstrap); err != nil {
		return err
	}
	if opts.Bootstrap && hdr.Typeflag != tar.TypeDir {
		if err := root.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := root.Mkdir(rel, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	case tar.TypeReg:
		if err := writeFile(root, rel, tr); err != nil {
			return err
		}
	case tar.TypeSymlink:
		if err := root.Symlink(hdr.Linkname, rel); err != nil {
			return err
		}
		return lchown(root, rel, hdr, opts)
	case tar.TypeLink:
		src, err := cleanEntry(hdr.Linkname)
		if err != nil {
			return err
		}
		return root.Link(src, rel)
	default:
		return fmt.Errorf("unsupported archive entry type %q", hdr.Typeflag)
	}
	if err := lchown(root, rel, hdr, opts); err != nil {
		return err
	}
	return root.Chmod(rel, fs.FileMode(hdr.Mode&0o777)|ModeBits(hdr.Mode))
}

// ModeBits maps the tar setuid, setgid and sticky bits to Go's file mode.
func ModeBits(m int64) fs.FileMode {
	var out fs.FileMode
	if m&0o4000 != 0 {
		out |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		out |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		out |= fs.ModeSticky
	}
	return out
}

func writeFile(root *os.Root, rel string, r io.Reader) error {
	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func lchown(root *os.Root, rel string, hdr *tar.Header, opts Options) error {
	if !opts.Chown {
		return nil
	}
	return root.Lchown(rel, hdr.Uid, hdr.Gid)
}

// prepareParents creates missing parent folders. A package layer must not
// write through a symbolic link (it would depend on another layer); a
// bootstrap root may, as long as the link stays inside the root, which
// os.Root enforces.
func prepareParents(root *os.Root, rel string, followLinks bool) error {
	parts := strings.Split(rel, "/")
	cur := ""
	for _, p := range parts[:len(parts)-1] {
		cur = path.Join(cur, p)
		fi, err := root.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			if err := root.Mkdir(cur, 0o755); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if fi.IsDir() || (followLinks && fi.Mode()&fs.ModeSymlink != 0) {
			continue
		}
		return fmt.Errorf("parent %s is not a directory", p)
	}
	return nil
}

// pinTimes sets every entry's access and modification time, deepest first.
// Folders the archive did not list get the epoch, or keep their time when
// there is none.
func pinTimes(dest string, times map[string]time.Time, epoch time.Time) error {
	var all []string
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dest {
			all = append(all, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(all)
	for _, p := range all {
		rel, _ := filepath.Rel(dest, p)
		t, ok := times[filepath.ToSlash(rel)]
		if !ok {
			if epoch.IsZero() {
				continue
			}
			t = epoch
		}
		ts := []unix.Timespec{unix.NsecToTimespec(t.UnixNano()), unix.NsecToTimespec(t.UnixNano())}
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("setting time of %s: %w", rel, err)
		}
	}
	return nil
}
