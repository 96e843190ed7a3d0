// Package hostrules reads a site's _headers and _redirects files, in the
// syntax Netlify and Cloudflare Pages use, and translates them to nginx
// configuration. Parsing reports every problem at FILE:LINE:COL with what to
// write instead; translation is deterministic (file order, no map order), so
// the same files always give the same config. It also holds the cache-policy
// classifier that tells fingerprinted asset names from unversioned ones.
package hostrules
