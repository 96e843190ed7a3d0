package scaffold

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/layercake-build/layercake/scaffold/initspec"
)

const initUsage = `usage: layercake init [--dir DIR] [--image REF] [--mirror URL] [--force] [--stdout]
Looks at a site's repository and writes a first layercake spec for it (Hugo,
MkDocs, Sphinx, Pelican, mdBook, Jekyll, Hakyll, Eleventy, Astro, Docusaurus,
VitePress or prebuilt HTML). Problems it finds are printed as warnings and written as
comments in the spec.`

// specName is the file init writes: `docker buildx build .` reads it with
// no flags.
const specName = "Dockerfile"

// initMain writes a first spec for the site in a folder:
// layercake init [--dir DIR] [--image REF] [--force] [--stdout]
func initMain(args []string) int {
	return runInit(args, os.Stdout, os.Stderr)
}

// initOptions are the parsed flags of `layercake init`.
type initOptions struct {
	dir, image    string
	mirror        string
	force, stdout bool
}

func runInit(args []string, stdout, stderr io.Writer) int {
	opts, code := parseInitFlags(args, stderr)
	if code >= 0 {
		return code
	}
	d, err := initspec.Detect(os.DirFS(opts.dir))
	if err != nil {
		fmt.Fprintf(stderr, "layercake init: %s: %v\n", opts.dir, err)
		if errors.Is(err, initspec.ErrNoSite) {
			fmt.Fprint(stderr, byHand(opts))
		}
		return 1
	}
	fmt.Fprintf(stderr, "layercake init: %s: %s: %s\n", opts.dir, d.Reason, describe(d))
	if b := d.Spec.Build; b != nil && b.Suite != "" {
		fmt.Fprintf(stderr, "layercake init: site.build.suite: %s. %s\n", b.Suite, strings.Join(d.Spec.SuiteNotes, " "))
	}
	for _, w := range d.Spec.Warnings {
		fmt.Fprintf(stderr, "layercake init: warning: %s\n", w)
	}
	d.Mirror = opts.mirror
	data := initspec.Render(d, opts.image)
	if opts.stdout {
		if _, err := stdout.Write(data); err != nil {
			fmt.Fprintf(stderr, "layercake init: writing the spec: %v\n", err)
			return 1
		}
		fmt.Fprint(stderr, nextSteps(opts.dir, "<file>", opts.mirror != ""))
		return 0
	}
	target := filepath.Join(opts.dir, specName)
	if err := writeSpec(target, data, opts.force); err != nil {
		fmt.Fprintf(stderr, "layercake init: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "layercake init: wrote %s\n", target)
	fmt.Fprint(stderr, nextSteps(opts.dir, "", opts.mirror != ""))
	return 0
}

// describe says in a few words what the spec will do with the site.
func describe(d initspec.Detection) string {
	if d.Spec.Build == nil {
		return fmt.Sprintf("a prebuilt site, served from %s as it is", d.Spec.Dir)
	}
	return fmt.Sprintf("%s %s site, generated inside the image build with %s from Debian",
		initspec.Article(d.Generator), d.Generator, strings.Join(d.Spec.Build.Packages, ", "))
}

// oneWord matches an image reference fit for the `# syntax=` line.
var oneWord = regexp.MustCompile(`^\S+$`)

// parseInitFlags returns the options and -1, or the exit status when init
// must stop: 0 after --help, 2 after a usage error.
func parseInitFlags(args []string, stderr io.Writer) (initOptions, int) {
	var opts initOptions
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, initUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&opts.dir, "dir", ".", "the site's folder: the build context, where "+specName+" is written")
	fs.StringVar(&opts.image, "image", initspec.DefaultImage, "the layercake frontend image named on the spec's # syntax= line")
	fs.StringVar(&opts.mirror, "mirror", "", "a Debian archive URL to write as debian.mirror, so builds need no DEBIAN_MIRROR")
	fs.BoolVar(&opts.force, "force", false, "replace an existing "+specName)
	fs.BoolVar(&opts.stdout, "stdout", false, "print the spec instead of writing "+specName)
	if err := fs.Parse(args); err != nil {
		return opts, usageStatus(err)
	}
	opts.mirror = strings.TrimRight(opts.mirror, "/")
	switch {
	case opts.mirror != "" && !mirrorURL(opts.mirror):
		fmt.Fprintf(stderr, "layercake init: --mirror %q is not an http(s) URL of a Debian archive, such as https://<your Debian mirror>/debian\n", opts.mirror)
		return opts, 2
	case fs.NArg() != 0:
		fmt.Fprintf(stderr, "layercake init: unexpected argument %q\n%s\n", fs.Arg(0), initUsage)
		return opts, 2
	case !oneWord.MatchString(opts.image):
		fmt.Fprintf(stderr, "layercake init: --image %q must be one image reference, such as %s\n", opts.image, initspec.DefaultImage)
		return opts, 2
	case opts.dir == "":
		fmt.Fprintf(stderr, "layercake init: --dir is empty\n%s\n", initUsage)
		return opts, 2
	}
	return opts, -1
}

// writeSpec writes data to target with mode 0644. It never replaces an
// existing file unless force is set.
func writeSpec(target string, data []byte, force bool) error {
	if !force {
		if existing, err := os.ReadFile(target); err == nil {
			return existsError(target, existing)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("looking at %s: %w", target, err)
		}
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL // a file that appeared since is kept
	}
	f, err := os.OpenFile(target, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s appeared while the spec was written; it is kept (use --force to replace it)", target)
	}
	if err != nil {
		return fmt.Errorf("writing the spec: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	return nil
}

// existsError explains why an existing file is kept and what to do instead.
func existsError(target string, existing []byte) error {
	if initspec.LooksLikeSpec(existing) {
		return fmt.Errorf("%s already exists and is a layercake spec; it is kept (use --force to replace it, or --stdout to print the new one)", target)
	}
	return fmt.Errorf("%s already exists and is not a layercake spec; it is kept. "+
		"Write the spec under another name and pass it with -f: "+
		"`layercake init --stdout > site.layercake`, then `docker buildx build -f site.layercake .` "+
		"(--force replaces %s)", target, specName)
}

// mirrorURL reports whether s is an absolute http(s) URL with a host.
func mirrorURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.RawQuery == "" && u.Fragment == "" && oneWord.MatchString(s)
}

// nextSteps returns the three commands from spec to running image. file is
// the spec's name when it is not dir/Dockerfile ("" when it is); hasMirror
// says whether the spec names the Debian archive.
func nextSteps(dir, file string, hasMirror bool) string {
	ctx := initspec.ShellQuote(dir)
	f := ""
	if file != "" {
		f = " -f " + file
	}
	var b strings.Builder
	b.WriteString("\nNext steps:\n")
	fmt.Fprintf(&b, "  1. pin the packages: docker buildx build%s --target lock -o %s %s\n", f, ctx, ctx)
	fmt.Fprintf(&b, "  2. build the image:  docker buildx build%s -t my-site %s\n", f, ctx)
	b.WriteString("  3. run it:           docker run --read-only --tmpfs /tmp -p 8080:8080 my-site\n")
	if !hasMirror {
		b.WriteString("Steps 1 and 2 download from a Debian archive: set debian.mirror in the spec or add\n" +
			"--build-arg DEBIAN_MIRROR=<archive URL>. ")
	}
	b.WriteString("Commit layercake.lock beside the spec.\n")
	return b.String()
}

// byHand explains how to write a spec when init found nothing to go on.
func byHand(opts initOptions) string {
	return fmt.Sprintf(`
Write the spec by hand as %s, naming the folder to serve:

  # syntax=%s
  version: 1
  site:
    dir: public

or the command that builds the site (site.build). Every key: %s
`, filepath.Join(opts.dir, specName), opts.image, initspec.SpecDocs)
}
