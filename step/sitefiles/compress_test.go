package sitefiles

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// wholeGzip and wholeBrotli are how variants were made before they streamed:
// the whole file in one write. Images must keep their bytes.
func wholeGzip(data []byte, level int) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, level)
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
		for _, level := range []int{6, 9} {
			if got, err := Gzip(data, level); err != nil || !bytes.Equal(got, wholeGzip(data, level)) {
				t.Errorf("Gzip(level %d) of %d bytes differs from one write of the whole (error %v)", level, n, err)
			}
		}
		qualities := []int{brotliFast, 5}
		if n <= 70_000 {
			qualities = append(qualities, 10, 11) // only files up to brotliBigFile get them
		}
		for _, q := range qualities {
			if got, err := Brotli(data, q); err != nil || !bytes.Equal(got, wholeBrotli(data, q)) {
				t.Errorf("Brotli(q%d) of %d bytes differs from one write of the whole (error %v)", q, n, err)
			}
		}
	}
}

// Encoders are kept between files (gzipWriters, brotliWriters): whatever
// file an encoder wrote before, the next one gets the bytes a new encoder
// gives. Each size and setting runs after every other, both ways round.
func TestReusedEncodersMatchNew(t *testing.T) {
	sizes := []int{300, 70_000, 1<<20 - 1, 1 << 20, 2<<20 + 7}
	if testing.Short() {
		sizes = sizes[:3]
	}
	type job struct{ size, quality, level int }
	var jobs []job
	for _, n := range sizes {
		for _, q := range []int{5, 6, 10, 11} {
			if q < 10 || n <= 70_000 {
				jobs = append(jobs, job{size: n, quality: q})
			}
		}
		for _, l := range []int{6, 9} {
			jobs = append(jobs, job{size: n, level: l})
		}
	}
	want := map[job][]byte{}
	for _, j := range jobs {
		if j.level != 0 {
			want[j] = wholeGzip(textOfSize(j.size), j.level)
		} else {
			want[j] = wholeBrotli(textOfSize(j.size), j.quality)
		}
	}
	run := func(order []job) {
		for _, j := range order {
			var got []byte
			var err error
			if j.level != 0 {
				got, err = Gzip(textOfSize(j.size), j.level)
			} else {
				got, err = Brotli(textOfSize(j.size), j.quality)
			}
			if err != nil || !bytes.Equal(got, want[j]) {
				t.Errorf("%+v after other files: %d bytes (error %v), a new encoder writes %d", j, len(got), err, len(want[j]))
			}
		}
	}
	run(jobs)
	back := slices.Clone(jobs)
	slices.Reverse(back)
	run(back)
}

// The quality is the best rung whose planned time for the tree fits the
// budget, and big files never get more than brotliFast. Sizes alone decide.
func TestBrotliQuality(t *testing.T) {
	for _, tt := range []struct {
		size, total int64
		want        int
	}{
		{10_000, 10_000, 11},         // a small site: the best
		{10_000, 400_000, 11},        // quality 11 fills the budget exactly
		{10_000, 400_001, 10},        // one byte more: the next rung
		{10_000, 800_000, 10},        //
		{10_000, 800_001, 6},         //
		{10_000, 10_000_000, 6},      //
		{10_000, 10_000_001, 5},      //
		{10_000, 1 << 40, 5},         // nothing fits: the fastest rung
		{1<<20 + 1, 1<<20 + 1, 6},    // a big file in a tree that fits quality 6
		{1 << 20, 1 << 20, 6},        // 1 MiB is above quality 10's threshold anyway
		{300_000 * 3, 1 << 30, 5},    // a big tree caps a small file too
		{brotliBigFile + 1, 100, 6},  // a file bigger than its tree (not possible, still capped)
		{brotliBigFile, 300_000, 11}, // at brotliBigFile a file may still get the best
		{0, 0, 11},                   // an empty tree
	} {
		if got := BrotliQuality(tt.size, tt.total); got != tt.want {
			t.Errorf("BrotliQuality(%d, %d) = %d, want %d", tt.size, tt.total, got, tt.want)
		}
	}
	for total := int64(1); total < 1<<32; total = total*3 + 7 {
		if q, next := BrotliQuality(1000, total), BrotliQuality(1000, total*3+7); next > q {
			t.Errorf("BrotliQuality(1000, %d) = %d, more bytes get a better quality %d", total, q, next)
		}
	}
}

// htmlOfSize is n bytes of pages with markup that repeats and prose that
// does not, like a generated site's.
func htmlOfSize(n int) []byte {
	words := strings.Fields("the a of and to in is that for it on with as was by at be this from or an have are " +
		"not but which one they you all were we when there can been has more if will would about their what so " +
		"build image layer cache server page site file folder change push registry network request response")
	var b bytes.Buffer
	x := uint64(88172645463325252)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for b.Len() < n {
		b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Guide</title>" +
			"<link rel=\"stylesheet\" href=\"/assets/site.css\"></head>\n<body><nav><ul><li><a href=\"/\">Home</a></li>" +
			"<li><a href=\"/guide/\">Guide</a></li><li><a href=\"/about/\">About</a></li></ul></nav>\n<main>\n")
		for range 8 + next()%24 {
			fmt.Fprintf(&b, "<h2 id=\"s%d\">Section %d</h2>\n<p>", next()%1000, next()%100)
			for range 40 + next()%80 {
				b.WriteString(words[next()%uint64(len(words))])
				b.WriteByte(' ')
			}
			b.WriteString("</p>\n")
		}
		b.WriteString("</main><footer><p>Served by nginx.</p></footer></body></html>\n")
	}
	return b.Bytes()[:n]
}

// BenchmarkBrotliLadder measures each rung of brotliLadder (and gzip) on
// pages of HTML: MB/s is the rate the ladder plans with, ratio the size
// of the variant over the page's. Run it with -cpu 1 on an idle machine
// before changing a rate.
func BenchmarkBrotliLadder(b *testing.B) {
	var pages [][]byte
	for i := range 40 {
		pages = append(pages, htmlOfSize(10_000+i*1_000))
	}
	var total int
	for _, p := range pages {
		total += len(p)
	}
	bench := func(name string, compress func([]byte) ([]byte, error)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(total))
			var out int
			for b.Loop() {
				out = 0
				for _, p := range pages {
					c, err := compress(p)
					if err != nil {
						b.Fatal(err)
					}
					out += len(c)
				}
			}
			b.ReportMetric(float64(out)/float64(total), "ratio")
		})
	}
	for _, level := range []int{9, 6} {
		bench(fmt.Sprintf("gzip%d", level), func(p []byte) ([]byte, error) { return Gzip(p, level) })
	}
	for _, r := range brotliLadder {
		bench(fmt.Sprintf("br%d", r.quality), func(p []byte) ([]byte, error) { return Brotli(p, r.quality) })
	}
}

// Gzip takes its best level where brotli takes its slow rungs, and the
// fast one beyond.
func TestGzipLevel(t *testing.T) {
	for _, tt := range []struct {
		total int64
		want  int
	}{{0, 9}, {400_000, 9}, {800_000, 9}, {800_001, 6}, {1 << 40, 6}} {
		if got := GzipLevel(tt.total); got != tt.want {
			t.Errorf("GzipLevel(%d) = %d, want %d", tt.total, got, tt.want)
		}
	}
}
