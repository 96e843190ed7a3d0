// Command bigref supports bench/big-files: it writes a large JSON file, and
// it compresses a file the way layercake's helper does (gzip at the best
// level, brotli at the quality a large file gets), one after the other, as
// the reference the helper's time is compared with.
//
//	go run ./bench/bigref json SIZE FILE
//	go run ./bench/bigref compress FILE     # writes FILE.gz and FILE.br
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/layercake-build/layercake/step/sitefiles"
	"github.com/layercake-build/layercake/testkit/bigfile"
)

func main() {
	var err error
	switch {
	case len(os.Args) == 4 && os.Args[1] == "json":
		var n int64
		if n, err = strconv.ParseInt(os.Args[2], 10, 64); err == nil {
			err = bigfile.JSON(os.Args[3], n)
		}
	case len(os.Args) == 3 && os.Args[1] == "compress":
		var fi os.FileInfo
		if fi, err = os.Stat(os.Args[2]); err != nil {
			break
		}
		// The level and quality the helper picks for a site of this one file.
		level, q := sitefiles.GzipLevel(fi.Size()), sitefiles.BrotliQuality(fi.Size(), fi.Size())
		if err = compress(os.Args[2], ".gz", func(w io.Writer, r io.Reader) error { return sitefiles.GzipStream(w, r, level) }); err == nil {
			err = compress(os.Args[2], ".br", func(w io.Writer, r io.Reader) error { return sitefiles.BrotliStream(w, r, q) })
		}
	default:
		err = fmt.Errorf("usage: bigref json SIZE FILE | bigref compress FILE")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bigref:", err)
		os.Exit(1)
	}
}

func compress(name, ext string, fn func(io.Writer, io.Reader) error) error {
	in, err := os.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(name + ext)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	if err := fn(w, in); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return out.Close()
}
