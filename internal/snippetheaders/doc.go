// Package snippetheaders finds the blocks of an nginx snippet that set their
// own add_header. nginx inherits add_header from the enclosing level only
// when a level sets none, so each such block silently drops every header
// it would inherit: the spec's server.headers, the site's _headers rules
// and the cache policy. The package reads a snippet with a small tokenizer
// of nginx's config syntax (tokens.go) and needs nothing else.
package snippetheaders
