package debunpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/layercake-build/layercake/internal/xzblock"
	"github.com/xi2/xz"
)

// newXZReader decodes an xz stream block by block: each block into a
// buffer of its size, by internal/xzblock (about 1.3 to 1.7 times as fast as
// github.com/xi2/xz, which decodes whatever it does not handle), and the
// blocks of a stream made by a multi-threaded encoder (dpkg-deb's default)
// in parallel, a block per core. The bytes come out in order. Every block's
// check is verified. A stream the split does not handle (stream padding,
// several streams, a block over 256 MiB) is decoded as a stream by
// github.com/xi2/xz. Trixie's hugo package (four 24 MiB blocks) unpacks in
// about half the time on two cores.

// xzMagic opens an xz stream; xzFooterMagic closes one.
var (
	xzMagic       = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	xzFooterMagic = []byte{'Y', 'Z'}
)

// xzBlock is one block of a stream: its bytes (header, data, padding and
// check) and its index record.
type xzBlock struct {
	raw                  []byte
	unpadded, uncompress uint64
}

// newXZReader reads all of r and returns the decoded stream, and a function
// that stops decoding when the stream is left unread.
func newXZReader(r io.Reader) (io.Reader, func(), error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	flags, blocks, ok := xzBlocks(data)
	if !ok || len(blocks) == 0 || slices.ContainsFunc(blocks, func(b xzBlock) bool { return b.uncompress > maxBlockInMemory }) {
		xr, err := getXZReader(bytes.NewReader(data))
		if err != nil {
			return nil, nil, err
		}
		return xr, func() { xzReaders.Put(xr) }, nil
	}
	br := decodeBlocks(flags, blocks, runtime.NumCPU())
	return br, br.close, nil
}

// xzReaders keeps decoders between streams. A decoder allocates its
// dictionary (8 MiB for what dpkg-deb makes, even for a control.tar of a
// few kilobytes) and keeps it when reset, so a step that unpacks many
// packages allocates it once per core, not twice per package.
var xzReaders sync.Pool

// getXZReader returns a decoder of r, reused when one is free.
func getXZReader(r io.Reader) (*xz.Reader, error) {
	if z, ok := xzReaders.Get().(*xz.Reader); ok {
		if err := z.Reset(r); err != nil {
			return nil, err
		}
		return z, nil
	}
	return xz.NewReader(r, 0)
}

// xzBlocks splits a single-stream xz file into its blocks, using the index
// at its end. ok is false for anything else, which is then decoded whole.
func xzBlocks(data []byte) (flags []byte, blocks []xzBlock, ok bool) {
	if len(data) < 32 || !bytes.Equal(data[:6], xzMagic) || !bytes.Equal(data[len(data)-2:], xzFooterMagic) {
		return nil, nil, false
	}
	flags = data[6:8]
	footer := data[len(data)-12:]
	if !bytes.Equal(footer[8:10], flags) {
		return nil, nil, false
	}
	indexSize := (int(binary.LittleEndian.Uint32(footer[4:8])) + 1) * 4
	indexStart := len(data) - 12 - indexSize
	if indexStart < 12 {
		return nil, nil, false
	}
	index := data[indexStart : len(data)-12]
	if index[0] != 0 {
		return nil, nil, false
	}
	p := 1
	n, ok := uvarint(index, &p)
	if !ok || n > uint64(len(index)) {
		return nil, nil, false
	}
	offset := 12
	for range n {
		unpadded, ok1 := uvarint(index, &p)
		uncompressed, ok2 := uvarint(index, &p)
		size := int((unpadded + 3) &^ 3)
		if !ok1 || !ok2 || unpadded == 0 || size <= 0 || offset+size > indexStart {
			return nil, nil, false
		}
		blocks = append(blocks, xzBlock{raw: data[offset : offset+size], unpadded: unpadded, uncompress: uncompressed})
		offset += size
	}
	if offset != indexStart {
		return nil, nil, false // stream padding, or another stream: decode it whole
	}
	return flags, blocks, true
}

// uvarint reads one of the index's variable-length integers at *p.
func uvarint(b []byte, p *int) (uint64, bool) {
	var v uint64
	for i := 0; i < 9 && *p < len(b); i++ {
		c := b[*p]
		*p++
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, true
		}
	}
	return 0, false
}

