package unpack

import (
	"compress/gzip"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// decompressor returns a reader of the uncompressed data of an ar member named
// like data.tar.xz, data.tar.zst, data.tar.gz or data.tar.
//
// xz, what Debian compresses nearly every package with, is decoded block
// by block by debian/xzblock, with github.com/xi2/xz, a port of XZ
// Embedded (about 1.6 times as fast as github.com/ulikunitz/xz), for what
// it does not handle; decompression is most of a toolchain unpack step's
// work. A stream of several blocks is decoded a block per core
// (newXZReader).
func decompressor(name string, r io.Reader) (io.Reader, func(), error) {
	switch {
	case strings.HasSuffix(name, ".tar"):
		return r, func() {}, nil
	case strings.HasSuffix(name, ".xz"):
		return newXZReader(r)
	case strings.HasSuffix(name, ".zst"):
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	case strings.HasSuffix(name, ".gz"):
		gr, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return gr, func() { gr.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unsupported compression of %s", name)
}
