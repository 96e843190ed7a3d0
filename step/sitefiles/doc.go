// Package sitefiles turns a staged web root into the served one, inside the
// build's helper steps, written whole (Prepare) or straight into the site's
// layers (PrepareSplit): every regular file gets an mtime derived from its
// bytes (so nginx's ETag and Last-Modified change exactly when the content
// does, and stay put across rebuilds and builders when it does not), links
// inside the site are replaced by copies of their targets, dotfiles (but
// .well-known) and the build's own files (_headers, _redirects, the spec,
// the lock) are left out with every link that leads to them, and
// compressible files get deterministic .gz and .br siblings for nginx's
// gzip_static and brotli_static, compressed on every core (up to
// MaxWorkers) at a brotli quality the tree's size decides (BrotliQuality)
// and kept across builds in a VariantCache.
// Every file streams through chunks of a fixed size, so memory does not
// grow with the largest file.
package sitefiles
