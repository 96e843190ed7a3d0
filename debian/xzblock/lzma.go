package xzblock

import "errors"

// LZMA decoding, after the LZMA specification: a range decoder over the
// chunk's bytes and adaptive bit probabilities, literals coded by the
// previous byte's high bits and the position's low bits, matches by length
// and distance with four recent distances. The output buffer is the
// dictionary: a block is decoded whole, so nothing wraps.

const (
	probBits   = 11
	probInit   = 1 << probBits / 2
	moveBits   = 5
	topValue   = 1 << 24
	numStates  = 12
	posMax     = 16 // posStates with pb = 4
	lenLow     = 8
	lenMid     = 8
	lenHigh    = 256
	distStates = 4
	endPosIdx  = 14
	fullDists  = 128
	alignBits  = 4
	minMatch   = 2
	maxLitProb = 0x300 << 4 // lc + lp <= 4 in LZMA2
)

// lenCoder decodes a match length (0-based).
type lenCoder struct {
	choice, choice2 uint16
	low             [posMax][lenLow]uint16
	mid             [posMax][lenMid]uint16
	high            [lenHigh]uint16
}

type decoder struct {
	out           []byte
	outPos        int
	dictStart     int    // where the last dictionary reset put the dictionary's start
	dictSize      uint32 // no match reaches further back than this
	needDictReset bool
	needProps     bool

	lc, lp, pb uint
	state      uint32
	rep        [4]uint32

	// Range decoder over the current chunk.
	in   []byte
	pos  int
	rng  uint32
	code uint32

	isMatch    [numStates * posMax]uint16
	isRep      [numStates]uint16
	isRepG0    [numStates]uint16
	isRepG1    [numStates]uint16
	isRepG2    [numStates]uint16
	isRep0Long [numStates * posMax]uint16
	distSlot   [distStates][64]uint16
	distSpec   [1 + fullDists - endPosIdx]uint16
	align      [1 << alignBits]uint16
	matchLen   lenCoder
	repLen     lenCoder
	litProbs   [maxLitProb]uint16
}

func (d *decoder) setProps(props byte) error {
	if props >= 9*5*5 {
		return errors.New("xzblock: bad LZMA properties")
	}
	lc, lp, pb := uint(props%9), uint(props/9%5), uint(props/45)
	if lc+lp > 4 {
		return errors.New("xzblock: bad LZMA properties")
	}
	d.lc, d.lp, d.pb = lc, lp, pb
	return nil
}

func resetProbs(p []uint16) {
	for i := range p {
		p[i] = probInit
	}
}

func (l *lenCoder) reset() {
	l.choice, l.choice2 = probInit, probInit
	for i := range l.low {
		resetProbs(l.low[i][:])
		resetProbs(l.mid[i][:])
	}
	resetProbs(l.high[:])
}

func (d *decoder) resetState() {
	d.state = 0
	d.rep = [4]uint32{}
	resetProbs(d.isMatch[:])
	resetProbs(d.isRep[:])
	resetProbs(d.isRepG0[:])
	resetProbs(d.isRepG1[:])
	resetProbs(d.isRepG2[:])
	resetProbs(d.isRep0Long[:])
	for i := range d.distSlot {
		resetProbs(d.distSlot[i][:])
	}
	resetProbs(d.distSpec[:])
	resetProbs(d.align[:])
	d.matchLen.reset()
	d.repLen.reset()
	resetProbs(d.litProbs[:0x300<<(d.lc+d.lp)])
}

// bit decodes one bit with probability *p, normalizing first (the range
// decoder then reads exactly the chunk's bytes). A read past the chunk
// panics, which lzma2 turns into errCorrupt.
func (d *decoder) bit(p *uint16) uint32 {
	if d.rng < topValue {
		d.rng <<= 8
		d.code = d.code<<8 | uint32(d.in[d.pos])
		d.pos++
	}
	// Without branches: the bit is as good as random to a branch
	// predictor, and a mispredicted branch per bit is what limits LZMA
	// decoding.
	prob := uint32(*p)
	bound := (d.rng >> probBits) * prob
	b := uint32((uint64(d.code)-uint64(bound))>>63) ^ 1 // code >= bound
	m := -b
	d.rng = bound&^m | (d.rng-bound)&m
	d.code -= bound & m
	*p = uint16(prob + ((1<<probBits-prob)>>moveBits)&^m - (prob>>moveBits)&m)
	return b
}

