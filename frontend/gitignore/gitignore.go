package gitignore

import (
	"cmp"
	"slices"
	"strings"
)

// File is one .gitignore.
type File struct {
	// Dir is the folder holding the file, relative to the context root, with
	// "/" separators; "" for the root.
	Dir string
	// Data is the file's content.
	Data []byte
}

// Patterns converts .gitignore files into BuildKit exclude patterns (the
// .dockerignore language) that exclude what git would ignore. Files are
// applied shallowest first (by depth, then by Dir), so a deeper file's rules
// come later and win, as in git. Lines git would never match (a lone "/",
// an unterminated "[", a trailing "\", "." or ".." segments), lines that are
// not UTF-8, and files whose Dir leaves the context are skipped.
//
// The result differs from git in three documented ways:
//   - patternmatcher cannot tell folders from files, so a folder-only pattern
//     ("node_modules/") is emitted for the path itself ("**/node_modules"):
//     the folder and everything below it are excluded, and so is a plain file
//     of that name, which git would keep;
//   - git never looks inside an ignored folder, so "build/" followed by
//     "!build/keep.txt" keeps keep.txt ignored, and "!sub/" only re-includes
//     the folder sub itself, not files inside it that an earlier pattern
//     ignores; patternmatcher re-includes those paths, so the context gets a
//     few files git would ignore (never the other way round);
//   - "?" and bracket expressions match one character, where git matches one
//     byte; they differ only on non-ASCII names.
func Patterns(files []File) []string {
	var out []string
	for _, f := range sortedFiles(files) {
		prefix := literalTokens(f.Dir)
		for _, line := range lines(f.Data) {
			if p, ok := convert(line, prefix); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// sortedFiles returns the files whose folder lies inside the context, with
// cleaned Dirs, shallowest first, then by Dir, keeping input order for ties.
func sortedFiles(files []File) []File {
	var kept []File
	for _, f := range files {
		if dir, ok := cleanDir(f.Dir); ok {
			kept = append(kept, File{Dir: dir, Data: f.Data})
		}
	}
	slices.SortStableFunc(kept, func(a, b File) int {
		return cmp.Or(cmp.Compare(depth(a.Dir), depth(b.Dir)), strings.Compare(a.Dir, b.Dir))
	})
	return kept
}

// depth is the number of folders in dir: 0 for the root.
func depth(dir string) int {
	if dir == "" {
		return 0
	}
	return strings.Count(dir, "/") + 1
}
