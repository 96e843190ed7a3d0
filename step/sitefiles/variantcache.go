package sitefiles

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// variantFormat changes whenever this package changes how it compresses
// (levels, window, headers), so a cache never hands back bytes an older
// layercake made differently.
const variantFormat = "1"

// VariantCache keeps compressed variants in a folder (a BuildKit cache mount
// shared by the builds of one builder), named by the digest of the bytes they
// encode, the encoding and the compressor's versions. A page edit then
// compresses the edited page again, not every page of its layer. An entry is
// the digest of the compressed bytes followed by them, checked on every read
// (streamed, like everything else, so an entry of any size takes a fixed
// amount of memory), so a damaged entry is made again, never served.
// Compression is deterministic, so a build with an empty cache writes the
// same bytes.
type VariantCache struct {
	dir, tag string
}

// NewVariantCache uses dir, which must exist and be writable.
func NewVariantCache(dir string) *VariantCache {
	return &VariantCache{dir: dir, tag: compressorTag()}
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

// name is the entry for the variant of the bytes with digest sum in the
// encoding kind (with its settings).
func (c *VariantCache) name(sum [32]byte, kind string) string {
	key := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, key[:2], key[2:]+"."+kind+"."+c.tag)
}

// cached is an entry being read: its recorded digest and its body's size.
type cached struct {
	f    *os.File
	sum  [32]byte
	size int64
}

// open returns the entry for sum and kind, or nil when there is none (or
// no cache). Its body is not checked yet: see copyTo.
func (c *VariantCache) open(sum [32]byte, kind string) *cached {
	if c == nil {
		return nil
	}
	f, err := os.Open(c.name(sum, kind))
	if err != nil {
		return nil
	}
	e := &cached{f: f}
	fi, err := f.Stat()
	if err != nil || fi.Size() < sha256.Size {
		f.Close()
		return nil
	}
	if _, err := io.ReadFull(f, e.sum[:]); err != nil {
		f.Close()
		return nil
	}
	e.size = fi.Size() - sha256.Size
	return e
}

func (e *cached) Close() error { return e.f.Close() }

// errDamaged means an entry's body does not match its digest, or could not
// be read whole.
var errDamaged = errors.New("damaged cache entry")

// copyTo streams the entry's body to w and checks it against the entry's
// digest on the way: errDamaged when it does not match (w then holds bytes
// that must be thrown away), or w's error.
func (e *cached) copyTo(w io.Writer) error {
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), readOnly{e.f})
	var rerr readError
	switch {
	case errors.As(err, &rerr):
		return errDamaged
	case err != nil:
		return err
	}
	if n != e.size || [32]byte(h.Sum(nil)) != e.sum {
		return errDamaged
	}
	return nil
}

// readOnly tells a read error from a write error in io.Copy, and hides
// *os.File's WriterTo so the body goes through the hash.
type readOnly struct{ r io.Reader }

type readError struct{ error }

func (r readOnly) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}

// entryWriter writes a new entry under a temporary name; commit puts its
// digest in front and renames it, so a build reading the cache at the same
// time never sees half of one.
type entryWriter struct {
	f    *os.File
	name string
}

// create starts the entry for sum and kind; nil (and no error) without a
// cache.
func (c *VariantCache) create(sum [32]byte, kind string) (*entryWriter, error) {
	if c == nil {
		return nil, nil
	}
	name := c.name(sum, kind)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(make([]byte, sha256.Size)); err != nil { // the digest's place
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &entryWriter{f: f, name: name}, nil
}

func (w *entryWriter) Write(b []byte) (int, error) { return w.f.Write(b) }

// commit records sum, the digest of everything written, and publishes the
// entry.
func (w *entryWriter) commit(sum [32]byte) error {
	_, err := w.f.WriteAt(sum[:], 0)
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.f.Name(), w.name)
	}
	if err != nil {
		os.Remove(w.f.Name())
	}
	return err
}

// abort throws the entry away.
func (w *entryWriter) abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}
