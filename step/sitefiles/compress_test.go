package sitefiles

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"

	"github.com/andybalholm/brotli"
)

// wholeGzip and wholeBrotli are how variants were made before they streamed:
// the whole file in one write. Images must keep their bytes.
func wholeGzip(data []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func wholeBrotli(data []byte, quality int) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: quality, LGWin: 22})
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func textOfSize(n int) []byte {
	var b bytes.Buffer
	x := uint64(88172645463325252)
	for i := 0; b.Len() < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		fmt.Fprintf(&b, "{\"id\":%d,\"name\":\"item %d\",\"score\":%d,\"tag\":\"t%x\"},\n", i, i, x%100000, x%4096)
	}
	return b.Bytes()[:n]
}

// Streaming in chunks gives the bytes one write of the whole gave, on both
// sides of the brotli encoder's 1 MiB size-hint threshold and of a chunk.
func TestStreamsMatchWhole(t *testing.T) {
	sizes := []int{300, 70_000, 1<<20 - 1, 1 << 20, 1<<20 + 1, 3<<20 + 12345}
	if testing.Short() {
		sizes = sizes[:4]
	}
	for _, n := range sizes {
		data := textOfSize(n)
		if got, err := Gzip(data); err != nil || !bytes.Equal(got, wholeGzip(data)) {
			t.Errorf("Gzip of %d bytes differs from one write of the whole (error %v)", n, err)
		}
		qualities := []int{brotliFast}
		if n <= 70_000 {
			qualities = append(qualities, brotliBest) // quality 11 is only used up to brotliBestMax
		}
		for _, q := range qualities {
			if got, err := Brotli(data, q); err != nil || !bytes.Equal(got, wholeBrotli(data, q)) {
				t.Errorf("Brotli(q%d) of %d bytes differs from one write of the whole (error %v)", q, n, err)
			}
		}
	}
}
