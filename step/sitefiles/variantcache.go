package sitefiles

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// variantFormat changes whenever this package changes how it compresses
// (levels, window, headers) or how it stores variants, so a cache never
// hands back bytes an older layercake made differently.
const variantFormat = "2"

// VariantCache keeps compressed variants in a folder (a BuildKit cache mount
// shared by the builds of one builder), found by the digest of the bytes
// they encode and the encoding, in a folder of the compressor's versions. A
// page edit then compresses the edited page again, not every page of its
// layer. Compression is deterministic, so a build with an empty cache writes
// the same bytes.
//
// Variants are stored in packs: one file per compressing worker of a run,
// the variants one after the other, then an index (see writePackIndex).
// A file per variant cost a new inode each, and creating thousands of them
// was a third of a text-heavy site's split. A pack is written under a
// temporary name and renamed when its run ends, so a build reading the
// cache at the same time never sees half of one; each entry's digest is in
// the index and checked on every read (streamed, so an entry of any size
// takes a fixed amount of memory), so a damaged entry is made again, never
// served. When a run ends, small packs are merged and the least recently
// used ones dropped beyond a size (see tidyLimits).
//
// A VariantCache is one run's: Prepare and PrepareSplit end it (finish),
// and the next use reads the packs again.
type VariantCache struct {
	mount, sub string // the cache's folder, and this compressor's packs in it

	mu      sync.Mutex
	root    *os.Root // sub, opened in mount: nothing in it leads out
	loaded  bool
	index   map[entryKey]entryLoc
	files   map[string]*os.File // packs open for reading, by path
	used    map[string]bool     // packs this run read from
	writers []*packWriter       // this run's packs
	free    []*packWriter       // those no entry is being written to
}

// NewVariantCache uses dir, which must be writable when a variant is stored.
func NewVariantCache(dir string) *VariantCache {
	return &VariantCache{mount: dir, sub: "packs-" + compressorTag()}
}

// packs opens the folder of this compressor's packs, made when create is
// set. Every file of the cache is reached through it, as an os.Root in the
// cache's folder: the folder is shared by every build on the builder, and
// a link one of them left there cannot lead a pack out of it (into the
// site being written, say).
func (c *VariantCache) packs(create bool) (*os.Root, error) {
	if c.root != nil {
		return c.root, nil
	}
	m, err := os.OpenRoot(c.mount)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	if create {
		if err := m.MkdirAll(c.sub, 0o755); err != nil {
			return nil, err
		}
	}
	if c.root, err = m.OpenRoot(c.sub); err != nil {
		return nil, err
	}
	return c.root, nil
}

// compressorTag names the code that compresses: this package's format, the
// Go release, and the brotli and klauspost/compress (gzip) modules' versions.
func compressorTag() string {
	parts := []string{"f" + variantFormat}
	if bi, ok := debug.ReadBuildInfo(); ok {
		parts = append(parts, bi.GoVersion)
		for _, d := range bi.Deps {
			if d.Path == "github.com/andybalholm/brotli" || d.Path == "github.com/klauspost/compress" {
				parts = append(parts, d.Version)
			}
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, " ")))
	return hex.EncodeToString(sum[:6])
}

// entryKey names a variant: the digest of the bytes it encodes and its
// encoding with its settings ("gz6", "br11").
type entryKey struct {
	sum  [32]byte
	kind string
}

// entryLoc is where a variant is: its pack, its place in it, and the digest
// of its bytes.
type entryLoc struct {
	pack      string
	off, size int64
	digest    [32]byte
}

// cached is an entry being read: its recorded digest and its size.
type cached struct {
	r    *io.SectionReader
	sum  [32]byte
	size int64
}

