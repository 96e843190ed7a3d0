package scaffold

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/scaffold/initspec"
	"github.com/layercake-build/layercake/spec"
)

// site makes a folder holding a prebuilt site in public/.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "public"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "public", "index.html"), []byte("<p>hi</p>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runInitT(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runInit(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestInitWritesDockerfile(t *testing.T) {
	dir := site(t)
	if code := initMain([]string{"--dir", dir}); code != 0 {
		t.Fatalf("initMain(--dir %s) = %d, want 0", dir, code)
	}
	target := filepath.Join(dir, "Dockerfile")
	data, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load("Dockerfile", data)
	if err != nil {
		t.Fatalf("spec.Load(written Dockerfile) error = %v\n%s", err, data)
	}
	if s.Site.Dir != "public" {
		t.Errorf("written site.dir = %q, want public", s.Site.Dir)
	}
	if !strings.HasPrefix(string(data), "# syntax="+initspec.DefaultImage+"\n") {
		t.Errorf("written Dockerfile starts %q, want the default syntax line", strings.SplitN(string(data), "\n", 2)[0])
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&^0o644 != 0 {
		t.Errorf("Dockerfile mode = %v, want at most 0644", perm)
	}
}

// A second run keeps the first file unless --force is given.
func TestInitKeepsExisting(t *testing.T) {
	dir := site(t)
	if code, _, stderr := runInitT(t, "--dir", dir); code != 0 {
		t.Fatalf("first init = %d, %s", code, stderr)
	}
	target := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(target, []byte("version: 1\nsite: {dir: public} # edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runInitT(t, "--dir", dir, "--image", "other/layercake:2")
	if code != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("second init = %d, %q; want 1 and a hint to use --force", code, stderr)
	}
	if data, _ := os.ReadFile(target); !strings.Contains(string(data), "# edited") {
		t.Errorf("second init changed Dockerfile to:\n%s", data)
	}
	if code, _, stderr := runInitT(t, "--dir", dir, "--force", "--image", "other/layercake:2"); code != 0 {
		t.Fatalf("init --force = %d, %s", code, stderr)
	}
	if data, _ := os.ReadFile(target); !strings.HasPrefix(string(data), "# syntax=other/layercake:2\n") {
		t.Errorf("init --force wrote:\n%s", data)
	}
}

// A real Dockerfile is kept, and the message says how to write the spec elsewhere.
func TestInitKeepsOtherDockerfile(t *testing.T) {
	dir := site(t)
	target := filepath.Join(dir, "Dockerfile")
	const docker = "FROM nginx\nCOPY public /usr/share/nginx/html\n"
	if err := os.WriteFile(target, []byte(docker), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runInitT(t, "--dir", dir)
	if code != 1 || !strings.Contains(stderr, "not a layercake spec") || !strings.Contains(stderr, "layercake init --stdout > site.layercake") {
		t.Errorf("init over a Dockerfile = %d, %q; want 1 and the --stdout hint", code, stderr)
	}
	if data, _ := os.ReadFile(target); string(data) != docker {
		t.Errorf("init changed the Dockerfile to:\n%s", data)
	}
}

func TestInitStdout(t *testing.T) {
	dir := site(t)
	code, stdout, stderr := runInitT(t, "--dir", dir, "--stdout")
	if code != 0 {
		t.Fatalf("init --stdout = %d, %s", code, stderr)
	}
	if _, err := spec.Load("site.layercake", []byte(stdout)); err != nil {
		t.Errorf("init --stdout printed a spec spec.Load rejects: %v\n%s", err, stdout)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("init --stdout left %d entries in the folder, want only public/", len(entries))
	}
	if !strings.Contains(stderr, "-f <file>") {
		t.Errorf("init --stdout next steps = %q, want them to pass -f", stderr)
	}
}

func TestInitNextSteps(t *testing.T) {
	dir := site(t)
	t.Chdir(dir)
	_, _, stderr := runInitT(t)
	for _, want := range []string{
		"found public/index.html: a prebuilt site, served from public as it is",
		"docker buildx build --target lock -o . .",
		"docker buildx build -t my-site .",
		"docker run --read-only --tmpfs /tmp -p 8080:8080 my-site",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("init output lacks %q:\n%s", want, stderr)
		}
	}
}

func TestInitNothingFound(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runInitT(t, "--dir", dir)
	if code != 1 || !strings.Contains(stderr, "mkdocs.yml") || !strings.Contains(stderr, "dir: public") {
		t.Errorf("init in an empty folder = %d, %q; want 1, what was looked for and a spec to write by hand", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("init in an empty folder wrote %d files", len(entries))
	}
}

func TestInitUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"--bogus"}, {"--image", "two words"}, {"--image", ""}, {"--dir", ""}} {
		if code, _, _ := runInitT(t, args...); code != 2 {
			t.Errorf("init %q = %d, want 2", args, code)
		}
	}
}

// Each warning init writes into the spec is printed too, one line each,
// whether the spec goes to a file or to stdout.
func TestInitPrintsWarnings(t *testing.T) {
	for _, toStdout := range []bool{false, true} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "mkdocs.yml"), []byte("site_name: x\nplugins:\n  - minify\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"--dir", dir}
		if toStdout {
			args = append(args, "--stdout")
		}
		code, stdout, stderr := runInitT(t, args...)
		if code != 0 {
			t.Fatalf("init %v = %d, %s", args, code, stderr)
		}
		want := "layercake init: warning: Debian has no package for: plugin minify. The build fails until mkdocs.yml does without them (or the site vendors them).\n"
		if !strings.Contains(stderr, want) {
			t.Errorf("init %v stderr = %q, want the line %q", args, stderr, want)
		}
		spec := stdout
		if !toStdout {
			b, err := os.ReadFile(filepath.Join(dir, "Dockerfile"))
			if err != nil {
				t.Fatal(err)
			}
			spec = string(b)
		}
		if !strings.Contains(spec, "# Debian has no package for: plugin minify.\n") {
			t.Errorf("init %v spec lacks the warning's comment:\n%s", args, spec)
		}
	}
}

// A site whose theme needs a newer Hugo than trixie's gets
// site.build.suite: forky, said on the terminal and in the spec.
func TestInitChoosesToolchainSuite(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"hugo.toml":                  "baseURL = 'https://example.org/'\ntheme = 'PaperMod'\n",
		"themes/PaperMod/theme.toml": "name = 'PaperMod'\nmin_version = '0.146.0'\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runInitT(t, "--dir", dir, "--stdout")
	if code != 0 {
		t.Fatalf("init = %d, %s", code, stderr)
	}
	want := "layercake init: site.build.suite: forky. The toolchain comes from Debian forky: themes/PaperMod/theme.toml asks for Hugo >=0.146.0, but trixie has Hugo 0.131.0."
	if !strings.Contains(stderr, want) {
		t.Errorf("init stderr = %q, want %q", stderr, want)
	}
	if !strings.Contains(stdout, "\n    suite: forky\n") {
		t.Errorf("init spec lacks site.build.suite: forky:\n%s", stdout)
	}
}
