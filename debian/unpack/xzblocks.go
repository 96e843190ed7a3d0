package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/layercake-build/layercake/debian/xzblock"
	"github.com/xi2/xz"
)

// newXZReader decodes an xz stream block by block: each block into a
// buffer of its size, by debian/xzblock (about 1.3 to 1.7 times as fast as
// github.com/xi2/xz, which decodes whatever it does not handle), and the
// blocks of a stream made by a multi-threaded encoder (dpkg-deb's default)
// in parallel, a block per core. The bytes come out in order. Every block's
// check is verified. A stream the split does not handle (stream padding,
// several streams, a block over 256 MiB) is decoded as a stream by
// github.com/xi2/xz. Trixie's hugo package (four 24 MiB blocks) unpacks in
// about half the time on two cores.

// newXZReader reads all of r and returns the decoded stream, and a function
// that stops decoding when the stream is left unread.
func newXZReader(r io.Reader) (io.Reader, func(), error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	flags, blocks, ok := xzblock.Split(data)
	if !ok || len(blocks) == 0 || slices.ContainsFunc(blocks, func(b xzblock.Block) bool { return b.Uncompressed > maxBlockInMemory }) {
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

// decodedBlock is a block's bytes or the error decoding it.
type decodedBlock struct {
	data []byte
	err  error
}

// decodeBlocks decodes blocks with up to workers at a time and returns them
// in order. At most twice that many blocks are decoded or held ahead of the
// reader, so a long first block does not stall the workers behind it.
func decodeBlocks(flags []byte, blocks []xzblock.Block, workers int) *blockReader {
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

// XZFallbacks counts the blocks debian/xzblock did not handle (another
// filter, no check) and github.com/xi2/xz decoded instead; the unpack step
// prints it. A block xzblock rejects as damaged is an error, never
// decoded again: a decoder bug must show, not be repaired silently.
var XZFallbacks atomic.Int64

// decodeBlock decodes a block into a buffer of its size, with
// debian/xzblock, which verifies its check; a block it does not handle
// (xzblock.ErrUnsupported) is decoded by github.com/xi2/xz, as a stream of
// its own.
func decodeBlock(flags []byte, b xzblock.Block) decodedBlock {
	if b.Uncompressed > maxBlockInMemory {
		return decodedBlock{err: errors.New("xz: a block larger than 256 MiB")}
	}
	out := make([]byte, b.Uncompressed)
	err := xzblock.Decode(out, b.Raw, flags[1]&0x0f)
	switch {
	case err == nil:
		return decodedBlock{data: out}
	case !errors.Is(err, xzblock.ErrUnsupported):
		return decodedBlock{err: fmt.Errorf("xz: %w", err)}
	}
	XZFallbacks.Add(1)
	r, err := getXZReader(bytes.NewReader(b.Stream(flags)))
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
