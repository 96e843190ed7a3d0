package unpack

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/debian/xzblock"
	ulikunitz "github.com/ulikunitz/xz"
	"github.com/xi2/xz"
)

// testdata/blocks.xz: 39,613 bytes of text compressed by
// `xz -T2 --block-size=8KiB` into one stream of five blocks.
const (
	blocksFixture = "testdata/blocks.xz"
	blocksSHA256  = "053391a51578246d2d2de99a4855da011e5ec2a860191a4656b601cbb9358ff7"
)

func decodeAll(t *testing.T, data []byte) ([]byte, error) {
	t.Helper()
	r, closeFn, err := newXZReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return io.ReadAll(r)
}

// A stream of several blocks is split by its index and decoded block by
// block, with one worker or many: the same bytes as the whole stream.
func TestXZBlocksDecodeInOrder(t *testing.T) {
	data, err := os.ReadFile(blocksFixture)
	if err != nil {
		t.Fatal(err)
	}
	flags, blocks, ok := xzblock.Split(data)
	if !ok || len(blocks) != 5 {
		t.Fatalf("Split found %d blocks (ok %v), want 5", len(blocks), ok)
	}
	for _, workers := range []int{1, 2, 5} {
		got, err := io.ReadAll(decodeBlocks(flags, blocks, workers))
		sum := sha256.Sum256(got)
		if err != nil || hex.EncodeToString(sum[:]) != blocksSHA256 {
			t.Errorf("%d workers: %d bytes, error %v; want the fixture's text", workers, len(got), err)
		}
	}
	got, err := decodeAll(t, data)
	if sum := sha256.Sum256(got); err != nil || hex.EncodeToString(sum[:]) != blocksSHA256 {
		t.Errorf("newXZReader: %d bytes, error %v", len(got), err)
	}
}

// A damaged block fails the read, as in a whole-stream decode; a stream
// with padding after it (which the split does not handle) is decoded whole.
func TestXZBlocksDamageAndFallback(t *testing.T) {
	data, err := os.ReadFile(blocksFixture)
	if err != nil {
		t.Fatal(err)
	}
	_, blocks, _ := xzblock.Split(data)
	damaged := bytes.Clone(data)
	damaged[12+len(blocks[0].Raw)+len(blocks[1].Raw)+40] ^= 0x55 // inside block 3
	if _, err := decodeAll(t, damaged); err == nil {
		t.Error("a damaged block decoded without error")
	}
	padded := append(bytes.Clone(data), 0, 0, 0, 0)
	if _, _, ok := xzblock.Split(padded); ok {
		t.Error("Split split a stream followed by padding")
	}
	got, err := decodeAll(t, padded)
	if sum := sha256.Sum256(got); err != nil || hex.EncodeToString(sum[:]) != blocksSHA256 {
		t.Errorf("padded stream: %d bytes, error %v; want it decoded whole", len(got), err)
	}
	for _, bad := range [][]byte{nil, []byte("not xz at all, but long enough to look at"), data[:len(data)-3]} {
		if _, _, ok := xzblock.Split(bad); ok {
			t.Errorf("Split accepted %q", bad[:min(len(bad), 10)])
		}
	}
}

// Leaving the stream unread stops the decoding.
func TestXZBlocksClose(t *testing.T) {
	data, err := os.ReadFile(blocksFixture)
	if err != nil {
		t.Fatal(err)
	}
	r, closeFn, err := newXZReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(r, buf); err != nil || !strings.Contains(string(buf), " ") {
		t.Fatalf("first bytes %q, %v", buf, err)
	}
	closeFn()
	closeFn()
}

// FuzzXZBlocks: the splitter never panics on any input, and whatever it
// accepts decodes to the same bytes, or fails the same way, as the whole.
// FuzzXZBlocks decodes arbitrary bytes both ways: by blocks (this
// package, with debian/xzblock) and as a stream by github.com/xi2/xz, the
// reference. Both must accept or both refuse, and give the same bytes.
func FuzzXZBlocks(f *testing.F) {
	data, err := os.ReadFile(blocksFixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(encodeXZ(f, []byte("hello, blocks"), ulikunitz.WriterConfig{}))
	f.Add(encodeXZ(f, bytes.Repeat([]byte("abcd"), 3000), ulikunitz.WriterConfig{CheckSum: ulikunitz.SHA256, BlockSize: 4096}))
	f.Add(encodeXZ(f, bytes.Repeat([]byte("layercake "), 500), ulikunitz.WriterConfig{NoCheckSum: true}))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		if _, blocks, ok := xzblock.Split(in); ok {
			for _, b := range blocks {
				if b.Uncompressed > 1<<22 {
					return // a 4 MiB block is enough to compare; bigger only costs memory
				}
			}
		}
		want, wantErr := referenceXZ(in)
		if errors.Is(wantErr, errTooBig) {
			return
		}
		r, stop, err := newXZReader(bytes.NewReader(in))
		var got []byte
		if err == nil {
			got, err = io.ReadAll(io.LimitReader(r, 1<<24))
			stop()
		}
		switch {
		case (err == nil) != (wantErr == nil):
			t.Fatalf("blocks: %v; reference: %v", err, wantErr)
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("blocks gave %d bytes, the reference %d, and they differ", len(got), len(want))
		}
	})
}

var errTooBig = errors.New("more than 16 MiB")

