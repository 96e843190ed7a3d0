package integration

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// releasePlatforms are the platforms hack/release publishes.
var releasePlatforms = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x"}

// TestRelease publishes the frontend as a maintainer does, with hack/release
// and a fresh cosign key, then checks it as a user would: the signature
// verifies (and fails once the tag is moved), imagetools lists five
// platforms with an SBOM and provenance each, hack/verify-release rebuilds
// the commit on a fresh builder to the same index digest, and Docker Engine
// builds a site with `# syntax=` naming the release by digest.
func TestRelease(t *testing.T) {
	e := need(t)
	t.Parallel()
	for _, tool := range []string{"cosign", "ocirelease"} {
		if _, err := os.Stat(filepath.Join(e.bin, tool)); err != nil {
			t.Fatalf("%s is missing from %s: run hack/tools", tool, e.bin)
		}
	}
	src := cloneHead(t)
	keys := t.TempDir()
	cosignEnv := []string{"COSIGN_PASSWORD=layercake-test", "PATH=" + e.bin + ":" + os.Getenv("PATH")}
	mustRunIn(t, keys, cosignEnv, filepath.Join(e.bin, "cosign"), "generate-key-pair")
	repo := e.registry.host + "/layercake-release"

	start := time.Now()
	out := mustRunIn(t, src, append(cosignEnv, "LAYERCAKE_RELEASE_REPO="+repo, "COSIGN_KEY="+filepath.Join(keys, "cosign.key")),
		filepath.Join(src, "hack", "release"), "v1.2.3")
	t.Logf("hack/release took %s", time.Since(start).Round(time.Second))
	pinned := lastLine(out)
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(repo) + `@sha256:[0-9a-f]{64}$`).MatchString(pinned) {
		t.Fatalf("hack/release printed %q last, want %s@sha256:…", pinned, repo)
	}
	digest := strings.TrimPrefix(pinned, repo+"@")

	verify := func(ref string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_, err := run(ctx, cosignEnv, filepath.Join(e.bin, "cosign"), "verify", "--key", filepath.Join(keys, "cosign.pub"),
			"--insecure-ignore-tlog=true", ref)
		return err
	}
	for _, tag := range []string{"1.2.3", "1.2", "1"} {
		if err := verify(repo + ":" + tag); err != nil {
			t.Errorf("cosign verify --key %s:%s: %v", repo, tag, err)
		}
	}
	checkReleaseIndex(t, e, pinned)

	start = time.Now()
	out = mustRunIn(t, src, cosignEnv, filepath.Join(src, "hack", "verify-release"), repo+":1.2.3", headCommit(t, src))
	t.Logf("hack/verify-release took %s; it printed:\n%s", time.Since(start).Round(time.Second), tail(out, 5))
	if !strings.Contains(out, "VERDICT: MATCH") || !strings.Contains(out, digest) {
		t.Errorf("hack/verify-release on a fresh builder:\n%s\nwant VERDICT: MATCH and %s", out, digest)
	}

	start = time.Now()
	buildWithReleasedSyntax(t, e, pinned)
	t.Logf("docker build with # syntax=%s took %s", pinned, time.Since(start).Round(time.Second))

	// Someone moves the tag to another image: the signature no longer
	// verifies, and hack/verify-release refuses it.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := e.buildx(ctx, "imagetools", "create", "-t", repo+":1.2.3", e.frontend); err != nil {
		t.Fatal(err)
	}
	if err := verify(repo + ":1.2.3"); err == nil {
		t.Errorf("cosign verify --key %s:1.2.3 succeeded after the tag was moved to %s", repo, e.frontend)
	}
	if err := verify(repo + ":1"); err != nil {
		t.Errorf("cosign verify --key %s:1 (not moved): %v", repo, err)
	}
	if out, err := tryIn(src, cosignEnv, filepath.Join(src, "hack", "verify-release"), repo+":1.2.3", headCommit(t, src)); err == nil {
		t.Errorf("hack/verify-release of the moved tag succeeded:\n%s", out)
	}
}

