package sitefiles

import (
	"bytes"
	"compress/gzip"
	"io"
	"path"
	"strings"
	"sync"

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
	err := GzipStream(&b, bytes.NewReader(data))
	return b.Bytes(), err
}

// GzipStream is Gzip from a reader to a writer, in chunks of a fixed size:
// the same bytes as Gzip of the whole input, in bounded memory.
func GzipStream(w io.Writer, r io.Reader) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := copyChunks(zw, r); err != nil {
		return err
	}
	return zw.Close()
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
	err := BrotliStream(&b, bytes.NewReader(data), quality)
	return b.Bytes(), err
}

// BrotliStream is Brotli from a reader to a writer, in bounded memory, with
// the same bytes as Brotli of the whole input. The encoder takes a size hint
// from its first block's write, and the hint only matters as below or at
// least 1 MiB (the hasher and the literal context model change there), so
// writing chunks of chunkSize (1 MiB) gives every input the choice one
// write of the whole would have given (TestStreamsMatchWhole).
func BrotliStream(w io.Writer, r io.Reader, quality int) error {
	bw := brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: quality, LGWin: 22})
	if err := copyChunks(bw, r); err != nil {
		return err
	}
	return bw.Close()
}

// chunkSize is how much of a file the helper holds at once; see
// BrotliStream for why it is 1 MiB and not less.
const chunkSize = 1 << 20

// chunks recycles the chunk buffers of copyChunks.
var chunks = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// copyChunks copies r to w in writes of chunkSize, the last one shorter.
func copyChunks(w io.Writer, r io.Reader) error {
	bp := chunks.Get().(*[]byte)
	defer chunks.Put(bp)
	buf := *bp
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return nil
		default:
			return err
		}
	}
}

// worthKeeping reports whether a compressed variant saves enough to serve.
func worthKeeping(compressed, original int64) bool {
	return compressed < original-original/10
}
