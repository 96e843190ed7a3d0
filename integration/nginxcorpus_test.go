package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/testkit/nginxcorpus"
)

// corpusCase is one config of the nginx -t corpus test.
type corpusCase struct {
	name string
	c    nginxcorpus.Case
	conf string
	bug  *nginxcorpus.Bug // a known bug
}

// TestNginxAcceptsFuzzCorpus renders every input of FuzzRender's corpus
// that validation accepts (the seeds and the saved corpus files) and runs
// Debian's nginx -T on each config in an image layercake built, as uid
// 65534 with a read-only root, the configs and the snippets they include
// bind-mounted where the image's config would find them. Every config
// must pass and read its snippet; each known bug (nginxcorpus.Bugs) must
// still fail, so the tokenizer's verdict is nginx's. The configs run in
// batches, one container each.
func TestNginxAcceptsFuzzCorpus(t *testing.T) {
	e := need(t)
	t.Parallel()
	cases := corpusCases(t)
	batches := snippetBatches(cases)

	start := time.Now()
	im := e.push(t, build{dir: e.siteDir(t, 8080)}, "nginx-corpus", "test")
	rootfs := filepath.Join(t.TempDir(), "rootfs")
	if err := os.Mkdir(rootfs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := e.unpackImage(im, rootfs); err != nil {
		t.Fatalf("unpacking %s: %v", im.digest, err)
	}
	runner := filepath.Join(t.TempDir(), "nginxbatch")
	cmd := exec.Command("go", "build", "-o", runner, "./integration/testdata/nginxbatch")
	cmd.Dir, cmd.Env = repoRoot(), append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building nginxbatch: %v\n%s", err, out)
	}
	t.Logf("image built and unpacked, runner built in %s", time.Since(start).Round(time.Second))

	for i, batch := range batches {
		start := time.Now()
		results := e.runNginxBatch(t, rootfs, runner, batch)
		for _, cc := range batch {
			checkCorpusResult(t, cc, results[cc.name])
		}
		t.Logf("batch %d: %d configs through nginx -T in %s", i, len(batch), time.Since(start).Round(time.Millisecond))
	}
}

// corpusCases renders the seeds, the corpus files and the known bugs.
func corpusCases(t *testing.T) []corpusCase {
	t.Helper()
	var out []corpusCase
	add := func(name string, c nginxcorpus.Case, bug *nginxcorpus.Bug) {
		cfg, ok := c.Config()
		if !ok {
			if bug != nil {
				t.Errorf("%s: validation refuses the known bug now; move it to the seeds", name)
			}
			return
		}
		if p := path.Clean(c.Snippet); c.Snippet != "" && (p == "." || strings.HasPrefix(p, "../")) {
			t.Errorf("%s: snippet path %q names no file in the context, yet validation accepts it", name, c.Snippet)
			return
		}
		out = append(out, corpusCase{name: name, c: c, conf: nginxconf.Render(cfg), bug: bug})
	}
	for i, c := range nginxcorpus.Seeds() {
		add(fmt.Sprintf("seed%02d", i), c, nil)
	}
	files, err := nginxcorpus.ReadDir(filepath.Join(repoRoot(), nginxcorpus.Dir))
	if err != nil {
		t.Fatalf("reading the corpus: %v", err)
	}
	for name, c := range files {
		add("file-"+name, c, nil)
	}
	for i, b := range nginxcorpus.Bugs() {
		add(fmt.Sprintf("bug%02d", i), b.Case, &b)
	}
	if len(out) < 10 {
		t.Fatalf("only %d configs to check", len(out))
	}
	return out
}

// snippetBatches groups the cases so that no snippet path of a batch is a
// folder of another's (they share one snippet folder).
func snippetBatches(cases []corpusCase) [][]corpusCase {
	var batches [][]corpusCase
next:
	for _, cc := range cases {
		for i, b := range batches {
			if !snippetClash(b, cc) {
				batches[i] = append(b, cc)
				continue next
			}
		}
		batches = append(batches, []corpusCase{cc})
	}
	return batches
}

func snippetClash(batch []corpusCase, cc corpusCase) bool {
	p := path.Clean(cc.c.Snippet)
	for _, o := range batch {
		q := path.Clean(o.c.Snippet)
		if cc.c.Snippet != "" && o.c.Snippet != "" && p != q && (strings.HasPrefix(p, q+"/") || strings.HasPrefix(q, p+"/")) {
			return true
		}
	}
	return false
}

// snippetBody is every snippet's text: valid in a server and a location.
const snippetBody = "add_header X-Snippet yes;\n"

