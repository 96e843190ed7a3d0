// Package nginxcorpus holds the inputs of nginxconf's FuzzRender: a server
// header, a _headers and a _redirects file, a health path and a snippet
// path. Its hostile seeds and the saved corpus files are rendered both by
// the fuzz target, which checks the words of the config, and by the
// integration test that runs nginx -t on each config in a built image.
package nginxcorpus
