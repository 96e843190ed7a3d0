package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/layercake-build/layercake/internal/debunpack"
)

// unpackMain is the helper step that turns one downloaded .deb into a layer:
// layercake unpack --epoch N --out DIR PACKAGE.deb
func unpackMain(args []string) int {
	fs := flag.NewFlagSet("unpack", flag.ContinueOnError)
	epoch := fs.Int64("epoch", 0, "latest mtime (Unix seconds) of any unpacked entry")
	out := fs.String("out", "", "folder to unpack into (must exist)")
	keepDocs := fs.Bool("keep-docs", false, "keep documentation, manual pages and translations")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: layercake unpack --epoch N --out DIR PACKAGE.deb")
		return 2
	}
	if err := unpack(fs.Arg(0), *out, debunpack.Options{
		Epoch: time.Unix(*epoch, 0).UTC(),
		Chown: os.Geteuid() == 0,
		Trim:  !*keepDocs,
	}); err != nil {
		fmt.Fprintf(os.Stderr, "layercake unpack: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	return 0
}

func unpack(deb, out string, opts debunpack.Options) error {
	f, err := os.Open(deb)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := debunpack.Extract(f, out, opts)
	if err != nil {
		return err
	}
	fmt.Printf("unpacked %d entries, trimmed %d\n", st.Entries, st.Trimmed)
	return nil
}