// open returns the entry for sum and kind, or nil when there is none (or
// no cache). Its body is not checked yet: see copyTo.
func (c *VariantCache) open(sum [32]byte, kind string) *cached {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	key := entryKey{sum, kind}
	loc, ok := c.index[key]
	if !ok {
		return nil
	}
	f := c.files[loc.pack]
	if f == nil {
		var err error
		if f, err = c.root.Open(loc.pack); err != nil { // merged away by another build
			delete(c.index, key)
			return nil
		}
		c.files[loc.pack] = f
	}
	c.used[loc.pack] = true
	return &cached{r: io.NewSectionReader(f, loc.off, loc.size), sum: loc.digest, size: loc.size}
}

// load reads the index of every pack, once per run. Newer packs win where
// two hold the same variant: a damaged entry made again is in the newer.
// Newer is by name (see newPack), not by time: reading a pack makes it
// recent for tidy.
func (c *VariantCache) load() {
	if c.loaded {
		return
	}
	c.loaded = true
	c.index, c.files, c.used = map[entryKey]entryLoc{}, map[string]*os.File{}, map[string]bool{}
	root, err := c.packs(false)
	if err != nil { // no cache yet, or none that can be read
		return
	}
	packs := listPacks(root)
	slices.SortFunc(packs, func(a, b packFile) int { return cmp.Compare(b.name, a.name) }) // newest first: see newPack
	for _, p := range packs {
		if len(c.index) >= maxEntries {
			break
		}
		entries, err := readPackIndex(root, p.name)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if _, ok := c.index[e.key]; !ok {
				c.index[e.key] = entryLoc{pack: p.name, off: e.off, size: e.size, digest: e.digest}
			}
		}
	}
}

// maxEntries bounds the entries a run holds in memory, whatever the packs
// in the shared folder claim: the newest packs are read first, until this
// many entries are held (it ends with a whole pack, so up to one pack's
// more), and the rest is as if not cached. A run of the biggest site
// layercake splits (8 text layers, 20,000 files) writes some 40,000.
var maxEntries = 700_000

// copyTo streams the entry's body to w and checks it on the way: its bytes
// against the entry's digest, and what they decode to, by the encoding of
// kind, against content, the digest of the file the variant stands for.
// It returns errDamaged when either differs (w then holds bytes that must
// be thrown away), or w's error. The decoding is what makes the cache safe
// to share: any build on the builder can write to its mount, but no entry
// it writes is served unless it is the compressed page itself.
func (e *cached) copyTo(w io.Writer, kind string, content [32]byte) error {
	body, out := sha256.New(), &errWriter{w: w}
	n := &counter{}
	r := io.TeeReader(e.r, io.MultiWriter(out, body, n))
	dec, done, err := openDecoder(kind, r)
	if err == nil {
		decoded := sha256.New()
		_, err = io.Copy(decoded, dec)
		done()
		if err == nil && [32]byte(decoded.Sum(nil)) != content {
			err = errDamaged
		}
	}
	if err == nil { // an intact entry has nothing after its stream
		var rest int64
		rest, err = io.Copy(io.Discard, r)
		if rest > 0 {
			err = errDamaged
		}
	}
	switch {
	case out.err != nil:
		return out.err
	case err != nil, n.n != e.size, [32]byte(body.Sum(nil)) != e.sum:
		return errDamaged
	}
	return nil
}

// errDamaged means an entry's body does not match its digest, does not
// decode to the file it stands for, or could not be read whole.
var errDamaged = errors.New("damaged cache entry")

// errWriter keeps w's first error, to tell it from the entry's.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

// openDecoder reads r as the encoding of kind ("gz…" or "br…"); done gives
// the decoder back to its pool.
func openDecoder(kind string, r io.Reader) (dec io.Reader, done func(), err error) {
	switch {
	case strings.HasPrefix(kind, "gz"):
		zr, _ := gzipReaders.Get().(*gzip.Reader)
		if zr == nil {
			if zr, err = gzip.NewReader(r); err != nil {
				return nil, nil, err
			}
		} else if err = zr.Reset(r); err != nil {
			gzipReaders.Put(zr)
			return nil, nil, err
		}
		return zr, func() { gzipReaders.Put(zr) }, nil
	case strings.HasPrefix(kind, "br"):
		br, _ := brotliReaders.Get().(*brotli.Reader)
		if br == nil {
			br = brotli.NewReader(r)
		} else {
			br.Reset(r)
		}
		return br, func() { brotliReaders.Put(br) }, nil
	}
	return nil, nil, fmt.Errorf("no decoder for variants of kind %q", kind)
}