// singleBlockStream wraps one block into a stream of its own: the original
// stream flags, the block, an index with its one record, and a footer.
func singleBlockStream(flags []byte, b xzBlock) []byte {
	var s bytes.Buffer
	s.Write(xzMagic)
	s.Write(flags)
	binary.Write(&s, binary.LittleEndian, crc32.ChecksumIEEE(flags))
	s.Write(b.raw)
	index := []byte{0x00, 0x01}
	index = binary.AppendUvarint(index, b.unpadded)
	index = binary.AppendUvarint(index, b.uncompress)
	for len(index)%4 != 0 {
		index = append(index, 0)
	}
	index = binary.LittleEndian.AppendUint32(index, crc32.ChecksumIEEE(index))
	s.Write(index)
	tail := binary.LittleEndian.AppendUint32(nil, uint32(len(index)/4-1))
	tail = append(tail, flags...)
	binary.Write(&s, binary.LittleEndian, crc32.ChecksumIEEE(tail))
	s.Write(tail)
	s.Write(xzFooterMagic)
	return s.Bytes()
}

// decodedBlock is a block's bytes or the error decoding it.
type decodedBlock struct {
	data []byte
	err  error
}

// decodeBlocks decodes blocks with up to workers at a time and returns them
// in order. At most twice that many blocks are decoded or held ahead of the
// reader, so a long first block does not stall the workers behind it.
func decodeBlocks(flags []byte, blocks []xzBlock, workers int) *blockReader {
	workers = max(1, min(workers, len(blocks)))
	r := &blockReader{results: make([]chan decodedBlock, len(blocks)), slots: make(chan struct{}, 2*workers), done: make(chan struct{})}
	decoding := make(chan struct{}, workers)
	for i := range r.results {
		r.results[i] = make(chan decodedBlock, 1)
	}
	go func() {
		for i, b := range blocks {
			select {
			case r.slots <- struct{}{}:
			case <-r.done:
				return
			}
			go func() {
				decoding <- struct{}{}
				d := decodeBlock(flags, b)
				<-decoding
				r.results[i] <- d
			}()
		}
	}()
	return r
}

// maxBlockInMemory is the largest block decoded whole; a stream with a
// larger one is decoded as a stream, with a dictionary of its own size.
const maxBlockInMemory = 256 << 20

// decodeBlock decodes a block into a buffer of its size, with
// internal/xzblock, which verifies its check; a block it does not handle,
// or cannot decode, is decoded again by github.com/xi2/xz, as a stream of
// its own.
func decodeBlock(flags []byte, b xzBlock) decodedBlock {
	if b.uncompress > maxBlockInMemory {
		return decodedBlock{err: errors.New("xz: a block larger than 256 MiB")}
	}
	out := make([]byte, b.uncompress)
	if err := xzblock.Decode(out, b.raw, flags[1]&0x0f); err == nil {
		return decodedBlock{data: out}
	}
	r, err := getXZReader(bytes.NewReader(singleBlockStream(flags, b)))
	if err != nil {
		return decodedBlock{err: err}
	}
	defer xzReaders.Put(r)
	if _, err := io.ReadFull(r, out); err != nil {
		return decodedBlock{err: err}
	}
	// Read to the end: the block's check and the index are verified there.
	var extra [1]byte
	for {
		n, err := r.Read(extra[:])
		if n > 0 {
			return decodedBlock{err: errors.New("xz: a block is larger than its index record says")}
		}
		if err == io.EOF {
			return decodedBlock{data: out}
		}
		if err != nil {
			return decodedBlock{err: err}
		}
	}
}

// blockReader reads the decoded blocks in order.
type blockReader struct {
	results []chan decodedBlock
	slots   chan struct{}
	done    chan struct{}
	once    sync.Once
	cur     []byte
	next    int
	err     error
}

// close stops starting blocks; those being decoded finish into their
// buffered channels.
func (r *blockReader) close() { r.once.Do(func() { close(r.done) }) }

func (r *blockReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.next == len(r.results) {
			return 0, io.EOF
		}
		d := <-r.results[r.next]
		<-r.slots // the block is taken: another may be decoded
		r.next++
		r.cur, r.err = d.data, d.err
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}
