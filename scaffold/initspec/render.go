package initspec

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/layercake-build/layercake/spec"
)

// DefaultImage is the frontend image named on the `# syntax=` line.
const DefaultImage = "ghcr.io/layercake-build/layercake:1"

// SpecDocs is where the README explains every key of the spec.
const SpecDocs = "https://github.com/layercake-build/layercake#the-spec-version-1"

// Render returns the spec for d with image on its `# syntax=` line (image is
// one line, such as DefaultImage). The bytes depend only on d and image.
func Render(d Detection, image string) []byte {
	var w writer
	w.header(d, image)
	w.common(d.Mirror)
	w.notes(d.Spec.Notes)
	w.line(0, "site:")
	if b := d.Spec.Build; b != nil {
		w.build(b, d.Spec.StepComments, d.Spec.SuiteNotes)
	} else {
		w.comment(1, `The folder of the build context to serve ("." serves the whole context).`)
		w.line(1, "dir: "+scalar(d.Spec.Dir))
	}
	return w.Bytes()
}

// Article is "an" for the generator names read with a vowel sound first
// (an Eleventy site, an Astro site, an MkDocs site), else "a".
func Article(name string) string {
	if name == MkDocs || name == MdBook || name == HTML || strings.ContainsAny(name[:1], "AEIOU") {
		return "an"
	}
	return "a"
}

// writer builds the spec text line by line.
type writer struct{ bytes.Buffer }

func (w *writer) line(indent int, text string) {
	w.WriteString(strings.Repeat("  ", indent) + text + "\n")
}

func (w *writer) comment(indent int, text string) {
	w.line(indent, "# "+text)
}

func (w *writer) header(d Detection, image string) {
	w.line(0, "# syntax="+image)
	what := "a prebuilt site"
	if d.Generator != HTML {
		what = Article(d.Generator) + " " + d.Generator + " site"
	}
	w.comment(0, fmt.Sprintf("A layercake spec, written by `layercake init` for %s (%s).", what, d.Reason))
	w.comment(0, "`docker buildx build .` turns this folder into a small nginx image serving it.")
	w.comment(0, "Every key is explained in "+SpecDocs)
	w.line(0, "")
}

// common writes the keys every spec has.
func (w *writer) common(mirror string) {
	w.comment(0, "The spec format; 1 is the only version.")
	w.line(0, "version: 1")
	w.line(0, "debian:")
	w.comment(1, "The Debian release nginx and any toolchain come from.")
	w.line(1, "suite: trixie")
	if mirror != "" {
		w.comment(1, "The archive to download from; --build-arg DEBIAN_MIRROR=<archive URL>")
		w.comment(1, "overrides it. The lock names no host.")
		w.line(1, "mirror: "+scalar(mirror))
	} else {
		w.comment(1, "The archive to download from, unless the build passes")
		w.comment(1, "--build-arg DEBIAN_MIRROR=<archive URL>. The lock names no host.")
		w.comment(1, "mirror: <Debian archive URL>")
	}
	w.line(0, "server:")
	w.comment(1, "nginx listens on this port, as a non-root user.")
	w.line(1, "port: 8080")
}

func (w *writer) notes(notes []string) {
	if len(notes) == 0 {
		return
	}
	w.line(0, "")
	for _, n := range notes {
		w.comment(0, n)
	}
}

func (w *writer) build(b *spec.Build, stepComments, suiteNotes []string) {
	w.comment(1, "Build the site inside the build. The build context is at /src.")
	w.line(1, "build:")
	if b.Suite == "" {
		w.comment(2, "Debian packages of the toolchain, from the suite above.")
	} else {
		w.comment(2, "Debian packages of the toolchain, from the suite below.")
	}
	w.line(2, "packages: "+flowList(b.Packages))
	if b.Suite != "" {
		for _, n := range suiteNotes {
			w.comment(2, n)
		}
		w.line(2, "suite: "+scalar(b.Suite))
	}
	if len(b.Npm) > 0 {
		w.comment(2, "Packages from the npm registry, each checked against its sha512 (dist.integrity).")
		w.line(2, "npm:")
		for _, t := range b.Npm {
			w.line(3, "- "+scalar(t))
		}
	}
	if len(b.Steps) > 0 {
		w.steps(b.Steps, stepComments)
	} else {
		w.comment(2, "A string runs under /bin/sh -c in /src/<workdir>; a list runs as argv.")
		w.line(2, "run: "+scalar(b.Run.Shell))
	}
	if len(b.Env) > 0 {
		w.comment(2, "Environment variables of the commands.")
		w.line(2, "env: "+flowMap(b.Env))
	}
	w.comment(2, "The folder of the build context the command runs in.")
	w.line(2, "workdir: "+scalar(b.Workdir))
	w.comment(2, "The web root: an absolute path in the build container, or relative to workdir.")
	w.line(2, "output: "+scalar(b.Output))
	if len(b.Cache) > 0 {
		w.comment(2, "Folders kept between builds as cache mounts.")
		w.line(2, "cache: "+flowList(b.Cache))
	}
	w.comment(2, "Optional:")
	if len(b.Env) == 0 {
		w.comment(2, "env: {NAME: value}      # the command's environment")
	}
	w.comment(2, "network: false          # true lets the command reach the network")
	if len(b.Cache) == 0 {
		w.comment(2, "cache: [/a/folder]      # folders kept between builds as cache mounts")
	}
	w.comment(2, "gitignore: true         # .gitignore files filter the sources the command sees")
}

// steps writes site.build.steps, each with its comment above it.
func (w *writer) steps(steps []spec.Step, comments []string) {
	w.comment(2, "Commands run in order in /src, each cached by its inputs (none: the whole context);")
	w.comment(2, "files a step writes under /src stay for the next.")
	w.line(2, "steps:")
	for i, st := range steps {
		if i < len(comments) && comments[i] != "" {
			w.comment(3, comments[i])
		}
		first := true
		item := func(text string) {
			if first {
				w.line(3, "- "+text)
				first = false
				return
			}
			w.line(4, text)
		}
		if len(st.Inputs) > 0 {
			item("inputs: " + flowList(st.Inputs))
		}
		item("run: " + scalar(st.Run.Shell))
		if st.Workdir != "" {
			item("workdir: " + scalar(st.Workdir))
		}
		if st.Network != nil && *st.Network {
			item("network: true")
		}
		if len(st.Cache) > 0 {
			item("cache: " + flowList(st.Cache))
		}
	}
}

// flowMap writes a mapping of strings in flow style, keys sorted: {A: b}.
func flowMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = scalar(k) + ": " + scalar(m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

var (
	// plain matches strings YAML reads as themselves without quotes, in
	// block and flow context alike.
	plain = regexp.MustCompile(`^[A-Za-z0-9_./]([A-Za-z0-9_./ +=@%&'-]*[A-Za-z0-9_./+=@%&'-])?$`)
	// special matches plain scalars YAML would read as something else.
	special = regexp.MustCompile(`(?i)^(?:y|n|yes|no|on|off|true|false|null|~|[-+]?\.?[0-9][-+.0-9a-z_]*|[-+]?\.inf|\.nan)$`)
)

// scalar writes s as a YAML string, quoted only when it needs it.
func scalar(s string) string {
	if plain.MatchString(s) && !special.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

// flowList writes a list of strings in flow style: [a, b].
func flowList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = scalar(it)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