// gzipReaders and brotliReaders keep decoders for the next entry.
var gzipReaders, brotliReaders sync.Pool

// packWriter is one of this run's packs: a temporary file that entries are
// appended to, one at a time.
type packWriter struct {
	f       *os.File
	name    string // in the cache's root
	end     int64  // where the next entry starts
	entries []packEntry
}

// newPack starts a pack in root, under a temporary name. Its final name
// starts with the time it was started, in nanoseconds of 20 digits, so
// names sort by age.
func newPack(root *os.Root) (*packWriter, error) {
	var err error
	for range 100 { // a name taken 100 times running is no accident
		name := fmt.Sprintf("%s%020d-%d%s", tempPrefix, time.Now().UnixNano(), rand.Uint32(), packSuffix)
		var f *os.File
		if f, err = root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
			return &packWriter{f: f, name: name}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	return nil, err
}

// entryWriter writes one new entry at the end of a pack that no other entry
// is being written to; commit records it, abort forgets it.
type entryWriter struct {
	c   *VariantCache
	pw  *packWriter
	key entryKey
	n   int64
}

// create starts the entry for sum and kind; nil (and no error) without a
// cache.
func (c *VariantCache) create(sum [32]byte, kind string) (*entryWriter, error) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	var pw *packWriter
	if n := len(c.free); n > 0 {
		pw, c.free = c.free[n-1], c.free[:n-1]
	} else {
		root, err := c.packs(true)
		if err != nil {
			return nil, err
		}
		if pw, err = newPack(root); err != nil {
			return nil, err
		}
		c.writers = append(c.writers, pw)
		c.files[pw.name] = pw.f
	}
	return &entryWriter{c: c, pw: pw, key: entryKey{sum, kind}}, nil
}

func (w *entryWriter) Write(b []byte) (int, error) {
	n, err := w.pw.f.Write(b)
	w.n += int64(n)
	return n, err
}

// commit records the entry, whose bytes have the digest sum, and hands its
// pack to the next entry. The entry can be read at once.
func (w *entryWriter) commit(sum [32]byte) {
	c, pw := w.c, w.pw
	c.mu.Lock()
	defer c.mu.Unlock()
	pw.entries = append(pw.entries, packEntry{key: w.key, off: pw.end, size: w.n, digest: sum})
	c.index[w.key] = entryLoc{pack: pw.name, off: pw.end, size: w.n, digest: sum}
	pw.end += w.n
	c.free = append(c.free, pw)
}

// abort forgets the entry: the next one is written over it. A pack whose
// file cannot go back is not written to again.
func (w *entryWriter) abort() {
	c, pw := w.c, w.pw
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := pw.f.Seek(pw.end, io.SeekStart); err == nil {
		c.free = append(c.free, pw)
	}
}

// finish ends the run: each pack that holds entries gets its index and its
// name, the others are removed, and the cache is tidied. The next use reads
// the packs again.
func (c *VariantCache) finish() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for _, pw := range c.writers {
		delete(c.files, pw.name)
		if err := pw.publish(c.root); err != nil && first == nil {
			first = fmt.Errorf("storing compressed variants in the cache: %w", err)
		}
	}
	now := time.Now()
	for name, f := range c.files {
		f.Close()
		if c.used[name] {
			c.root.Chtimes(name, now, now) // recently used: kept longest (tidy)
		}
	}
	if c.root != nil {
		if len(c.writers) > 0 {
			tidy(c.root, cacheLimits)
		}
		c.root.Close()
	}
	c.root, c.loaded, c.index, c.files, c.used, c.writers, c.free = nil, false, nil, nil, nil, nil, nil
	return first
}

