package step

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/layercake-build/layercake/debian/unpack"
	"github.com/layercake-build/layercake/spec"
)

const unpackUsage = `usage: layercake unpack --epoch N --out DIR PACKAGE.deb    one runtime layer: files, times clamped, docs trimmed, status.d record
       layercake unpack --skeleton --out DIR                  an empty toolchain root: merged /usr, empty dpkg database
       layercake unpack --dpkg --out DIR PACKAGE.deb…         one toolchain layer, as dpkg --unpack leaves them
       layercake unpack --finish --out ROOT                   join the toolchain layers' dpkg records, run preinst scripts (in the root: --out /)
       layercake unpack --bootstrap --out DIR PACKAGE.deb…    files of many packages into one root, no dpkg records`

// unpackMain is the helper step that turns downloaded .debs into folders.
// It says how many xz blocks the fast decoder left to the fallback one.
func unpackMain(args []string) int {
	defer func() {
		if n := unpack.XZFallbacks.Load(); n > 0 {
			fmt.Printf("xz: %d blocks without a check or with another filter were decoded by github.com/xi2/xz\n", n)
		}
	}()
	fs := flag.NewFlagSet("unpack", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), unpackUsage); fs.PrintDefaults() }
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
	bootstrap := fs.Bool("bootstrap", false, "lay out a toolchain root and unpack every package's files into it")
	skeleton := fs.Bool("skeleton", false, "lay out an empty toolchain root")
	dpkg := fs.Bool("dpkg", false, "unpack packages as dpkg --unpack would, with their dpkg records")
	finish := fs.Bool("finish", false, "join the dpkg records of --dpkg layers merged into ROOT and run their preinst scripts")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	switch {
	case *out == "":
	case *skeleton && fs.NArg() == 0:
		return report(unpack.PrepareRoot(*out), "preparing "+*out)
	case *finish && fs.NArg() == 0:
		done, err := unpack.FinishDatabase(*out, preinstRunner(*out))
		if err != nil {
			return report(err, "joining dpkg records in "+*out)
		}
		fmt.Printf("registered %d unpacked packages with dpkg, %d of them after running their preinst script\n", len(done.Registered), len(done.Preinst))
		for _, r := range done.Redo {
			fmt.Printf("dpkg unpacks %s again\n", r)
		}
		return 0
	case *dpkg && fs.NArg() > 0:
		for _, deb := range fs.Args() {
			if err := unpackDpkg(deb, *out); err != nil {
				return report(err, deb)
			}
		}
		return 0
	case *bootstrap && fs.NArg() > 0:
		if err := unpack.PrepareRoot(*out); err != nil {
			return report(err, "preparing "+*out)
		}
		return unpackAll(fs.Args(), *out, unpack.Options{Chown: os.Geteuid() == 0, Bootstrap: true})
	case !*bootstrap && !*skeleton && !*dpkg && !*finish && fs.NArg() == 1:
		opts := unpack.Options{Chown: os.Geteuid() == 0, Trim: !*keepDocs, Record: true}
		if epoch != nil {
			opts.Epoch = time.Unix(*epoch, 0).UTC()
		}
		return unpackAll(fs.Args(), *out, opts)
	}
	fmt.Fprintln(os.Stderr, unpackUsage)
	return 2
}

// report prints err with its context and turns it into an exit status.
func report(err error, context string) int {
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake unpack: %s: %v\n", context, err)
		return 1
	}
	return 0
}

func unpackAll(debs []string, out string, opts unpack.Options) int {
	var total unpack.Stats
	for _, deb := range debs {
		st, err := unpackOne(deb, out, opts)
		if err != nil {
			return report(err, deb)
		}
		total.Entries += st.Entries
		total.Trimmed += st.Trimmed
	}
	fmt.Printf("unpacked %d packages: %d entries, trimmed %d\n", len(debs), total.Entries, total.Trimmed)
	return 0
}

func unpackOne(deb, out string, opts unpack.Options) (unpack.Stats, error) {
	f, err := os.Open(deb)
	if err != nil {
		return unpack.Stats{}, err
	}
	defer f.Close()
	return unpack.Extract(f, out, opts)
}

// preinstRunner runs a package's preinst script the way dpkg does before
// unpacking a new package. The scripts run in the root itself: the
// configure step calls --finish with --out /.
func preinstRunner(root string) func(unpack.Preinst) error {
	return func(p unpack.Preinst) error {
		if root != "/" {
			return fmt.Errorf("the preinst script of %s can run only in the root itself (--out /)", p.Name)
		}
		cmd := exec.Command("/"+p.Script(), "install")
		cmd.Env = append(os.Environ(), p.Env()...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		return cmd.Run()
	}
}

// unpackDpkg makes one toolchain layer; a package with a preinst script is
// also copied into the layer, for dpkg to unpack again should the script
// change a file the package ships (see unpack.FinishDatabase).
func unpackDpkg(deb, out string) error {
	f, err := os.Open(deb)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := unpack.Dpkg(f, out)
	if err != nil {
		return err
	}
	if !res.Pending {
		fmt.Printf("unpacked %s: %d entries\n", res.Name, res.Entries)
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dir := filepath.Join(out, unpack.PendingDebs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dst, err := os.Create(filepath.Join(dir, res.Name+".deb"))
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, f); err != nil {
		dst.Close()
		return err
	}
	fmt.Printf("unpacked %s: %d entries; its preinst script runs before dpkg configures\n", res.Name, res.Entries)
	return dst.Close()
}