// encodeXZ compresses data with github.com/ulikunitz/xz.
func encodeXZ(tb testing.TB, data []byte, cfg ulikunitz.WriterConfig) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := cfg.NewWriter(&buf)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// referenceXZ decodes a whole stream with github.com/xi2/xz.
func referenceXZ(in []byte) ([]byte, error) {
	r, err := xz.NewReader(bytes.NewReader(in), 0)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(r, 1<<24+1))
	if len(out) > 1<<24 {
		return nil, errTooBig
	}
	return out, err
}

// BenchmarkXZDecode compares decoding a stream whole with decoding its
// blocks in parallel. It uses the fixture, or the xz file named by
// LAYERCAKE_BENCH_XZ (a package's data.tar.xz, for example).
func BenchmarkXZDecode(b *testing.B) {
	name := os.Getenv("LAYERCAKE_BENCH_XZ")
	if name == "" {
		name = blocksFixture
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			r, err := xz.NewReader(bytes.NewReader(data), 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("blocks", func(b *testing.B) {
		for b.Loop() {
			r, closeFn, err := newXZReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
			closeFn()
		}
	})
}

// A decoder handed back mid-stream, or after a damaged stream, decodes the
// next stream from its start: reuse keeps only the dictionary's memory.
func TestXZReaderReuse(t *testing.T) {
	data, err := os.ReadFile(blocksFixture)
	if err != nil {
		t.Fatal(err)
	}
	flags, blocks, _ := xzblock.Split(data)
	want := make([][]byte, 2)
	for i := range want {
		d := decodeBlock(flags, blocks[i])
		if d.err != nil {
			t.Fatal(d.err)
		}
		want[i] = d.data
	}
	first, second := blocks[0].Stream(flags), blocks[1].Stream(flags)
	for round := range 3 {
		r, closeFn, err := newXZReader(bytes.NewReader(first))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(r, make([]byte, 100)); err != nil {
			t.Fatal(err)
		}
		closeFn() // mid-stream
		damaged := bytes.Clone(second)
		damaged[len(damaged)/2] ^= 0xff
		if got, err := decodeAll(t, damaged); err == nil && bytes.Equal(got, want[1]) {
			t.Fatalf("round %d: a damaged stream decoded cleanly", round)
		}
		got, err := decodeAll(t, second)
		if err != nil || !bytes.Equal(got, want[1]) {
			t.Errorf("round %d: %d bytes, error %v; want the second block's %d", round, len(got), err, len(want[1]))
		}
	}
}

// A block debian/xzblock does not handle (here: a stream without a
// check) is decoded by github.com/xi2/xz instead.
func TestXZBlocksFallBackToStreamDecoder(t *testing.T) {
	want := bytes.Repeat([]byte("layercake "), 10000)
	var buf bytes.Buffer
	w, err := ulikunitz.WriterConfig{NoCheckSum: true}.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(want)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := decodeAll(t, buf.Bytes())
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%d bytes, error %v; want the %d written", len(got), err, len(want))
	}
}

// FuzzXZBlockData damages the blocks of a valid stream, leaving its header
// and index intact, so the stream still splits and debian/xzblock decodes
// the damaged data itself: it must agree with github.com/xi2/xz on
// accepting and on the bytes.
func FuzzXZBlockData(f *testing.F) {
	f.Add([]byte("hello, hello, hello, blocks"), uint16(20), byte(0xa5), uint8(1))
	f.Add(bytes.Repeat([]byte("layercake serves sites "), 400), uint16(300), byte(0x01), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, at uint16, xor byte, spread uint8) {
		if len(data) == 0 || len(data) > 1<<16 || xor == 0 {
			return
		}
		stream := encodeXZ(t, data, ulikunitz.WriterConfig{BlockSize: 1 << 12})
		_, blocks, ok := xzblock.Split(stream)
		if !ok {
			t.Fatalf("a stream ulikunitz/xz wrote does not split")
		}
		end := 12
		for _, b := range blocks {
			end += len(b.Raw)
		}
		damaged := bytes.Clone(stream)
		for i := range int(spread%4) + 1 {
			damaged[12+(int(at)+i*37)%(end-12)] ^= xor
		}
		want, wantErr := referenceXZ(damaged)
		r, stop, err := newXZReader(bytes.NewReader(damaged))
		var got []byte
		if err == nil {
			got, err = io.ReadAll(r)
			stop()
		}
		switch {
		case (err == nil) != (wantErr == nil):
			t.Fatalf("blocks: %v; reference: %v", err, wantErr)
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("blocks and the reference decode the damaged stream to different bytes")
		}
	})
}

// A block debian/xzblock finds damaged is an error of its own, never
// decoded again by the fallback decoder; only an unsupported block is.
func TestXZBlocksDamagedIsError(t *testing.T) {
	stream := encodeXZ(t, bytes.Repeat([]byte("layercake serves sites "), 400), ulikunitz.WriterConfig{BlockSize: 1 << 12})
	damaged := bytes.Clone(stream)
	damaged[40] ^= 0x55 // inside the first block's LZMA2 data
	before := XZFallbacks.Load()
	_, err := decodeAll(t, damaged)
	if err == nil || !strings.Contains(err.Error(), "xzblock") {
		t.Errorf("decoding a damaged block: %v, want debian/xzblock's error", err)
	}
	if n := XZFallbacks.Load() - before; n != 0 {
		t.Errorf("%d blocks went to the fallback decoder, want none", n)
	}
	plain := encodeXZ(t, []byte("no check here"), ulikunitz.WriterConfig{NoCheckSum: true})
	if got, err := decodeAll(t, plain); err != nil || string(got) != "no check here" || XZFallbacks.Load()-before != 1 {
		t.Errorf("a block without a check: %q, %v, %d fallbacks; want it decoded by the fallback, once", got, err, XZFallbacks.Load()-before)
	}
}
