package spec

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	suiteRE   = regexp.MustCompile(`^[a-z][a-z0-9.-]*$`)
	packageRE = regexp.MustCompile(`^[a-z0-9][a-z0-9+.-]+$`)
)

// checker collects validation problems with their positions.
type checker struct {
	s    *Spec
	errs []*Error
}

func (c *checker) fail(p, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.s.file, Pos: c.s.Pos(p), Path: clipped(p), Msg: fmt.Sprintf(format, args...)})
}

// failKey reports a problem with the key of p rather than its value.
func (c *checker) failKey(p, format string, args ...any) {
	pos := c.s.KeyPos(p)
	c.errs = append(c.errs, &Error{File: c.s.file, Pos: pos, Path: clipped(p), Msg: fmt.Sprintf(format, args...)})
}

// present reports whether a field was written in the file or is set.
func (c *checker) present(p string, set bool) bool {
	return set || c.s.pos.has(p)
}

// Validate reports every problem in s (errors.Join of *Error) ordered by
// position, then path. It runs on a parsed spec before defaults: absent
// fields that have defaults are fine, present ones must be valid. It never
// changes s. A nil error means s is valid.
func (s *Spec) Validate() error {
	c := &checker{s: s}
	c.version()
	c.epoch()
	c.debian()
	c.server()
	c.site()
	return join(c.errs)
}

func (c *checker) version() {
	v := c.s.Version
	switch {
	case !c.present("version", v != 0):
		c.fail("version", `missing; add "version: %d" at the top of the file`, SupportedVersion)
	case v != SupportedVersion:
		c.fail("version", `%d is not supported; this layercake reads "version: %d"`, v, SupportedVersion)
	}
}

func (c *checker) epoch() {
	switch e := c.s.Epoch; {
	case e == nil:
	case *e < 0:
		c.fail("epoch", "%d is negative; use seconds since 1970-01-01 UTC (0 or more), or remove it", *e)
	case *e > MaxEpoch:
		c.fail("epoch", "%d is after %d (2262-04-11), the last time a build can record; use seconds since 1970-01-01 UTC, not milliseconds", *e, MaxEpoch)
	}
}

func (c *checker) debian() {
	deb := c.s.Debian
	if c.present("debian.suite", deb.Suite != "") && !suiteRE.MatchString(deb.Suite) {
		c.fail("debian.suite", `%q is not a suite name; use a Debian codename such as "trixie" (lowercase letters, digits, "." and "-"), or remove it for %q`, deb.Suite, DefaultSuite)
	}
	if c.present("debian.mirror", deb.Mirror != "") {
		if msg := mirrorProblem(deb.Mirror, "https://deb.example.org/debian", "DEBIAN_MIRROR"); msg != "" {
			c.fail("debian.mirror", "%s", msg)
		}
	}
	if c.present("debian.security_mirror", deb.SecurityMirror != "") {
		if msg := mirrorProblem(deb.SecurityMirror, "https://deb.example.org/debian-security", "DEBIAN_SECURITY_MIRROR"); msg != "" {
			c.fail("debian.security_mirror", "%s", msg)
		}
	}
	c.suites(deb)
	c.exclude(deb.Exclude)
	for i, k := range deb.Keys {
		if msg := contextPathProblem(k, `such as "keys/archive.asc"`); msg != "" {
			c.fail(fmt.Sprintf("debian.keys[%d]", i), "%s", msg)
		}
	}
}

// mirrorProblem says what is wrong with a mirror URL, or "" when it is fine.
// example is a URL of that kind, arg the build arg that can replace it.
func mirrorProblem(m, example, arg string) string {
	want := "use an absolute http or https URL such as " + example + ", or remove it and pass --build-arg " + arg
	u, err := url.Parse(m)
	switch {
	case m == "":
		return "empty; " + want
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return fmt.Sprintf("%q is not an absolute URL; %s", m, want)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("%q uses scheme %q; %s", m, u.Scheme, want)
	case u.User != nil:
		return fmt.Sprintf("%q holds credentials; remove them, the spec file is not a secret", m)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(m, "#"):
		return fmt.Sprintf("%q has a query or fragment; use the archive's base URL, the folder holding dists/ and pool/", m)
	}
	return ""
}

