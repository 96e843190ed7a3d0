package xzblock

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/crc64"
)

// ErrUnsupported is returned for a block this package does not decode:
// another filter than LZMA2 alone, or a check other than CRC32, CRC64 and
// SHA-256 (none included: what the check would catch, a fault in this
// decoder among others, would go unnoticed).
var ErrUnsupported = errors.New("xzblock: unsupported block")

// Check types of the stream flags.
const (
	CheckCRC32  = 0x01
	CheckCRC64  = 0x04
	CheckSHA256 = 0x0a
)

var crc64Table = crc64.MakeTable(crc64.ECMA)

// Decode decodes block, one block of an xz stream from its header to its
// check (padding included), into dst, whose length must be the block's
// uncompressed size; check is the stream's check type. The block's sizes,
// padding and check are verified.
func Decode(dst, block []byte, check byte) (err error) {
	checkSize, ok := checkSizes[check]
	if !ok {
		return ErrUnsupported
	}
	if len(block) < 8 || block[0] == 0 {
		return errors.New("xzblock: no block header")
	}
	headerSize := (int(block[0]) + 1) * 4
	if headerSize > len(block) {
		return errors.New("xzblock: truncated block header")
	}
	h := block[:headerSize]
	if crc32.ChecksumIEEE(h[:headerSize-4]) != binary.LittleEndian.Uint32(h[headerSize-4:]) {
		return errors.New("xzblock: block header CRC32 mismatch")
	}
	dictSize, compressed, uncompressed, err := parseHeader(h[:headerSize-4])
	if err != nil {
		return err
	}
	if uncompressed >= 0 && uncompressed != int64(len(dst)) {
		return errors.New("xzblock: uncompressed size differs from the index")
	}
	data := block[headerSize:]
	if len(data) < checkSize {
		return errors.New("xzblock: truncated block")
	}
	body := data[:len(data)-checkSize]
	d := decoder{out: dst, dictSize: dictSize, needDictReset: true, needProps: true}
	n, err := d.lzma2(body)
	if err != nil {
		return err
	}
	if compressed >= 0 && int64(n) != compressed {
		return errors.New("xzblock: compressed size differs from the block header")
	}
	if d.outPos != len(dst) {
		return errors.New("xzblock: block is shorter than the index says")
	}
	pad := body[n:]
	if len(pad) > 3 || (headerSize+n+len(pad))%4 != 0 || !allZero(pad) {
		return errors.New("xzblock: bad block padding")
	}
	want := data[len(data)-checkSize:]
	switch check {
	case CheckCRC32:
		if crc32.ChecksumIEEE(dst) != binary.LittleEndian.Uint32(want) {
			return errors.New("xzblock: CRC32 mismatch")
		}
	case CheckCRC64:
		if crc64.Checksum(dst, crc64Table) != binary.LittleEndian.Uint64(want) {
			return errors.New("xzblock: CRC64 mismatch")
		}
	case CheckSHA256:
		if sum := sha256.Sum256(dst); !bytes.Equal(sum[:], want) {
			return errors.New("xzblock: SHA-256 mismatch")
		}
	}
	return nil
}

