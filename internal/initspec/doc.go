// Package initspec writes a first layercake spec for a site's repository.
// Detect looks at a folder (an fs.FS, so tests use fstest.MapFS) and
// recognises the site generator by its files, first match wins: Hugo, MkDocs,
// Jekyll, Hakyll, then a prebuilt folder of HTML. Render turns the Detection
// into the spec's bytes, with comments that explain each key; the same
// Detection and image always give the same bytes. The package does no writing:
// `layercake init` in cmd/layercake decides where the bytes go.
package initspec
