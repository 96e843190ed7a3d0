package sitefiles

import (
	"bufio"
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

	"github.com/layercake-build/layercake/webroot"
)

// Options says how to prepare a site.
type Options struct {
	// Epoch is every folder's time.
	Epoch time.Time
	// Gzip and Brotli make .gz and .br siblings of compressible files.
	Gzip, Brotli bool
	// Exclude are paths of the site (relative to it, "/"-separated) that
	// are not served: the build's own files (a name at the top is a path
	// of one element).
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
	// Workers is how many variants are compressed at once; 0 means one
	// per core (runtime.GOMAXPROCS), at most MaxWorkers. What is written
	// does not depend on it.
	Workers int
}

// Stats counts what Prepare wrote.
type Stats struct {
	Files, Links, Left, Gzip, Brotli int
	// Bytes, GzipBytes and BrotliBytes total the files and their variants.
	Bytes, GzipBytes, BrotliBytes int64
	// BrotliQuality is the tree's brotli quality (files over 1 MiB get at
	// most 6), 0 without brotli.
	BrotliQuality int
}

func (s Stats) String() string {
	q := ""
	if s.BrotliQuality > 0 {
		q = fmt.Sprintf(", quality %d", s.BrotliQuality)
	}
	return fmt.Sprintf("%d files (%d bytes; %d links copied, %d left out), %d .gz (%d bytes), %d .br (%d bytes%s)",
		s.Files, s.Bytes, s.Links, s.Left, s.Gzip, s.GzipBytes, s.Brotli, s.BrotliBytes, q)
}

// preparer walks one site.
type preparer struct {
	// compressible totals the bytes of compressible files, per output
	// (for BrotliQuality and GzipLevel).
	compressible []int64
	root         *os.Root
	real         string // the input with its links resolved
	outs         []string
	opts         Options
	leftOut      func(dir, name string) bool
	st           Stats
	pool         *compressPool   // nil when nothing is compressed
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
	real, err := filepath.EvalSymlinks(in)
	if err != nil {
		return Stats{}, err
	}
	p := &preparer{root: root, real: real, outs: outs, opts: opts, leftOut: webroot.LeftOut(opts.Exclude), dirs: map[string]bool{}}
	if opts.Gzip || opts.Brotli {
		if p.compressible, err = compressibleBytes(real, len(outs), opts.Route); err != nil {
			return Stats{}, err
		}
		if opts.Brotli {
			p.st.BrotliQuality = brotliLadder[0].quality
			for _, total := range p.compressible {
				if total > 0 {
					p.st.BrotliQuality = min(p.st.BrotliQuality, BrotliQuality(0, total))
				}
			}
		}
	}
	for _, out := range outs {
		if err := p.mkdir(out); err != nil {
			return p.st, err
		}
	}
	if opts.Gzip || opts.Brotli {
		p.pool = newCompressPool(opts.Workers)
	}
	_, err = p.dir(".", ".")
	err = p.pool.wait(err)
	if ferr := opts.Cache.finish(); err == nil {
		err = ferr
	}
	if err != nil {
		return p.st, err
	}
	p.pool.addTo(&p.st)
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

// out is the index in outs of the output of the served path rel.
func (p *preparer) out(rel string) (int, error) {
	if p.opts.Route == nil {
		return 0, nil
	}
	i, err := p.opts.Route(rel)
	if err != nil {
		return 0, err
	}
	if i < 0 || i >= len(p.outs) {
		return 0, fmt.Errorf("%s: routed to output %d of %d", rel, i+1, len(p.outs))
	}
	return i, nil
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

// dir copies the folder served at rel, which is real in the input (they
// differ below a link), and returns how many entries below it are served.
func (p *preparer) dir(rel, real string) (int, error) {
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
		if p.leftOut(rel, name) || p.leftOut(real, name) {
			p.st.Left++
			continue
		}
		k, err := p.entry(path.Join(rel, name), path.Join(real, name), e.Type(), names)
		if err != nil {
			return n, err
		}
		n += k
	}
	if n == 0 && rel != "." { // an empty folder is served as one
		oi, err := p.out(rel)
		if err != nil {
			return 0, err
		}
		return 1, p.mkdir(filepath.Join(p.outs[oi], filepath.FromSlash(rel)))
	}
	return n, nil
}

// entry copies the entry served at rel, real in the input, and returns how
// many served entries it made. A link whose target is Hidden is left out.
func (p *preparer) entry(rel, real string, typ fs.FileMode, siblings map[string]bool) (int, error) {
	if typ&fs.ModeSymlink != 0 {
		fi, err := p.root.Stat(rel) // follows links, refuses ones that leave the site
		if err != nil {
			target, _ := p.root.Readlink(rel)
			return 0, fmt.Errorf("%s: a link to %s, which is not a file or folder inside the site: %w", rel, target, err)
		}
		if real, err = p.resolve(real); err != nil {
			return 0, fmt.Errorf("%s: %w", rel, err)
		}
		if webroot.Hidden(p.leftOut, real) {
			p.st.Left++
			return 0, nil
		}
		p.st.Links++
		typ = fi.Mode().Type()
	}
	switch {
	case typ.IsDir():
		return p.dir(rel, real)
	case typ.IsRegular():
		return 1, p.file(rel, siblings)
	}
	return 0, fmt.Errorf("%s: a %s, not a file or folder", rel, typ)
}

// file copies the file rel, hashing it on the way, and hands its compressed
// variants to the pool (each streams the copy just written). Nothing holds
// more than a chunk of a file, whatever its size.
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
	mode := fs.FileMode(0o644)
	if fi.Mode()&0o111 != 0 {
		mode = 0o755
	}
	oi, err := p.out(rel)
	if err != nil {
		return err
	}
	dst := filepath.Join(p.outs[oi], filepath.FromSlash(rel))
	if err := p.mkdir(filepath.Dir(dst)); err != nil {
		return err
	}
	sum, size, err := p.copyFile(dst, f, mode)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	p.st.Files++
	p.st.Bytes += size
	if !Compressible(rel, int(size)) {
		return nil
	}
	base := path.Base(rel)
	if p.opts.Gzip && !siblings[base+".gz"] {
		level := GzipLevel(p.compressible[oi])
		if err := p.pool.run(func() (int64, error) {
			n, err := p.variant(dst+".gz", dst, sum, size, fmt.Sprintf("gz%d", level), func(w io.Writer, r io.Reader) error { return GzipStream(w, r, level) })
			if err != nil {
				err = fmt.Errorf("%s: gzip: %w", rel, err)
			}
			return n, err
		}, &p.pool.gz); err != nil {
			return err
		}
	}
	if p.opts.Brotli && !siblings[base+".br"] {
		q := BrotliQuality(size, p.compressible[oi])
		if err := p.pool.run(func() (int64, error) {
			n, err := p.variant(dst+".br", dst, sum, size, fmt.Sprintf("br%d", q), func(w io.Writer, r io.Reader) error { return BrotliStream(w, r, q) })
			if err != nil {
				err = fmt.Errorf("%s: brotli: %w", rel, err)
			}
			return n, err
		}, &p.pool.br); err != nil {
			return err
		}
	}
	return nil
}

