package step

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/layercake-build/layercake/llbgen"
)

// A generator's last step remembers, in a cache mount of the builder,
// which bytes it wrote for which inputs: a manifest of the output's files
// named by a digest of everything the step sees (the command, its
// environment, the toolchain's dpkg status and every file under the
// sources, the cache folders left out). When the step runs again with the
// same inputs (--no-cache-filter site; or after BuildKit dropped the
// step's result but kept the cache mount), the new manifest is compared with the old one and the files that differ
// are reported; the frontend turns that report into a build warning.

// keptRuns bounds the manifests kept in the cache mount.
const keptRuns = 100

// shownDiffs is how many differing files the report names.
const shownDiffs = 10

// runReport is what the step tells the frontend (llbgen.ReportFile).
type runReport struct {
	Step  string   `json:"step,omitempty"`
	Files []string `json:"files"`
	Count int      `json:"count"`
	// Future is the warning about pages left out for their dates
	// (future.go), or "".
	Future string `json:"future,omitempty"`
}

// inputDigest hashes what decides the step's output: argv, the
// environment, the working folder, the toolchain's dpkg status file and
// the tree under src (names, types, modes, bytes, link targets), leaving
// out the folders in skip (cache mounts: warm or cold, they are no input).
func inputDigest(argv, env []string, cwd, status, src string, skip []string) (string, error) {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s\n", len(s), s) }
	for _, a := range argv {
		field("arg " + a)
	}
	env = slices.Sorted(slices.Values(env))
	for _, kv := range env {
		if !buildkitOwn(kv) {
			field("env " + kv)
		}
	}
	field("cwd " + cwd)
	if b, err := os.ReadFile(status); err == nil {
		field("status " + string(b))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && slices.Contains(skip, p) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(src, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		field(fmt.Sprintf("entry %s %o", rel, info.Mode()))
		return hashContent(h, p, d, field)
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// buildkitOwn says whether a variable is one BuildKit adds to every
// step for tracing (TRACEPARENT differs in every build, so with it no two
// runs would share a key), or the one that makes the step run again.
func buildkitOwn(kv string) bool {
	k, _, _ := strings.Cut(kv, "=")
	return k == "TRACEPARENT" || k == "TRACESTATE" || strings.HasPrefix(k, "OTEL_") || k == llbgen.RerunEnv
}

// hashContent adds a regular file's bytes or a link's target to h.
func hashContent(h io.Writer, p string, d fs.DirEntry, field func(string)) error {
	switch {
	case d.Type()&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return err
		}
		field("link " + target)
	case d.Type().IsRegular():
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		field("end")
	}
	return nil
}

// manifest lists dir's files, links and folders with a digest of each,
// by path relative to dir.
func manifest(dir string) (map[string]string, error) {
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h := sha256.New()
		if d.IsDir() {
			io.WriteString(h, "dir")
		} else if err := hashContent(h, p, d, func(s string) { io.WriteString(h, s) }); err != nil {
			return err
		}
		m[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return m, err
}

// differing lists the paths whose digests differ, or that only one holds,
// sorted.
func differing(old, cur map[string]string) []string {
	var out []string
	for p, d := range cur {
		if old[p] != d {
			out = append(out, p)
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// writeManifest stores m as JSON lines of [path, digest], sorted, through
// a temporary file and a rename (steps of other builds share the folder).
func writeManifest(file string, m map[string]string) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".manifest-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	for _, p := range slices.Sorted(maps.Keys(m)) {
		if err := enc.Encode([2]string{p, m[p]}); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := errors.Join(w.Flush(), tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// readManifest reads what writeManifest stored; a missing file is nil.
func readManifest(file string) (map[string]string, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	dec := json.NewDecoder(f)
	for {
		var e [2]string
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		m[e[0]] = e[1]
	}
}

// pruneRuns keeps the newest keep manifests in dir.
func pruneRuns(dir string, keep int) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type run struct {
		name string
		mod  int64
	}
	var runs []run
	for _, e := range entries {
		if info, err := e.Info(); err == nil && strings.HasSuffix(e.Name(), ".json") {
			runs = append(runs, run{e.Name(), info.ModTime().UnixNano()})
		}
	}
	if len(runs) <= keep {
		return
	}
	slices.SortFunc(runs, func(a, b run) int { return int(min(max(b.mod-a.mod, -1), 1)) })
	for _, r := range runs[keep:] {
		os.Remove(filepath.Join(dir, r.name))
	}
}

// compareRun records output's manifest under key in runs and returns the
// report of the files that differ from the run recorded before (none on
// the first run).
func compareRun(runs, key, output, step string) (runReport, error) {
	r := runReport{Step: step, Files: []string{}}
	cur, err := manifest(output)
	if err != nil {
		return r, err
	}
	file := filepath.Join(runs, key+".json")
	old, err := readManifest(file)
	if err != nil {
		return r, err
	}
	if old != nil {
		diff := differing(old, cur)
		r.Count = len(diff)
		r.Files = diff[:min(len(diff), shownDiffs)]
	}
	if err := writeManifest(file, cur); err != nil {
		return r, err
	}
	pruneRuns(runs, keptRuns)
	return r, nil
}

// message is the report as the step's log says it.
func (r runReport) message(what string) string {
	if r.Count == 0 {
		return ""
	}
	more := ""
	if r.Count > len(r.Files) {
		more = fmt.Sprintf(" and %d more", r.Count-len(r.Files))
	}
	quoted := make([]string, len(r.Files))
	for i, f := range r.Files {
		quoted[i] = fmt.Sprintf("%q", f)
	}
	return fmt.Sprintf("layercake: warning: %s wrote %d files that differ from an earlier run of the same inputs on this builder: %s%s; the site is not reproducible (see \"Reproducible output\" in docs/generated-sites.md)",
		what, r.Count, strings.Join(quoted, ", "), more)
}

// Where the step finds things in the build container.
const (
	reportFile   = llbgen.ReportFile
	sourceDir    = llbgen.SourceDir
	dpkgStatus   = "/var/lib/dpkg/status"
	fakeTimeGlob = "/usr/lib/*/faketime/libfaketime.so.1"
)

// pinnedClock is env with libfaketime preloaded and the wall clock stopped
// at SOURCE_DATE_EPOCH. The monotonic clock still runs, so timeouts, event
// loops and sleeps work (with it stopped too, Node's setTimeout never
// fires). HUGO_CLOCK does the same for Hugo. A FAKETIME or HUGO_CLOCK the
// spec sets wins.
func pinnedClock(env []string, glob string) ([]string, error) {
	libs, _ := filepath.Glob(glob)
	if len(libs) == 0 {
		return nil, fmt.Errorf("no %s in the toolchain", glob)
	}
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	epoch := vars["SOURCE_DATE_EPOCH"]
	if epoch == "" {
		return nil, errors.New("SOURCE_DATE_EPOCH is not set")
	}
	set := func(k, v string) {
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, k+"=") })
		env = append(env, k+"="+v)
	}
	preload := libs[0]
	if old := vars["LD_PRELOAD"]; old != "" {
		preload += ":" + old
	}
	set("LD_PRELOAD", preload)
	if _, ok := vars["FAKETIME"]; !ok {
		set("FAKETIME_FMT", "%s")
		set("FAKETIME", epoch)
		set("FAKETIME_DONT_FAKE_MONOTONIC", "1")
	}
	// Go reads the clock without the C library, so libfaketime cannot
	// reach Hugo; Hugo's own clock setting (its --clock flag) can.
	if _, ok := vars["HUGO_CLOCK"]; !ok {
		secs, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		set("HUGO_CLOCK", time.Unix(secs, 0).UTC().Format(time.RFC3339))
	}
	return env, nil
}
