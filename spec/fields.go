package spec

import "go.yaml.in/yaml/v3"

// specFields lists the top-level keys of a spec file, in documented order.
func specFields(s *Spec) []field {
	return []field{
		{"version", func(d *decoder, p string, n *yaml.Node) { d.intField(p, n, &s.Version) }},
		{"epoch", func(d *decoder, p string, n *yaml.Node) {
			if v, ok := d.integer(p, n); ok {
				s.Epoch = &v
			}
		}},
		{"debian", func(d *decoder, p string, n *yaml.Node) { d.mapping(p, n, debianFields(&s.Debian)) }},
		{"server", func(d *decoder, p string, n *yaml.Node) { d.mapping(p, n, serverFields(&s.Server)) }},
		{"site", func(d *decoder, p string, n *yaml.Node) { d.mapping(p, n, siteFields(&s.Site)) }},
	}
}

func debianFields(deb *Debian) []field {
	return []field{
		{"suite", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &deb.Suite) }},
		{"mirror", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &deb.Mirror) }},
		{"security_mirror", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &deb.SecurityMirror) }},
		{"suites", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &deb.Suites) }},
		{"exclude", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &deb.Exclude) }},
		{"keys", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &deb.Keys) }},
	}
}

func serverFields(srv *Server) []field {
	return []field{
		{"port", func(d *decoder, p string, n *yaml.Node) { d.intField(p, n, &srv.Port) }},
		{"headers", func(d *decoder, p string, n *yaml.Node) { d.strMap(p, n, &srv.Headers) }},
		{"include", func(d *decoder, p string, n *yaml.Node) { d.mapping(p, n, includeFields(&srv.Include)) }},
		{"compress", func(d *decoder, p string, n *yaml.Node) {
			d.strList(p, n, &srv.Compress)
			if srv.Compress == nil {
				srv.Compress = []string{} // written but empty: compression off
			}
		}},
		{"health", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &srv.Health) }},
		{"ipv6", func(d *decoder, p string, n *yaml.Node) { d.boolean(p, n, &srv.IPv6) }},
	}
}

func includeFields(inc *Include) []field {
	return []field{
		{"server", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &inc.Server) }},
		{"location", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &inc.Location) }},
	}
}

func siteFields(site *Site) []field {
	return []field{
		{"dir", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &site.Dir) }},
		{"build", func(d *decoder, p string, n *yaml.Node) {
			site.Build = &Build{}
			d.mapping(p, n, buildFields(site.Build))
		}},
	}
}

func buildFields(b *Build) []field {
	return []field{
		{"packages", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &b.Packages) }},
		{"suite", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &b.Suite) }},
		{"npm", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &b.Npm) }},
		{"run", func(d *decoder, p string, n *yaml.Node) { d.command(p, n, &b.Run) }},
		{"steps", func(d *decoder, p string, n *yaml.Node) { d.steps(p, n, &b.Steps) }},
		{"workdir", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &b.Workdir) }},
		{"output", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &b.Output) }},
		{"env", func(d *decoder, p string, n *yaml.Node) { d.strMap(p, n, &b.Env) }},
		{"network", func(d *decoder, p string, n *yaml.Node) { d.boolean(p, n, &b.Network) }},
		{"cache", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &b.Cache) }},
		{"gitignore", func(d *decoder, p string, n *yaml.Node) {
			var v bool
			if d.boolean(p, n, &v) {
				b.Gitignore = &v
			}
		}},
	}
}

func stepFields(st *Step) []field {
	return []field{
		{"inputs", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &st.Inputs) }},
		{"run", func(d *decoder, p string, n *yaml.Node) { d.command(p, n, &st.Run) }},
		{"workdir", func(d *decoder, p string, n *yaml.Node) { d.str(p, n, &st.Workdir) }},
		{"env", func(d *decoder, p string, n *yaml.Node) { d.strMap(p, n, &st.Env) }},
		{"network", func(d *decoder, p string, n *yaml.Node) {
			var v bool
			if d.boolean(p, n, &v) {
				st.Network = &v
			}
		}},
		{"cache", func(d *decoder, p string, n *yaml.Node) { d.strList(p, n, &st.Cache) }},
	}
}
