package sitefiles

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
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

// Gzip compresses data at the given level with no name and no time in
// the header, so the bytes depend on the input (and this program) alone.
func Gzip(data []byte, level int) ([]byte, error) {
	var b bytes.Buffer
	err := GzipStream(&b, bytes.NewReader(data), level)
	return b.Bytes(), err
}

// GzipStream is Gzip from a reader to a writer, in chunks of a fixed size:
// the same bytes as Gzip of the whole input, in bounded memory.
func GzipStream(w io.Writer, r io.Reader, level int) error {
	if level < gzip.HuffmanOnly || level > gzip.BestCompression {
		return fmt.Errorf("gzip: invalid compression level: %d", level)
	}
	pool := &gzipWriters[level-gzip.HuffmanOnly]
	zw, _ := pool.Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(w, level); err != nil {
			return err
		}
	} else {
		zw.Reset(w)
	}
	err := copyChunks(zw, r)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	zw.Reset(io.Discard) // drop w
	pool.Put(zw)
	return err
}

// gzipWriters keeps gzip writers by level (from gzip.HuffmanOnly): a
// writer's tables take about 1 MiB, and a site has thousands of files.
// Reset makes a writer write what a new one of its level would.
var gzipWriters [gzip.BestCompression - gzip.HuffmanOnly + 1]sync.Pool

// GzipLevel is the gzip level for a tree of total compressible bytes: the
// best, 9, where the tree is small enough for brotli's slow rungs (10 and
// 11); 6 beyond, which klauspost/compress runs about 3 times faster for
// 1 to 4% more bytes (on HTML, one core). Like BrotliQuality it depends
// on the size alone.
func GzipLevel(total int64) int {
	if BrotliQuality(0, total) >= 10 {
		return 9
	}
	return 6
}

// brotliLadder lists the brotli qualities a tree may get, best first, each
// with the throughput planned for it: bytes per second of one core for the
// pure-Go encoder on HTML, rounded down from BenchmarkBrotliLadder on a
// loaded 2-core machine (CPU time, not wall). On HTML, against quality 5,
// quality 6 saves about 1% of the bytes, 10 about 5 to 11% and 11 about 8
// to 13%; qualities 7 to 9 save little more than 6 for several times its
// time (and 9 holds 20 MiB even for a small file), so they are not rungs.
var brotliLadder = []struct {
	quality int
	rate    int64 // bytes per second of one core
}{
	{11, 400_000},
	{10, 800_000},
	{6, 10_000_000},
	{5, 15_000_000},
}

// brotliBudget is the time one tree's brotli pass is planned to take on
// one core: a tree gets the best rung that fits it. The frontend splits a
// site's text into at most 8 layers and compresses each as its own tree,
// so a whole site plans about 8 s of one core, on as many cores as the
// builder has: quality 11 up to about 3 MB of text, 10 up to about 6 MB,
// 6 up to about 80 MB, 5 beyond.
const brotliBudget = 1 // second

// brotliBigFile is the largest file that may get a rung above brotliFast:
// qualities 10 and 11 hold memory in proportion to the file.
const brotliBigFile = 1 << 20

// brotliFast is the rung big files get at most.
const brotliFast = 6

// BrotliQuality is the quality for a file of size bytes in a tree holding
// total compressible bytes: the best rung of the ladder whose planned time
// for the whole tree fits brotliBudget (the last rung when none does), and
// at most brotliFast for a file over brotliBigFile. It depends on the two
// sizes alone, never on a clock or the number of cores, so every builder
// writes the same bytes; a tree moves to another rung only when its size
// crosses one of the ladder's thresholds.
func BrotliQuality(size, total int64) int {
	q := brotliLadder[len(brotliLadder)-1].quality
	for _, r := range brotliLadder {
		if total <= r.rate*brotliBudget {
			q = r.quality
			break
		}
	}
	if size > brotliBigFile {
		q = min(q, brotliFast)
	}
	return q
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
//
// Encoders are kept for the next file (see brotliWriters): the hasher and
// ring buffer they hold are a few MiB that a new encoder would allocate
// and clear again.
func BrotliStream(w io.Writer, r io.Reader, quality int) error {
	if quality < brotli.BestSpeed || quality > brotli.BestCompression {
		return fmt.Errorf("brotli: invalid quality %d", quality)
	}
	bp := chunks.Get().(*[]byte)
	defer chunks.Put(bp)
	first, err := io.ReadFull(r, *bp)
	switch err {
	case nil, io.EOF, io.ErrUnexpectedEOF:
	default:
		return err
	}
	// The encoder picks its hasher for the stream from the size hint its
	// first write gives, once, and Reset keeps it: encoders are only
	// reused for streams whose first write falls on the same side of 1 MiB.
	pool := &brotliWriters[quality][min(first/chunkSize, 1)]
	bw, _ := pool.Get().(*brotli.Writer)
	if bw == nil {
		bw = brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: quality, LGWin: brotliWindow})
	} else {
		bw.Reset(w)
	}
	_, err = bw.Write((*bp)[:first])
	if err == nil && first == chunkSize {
		err = copyChunks(bw, r)
	}
	if cerr := bw.Close(); err == nil {
		err = cerr
	}
	bw.Reset(io.Discard) // drop w
	pool.Put(bw)
	return err
}

// brotliWindow is the encoder's window: 4 MiB.
const brotliWindow = 22

// brotliWriters keeps brotli encoders by quality and by whether the
// stream's first write held a whole chunk (1 MiB).
var brotliWriters [brotli.BestCompression + 1][2]sync.Pool

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