// publish writes the pack's index and renames it to its final name, or
// removes it when it holds no entry.
func (pw *packWriter) publish(root *os.Root) error {
	if len(pw.entries) == 0 {
		pw.f.Close()
		return root.Remove(pw.name)
	}
	err := writePackIndex(pw.f, pw.end, pw.entries)
	if cerr := pw.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(pw.name, strings.TrimPrefix(pw.name, tempPrefix))
	}
	if err != nil {
		root.Remove(pw.name)
	}
	return err
}

// A pack's file names: a pack being written starts with tempPrefix, and
// every pack ends with packSuffix.
const (
	tempPrefix = ".tmp-"
	packSuffix = ".pack"
)

// packEntry is one entry of a pack's index.
type packEntry struct {
	key       entryKey
	off, size int64
	digest    [32]byte
}

// A pack is its entries' bytes, then the index: the number of entries (4
// bytes) and each entry (the digest of the bytes it encodes, the length of
// its kind in one byte and the kind, its offset and size in 8 bytes each,
// and the digest of its bytes), then a footer: the index's offset (8
// bytes), the index's digest and packMagic. Numbers are big-endian.
const (
	packMagic  = "lcvpack2"
	footerSize = 8 + sha256.Size + len(packMagic)
)

// writePackIndex writes the index of entries and the footer at end, and
// cuts the file there.
func writePackIndex(f *os.File, end int64, entries []packEntry) error {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(entries)))
	for _, e := range entries {
		b = append(b, e.key.sum[:]...)
		b = append(b, byte(len(e.key.kind)))
		b = append(b, e.key.kind...)
		b = binary.BigEndian.AppendUint64(b, uint64(e.off))
		b = binary.BigEndian.AppendUint64(b, uint64(e.size))
		b = append(b, e.digest[:]...)
	}
	sum := sha256.Sum256(b)
	b = binary.BigEndian.AppendUint64(b, uint64(end))
	b = append(b, sum[:]...)
	b = append(b, packMagic...)
	if _, err := f.WriteAt(b, end); err != nil {
		return err
	}
	return f.Truncate(end + int64(len(b)))
}

// maxIndexBytes bounds the index read into memory: about 700,000 entries,
// more than any one run writes. The cache's folder is shared with every
// build on the builder, and a file there may claim an index of any size.
const maxIndexBytes = 64 << 20

// errBadPack means a file is not a whole pack.
var errBadPack = errors.New("not a whole pack")

// readPackIndex reads the index of the pack name in root, checked against
// its digest, with every entry inside the pack.
func readPackIndex(root *os.Root, name string) ([]packEntry, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if size < int64(footerSize) {
		return nil, errBadPack
	}
	foot := make([]byte, footerSize)
	if _, err := f.ReadAt(foot, size-int64(footerSize)); err != nil {
		return nil, err
	}
	end := int64(binary.BigEndian.Uint64(foot))
	if string(foot[8+sha256.Size:]) != packMagic || end < 0 || end > size-int64(footerSize) ||
		size-int64(footerSize)-end > maxIndexBytes {
		return nil, errBadPack
	}
	b := make([]byte, size-int64(footerSize)-end)
	if _, err := f.ReadAt(b, end); err != nil {
		return nil, err
	}
	if sha256.Sum256(b) != [32]byte(foot[8:8+sha256.Size]) || len(b) < 4 {
		return nil, errBadPack
	}
	n, b := binary.BigEndian.Uint32(b), b[4:]
	var entries []packEntry
	for range n {
		if len(b) < sha256.Size+1 || len(b) < sha256.Size+1+int(b[sha256.Size])+16+sha256.Size {
			return nil, errBadPack
		}
		var e packEntry
		e.key.sum = [32]byte(b[:sha256.Size])
		k := int(b[sha256.Size])
		b = b[sha256.Size+1:]
		e.key.kind, b = string(b[:k]), b[k:]
		e.off, e.size = int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))
		e.digest, b = [32]byte(b[16:16+sha256.Size]), b[16+sha256.Size:]
		if e.off < 0 || e.size < 0 || e.off > end-e.size {
			return nil, errBadPack
		}
		entries = append(entries, e)
	}
	if len(b) != 0 {
		return nil, errBadPack
	}
	return entries, nil
}

