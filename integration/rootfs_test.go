package integration

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/layercake-build/layercake/debian/unpack"
	"golang.org/x/sys/unix"
)

// unpackImage writes the image's layers, bottom first, into dir as a root
// filesystem, the way a container runtime would.
func (e *environment) unpackImage(im *image, dir string) error {
	for _, l := range im.manifest.Layers {
		blob, err := e.registry.blob(im.repo, l.Digest.String())
		if err != nil {
			return err
		}
		if err := unpackLayer(blob, dir); err != nil {
			return fmt.Errorf("layer %s: %w", l.Digest, err)
		}
	}
	return nil
}

func unpackLayer(blob []byte, dir string) error {
	gz, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if strings.Contains(filepath.Base(hdr.Name), ".wh.") {
			return fmt.Errorf("whiteout %s: layers must not delete each other's files", hdr.Name)
		}
		if err := writeTarEntry(tr, hdr, dir); err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
}

func writeTarEntry(tr *tar.Reader, hdr *tar.Header, dir string) error {
	target := filepath.Join(dir, filepath.Clean("/"+hdr.Name))
	mode := os.FileMode(hdr.Mode & 0o777)
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := os.MkdirAll(target, mode); err != nil {
			return err
		}
	case tar.TypeReg:
		os.Remove(target)
		f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, tr); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	case tar.TypeSymlink:
		os.Remove(target)
		if err := os.Symlink(hdr.Linkname, target); err != nil {
			return err
		}
		if err := os.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
			return err
		}
		return setTime(target, hdr.ModTime)
	case tar.TypeLink:
		os.Remove(target)
		return os.Link(filepath.Join(dir, filepath.Clean("/"+hdr.Linkname)), target)
	default:
		return fmt.Errorf("unexpected entry type %q", hdr.Typeflag)
	}
	if err := os.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
		return err
	}
	if err := os.Chmod(target, mode|unpack.ModeBits(hdr.Mode)); err != nil {
		return err
	}
	return setTime(target, hdr.ModTime)
}

// setTime applies an entry's mtime without following links. Folders get
// theirs too, but a later entry inside one moves it again, so tests compare
// times of files and links only.
func setTime(p string, t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, p, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