// suites checks debian.suites: each one the suite, its -updates or its
// -security archive, the suite itself among them, none twice.
func (c *checker) suites(deb Debian) {
	if !c.present("debian.suites", deb.Suites != nil) {
		return
	}
	suite := deb.Suite
	if suite == "" {
		suite = DefaultSuite
	}
	if len(deb.Suites) == 0 {
		c.fail("debian.suites", "empty; list the archives packages come from, such as [%s] (or remove it for %v)", suite, DefaultSuites(suite))
		return
	}
	allowed := DefaultSuites(suite)
	first := map[string]int{}
	for i, s := range deb.Suites {
		p := fmt.Sprintf("debian.suites[%d]", i)
		if j, dup := first[s]; dup {
			c.fail(p, "%q is already listed at debian.suites[%d]; remove one", s, j)
			continue
		}
		first[s] = i
		if !slices.Contains(allowed, s) {
			c.fail(p, "%q is not an archive of debian.suite %q; use %s, %s or %s", s, suite, allowed[0], allowed[1], allowed[2])
		}
	}
	if _, ok := first[suite]; !ok {
		c.fail("debian.suites", "does not list %q; the suite itself holds most packages, list it first: [%s]", suite, strings.Join(append([]string{suite}, deb.Suites...), ", "))
	}
}

func (c *checker) exclude(names []string) {
	c.packageNames("debian.exclude", names)
}

// packageNames checks a list of Debian package names for syntax and duplicates.
func (c *checker) packageNames(list string, names []string) {
	first := map[string]int{}
	for i, name := range names {
		p := fmt.Sprintf("%s[%d]", list, i)
		if !packageRE.MatchString(name) {
			c.fail(p, "%q is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\"", name)
			continue
		}
		if j, dup := first[name]; dup {
			c.fail(p, "%q is already listed at %s[%d]; remove one", name, list, j)
			continue
		}
		first[name] = i
	}
}

func (c *checker) server() {
	c.port(c.s.Server.Port)
	c.serving(c.s.Server)
}

// port checks server.port. A port below MinPort is refused rather than
// given a capability: nginx runs as uid 65534 with every capability
// dropped, and the build's nginx -t binds the port in a network namespace
// where unprivileged ports start at 1024.
func (c *checker) port(p int) {
	switch {
	case !c.present("server.port", p != 0):
	case p >= 1 && p < MinPort:
		c.fail("server.port", "%d is below %d: nginx runs as uid 65534, which may not bind it (the build's nginx -t fails, and so does docker run --network host); remove server.port to listen on %d and publish that as port %d when you run the image: docker run -p %d:%d, or ports: [\"%d:%d\"] in compose", p, MinPort, DefaultPort, p, p, DefaultPort, p, DefaultPort)
	case p < 1 || p > 65535:
		c.fail("server.port", "%d is out of range; use a port from %d to 65535 (nginx runs as a non-root user)", p, MinPort)
	}
}

func (c *checker) site() {
	site := c.s.Site
	hasDir := c.present("site.dir", site.Dir != "")
	switch {
	case !c.present("site", hasDir || site.Build != nil):
		c.fail("site", `missing; add "site: {dir: public}" naming the folder to serve, or a "site.build" section that generates it`)
	case hasDir && site.Build != nil:
		c.failKey("site.build", `set either site.dir (a prebuilt folder) or site.build (generate the site), not both`)
	case site.Build != nil:
		c.build(site.Build)
	case !hasDir:
		c.fail("site.dir", `missing; add "dir: public" naming the folder in the build context to serve ("." serves the whole context)`)
	default:
		if msg := dirProblem(site.Dir); msg != "" {
			c.fail("site.dir", "%s", msg)
		}
	}
}

// dirProblem says what is wrong with a site folder, or "" when it is fine.
func dirProblem(dir string) string {
	return contextPathProblem(dir, `such as "public" ("." serves the whole context)`)
}
