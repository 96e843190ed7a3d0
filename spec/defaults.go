package spec

import (
	"path"
	"strings"
)

// WithDefaults returns a copy of s with defaults applied: debian.suite
// DefaultSuite, debian.suites DefaultSuites of it, server.port DefaultPort,
// server.compress DefaultCompress, debian.mirror without trailing
// slashes and site.dir cleaned with path.Clean. Positions are kept, so Pos
// of a defaulted field points at its nearest written parent. It never
// changes s.
func (s *Spec) WithDefaults() *Spec {
	c := s.Clone()
	if c.Debian.Suite == "" {
		c.Debian.Suite = DefaultSuite
	}
	if c.Debian.Suites == nil {
		c.Debian.Suites = DefaultSuites(c.Debian.Suite)
	}
	if c.Server.Port == 0 {
		c.Server.Port = DefaultPort
	}
	if c.Server.Compress == nil {
		c.Server.Compress = cloneStrings(DefaultCompress)
	}
	c.Debian.Mirror = strings.TrimRight(c.Debian.Mirror, "/")
	c.Debian.SecurityMirror = strings.TrimRight(c.Debian.SecurityMirror, "/")
	if c.Site.Dir != "" {
		c.Site.Dir = path.Clean(c.Site.Dir)
	}
	if b := c.Site.Build; b != nil {
		b.Workdir = path.Clean("./" + b.Workdir)
		b.Output = path.Clean(b.Output)
		for i := range b.Steps {
			if b.Steps[i].Workdir != "" {
				b.Steps[i].Workdir = path.Clean("./" + b.Steps[i].Workdir)
			}
		}
	}
	return c
}

// DefaultSuites are the archives of suite that apt's default sources list:
// the suite, its -updates and its -security archive, in that order.
func DefaultSuites(suite string) []string {
	return []string{suite, suite + "-updates", suite + "-security"}
}

// SecuritySuite reports whether archive is the security archive of suite
// (served by debian.security_mirror rather than debian.mirror).
func SecuritySuite(suite, archive string) bool {
	return archive == suite+"-security"
}
