package sitefiles

import (
	"crypto/sha256"
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
	// Cache, when set, keeps compressed variants across builds (see
	// VariantCache).
	Cache *VariantCache
	// Route says which output a served path goes to (an index into the
	// outputs PrepareSplit writes): every file, and every folder with
	// nothing served in it. Nil sends everything to the first.
	Route func(rel string) (int, error)
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

// LeftOut reports whether the entry name in the served folder dir ("." at
// the top) is never served: dotfiles except /.well-known, and the names in
// exclude at the top (the build's own files).
func LeftOut(exclude []string) func(dir, name string) bool {
	return func(dir, name string) bool {
		if dir == "." {
			if name == WellKnown {
				return false
			}
			if slices.Contains(exclude, name) {
				return true
			}
		}
		return strings.HasPrefix(name, ".")
	}
}

// preparer walks one site.
type preparer struct {
	// compressible totals the bytes of compressible files (for BrotliQuality).
	compressible int64
	root         *os.Root
	outs         []string
	opts         Options
	leftOut      func(dir, name string) bool
	st           Stats
	dirs         map[string]bool // output folders made, to pin once written
	stack        []fileIdent     // real folders being copied, to refuse link cycles
}

type fileIdent struct{ dev, ino uint64 }

// Prepare writes the served form of the site at in to out (created if
// missing). Entries are visited in name order, so the output depends only on
// the input's names, bytes and executable bits.
func Prepare(in, out string, opts Options) (Stats, error) {
	opts.Route = nil
	return PrepareSplit(in, []string{out}, opts)
}

// PrepareSplit is Prepare writing each served path to the output
// opts.Route gives it, so one pass over the site makes several layers.
// Every output folder (each of outs included) is 0755 and at the epoch,
// set after everything in it is written.
func PrepareSplit(in string, outs []string, opts Options) (Stats, error) {
	root, err := os.OpenRoot(in)
	if err != nil {
		return Stats{}, err
	}
	defer root.Close()
	p := &preparer{root: root, outs: outs, opts: opts, leftOut: LeftOut(opts.Exclude), dirs: map[string]bool{}}
	if opts.Brotli {
		if p.compressible, err = compressibleBytes(in); err != nil {
			return Stats{}, err
		}
	}
	for _, out := range outs {
		if err := p.mkdir(out); err != nil {
			return p.st, err
		}
	}
	if _, err := p.dir("."); err != nil {
		return p.st, err
	}
	order := make([]string, 0, len(p.dirs))
	for d := range p.dirs {
		order = append(order, d)
	}
	// Deepest first: a folder's time is set after everything in it.
	slices.SortFunc(order, func(a, b string) int {
		return strings.Count(b, string(filepath.Separator)) - strings.Count(a, string(filepath.Separator))
	})
	for _, d := range order {
		if err := p.finish(d, 0o755, opts.Epoch); err != nil {
			return p.st, err
		}
	}
	return p.st, nil
}

// out is the output folder of the served path rel.
func (p *preparer) out(rel string) (string, error) {
	if p.opts.Route == nil {
		return p.outs[0], nil
	}
	i, err := p.opts.Route(rel)
	if err != nil {
		return "", err
	}
	if i < 0 || i >= len(p.outs) {
		return "", fmt.Errorf("%s: routed to output %d of %d", rel, i+1, len(p.outs))
	}
	return p.outs[i], nil
}

// mkdir makes an output folder and its parents, remembering them.
func (p *preparer) mkdir(d string) error {
	if p.dirs[d] {
		return nil
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		return err
	}
	for ; !p.dirs[d]; d = filepath.Dir(d) {
		p.dirs[d] = true
		if slices.Contains(p.outs, d) {
			break
		}
	}
	return nil
}

// dir copies the folder rel of the input (reached perhaps through links) and
// returns how many entries below it are served.
func (p *preparer) dir(rel string) (int, error) {
	f, err := p.root.Open(rel)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	id := ident(fi)
	if slices.Contains(p.stack, id) {
		return 0, fmt.Errorf("%s: a link leads back into a folder that contains it; remove the link", rel)
	}
	p.stack = append(p.stack, id)
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return 0, err
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if p.leftOut(rel, name) {
			p.st.Left++
			continue
		}
		k, err := p.entry(path.Join(rel, name), e.Type(), names)
		if err != nil {
			return n, err
		}
		n += k
	}
	if n == 0 && rel != "." { // an empty folder is served as one
		out, err := p.out(rel)
		if err != nil {
			return 0, err
		}
		return 1, p.mkdir(filepath.Join(out, filepath.FromSlash(rel)))
	}
	return n, nil
}

// entry copies one entry of the input and returns how many served entries
// it made.
func (p *preparer) entry(rel string, typ fs.FileMode, siblings map[string]bool) (int, error) {
	if typ&fs.ModeSymlink != 0 {
		fi, err := p.root.Stat(rel) // follows links, refuses ones that leave the site
		if err != nil {
			target, _ := p.root.Readlink(rel)
			return 0, fmt.Errorf("%s: a link to %s, which is not a file or folder inside the site: %w", rel, target, err)
		}
		p.st.Links++
		typ = fi.Mode().Type()
	}
	switch {
	case typ.IsDir():
		return p.dir(rel)
	case typ.IsRegular():
		return 1, p.file(rel, siblings)
	}
	return 0, fmt.Errorf("%s: a %s, not a file or folder", rel, typ)
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
	out, err := p.out(rel)
	if err != nil {
		return err
	}
	dst := filepath.Join(out, filepath.FromSlash(rel))
	if err := p.mkdir(filepath.Dir(dst)); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if err := p.writeTimed(dst, data, mode, ContentTimeOfSum(sum)); err != nil {
		return err
	}
	p.st.Files++
	p.st.Bytes += int64(len(data))
	if !Compressible(rel, len(data)) {
		return nil
	}
	base := path.Base(rel)
	if p.opts.Gzip && !siblings[base+".gz"] {
		n, err := p.variant(dst+".gz", sum, "gz", data, Gzip)
		if err != nil {
			return fmt.Errorf("%s: gzip: %w", rel, err)
		}
		p.st.Gzip += min(n, 1)
		p.st.GzipBytes += int64(n)
	}
	if p.opts.Brotli && !siblings[base+".br"] {
		q := BrotliQuality(int64(len(data)), p.compressible)
		n, err := p.variant(dst+".br", sum, fmt.Sprintf("br%d", q), data, func(b []byte) ([]byte, error) { return Brotli(b, q) })
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
func (p *preparer) variant(dst string, sum [32]byte, kind string, data []byte, compress func([]byte) ([]byte, error)) (int, error) {
	c, err := p.opts.Cache.get(sum, kind, data, compress)
	if err != nil || !worthKeeping(len(c), len(data)) {
		return 0, err
	}
	return len(c), p.write(dst, c, 0o644)
}

// write creates a file with its content time, mode and owner.
func (p *preparer) write(dst string, data []byte, mode fs.FileMode) error {
	return p.writeTimed(dst, data, mode, ContentTime(data))
}

// writeTimed creates a file with the time t (its content time), mode and owner.
func (p *preparer) writeTimed(dst string, data []byte, mode fs.FileMode, t time.Time) error {
	if err := os.WriteFile(dst, data, mode); err != nil {
		return err
	}
	return p.finish(dst, mode, t)
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
