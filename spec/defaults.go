package spec

import (
	"path"
	"strings"
)

// WithDefaults returns a copy of s with defaults applied: debian.suite
// DefaultSuite, server.port DefaultPort,
// server.compress DefaultCompress, debian.mirror without trailing
// slashes and site.dir cleaned with path.Clean. Positions are kept, so Pos
// of a defaulted field points at its nearest written parent. It never
// changes s.
func (s *Spec) WithDefaults() *Spec {
	c := s.Clone()
	if c.Debian.Suite == "" {
		c.Debian.Suite = DefaultSuite
	}
	if c.Server.Port == 0 {
		c.Server.Port = DefaultPort
	}
	if c.Server.Compress == nil {
		c.Server.Compress = cloneStrings(DefaultCompress)
	}
	c.Debian.Mirror = strings.TrimRight(c.Debian.Mirror, "/")
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
