package xzblock

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// Magic bytes that open and close an xz stream.
var (
	streamMagic = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
	footerMagic = []byte{'Y', 'Z'}
)

// Block is one block of an xz stream, as its index records it.
type Block struct {
	// Raw is the block from its header to its check, padding included.
	Raw []byte
	// Unpadded is the block's size without its padding; Uncompressed, the
	// size of what it decodes to.
	Unpadded, Uncompressed uint64
}

// Split splits a single-stream xz file into its blocks, using the index at
// its end, and returns the stream flags too (flags[1]&0x0f is the check
// type). ok is false for anything else (stream padding, several streams,
// an index that does not add up), which the caller decodes as a stream.
// The stream header's, the footer's and the index's CRC32 are verified
// before any size in them is trusted; each block's own check covers its
// data when it is decoded.
func Split(data []byte) (flags []byte, blocks []Block, ok bool) {
	if len(data) < 32 || !bytes.Equal(data[:6], streamMagic) || !bytes.Equal(data[len(data)-2:], footerMagic) {
		return nil, nil, false
	}
	flags = data[6:8]
	if crc32.ChecksumIEEE(flags) != binary.LittleEndian.Uint32(data[8:12]) {
		return nil, nil, false
	}
	footer := data[len(data)-12:]
	if !bytes.Equal(footer[8:10], flags) || crc32.ChecksumIEEE(footer[4:10]) != binary.LittleEndian.Uint32(footer[0:4]) {
		return nil, nil, false
	}
	indexSize := (int(binary.LittleEndian.Uint32(footer[4:8])) + 1) * 4
	indexStart := len(data) - 12 - indexSize
	if indexStart < 12 || indexSize < 8 {
		return nil, nil, false
	}
	index := data[indexStart : len(data)-12]
	if index[0] != 0 || crc32.ChecksumIEEE(index[:len(index)-4]) != binary.LittleEndian.Uint32(index[len(index)-4:]) {
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
		blocks = append(blocks, Block{Raw: data[offset : offset+size], Unpadded: unpadded, Uncompressed: uncompressed})
		offset += size
	}
	// The records end in zero padding to a multiple of four, then the CRC.
	if offset != indexStart || (p+3)&^3 != len(index)-4 || !allZero(index[p:len(index)-4]) {
		return nil, nil, false
	}
	return flags, blocks, true
}

// Stream wraps the block into a stream of its own, for a streaming
// decoder: the original stream flags, the block, an index with its one
// record, and a footer.
func (b Block) Stream(flags []byte) []byte {
	var s bytes.Buffer
	s.Write(streamMagic)
	s.Write(flags)
	s.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(flags)))
	s.Write(b.Raw)
	index := []byte{0x00, 0x01}
	index = binary.AppendUvarint(index, b.Unpadded)
	index = binary.AppendUvarint(index, b.Uncompressed)
	for len(index)%4 != 0 {
		index = append(index, 0)
	}
	index = binary.LittleEndian.AppendUint32(index, crc32.ChecksumIEEE(index))
	s.Write(index)
	tail := binary.LittleEndian.AppendUint32(nil, uint32(len(index)/4-1))
	tail = append(tail, flags...)
	s.Write(binary.LittleEndian.AppendUint32(nil, crc32.ChecksumIEEE(tail)))
	s.Write(tail)
	s.Write(footerMagic)
	return s.Bytes()
}
