// Package gitignore converts a repository's .gitignore files into the exclude
// patterns BuildKit applies to a local build context (the .dockerignore
// language of github.com/moby/patternmatcher, passed to llb.ExcludePatterns),
// so that a site generator, and the cache key of its step, never see the build
// output and editor files git ignores. It follows git's reading of the files
// (comments, escapes, trailing spaces, "!" negation, anchoring to the file's
// folder, "**", bracket expressions) and is pure: no file system, no git.
package gitignore
