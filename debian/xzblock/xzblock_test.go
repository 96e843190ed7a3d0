package xzblock

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
	xi2 "github.com/xi2/xz"
)

// encode compresses data into an xz stream with another implementation's
// encoder (github.com/ulikunitz/xz).
func encode(t testing.TB, data []byte, cfg xz.WriterConfig) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := cfg.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// blocks splits a one-stream xz file into its check type, its blocks and
// their uncompressed sizes.
func blocks(t testing.TB, data []byte) (check byte, raw [][]byte, sizes []int) {
	t.Helper()
	flags, split, ok := Split(data)
	if !ok {
		t.Fatal("Split: not a single stream")
	}
	for _, b := range split {
		raw = append(raw, b.Raw)
		sizes = append(sizes, int(b.Uncompressed))
	}
	return flags[1] & 0x0f, raw, sizes
}

func decodeStream(t testing.TB, stream []byte) ([]byte, error) {
	t.Helper()
	check, raw, sizes := blocks(t, stream)
	var out []byte
	for i, b := range raw {
		dst := make([]byte, sizes[i])
		if err := Decode(dst, b, check); err != nil {
			return out, err
		}
		out = append(out, dst...)
	}
	return out, nil
}

// corpus is text (Go sources of the standard library), incompressible
// bytes, long runs and mixtures, so that every kind of LZMA2 chunk and
// LZMA symbol occurs: literals, matched literals, matches shorter and
// longer than their distance, the four recent distances, uncompressed
// chunks, and chunks cut at 2 MiB.
func corpus(t testing.TB) map[string][]byte {
	t.Helper()
	var text bytes.Buffer
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "net", "http", "*.go"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
		if text.Len() > 5<<18 { // 1.25 MiB: chunks end at 64 KiB of compressed data
			break
		}
	}
	if text.Len() < 1<<20 {
		t.Fatalf("only %d bytes of Go sources under GOROOT", text.Len())
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 300<<10)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var mixed bytes.Buffer
	for i := range 40 {
		mixed.Write(text.Bytes()[i*997 : i*997+5000])
		mixed.Write(random[i*3000 : i*3000+2000])
		mixed.Write(bytes.Repeat([]byte{byte(i)}, i*100))
	}
	return map[string][]byte{
		"empty-ish": []byte("x"),
		"text":      text.Bytes(),
		"random":    random,
		"run":       bytes.Repeat([]byte("ab"), 1<<20),
		"mixed":     mixed.Bytes(),
	}
}

// Streams from another encoder, with every check type dpkg-deb or xz can
// write, several literal/position settings and block sizes, decode to
// their input.
func TestDecodeRoundTrip(t *testing.T) {
	configs := map[string]xz.WriterConfig{
		"default":          {},
		"crc32":            {CheckSum: xz.CRC32},
		"sha256":           {CheckSum: xz.SHA256},
		"lc0-lp2-pb0":      {Properties: &lzma.Properties{LC: 0, LP: 2, PB: 0}},
		"lc4-lp0-pb4":      {Properties: &lzma.Properties{LC: 4, LP: 0, PB: 4}},
		"blocks-of-300KiB": {BlockSize: 300 << 10},
		"small-dictionary": {DictCap: 64 << 10},
	}
	t.Parallel()
	for name, data := range corpus(t) {
		for cname, cfg := range configs {
			t.Run(name+"/"+cname, func(t *testing.T) {
				t.Parallel()
				got, err := decodeStream(t, encode(t, data, cfg))
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("decoded %d bytes, want the %d encoded", len(got), len(data))
				}
			})
		}
	}
}

// Damage anywhere in a block is an error, never a panic or wrong bytes.
func TestDecodeDamaged(t *testing.T) {
	t.Parallel()
	data := corpus(t)["mixed"]
	check, raw, sizes := blocks(t, encode(t, data, xz.WriterConfig{}))
	block := raw[0]
	for _, at := range []int{0, 1, 5, 12, 13, 100, len(block) / 2, len(block) - 20, len(block) - 9, len(block) - 1} {
		damaged := bytes.Clone(block)
		damaged[at] ^= 0x55
		if err := Decode(make([]byte, sizes[0]), damaged, check); err == nil {
			t.Errorf("byte %d damaged: no error", at)
		}
	}
	if err := Decode(make([]byte, sizes[0]), block[:len(block)/2], check); err == nil {
		t.Error("half a block: no error")
	}
	if err := Decode(make([]byte, sizes[0]+1), block, check); err == nil {
		t.Error("a size other than the index's: no error")
	}
}

// A block whose check the package does not verify, none included, is
// ErrUnsupported, for the caller to decode it another way.
func TestDecodeUnsupportedCheck(t *testing.T) {
	check, raw, sizes := blocks(t, encode(t, []byte("hello"), xz.WriterConfig{NoCheckSum: true}))
	if err := Decode(make([]byte, sizes[0]), raw[0], check); !errors.Is(err, ErrUnsupported) {
		t.Errorf("no check: %v, want ErrUnsupported", err)
	}
	check, raw, sizes = blocks(t, encode(t, []byte("hello"), xz.WriterConfig{}))
	if err := Decode(make([]byte, sizes[0]), raw[0], 0x02); !errors.Is(err, ErrUnsupported) || check != CheckCRC64 {
		t.Errorf("check type 2: %v, want ErrUnsupported", err)
	}
}

// FuzzDecode: any input, encoded by another implementation, decodes to
// itself; the same block with one byte changed decodes to an error (or,
// should the change not matter, to the same bytes), never a panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("hello, hello, hello"), uint32(30))
	f.Add(bytes.Repeat([]byte("abc"), 5000), uint32(7))
	f.Add([]byte(strings.Repeat("fuzz ", 300)+"\x00\x01\x02"), uint32(1000))
	f.Fuzz(func(t *testing.T, data []byte, damage uint32) {
		if len(data) == 0 || len(data) > 1<<20 {
			return
		}
		check, raw, sizes := blocks(t, encode(t, data, xz.WriterConfig{DictCap: 64 << 10}))
		if len(raw) != 1 {
			t.Fatalf("%d blocks, want 1", len(raw))
		}
		dst := make([]byte, sizes[0])
		if err := Decode(dst, raw[0], check); err != nil || !bytes.Equal(dst, data) {
			t.Fatalf("Decode: %v; equal: %v", err, bytes.Equal(dst, data))
		}
		damaged := bytes.Clone(raw[0])
		damaged[int(damage%uint32(len(damaged)))] ^= 0xa5
		clear(dst)
		if err := Decode(dst, damaged, check); err == nil && !bytes.Equal(dst, data) {
			t.Fatalf("a damaged block decoded without error to other bytes")
		}
	})
}

// BenchmarkDecode decodes a stream block after block on one core, with
// this package and with github.com/xi2/xz (what layercake used before):
// LAYERCAKE_BENCH_XZ names a .xz file (a package's data.tar.xz, say),
// else the test corpus' text is used.
func BenchmarkDecode(b *testing.B) {
	var stream []byte
	if name := os.Getenv("LAYERCAKE_BENCH_XZ"); name != "" {
		var err error
		if stream, err = os.ReadFile(name); err != nil {
			b.Fatal(err)
		}
	} else {
		stream = encode(b, corpus(b)["text"], xz.WriterConfig{})
	}
	check, raw, sizes := blocks(b, stream)
	total := 0
	for _, n := range sizes {
		total += n
	}
	b.Run("xzblock", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for i, blk := range raw {
				if err := Decode(make([]byte, sizes[i]), blk, check); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("xi2", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			r, err := xi2.NewReader(bytes.NewReader(stream), 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