// tree decodes bits symbols from the bit tree probs (probs[1:] used).
func (d *decoder) tree(probs []uint16, bits uint) uint32 {
	return d.treeFrom(probs, 1, 1<<bits) - 1<<bits
}

// treeFrom goes down the bit tree probs from node m until it reaches limit
// (a power of two) and returns the node, with the steps of bit on the
// range decoder held in locals: bit trees, literals among them, are most
// of what a package's data decodes from, and bit is too large for Go to
// inline.
func (d *decoder) treeFrom(probs []uint16, m, limit uint32) uint32 {
	rng, code, ip, in := d.rng, d.code, d.pos, d.in
	for m < limit {
		if rng < topValue {
			rng <<= 8
			code = code<<8 | uint32(in[ip])
			ip++
		}
		pp := &probs[m]
		prob := uint32(*pp)
		bound := (rng >> probBits) * prob
		b := uint32((uint64(code)-uint64(bound))>>63) ^ 1
		mask := -b
		rng = bound&^mask | (rng-bound)&mask
		code -= bound & mask
		*pp = uint16(prob + ((1<<probBits-prob)>>moveBits)&^mask - (prob>>moveBits)&mask)
		m = m<<1 | b
	}
	d.rng, d.code, d.pos = rng, code, ip
	return m
}

// reverseTree decodes bits symbols, least significant bit first.
func (d *decoder) reverseTree(probs []uint16, bits uint) uint32 {
	m, sym := uint32(1), uint32(0)
	for i := range bits {
		b := d.bit(&probs[m])
		m = m<<1 | b
		sym |= b << i
	}
	return sym
}

// direct decodes bits bits with a fixed probability of one half.
func (d *decoder) direct(bits uint32) uint32 {
	var res uint32
	for ; bits > 0; bits-- {
		if d.rng < topValue {
			d.rng <<= 8
			d.code = d.code<<8 | uint32(d.in[d.pos])
			d.pos++
		}
		d.rng >>= 1
		d.code -= d.rng
		mask := 0 - (d.code >> 31)
		d.code += d.rng & mask
		res = res<<1 + mask + 1
	}
	return res
}

func (d *decoder) length(l *lenCoder, posState uint32) uint32 {
	if d.bit(&l.choice) == 0 {
		return d.tree(l.low[posState][:], 3)
	}
	if d.bit(&l.choice2) == 0 {
		return lenLow + d.tree(l.mid[posState][:], 3)
	}
	return lenLow + lenMid + d.tree(l.high[:], 8)
}

func (d *decoder) distance(length uint32) uint32 {
	slot := d.tree(d.distSlot[min(length, distStates-1)][:], 6)
	if slot < 4 {
		return slot
	}
	bits := slot>>1 - 1
	dist := (2 | slot&1) << bits
	if slot < endPosIdx {
		return dist + d.reverseTree(d.distSpec[dist-slot:], uint(bits))
	}
	dist += d.direct(bits-alignBits) << alignBits
	return dist + d.reverseTree(d.align[:], alignBits)
}

