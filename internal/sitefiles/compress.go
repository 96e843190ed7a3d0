package sitefiles

import (
	"bytes"
	"compress/gzip"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

// MinCompressSize is the smallest file worth precompressing.
const MinCompressSize = 256

// compressible are the extensions of text-like types worth compressing.
var compressible = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".css": true, ".js": true, ".mjs": true,
	".cjs": true, ".json": true, ".map": true, ".xml": true, ".rss": true, ".atom": true,
	".svg": true, ".txt": true, ".md": true, ".csv": true, ".tsv": true, ".webmanifest": true,
	".ico": true, ".wasm": true, ".ttf": true, ".otf": true, ".eot": true, ".yaml": true,
	".yml": true, ".toml": true, ".ics": true, ".vtt": true, ".xsl": true, ".gpx": true,
}

// Compressible reports whether a file of this name and size gets .gz and .br
// siblings.
func Compressible(name string, size int) bool {
	return size >= MinCompressSize && compressible[strings.ToLower(path.Ext(name))]
}

// Gzip compresses data at the best level with no name and no time in the
// header, so the bytes depend on the input (and this program) alone.
func Gzip(data []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Brotli qualities: the best for files up to brotliBestMax in a site (or a
// site layer) of up to brotliBudget compressible bytes; otherwise a quality
// that runs about 20 times faster and gives up a few percent. Every choice
// depends only on the bytes being prepared, so it is deterministic.
const (
	brotliBest    = 11
	brotliFast    = 6
	brotliBestMax = 1 << 20
	brotliBudget  = 8 << 20
)

// BrotliQuality is the quality for a file of size bytes in a tree holding
// total compressible bytes.
func BrotliQuality(size, total int64) int {
	if size > brotliBestMax || total > brotliBudget {
		return brotliFast
	}
	return brotliBest
}

// Brotli compresses data at the given quality with a fixed window (the
// pure-Go encoder is single-threaded and deterministic).
func Brotli(data []byte, quality int) ([]byte, error) {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: 22})
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// worthKeeping reports whether a compressed variant saves enough to serve.
func worthKeeping(compressed, original int) bool {
	return compressed < original-original/10
}