// copyFile copies src to a new file dst, hashing it on the way, and gives
// dst its content time, mode and owner; it returns the digest and size.
func (p *preparer) copyFile(dst string, src io.Reader, mode fs.FileMode) ([32]byte, int64, error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return [32]byte{}, 0, err
	}
	h := sha256.New()
	bp := chunks.Get().(*[]byte)
	n, err := io.CopyBuffer(io.MultiWriter(out, h), src, *bp)
	chunks.Put(bp)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	sum := [32]byte(h.Sum(nil))
	if err != nil {
		return sum, n, err
	}
	return sum, n, p.finish(dst, mode, ContentTimeOfSum(sum))
}

// variant writes dst, the compressed sibling of the file src (size bytes of
// digest sum), in the encoding kind, when it saves enough; it returns its
// size, or 0 when it is not kept. An intact cache entry is copied;
// otherwise src is compressed into dst and the cache at once.
func (p *preparer) variant(dst, src string, sum [32]byte, size int64, kind string, compress func(io.Writer, io.Reader) error) (int64, error) {
	if n, ok, err := p.cachedVariant(dst, sum, size, kind); ok || err != nil {
		return n, err
	}
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	entry, err := p.opts.Cache.create(sum, kind)
	if err != nil {
		return 0, fmt.Errorf("storing a compressed variant in the cache: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		if entry != nil {
			entry.abort()
		}
		return 0, err
	}
	h, n := sha256.New(), &counter{}
	ws := []io.Writer{out, h, n}
	if entry != nil {
		ws = append(ws, entry)
	}
	// The encoders write a few hundred bytes at a time; one write per
	// 64 KiB keeps the syscalls (and the overlay's cost of each) down.
	bw := bufio.NewWriterSize(io.MultiWriter(ws...), 64<<10)
	if err = compress(bw, in); err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	digest := [32]byte(h.Sum(nil))
	if entry != nil {
		if err != nil {
			entry.abort()
		} else {
			entry.commit(digest)
		}
	}
	if err != nil || !worthKeeping(n.n, size) {
		os.Remove(dst)
		return 0, err
	}
	return n.n, p.finish(dst, 0o644, ContentTimeOfSum(digest))
}

// cachedVariant is variant from an intact cache entry; ok is false when
// there is none, or it is damaged (then it is made again).
func (p *preparer) cachedVariant(dst string, sum [32]byte, size int64, kind string) (n int64, ok bool, err error) {
	e := p.opts.Cache.open(sum, kind)
	if e == nil {
		return 0, false, nil
	}
	if !worthKeeping(e.size, size) { // still checked: a damaged entry may lie about its size
		if err := e.copyTo(io.Discard, kind, sum); err != nil {
			return 0, false, nil
		}
		return 0, true, nil
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, false, err
	}
	err = e.copyTo(out, kind, sum)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case err == errDamaged:
		return 0, false, os.Remove(dst)
	case err != nil:
		return 0, false, err
	}
	return e.size, true, p.finish(dst, 0o644, ContentTimeOfSum(e.sum))
}

// counter counts the bytes written through it.
type counter struct{ n int64 }

func (c *counter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// resolve returns the real path of the link at real (relative to the
// input), which p.root has found to lead inside it.
func (p *preparer) resolve(real string) (string, error) {
	abs, err := filepath.EvalSymlinks(filepath.Join(p.real, filepath.FromSlash(real)))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(p.real, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("a link that leads out of the site")
	}
	return filepath.ToSlash(rel), nil
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

// compressibleBytes totals the sizes of the compressible files below in,
// for each of n outputs, by route (all in the first without one): each
// output is compressed as a tree of its own (BrotliQuality, GzipLevel), as
// if it were the only one. A file route cannot place is not counted; the
// walk that writes it fails on it.
func compressibleBytes(in string, n int, route func(string) (int, error)) ([]int64, error) {
	total := make([]int64, n)
	err := filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !Compressible(d.Name(), int(fi.Size())) {
			return nil
		}
		i := 0
		if route != nil {
			rel, err := filepath.Rel(in, p)
			if err != nil {
				return err
			}
			if i, err = route(filepath.ToSlash(rel)); err != nil || i < 0 || i >= n {
				return nil
			}
		}
		total[i] += fi.Size()
		return nil
	})
	return total, err
}