// checkReleaseIndex: imagetools lists the five platforms, each with an SBOM
// naming layercake's module and a mode=max provenance.
func checkReleaseIndex(t *testing.T, e *environment, ref string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	text, err := e.buildx(ctx, "imagetools", "inspect", ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range releasePlatforms {
		if !strings.Contains(text, "Platform:    "+p+"\n") {
			t.Errorf("imagetools inspect %s lists no %s:\n%s", ref, p, text)
		}
	}
	// {{json .}} leaves the attestations out: ask for each by name.
	format := func(field string, v any) {
		raw, err := e.buildx(ctx, "imagetools", "inspect", ref, "--format", "{{json ."+field+"}}")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), v); err != nil {
			t.Fatalf("imagetools inspect --format '{{json .%s}}': %v\n%.500s", field, err, raw)
		}
	}
	var sboms map[string]struct{ SPDX json.RawMessage }
	var provs map[string]struct{ SLSA json.RawMessage }
	var images map[string]struct {
		Config struct{ Labels map[string]string }
	}
	format("SBOM", &sboms)
	format("Provenance", &provs)
	format("Image", &images)
	for _, p := range releasePlatforms {
		if sb := string(sboms[p].SPDX); !strings.Contains(sb, `"github.com/layercake-build/layercake"`) {
			t.Errorf("SBOM of %s does not name github.com/layercake-build/layercake: %.300s", p, sb)
		}
		if pr := string(provs[p].SLSA); !strings.Contains(pr, `"buildDefinition"`) || !strings.Contains(pr, `"buildConfig"`) {
			t.Errorf("provenance of %s is not SLSA v1 mode=max: %.300s", p, pr)
		}
	}
	labels := images["linux/amd64"].Config.Labels
	if labels["org.opencontainers.image.version"] != "1.2.3" || len(labels["org.opencontainers.image.revision"]) != 40 ||
		labels["org.opencontainers.image.source"] == "" || labels["org.opencontainers.image.created"] == "" {
		t.Errorf("OCI labels = %v, want version 1.2.3, the commit, the source and the commit's time", labels)
	}
}

// buildWithReleasedSyntax builds the static example on Docker Engine with
// `# syntax=` naming the release by digest, and asks it --call version.
func buildWithReleasedSyntax(t *testing.T, e *environment, pinned string) {
	t.Helper()
	d := e.engine(t, "classic")
	dir := e.copyExample(t, "static", 8080)
	spec, _ := os.ReadFile(filepath.Join(dir, "Dockerfile"))
	write(t, dir, "Dockerfile", regexp.MustCompile(`(?m)^# syntax=.*$`).ReplaceAllString(string(spec), "# syntax="+pinned))
	mirror := "DEBIAN_MIRROR=" + e.mirror
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", mirror, "--target", "lock", "-o", ".", ".")
	d.mustDocker(t, dir, "build", "--progress=plain", "--build-arg", mirror, "-t", "released-syntax:test", ".")
	if out := d.mustDocker(t, dir, "buildx", "build", "--call", "version", "."); !strings.Contains(out, "layercake 1.2.3 (commit ") {
		t.Errorf("docker buildx build --call version:\n%s\nwant layercake 1.2.3 and its commit", out)
	}
}

// cloneHead clones the checkout's HEAD: a release is a commit, and
// hack/release refuses a tree with uncommitted changes.
func cloneHead(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	head := headCommit(t, repoRoot())
	mustRunIn(t, "", nil, "git", "clone", "--quiet", "--no-checkout", repoRoot(), dir)
	mustRunIn(t, dir, nil, "git", "checkout", "--quiet", head)
	return dir
}

func headCommit(t *testing.T, dir string) string {
	t.Helper()
	return strings.TrimSpace(mustRunIn(t, dir, nil, "git", "rev-parse", "HEAD"))
}

// mustRunIn runs a command in dir and returns its output; it fails the test on error.
func mustRunIn(t *testing.T, dir string, envv []string, name string, args ...string) string {
	t.Helper()
	out, err := tryIn(dir, envv, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out, 60))
	}
	return out
}

func tryIn(dir string, envv []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), envv...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestReleaseWorkflowLints: the release workflow passes actionlint.
func TestReleaseWorkflowLints(t *testing.T) {
	e := need(t)
	t.Parallel()
	wf := filepath.Join(repoRoot(), ".github", "workflows", "release.yml")
	if out, err := tryIn(repoRoot(), nil, filepath.Join(e.bin, "actionlint"), wf); err != nil {
		t.Errorf("actionlint %s: %v\n%s", wf, err, out)
	}
	data, _ := os.ReadFile(wf)
	for _, want := range []string{"hack/release", "id-token: write", "packages: write", "# syntax="} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not contain %q", wf, want)
		}
	}
}
