package spec

import "strings"

// backportsSuffix ends the name of a suite's backports archive.
const backportsSuffix = "-backports"

// ToolchainSuites are the archives the toolchain comes from: nil when it
// shares the runtime's (site.build.suite absent), the runtime's suites and
// the backports archive for "<suite>-backports" (apt's backports supply
// only newer versions of some packages, so the rest come from the suite),
// or the named suite alone. Call it on a spec with defaults applied.
func (s *Spec) ToolchainSuites() []string {
	b := s.Site.Build
	switch {
	case b == nil || b.Suite == "":
		return nil
	case strings.HasSuffix(b.Suite, backportsSuffix):
		return append(cloneStrings(s.Debian.Suites), b.Suite)
	}
	return []string{b.Suite}
}

// toolchainSuite checks site.build.suite: a suite name other than
// debian.suite, and for backports the backports of debian.suite.
func (c *checker) toolchainSuite(suite string) {
	const p = "site.build.suite"
	if !c.present(p, suite != "") {
		return
	}
	runtime := c.s.Debian.Suite
	if runtime == "" {
		runtime = DefaultSuite
	}
	base, backports := strings.CutSuffix(suite, backportsSuffix)
	switch {
	case !suiteRE.MatchString(suite):
		c.fail(p, `%q is not a suite name; use a Debian codename such as "forky" (testing) or %q`, suite, runtime+backportsSuffix)
	case suite == runtime:
		c.fail(p, "%q is debian.suite already; remove site.build.suite, the toolchain comes from debian.suite by default", suite)
	case strings.HasSuffix(suite, "-updates") || strings.HasSuffix(suite, "-security"):
		c.fail(p, `%q is an archive of a suite, not a suite; name the suite, such as "forky", or %q`, suite, runtime+backportsSuffix)
	case backports && base != runtime:
		c.fail(p, "%q backports %s, but debian.suite is %s; backports need their suite's packages, so use %q, or a suite such as \"forky\" alone", suite, base, runtime, runtime+backportsSuffix)
	}
}
