package sitefiles

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Options says how to prepare a site.
type Options struct {
	// Epoch is every folder's time.
	Epoch time.Time
	// Gzip and Brotli make .gz and .br siblings of compressible files.
	Gzip, Brotli bool
	// Exclude are names at the top of the site that are not served.
	Exclude []string
	// Chown makes root own everything (needs root; the helper step is).
	Chown bool
}

// Stats counts what Prepare wrote.
type Stats struct {
	Files, Links, Left, Gzip, Brotli int
	// Bytes, GzipBytes and BrotliBytes total the files and their variants.
	Bytes, GzipBytes, BrotliBytes int64
}

func (s Stats) String() string {
	return fmt.Sprintf("%d files (%d bytes; %d links copied, %d left out), %d .gz (%d bytes), %d .br (%d bytes)",
		s.Files, s.Bytes, s.Links, s.Left, s.Gzip, s.GzipBytes, s.Brotli, s.BrotliBytes)
}

// WellKnown is the one dot-folder a site serves (RFC 8615).
const WellKnown = ".well-known"

// preparer walks one site.
type preparer struct {
	// compressible totals the bytes of compressible files (for BrotliQuality).
	compressible int64
	root         *os.Root
	out          string
	opts         Options
	st           Stats
	dirs         []string    // output folders, parents first
	stack        []fileIdent // real folders being copied, to refuse link cycles
}

type fileIdent struct{ dev, ino uint64 }

// Prepare writes the served form of the site at in to out (created if
// missing). Entries are visited in name order, so the output depends only on
// the input's names, bytes and executable bits.
func Prepare(in, out string, opts Options) (Stats, error) {
	root, err := os.OpenRoot(in)
	if err != nil {
		return Stats{}, err
	}
	defer root.Close()
	p := &preparer{root: root, out: out, opts: opts}
	if opts.Brotli {
		if p.compressible, err = compressibleBytes(in); err != nil {
			return Stats{}, err
		}
	}
	if err := p.dir("."); err != nil {
		return p.st, err
	}
	for i := len(p.dirs) - 1; i >= 0; i-- { // children's writes are done: pin folders
		if err := p.finish(p.dirs[i], 0o755, opts.Epoch); err != nil {
			return p.st, err
		}
	}
	return p.st, nil
}

// dir copies the folder rel of the input (reached perhaps through links).
func (p *preparer) dir(rel string) error {
	f, err := p.root.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	id := ident(fi)
	if slices.Contains(p.stack, id) {
		return fmt.Errorf("%s: a link leads back into a folder that contains it; remove the link", rel)
	}
	p.stack = append(p.stack, id)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	outDir := filepath.Join(p.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	p.dirs = append(p.dirs, outDir)
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		if p.leftOut(rel, name) {
			p.st.Left++
			continue
		}
		if err := p.entry(path.Join(rel, name), e.Type(), names); err != nil {
			return err
		}
	}
	return nil
}

// leftOut reports whether the entry name in folder rel is never served:
// dotfiles except /.well-known, and the build's own files at the top.
func (p *preparer) leftOut(rel, name string) bool {
	if rel == "." {
		if name == WellKnown {
			return false
		}
		if slices.Contains(p.opts.Exclude, name) {
			return true
		}
	}
	return strings.HasPrefix(name, ".")
}

func (p *preparer) entry(rel string, typ fs.FileMode, siblings map[string]bool) error {
	if typ&fs.ModeSymlink != 0 {
		fi, err := p.root.Stat(rel) // follows links, refuses ones that leave the site
		if err != nil {
			target, _ := p.root.Readlink(rel)
			return fmt.Errorf("%s: a link to %s, which is not a file or folder inside the site: %w", rel, target, err)
		}
		p.st.Links++
		typ = fi.Mode().Type()
	}
	switch {
	case typ.IsDir():
		return p.dir(rel)
	case typ.IsRegular():
		return p.file(rel, siblings)
	}
	return fmt.Errorf("%s: a %s, not a file or folder", rel, typ)
}

func (p *preparer) file(rel string, siblings map[string]bool) error {
	f, err := p.root.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi.Mode()&0o111 != 0 {
		mode = 0o755
	}
	dst := filepath.Join(p.out, filepath.FromSlash(rel))
	if err := p.write(dst, data, mode); err != nil {
		return err
	}
	p.st.Files++
	p.st.Bytes += int64(len(data))
	if !Compressible(rel, len(data)) {
		return nil
	}
	base := path.Base(rel)
	if p.opts.Gzip && !siblings[base+".gz"] {
		n, err := p.variant(dst+".gz", data, Gzip)
		if err != nil {
			return fmt.Errorf("%s: gzip: %w", rel, err)
		}
		p.st.Gzip += min(n, 1)
		p.st.GzipBytes += int64(n)
	}
	if p.opts.Brotli && !siblings[base+".br"] {
		q := BrotliQuality(int64(len(data)), p.compressible)
		n, err := p.variant(dst+".br", data, func(b []byte) ([]byte, error) { return Brotli(b, q) })
		if err != nil {
			return fmt.Errorf("%s: brotli: %w", rel, err)
		}
		p.st.Brotli += min(n, 1)
		p.st.BrotliBytes += int64(n)
	}
	return nil
}

// variant writes a compressed sibling when it saves enough; it returns its
// size, or 0 when it is not kept.
func (p *preparer) variant(dst string, data []byte, compress func([]byte) ([]byte, error)) (int, error) {
	c, err := compress(data)
	if err != nil || !worthKeeping(len(c), len(data)) {
		return 0, err
	}
	return len(c), p.write(dst, c, 0o644)
}

// write creates a file with its content time, mode and owner.
func (p *preparer) write(dst string, data []byte, mode fs.FileMode) error {
	if err := os.WriteFile(dst, data, mode); err != nil {
		return err
	}
	return p.finish(dst, mode, ContentTime(data))
}

func (p *preparer) finish(name string, mode fs.FileMode, t time.Time) error {
	if err := os.Chmod(name, mode); err != nil {
		return err
	}
	if p.opts.Chown {
		if err := os.Lchown(name, 0, 0); err != nil {
			return err
		}
	}
	return os.Chtimes(name, t, t)
}

func ident(fi fs.FileInfo) fileIdent {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fileIdent{uint64(st.Dev), uint64(st.Ino)}
	}
	return fileIdent{}
}

// compressibleBytes totals the sizes of the compressible files below in.
func compressibleBytes(in string) (int64, error) {
	var total int64
	err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if Compressible(d.Name(), int(fi.Size())) {
			total += fi.Size()
		}
		return nil
	})
	return total, err
}
