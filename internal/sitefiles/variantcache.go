package sitefiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
// the digest of the compressed bytes followed by them, checked on every read,
// so a damaged entry is made again, never served. Compression is
// deterministic, so a build with an empty cache writes the same bytes.
type VariantCache struct {
	dir, tag string
}

// NewVariantCache uses dir, which must exist and be writable.
func NewVariantCache(dir string) *VariantCache {
	return &VariantCache{dir: dir, tag: compressorTag()}
}

// compressorTag names the code that compresses: this package's format, the
// Go release (compress/gzip) and the brotli module's version.
func compressorTag() string {
	parts := []string{"f" + variantFormat}
	if bi, ok := debug.ReadBuildInfo(); ok {
		parts = append(parts, bi.GoVersion)
		for _, d := range bi.Deps {
			if d.Path == "github.com/andybalholm/brotli" {
				parts = append(parts, d.Version)
			}
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, " ")))
	return hex.EncodeToString(sum[:6])
}

// get returns compress(data), from the cache when an intact entry for sum
// (the digest of data) and kind (the encoding and its settings) is there,
// and stores it otherwise. A nil cache just compresses.
func (c *VariantCache) get(sum [32]byte, kind string, data []byte, compress func([]byte) ([]byte, error)) ([]byte, error) {
	if c == nil {
		return compress(data)
	}
	key := hex.EncodeToString(sum[:])
	name := filepath.Join(c.dir, key[:2], key[2:]+"."+kind+"."+c.tag)
	if entry, err := os.ReadFile(name); err == nil && len(entry) >= sha256.Size {
		body := entry[sha256.Size:]
		if check := sha256.Sum256(body); bytes.Equal(check[:], entry[:sha256.Size]) {
			return body, nil
		}
	}
	out, err := compress(data)
	if err != nil {
		return nil, err
	}
	if err := c.put(name, out); err != nil {
		return nil, fmt.Errorf("storing a compressed variant in the cache: %w", err)
	}
	return out, nil
}

// put writes an entry under a temporary name and renames it, so a build
// reading the cache at the same time never sees half of one.
func (c *VariantCache) put(name string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	_, err = f.Write(append(sum[:], body...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