var checkSizes = map[byte]int{CheckCRC32: 4, CheckCRC64: 8, CheckSHA256: 32}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// parseHeader reads the block flags, the optional sizes (-1 when absent)
// and the filter flags, which must name LZMA2 alone.
func parseHeader(h []byte) (dictSize uint32, compressed, uncompressed int64, err error) {
	flags := h[1]
	if flags&0x3c != 0 {
		return 0, 0, 0, ErrUnsupported // reserved bits
	}
	if flags&0x03 != 0 {
		return 0, 0, 0, ErrUnsupported // more than one filter
	}
	p := 2
	compressed, uncompressed = -1, -1
	if flags&0x40 != 0 {
		v, ok := uvarint(h, &p)
		if !ok || v == 0 || v > 1<<62 {
			return 0, 0, 0, errors.New("xzblock: bad compressed size")
		}
		compressed = int64(v)
	}
	if flags&0x80 != 0 {
		v, ok := uvarint(h, &p)
		if !ok || v > 1<<62 {
			return 0, 0, 0, errors.New("xzblock: bad uncompressed size")
		}
		uncompressed = int64(v)
	}
	id, ok1 := uvarint(h, &p)
	size, ok2 := uvarint(h, &p)
	if !ok1 || !ok2 {
		return 0, 0, 0, errors.New("xzblock: bad filter flags")
	}
	if id != 0x21 || size != 1 || p >= len(h) {
		return 0, 0, 0, ErrUnsupported
	}
	props := h[p]
	p++
	if props > 40 {
		return 0, 0, 0, errors.New("xzblock: bad LZMA2 dictionary size")
	}
	if !allZero(h[p:]) {
		return 0, 0, 0, errors.New("xzblock: bad block header padding")
	}
	if props == 40 {
		return ^uint32(0), compressed, uncompressed, nil
	}
	return (2 | uint32(props)&1) << (props/2 + 11), compressed, uncompressed, nil
}

func uvarint(b []byte, p *int) (uint64, bool) {
	var v uint64
	for i := 0; i < 9 && *p < len(b); i++ {
		c := b[*p]
		*p++
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i == 0 || c != 0
		}
	}
	return 0, false
}

// errCorrupt is what a decoder that ran off its input, or into an
// impossible symbol, reports.
var errCorrupt = errors.New("xzblock: corrupt LZMA2 data")

// lzma2 decodes the LZMA2 chunks at the start of in into d.out and returns
// how many bytes of in they took, the end marker included.
func (d *decoder) lzma2(in []byte) (n int, err error) {
	defer func() {
		// The range decoder reads its input without bounds checks of its
		// own; running off the end of a corrupt chunk ends here.
		if r := recover(); r != nil {
			if _, ok := r.(interface{ RuntimeError() }); !ok {
				panic(r)
			}
			err = errCorrupt
		}
	}()
	p := 0
	for {
		if p >= len(in) {
			return 0, errCorrupt
		}
		c := in[p]
		p++
		switch {
		case c == 0x00:
			return p, nil
		case c == 0x01 || c == 0x02:
			if p+2 > len(in) {
				return 0, errCorrupt
			}
			size := int(binary.BigEndian.Uint16(in[p:])) + 1
			p += 2
			if c == 0x01 {
				// A dictionary reset: the next LZMA chunk must set new
				// properties, and so reset the state too.
				d.dictStart, d.needDictReset, d.needProps = d.outPos, false, true
			} else if d.needDictReset {
				return 0, errCorrupt
			}
			if p+size > len(in) || d.outPos+size > len(d.out) {
				return 0, errCorrupt
			}
			copy(d.out[d.outPos:], in[p:p+size])
			d.outPos += size
			p += size
		case c >= 0x80:
			if p+4 > len(in) {
				return 0, errCorrupt
			}
			unpacked := int(c&0x1f)<<16 + int(binary.BigEndian.Uint16(in[p:])) + 1
			packed := int(binary.BigEndian.Uint16(in[p+2:])) + 1
			p += 4
			reset := (c >> 5) & 3
			if reset == 3 {
				d.dictStart, d.needDictReset = d.outPos, false
			} else if d.needDictReset {
				return 0, errCorrupt
			}
			if reset >= 2 {
				if p >= len(in) {
					return 0, errCorrupt
				}
				if err := d.setProps(in[p]); err != nil {
					return 0, err
				}
				p++
				d.needProps = false
			} else if d.needProps {
				return 0, errCorrupt
			}
			if reset >= 1 {
				d.resetState()
			}
			if p+packed > len(in) || d.outPos+unpacked > len(d.out) {
				return 0, errCorrupt
			}
			if err := d.lzmaChunk(in[p:p+packed], d.outPos+unpacked); err != nil {
				return 0, err
			}
			p += packed
		default:
			return 0, fmt.Errorf("xzblock: bad LZMA2 control byte %#x", c)
		}
	}
}
