package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/layercake-build/layercake/internal/debunpack"
	"github.com/layercake-build/layercake/spec"
)

// unpackMain is the helper step that turns downloaded .debs into a folder:
//
//	layercake unpack --epoch N --out DIR PACKAGE.deb          (one runtime layer)
//	layercake unpack --bootstrap --out DIR A.deb B.deb …      (a toolchain root)
func unpackMain(args []string) int {
	fs := flag.NewFlagSet("unpack", flag.ContinueOnError)
	var epoch *int64
	fs.Func("epoch", "latest mtime (Unix seconds) of any unpacked entry; without it, the archive's times stay", func(v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || n < 0:
			return errors.New("want whole seconds since 1970")
		case n > spec.MaxEpoch:
			return errors.New("after 2262-04-11, the last time a file can record")
		}
		epoch = &n
		return nil
	})
	out := fs.String("out", "", "folder to unpack into (must exist)")
	keepDocs := fs.Bool("keep-docs", false, "keep documentation, manual pages and translations")
	bootstrap := fs.Bool("bootstrap", false, "lay out a toolchain root for dpkg: merged /usr, empty dpkg database, later packages replace earlier files")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 || *out == "" || (!*bootstrap && fs.NArg() != 1) {
		fmt.Fprintln(os.Stderr, "usage: layercake unpack --epoch N --out DIR PACKAGE.deb\n       layercake unpack --bootstrap --out DIR PACKAGE.deb…")
		return 2
	}
	opts := debunpack.Options{
		Chown:     os.Geteuid() == 0,
		Trim:      !*keepDocs && !*bootstrap,
		Bootstrap: *bootstrap,
	}
	if epoch != nil {
		opts.Epoch = time.Unix(*epoch, 0).UTC()
	}
	if *bootstrap {
		if err := debunpack.PrepareRoot(*out); err != nil {
			fmt.Fprintf(os.Stderr, "layercake unpack: preparing %s: %v\n", *out, err)
			return 1
		}
	}
	var total debunpack.Stats
	for _, deb := range fs.Args() {
		st, err := unpack(deb, *out, opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "layercake unpack: %s: %v\n", deb, err)
			return 1
		}
		total.Entries += st.Entries
		total.Trimmed += st.Trimmed
	}
	fmt.Printf("unpacked %d packages: %d entries, trimmed %d\n", fs.NArg(), total.Entries, total.Trimmed)
	return 0
}

func unpack(deb, out string, opts debunpack.Options) (debunpack.Stats, error) {
	f, err := os.Open(deb)
	if err != nil {
		return debunpack.Stats{}, err
	}
	defer f.Close()
	return debunpack.Extract(f, out, opts)
}
