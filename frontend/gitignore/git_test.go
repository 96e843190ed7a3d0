package gitignore

import (
	"bytes"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repo is a work tree: its .gitignore files and the other files in it.
type repo struct {
	ignores map[string]string // folder ("" for the root) -> .gitignore content
	files   []string          // slash paths of the other files
}

// gitIgnored writes r into a fresh repository and returns the files git
// reports as ignored, sorted. Global and system configuration are shut out.
func gitIgnored(t *testing.T, r repo) []string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range r.files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f)), "x")
	}
	for d, data := range r.ignores {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(d), ".gitignore"), data)
	}
	git(t, dir, "init", "-q", "--template=")
	out := git(t, dir, "ls-files", "-z", "--others", "--ignored", "--exclude-standard")
	var got []string
	for p := range strings.SplitSeq(strings.TrimSuffix(out, "\x00"), "\x00") {
		if p != "" {
			got = append(got, p)
		}
	}
	slices.Sort(got)
	return got
}

// git runs git in dir with a configuration of its own.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// converted returns the files of r that patternmatcher excludes with the
// converted .gitignore files, sorted.
func converted(t *testing.T, r repo) []string {
	t.Helper()
	var files []File
	paths := slices.Clone(r.files)
	for d, data := range r.ignores {
		files = append(files, File{Dir: d, Data: []byte(data)})
		paths = append(paths, path.Join(d, ".gitignore"))
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Dir, b.Dir) })
	slices.Sort(paths)
	return excluded(t, files, paths)
}

func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not on PATH; skipping the comparison with git")
	}
}

func TestPatternsAgreeWithGit(t *testing.T) {
	requireGit(t)
	r := repo{
		ignores: map[string]string{
			"": "# editor and logs\n*.swp\n*.log\n!important.log\n/public/\nnode_modules/\n" +
				"\\#notes\ntrailing\\ \n*.o  \n[Tt]humbs.db\ncache/**\n",
			"docs":     "/build\n*.html\n!keep.html\nout/**/*.map\n",
			"docs/sub": "!index.html\ntmp/\n/[!a-m]*.txt\n",
		},
		files: []string{
			"README.md", "a.swp", "b/c.swp", "x.log", "important.log", "b/important.log",
			"public/index.html", "docs/public/x", "node_modules/a/b.js", "web/node_modules/x.js",
			"#notes", "b/#notes", "notes", "trailing ", "trailing", "a.o", "Thumbs.db", "b/thumbs.db",
			"cache/x", "cache/y/z", "b/cache/x", "cachex",
			"build/out.txt", "docs/build/out.txt", "docs/a/build/x", "x.html", "docs/page.html",
			"docs/keep.html", "docs/a/keep.html", "docs/out/a.map", "docs/out/x/y/b.map", "docs/out/a.css",
			"docs/sub/index.html", "docs/sub/other.html", "docs/sub/tmp/t.txt", "tmp/t.txt",
			"docs/sub/a.txt", "docs/sub/z.txt", "docs/sub/deep/z.txt",
		},
	}
	want := gitIgnored(t, r)
	if got := converted(t, r); !slices.Equal(got, want) {
		t.Errorf("excluded = %q\ngit ignores %q", got, want)
	}
}

// TestPatternsKnownDifferences pins down where the conversion departs from
// git (see Patterns): a file named like a folder-only pattern is excluded,
// and a "!" can re-include what lies in an ignored folder.
func TestPatternsKnownDifferences(t *testing.T) {
	requireGit(t)
	r := repo{
		ignores: map[string]string{
			"":    "out/\n!out/keep.md\n*.txt\n!sub/\n",
			"lib": "vendor/\n",
		},
		files: []string{"out/a", "out/keep.md", "sub/a.txt", "a.txt", "lib/vendor", "x/vendor/y"},
	}
	git, got := gitIgnored(t, r), converted(t, r)
	onlyGit := slices.DeleteFunc(slices.Clone(git), func(p string) bool { return slices.Contains(got, p) })
	onlyUs := slices.DeleteFunc(slices.Clone(got), func(p string) bool { return slices.Contains(git, p) })
	if want := []string{"out/keep.md", "sub/a.txt"}; !slices.Equal(onlyGit, want) {
		t.Errorf("ignored by git only = %q, want %q (git %q, excluded %q)", onlyGit, want, git, got)
	}
	if want := []string{"lib/vendor"}; !slices.Equal(onlyUs, want) {
		t.Errorf("excluded but not ignored by git = %q, want %q (git %q, excluded %q)", onlyUs, want, git, got)
	}
}
