package spec

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reservedEnv are set by layercake for every generator run.
var reservedEnv = []string{"SOURCE_DATE_EPOCH"}

// build checks site.build.
func (c *checker) build(b *Build) {
	switch {
	case !c.present("site.build.packages", len(b.Packages) > 0):
		c.fail("site.build.packages", `missing; list the Debian packages your generator needs, such as [hugo]`)
	case len(b.Packages) == 0:
		c.fail("site.build.packages", `empty; list the Debian packages your generator needs, such as [hugo]`)
	default:
		c.packageNames("site.build.packages", b.Packages)
	}
	c.run(b.Run)
	if c.present("site.build.workdir", b.Workdir != "") {
		if msg := contextPathProblem(b.Workdir, `such as "." or "site"`); msg != "" {
			c.fail("site.build.workdir", "%s", msg)
		}
	}
	c.output(b)
	c.env(b.Env)
	c.cache(b.Cache)
}

func (c *checker) run(r Command) {
	switch {
	case r.Empty() && r.Args == nil:
		c.fail("site.build.run", `missing; give the command that generates the site, such as "hugo --minify --destination /out"`)
	case r.Empty() || (r.Args != nil && r.Args[0] == ""):
		c.fail("site.build.run", `empty; give the command that generates the site, as a string (run by /bin/sh -c) or a list (argv)`)
	}
}

func (c *checker) output(b *Build) {
	out := b.Output
	if !c.present("site.build.output", out != "") {
		c.fail("site.build.output", `missing; name the folder your generator writes, such as "/out" (absolute, in the build container) or "_site" (relative to workdir)`)
		return
	}
	if !strings.HasPrefix(out, "/") {
		if b.Workdir != "" && contextPathProblem(b.Workdir, "") != "" {
			return // the workdir is reported; output is relative to it
		}
		if msg := contextPathProblem(path.Join(b.Workdir, out), `such as "_site" (relative to workdir) or "/out"`); msg != "" {
			c.fail("site.build.output", "%s", strings.Replace(msg, fmt.Sprintf("%q", path.Join(b.Workdir, out)), fmt.Sprintf("%q", out), 1))
		}
		return
	}
	switch clean := path.Clean(out); {
	case clean == "/" || clean == "/src":
		c.fail("site.build.output", "%q would serve the whole %s; use a folder of its own, such as \"/out\"", out, map[bool]string{true: "root filesystem", false: "source tree"}[clean == "/"])
	case slices.ContainsFunc([]string{"/proc", "/sys", "/dev"}, func(p string) bool { return clean == p || strings.HasPrefix(clean, p+"/") }):
		c.fail("site.build.output", "%q is a kernel filesystem; use a folder of its own, such as \"/out\"", out)
	}
}

func (c *checker) env(env map[string]string) {
	for _, name := range sortedKeys(env) {
		p := "site.build.env." + name
		switch {
		case !envNameRE.MatchString(name):
			c.failKey(p, "%q is not an environment variable name; use letters, digits and \"_\", not starting with a digit", clipped(name))
		case slices.Contains(reservedEnv, name):
			c.failKey(p, "%s is set by layercake to the build's epoch; remove it (set the epoch with \"epoch:\" or --build-arg SOURCE_DATE_EPOCH)", name)
		}
	}
}

func (c *checker) cache(dirs []string) {
	for i, d := range dirs {
		p := fmt.Sprintf("site.build.cache[%d]", i)
		if !strings.HasPrefix(d, "/") || path.Clean(d) == "/" {
			c.fail(p, "%q is not an absolute folder; cache mounts need one, such as \"/root/.cache/hugo\"", d)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// contextPathProblem says what is wrong with a path that must stay inside
// the build context, or "" when it is fine.
func contextPathProblem(p, example string) string {
	shown := clipped(p)
	want := `use a path relative to the build context with "/" separators, ` + example
	switch {
	case p == "":
		return "empty; " + want
	case strings.Contains(p, `\`):
		return fmt.Sprintf("%q contains a backslash; %s", shown, want)
	case strings.HasPrefix(p, "/"):
		return fmt.Sprintf("%q is absolute; %s", shown, want)
	case strings.ContainsRune(p, 0):
		return fmt.Sprintf("%q contains a NUL byte; %s", shown, want)
	}
	if c := path.Clean(p); c == ".." || strings.HasPrefix(c, "../") {
		return fmt.Sprintf("%q leads outside the build context; %s", shown, want)
	}
	return ""
}
