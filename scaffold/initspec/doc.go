// Package initspec writes a first layercake spec for a site's repository.
// Detect looks at a folder (an fs.FS, so tests use fstest.MapFS) and
// recognises the site generator by its files: Hugo, MkDocs, Sphinx,
// Pelican, mdBook, Jekyll, Hakyll or an npm-based generator (Eleventy,
// Astro, Docusaurus, VitePress, with npm, pnpm or Yarn as the repository
// locks it), at the root or in a usual site folder such as docs/ or
// website/, else a prebuilt folder of HTML.
// It maps the generator's plugins and themes to Debian packages, mounts
// the generator's own caches, and notes what it could not map; the
// problems among the notes are also Warnings, one line each. Render turns
// the Detection into the spec's bytes, with comments that explain each
// key; the same Detection and image always give the same bytes. The
// package does no writing: package scaffold, behind `layercake init`,
// decides where the bytes go.
package initspec