// runNginxBatch writes the batch's configs and snippets, runs nginxbatch
// in one runc container of rootfs, and returns nginx's output and exit
// code for each case by name.
func (e *environment) runNginxBatch(t *testing.T, rootfs, runner string, batch []corpusCase) map[string]nginxResult {
	t.Helper()
	confs, snippets := t.TempDir(), t.TempDir()
	names := map[string]string{} // file name -> case
	for i, cc := range batch {
		file := fmt.Sprintf("%03d.conf", i)
		names[file] = cc.name
		if err := os.WriteFile(filepath.Join(confs, file), []byte(cc.conf), 0o644); err != nil {
			t.Fatal(err)
		}
		if cc.c.Snippet != "" {
			write(t, snippets, filepath.FromSlash(path.Clean(cc.c.Snippet)), snippetBody)
		}
	}
	for _, d := range []string{confs, snippets, filepath.Dir(runner)} {
		if err := filepath.WalkDir(d, func(p string, _ os.DirEntry, err error) error {
			if err == nil {
				err = os.Chmod(p, 0o755) // readable by uid 65534
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	bundle := t.TempDir()
	spec := runtimeSpec([]string{"/r/nginxbatch", "/c"}, []string{"PATH=/usr/sbin:/usr/bin"}, 65534, 65534)
	bind := func(dst, src string) map[string]any {
		return map[string]any{"destination": dst, "type": "bind", "source": src, "options": []string{"rbind", "ro"}}
	}
	spec["root"] = map[string]any{"path": rootfs, "readonly": true}
	spec["mounts"] = append(spec["mounts"].([]map[string]any),
		bind("/c", confs), bind("/r", filepath.Dir(runner)), bind(nginxconf.SnippetDir, snippets))
	data, _ := json.Marshal(spec)
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	id := "layercake-corpus-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	runcRoot := filepath.Join(e.dir, "runc")
	cmd := exec.CommandContext(ctx, "runc", "--root", runcRoot, "run", "--bundle", bundle, id)
	out, err := cmd.CombinedOutput()
	exec.Command("runc", "--root", runcRoot, "delete", "--force", id).Run()
	if err != nil {
		t.Fatalf("runc run nginxbatch: %v\n%s", err, tail(string(out), 40))
	}
	results := map[string]nginxResult{}
	for _, part := range strings.Split(string(out), "=== ")[1:] {
		head, body, _ := strings.Cut(part, "\n")
		m := batchHeadRE.FindStringSubmatch(head)
		if m == nil {
			t.Fatalf("nginxbatch wrote %q", head)
		}
		code, _ := strconv.Atoi(m[2])
		results[names[m[1]]] = nginxResult{code, body}
	}
	if len(results) != len(batch) {
		t.Fatalf("nginxbatch ran %d of %d configs:\n%s", len(results), len(batch), tail(string(out), 40))
	}
	return results
}

var batchHeadRE = regexp.MustCompile(`^(\S+) exit (-?\d+)$`)

// nginxResult is what nginx -T wrote for one config.
type nginxResult struct {
	code int
	out  string
}

// checkCorpusResult wants a config to pass and to have read its snippet,
// and a known bug to go wrong still as its Nginx says.
func checkCorpusResult(t *testing.T, cc corpusCase, r nginxResult) {
	t.Helper()
	switch b := cc.bug; {
	case b != nil && b.Nginx != "":
		if r.code == 0 || !strings.Contains(r.out, b.Nginx) {
			t.Errorf("%s: nginx -T exit %d, want it to refuse the config with %q (known bug: %s)\n%s", cc.name, r.code, b.Nginx, b.Why, errorLines(r.out))
		}
		return
	case b != nil:
		if r.code != 0 || strings.Contains(r.out, "# configuration file "+cc.c.SnippetPath()+":") {
			t.Errorf("%s: nginx -T exit %d and read the snippet: the known bug is fixed, move it to the seeds (%s)", cc.name, r.code, b.Why)
		}
		return
	}
	if r.code != 0 || !strings.Contains(r.out, "test is successful") {
		t.Errorf("%s: nginx -T refuses the config (exit %d):\n%s\ninput: %q\nconfig:\n%s", cc.name, r.code, errorLines(r.out), cc.c.Format(), cc.conf)
		return
	}
	if cc.c.Snippet != "" && !strings.Contains(r.out, "# configuration file "+cc.c.SnippetPath()+":") {
		t.Errorf("%s: nginx -T did not read the snippet %q:\n%s", cc.name, cc.c.SnippetPath(), configFiles(r.out))
	}
}

// errorLines are nginx's messages in its -T output.
func errorLines(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "nginx: ") || strings.Contains(l, "[emerg]") || strings.Contains(l, "[alert]") || strings.Contains(l, "[crit]") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// configFiles lists the files nginx -T read.
func configFiles(out string) string {
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "# configuration file ") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
