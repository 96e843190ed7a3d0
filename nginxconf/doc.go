// Package nginxconf writes the image's nginx.conf: the server block made
// from the spec, and the site's _headers and _redirects (parsed by
// hostrules) as maps, add_header, rewrite and return directives.
// Every string that comes from a user enters the config through Quote, the
// one token writer, so it is always exactly one nginx token. It runs in the
// frontend (gateway) process and does no I/O.
package nginxconf
