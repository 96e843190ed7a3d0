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
	c.toolchainSuite(b.Suite)
	c.npmTools(b.Npm)
	hasSteps := c.s.pos.has("site.build.steps") || b.Steps != nil
	switch {
	case hasSteps && (c.s.pos.has("site.build.run") || !b.Run.Empty()):
		c.failKey("site.build.steps", "give either run (one command) or steps, not both; move the run command into a step")
	case hasSteps:
		c.steps(b.Steps)
	default:
		c.command("site.build.run", b.Run)
	}
	c.workdir("site.build.workdir", b.Workdir)
	c.output(b)
	c.env("site.build.env", b.Env)
	c.cache("site.build.cache", b.Cache)
}

// command checks a run field.
func (c *checker) command(p string, r Command) {
	switch {
	case r.Empty() && r.Args == nil:
		if p == "site.build.run" {
			c.fail(p, `missing; give the command that generates the site, such as "hugo --minify --destination /out", or a list of steps`)
			return
		}
		c.fail(p, `missing; give the step's command, such as "npm ci"`)
	case r.Empty() || (r.Args != nil && r.Args[0] == ""):
		c.fail(p, `empty; give a command, as a string (run by /bin/sh -c) or a list (argv)`)
	}
}

func (c *checker) workdir(p, dir string) {
	if c.present(p, dir != "") {
		if msg := contextPathProblem(dir, `such as "." or "site"`); msg != "" {
			c.fail(p, "%s", msg)
		}
	}
}

// steps checks site.build.steps: at least one, each with a command, and
// inputs that stay inside the context.
func (c *checker) steps(steps []Step) {
	if len(steps) == 0 {
		c.fail("site.build.steps", `empty; list the steps, such as "- run: hugo --destination /out"`)
		return
	}
	for i, st := range steps {
		p := fmt.Sprintf("site.build.steps[%d]", i)
		c.command(p+".run", st.Run)
		for j, in := range st.Inputs {
			if msg := contextPathProblem(in, `such as "package.json" or "src/*.hs"`); msg != "" {
				c.fail(fmt.Sprintf("%s.inputs[%d]", p, j), "%s", msg)
			}
		}
		c.workdir(p+".workdir", st.Workdir)
		c.env(p+".env", st.Env)
		c.cache(p+".cache", st.Cache)
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

func (c *checker) env(prefix string, env map[string]string) {
	for _, name := range sortedKeys(env) {
		p := prefix + "." + name
		switch {
		case !envNameRE.MatchString(name):
			c.failKey(p, "%q is not an environment variable name; use letters, digits and \"_\", not starting with a digit", clipped(name))
		case slices.Contains(reservedEnv, name):
			c.failKey(p, "%s is set by layercake to the build's epoch; remove it (set the epoch with \"epoch:\" or --build-arg SOURCE_DATE_EPOCH)", name)
		}
	}
}

func (c *checker) cache(prefix string, dirs []string) {
	for i, d := range dirs {
		p := fmt.Sprintf("%s[%d]", prefix, i)
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