// packFile is a pack in the cache's folder.
type packFile struct {
	name string
	size int64
	mod  time.Time
}

// listPacks lists the finished packs in root, least recently used first.
func listPacks(root *os.Root) []packFile {
	d, err := root.Open(".")
	if err != nil {
		return nil
	}
	ents, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return nil
	}
	var out []packFile
	for _, e := range ents {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), packSuffix) || strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, packFile{name: e.Name(), size: fi.Size(), mod: fi.ModTime()})
	}
	slices.SortFunc(out, func(a, b packFile) int { return cmp.Or(a.mod.Compare(b.mod), cmp.Compare(a.name, b.name)) })
	return out
}

// tidyLimits bound a cache's folder: a cache of more than maxPacks packs
// has its packs under smallPack merged into one (each run that compresses
// anything adds a pack per worker, and every run reads every index); beyond
// maxBytes the least recently used packs are removed until a quarter of
// that is free.
type tidyLimits struct {
	maxPacks            int
	smallPack, maxBytes int64
}

var cacheLimits = tidyLimits{maxPacks: 64, smallPack: 4 << 20, maxBytes: 4 << 30}

// tidy merges small packs and drops the least recently used ones (see
// tidyLimits). Another build may still read a pack tidy removes: it has it
// open, or finds it gone and compresses again. Failures only leave the
// cache as it was.
func tidy(root *os.Root, lim tidyLimits) {
	packs := listPacks(root)
	if len(packs) > lim.maxPacks {
		var small []packFile
		for _, p := range packs {
			if p.size < lim.smallPack {
				small = append(small, p)
			}
		}
		if len(small) > 1 && mergePacks(root, small) == nil {
			packs = listPacks(root)
		}
	}
	var total int64
	for _, p := range packs {
		total += p.size
	}
	if total <= lim.maxBytes {
		return
	}
	for _, p := range packs {
		if total <= lim.maxBytes/4*3 {
			break
		}
		if root.Remove(p.name) == nil {
			total -= p.size
		}
	}
}

// mergePacks writes the entries of packs into one new pack and removes them.
func mergePacks(root *os.Root, packs []packFile) error {
	pw, err := newPack(root)
	if err != nil {
		return err
	}
	// Newest by name first, as load reads them: its entry wins. Not by
	// time: the pack of a damaged entry is read, so recently used, by the
	// run that makes the entry again in a newer pack.
	packs = slices.SortedFunc(slices.Values(packs), func(a, b packFile) int { return cmp.Compare(b.name, a.name) })
	seen := map[entryKey]bool{}
	var merged []string
	for _, p := range packs {
		entries, err := readPackIndex(root, p.name)
		if err == nil {
			err = pw.copyFrom(root, p.name, entries, seen)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errBadPack) {
			pw.entries = nil
			pw.publish(root)
			return err
		}
		merged = append(merged, p.name)
	}
	if err := pw.publish(root); err != nil {
		return err
	}
	for _, p := range merged {
		root.Remove(p)
	}
	return nil
}

// copyFrom appends the entries of the pack name not in seen.
func (pw *packWriter) copyFrom(root *os.Root, name string, entries []packEntry, seen map[entryKey]bool) error {
	src, err := root.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	for _, e := range entries {
		if seen[e.key] {
			continue
		}
		n, err := io.Copy(pw.f, io.NewSectionReader(src, e.off, e.size))
		if err != nil {
			return err
		}
		if n != e.size {
			return errBadPack
		}
		seen[e.key] = true
		e.off = pw.end
		pw.entries = append(pw.entries, e)
		pw.end += n
	}
	return nil
}
