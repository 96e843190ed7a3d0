package nginxcorpus

import (
	"path"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
)

// Port and Root are what every case renders with.
const (
	Port = 8080
	Root = "/srv/www"
)

// Case is one input of FuzzRender, in the order of its arguments.
type Case struct {
	// HeaderName and HeaderValue are one server.headers entry; both empty
	// for none.
	HeaderName, HeaderValue string
	// Headers and Redirects are the site's _headers and _redirects.
	Headers, Redirects []byte
	// Health is server.health; "" for none.
	Health string
	// Snippet is a server.include path, used for both the server and the
	// location lists; "" for none.
	Snippet string
}

// Spec is the spec the case stands for.
func (c Case) Spec() spec.Spec {
	s := spec.Spec{Version: 1, Site: spec.Site{Dir: "public"}}
	if c.HeaderName != "" || c.HeaderValue != "" {
		s.Server.Headers = map[string]string{c.HeaderName: c.HeaderValue}
	}
	s.Server.Health = c.Health
	if c.Snippet != "" {
		s.Server.Include = spec.Include{Server: []string{c.Snippet}, Location: []string{c.Snippet}}
	}
	return s
}

// Config validates the case as a build does (the spec, then each rules
// file) and returns what Render gets, or false when validation refuses it.
func (c Case) Config() (nginxconf.Config, bool) {
	s := c.Spec()
	if s.Validate() != nil {
		return nginxconf.Config{}, false
	}
	var rules hostrules.Rules
	var err error
	if rules.Headers, err = hostrules.ParseHeaders("_headers", c.Headers); err != nil {
		return nginxconf.Config{}, false
	}
	if rules.Redirects, err = hostrules.ParseRedirects("_redirects", c.Redirects); err != nil {
		return nginxconf.Config{}, false
	}
	srv := s.Server
	return nginxconf.Config{
		Port: Port, Root: Root, Headers: srv.Headers, Health: srv.Health, IPv6: true,
		Gzip: true, Brotli: true, Rules: rules,
		ServerSnippets: srv.Include.Server, LocationSnippets: srv.Include.Location,
	}, true
}

// SnippetPath is where nginx reads the case's snippet: its include path.
func (c Case) SnippetPath() string {
	return path.Join(nginxconf.SnippetDir, c.Snippet)
}
