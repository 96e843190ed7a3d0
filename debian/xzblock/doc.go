// Package xzblock decodes one block of an xz stream whose uncompressed size
// is known (from the stream's index) straight into a buffer of that size:
// the block header, LZMA2 data with the LZMA decoder the buffer serves as
// dictionary for, and the block's check. It is written from the .xz file
// format specification (tukaani.org/xz/xz-file-format.txt) and the LZMA
// specification in the LZMA SDK, for speed: decoding a whole block in one
// call needs neither a circular dictionary nor a decoder that can stop at
// any input byte, which is where a streaming decoder spends its time.
//
// Split finds a stream's blocks from its index, and Block.Stream wraps one
// block as a stream of its own for a streaming decoder.
//
// It handles what dpkg-deb writes: a single LZMA2 filter and a CRC32,
// CRC64 or SHA-256 check, which it verifies. Anything else, a block
// without a check included, is ErrUnsupported, for the caller to decode
// another way.
package xzblock