// lzmaChunk decodes one LZMA chunk, in, until the output reaches end. The
// range decoder starts afresh with each chunk, and must end on the chunk's
// last byte with nothing left over.
func (d *decoder) lzmaChunk(in []byte, end int) error {
	if len(in) < 5 || in[0] != 0 {
		return errCorrupt
	}
	d.in, d.pos = in, 5
	d.rng, d.code = ^uint32(0), uint32(in[1])<<24|uint32(in[2])<<16|uint32(in[3])<<8|uint32(in[4])
	out := d.out[:end]
	pos := d.outPos
	pbMask := uint32(1)<<d.pb - 1
	for pos < end {
		rel := uint32(pos - d.dictStart)
		posState := rel & pbMask
		state := d.state
		if d.bit(&d.isMatch[state*posMax+posState]) == 0 {
			out[pos] = d.literal(out, pos, rel)
			pos++
			continue
		}
		var length uint32
		if d.bit(&d.isRep[state]) == 0 {
			length = d.length(&d.matchLen, posState)
			d.state = nextState(state, 7, 10)
			dist := d.distance(length)
			if dist == ^uint32(0) {
				return errCorrupt // an end marker, which LZMA2 does not use
			}
			d.rep[3], d.rep[2], d.rep[1], d.rep[0] = d.rep[2], d.rep[1], d.rep[0], dist
		} else {
			var short bool
			if length, short = d.repeat(state, posState); short {
				if pos == d.dictStart {
					return errCorrupt
				}
				out[pos] = out[pos-int(d.rep[0])-1]
				pos++
				continue
			}
		}
		n := int(length) + minMatch
		dist := int(d.rep[0]) + 1
		if dist > pos-d.dictStart || uint32(dist) > d.dictSize || dist <= 0 || n > end-pos {
			return errCorrupt
		}
		copyMatch(out[pos-dist:pos+n], dist, n)
		pos += n
	}
	d.outPos = pos
	return d.finishChunk()
}

// nextState is the state after a match kind: short if the state was one
// after literals, long otherwise.
func nextState(state, short, long uint32) uint32 {
	if state < 7 {
		return short
	}
	return long
}

// literal decodes the byte at pos and moves the state on.
func (d *decoder) literal(out []byte, pos int, rel uint32) byte {
	var prev uint32
	if pos > d.dictStart {
		prev = uint32(out[pos-1])
	}
	lpMask := uint32(1)<<d.lp - 1
	probs := d.litProbs[0x300*((rel&lpMask)<<d.lc+prev>>(8-d.lc)):][:0x300]
	sym := uint32(1)
	if d.state >= 7 {
		// After a match, the byte the last distance points at predicts
		// this one until a bit differs.
		match := uint32(out[pos-int(d.rep[0])-1])
		for sym < 0x100 {
			mb := match >> 7 & 1
			match <<= 1
			b := d.bit(&probs[0x100+mb<<8+sym])
			sym = sym<<1 | b
			if b != mb {
				break
			}
		}
	}
	sym = d.treeFrom(probs, sym, 0x100) // the rest of the byte
	switch {
	case d.state < 4:
		d.state = 0
	case d.state < 10:
		d.state -= 3
	default:
		d.state -= 6
	}
	return byte(sym)
}

// repeat decodes a match with one of the four recent distances: a short
// one (one byte at the last distance), or its length, with the distance
// used moved to the front.
func (d *decoder) repeat(state, posState uint32) (length uint32, short bool) {
	if d.bit(&d.isRepG0[state]) == 0 {
		if d.bit(&d.isRep0Long[state*posMax+posState]) == 0 {
			d.state = nextState(state, 9, 11)
			return 0, true
		}
	} else {
		var dist uint32
		if d.bit(&d.isRepG1[state]) == 0 {
			dist = d.rep[1]
		} else {
			if d.bit(&d.isRepG2[state]) == 0 {
				dist = d.rep[2]
			} else {
				dist = d.rep[3]
				d.rep[3] = d.rep[2]
			}
			d.rep[2] = d.rep[1]
		}
		d.rep[1] = d.rep[0]
		d.rep[0] = dist
	}
	d.state = nextState(state, 8, 11)
	return d.length(&d.repLen, posState), false
}

// copyMatch copies n bytes from the start of b to b[dist:]: a match whose
// distance is shorter than its length repeats what it has just written.
func copyMatch(b []byte, dist, n int) {
	if dist >= n {
		copy(b[dist:dist+n], b[:n])
		return
	}
	for i := range n {
		b[dist+i] = b[i]
	}
}

// finishChunk checks the chunk's end: the encoder flushed its range, so
// normalized once more, the decoder has read every byte of the chunk and
// its code is zero.
func (d *decoder) finishChunk() error {
	if d.rng < topValue {
		d.rng <<= 8
		d.code = d.code<<8 | uint32(d.in[d.pos])
		d.pos++
	}
	if d.pos != len(d.in) || d.code != 0 {
		return errCorrupt
	}
	return nil
}
