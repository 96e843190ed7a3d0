package sitefiles

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/layercake-build/layercake/testkit/bigfile"
)

// memLimit bounds the peak resident memory of a process that prepares a
// site holding files far larger than it: every file streams through a
// fixed-size buffer, whatever its size.
const memLimit = 128 << 20

// Prepare's memory does not grow with the largest file: a sparse 384 MiB
// file of a media type (copied and hashed) and a 128 MiB JSON file
// (copied, hashed, gzipped and brotlied, through the variant cache) are
// prepared in a child process whose peak RSS stays under memLimit. Before
// files were streamed, each was read whole and the peak passed 600 MiB.
func TestPrepareBoundedMemory(t *testing.T) {
	if dir := os.Getenv("SITEFILES_MEMTEST_IN"); dir != "" {
		memChild(dir, os.Getenv("SITEFILES_MEMTEST_OUT"), os.Getenv("SITEFILES_MEMTEST_CACHE"))
		return
	}
	if testing.Short() || raceEnabled {
		t.Skip("writes about 600 MB and compresses 128 MiB; skipped with -short and -race (the race detector's shadow memory counts in the RSS)")
	}
	in := t.TempDir()
	if err := sparseFile(filepath.Join(in, "video.mp4"), 384<<20); err != nil {
		t.Fatal(err)
	}
	if err := bigfile.JSON(filepath.Join(in, "data", "big.json"), 128<<20); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "www")
	cache := t.TempDir()
	for _, round := range []string{"cold cache", "warm cache"} {
		os.RemoveAll(out)
		cmd := exec.Command(os.Args[0], "-test.run=^TestPrepareBoundedMemory$", "-test.v")
		cmd.Env = append(os.Environ(), "SITEFILES_MEMTEST_IN="+in, "SITEFILES_MEMTEST_OUT="+out, "SITEFILES_MEMTEST_CACHE="+cache)
		msg, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: child: %v\n%s", round, err, msg)
		}
		// The child reports its own peak: the rusage's Maxrss would be the
		// test process's, when higher, as os/exec starts the child sharing
		// its memory until exec.
		m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB$`).FindSubmatch(msg)
		if m == nil {
			t.Fatalf("%s: the child printed no VmHWM:\n%s", round, msg)
		}
		kib, _ := strconv.ParseInt(string(m[1]), 10, 64)
		peak := kib << 10
		t.Logf("%s: peak RSS %d MiB", round, peak>>20)
		if peak > memLimit {
			t.Errorf("%s: preparing a site with a 384 MiB and a 128 MiB file peaked at %d MiB RSS, want at most %d MiB", round, peak>>20, memLimit>>20)
		}
		for _, rel := range []string{"video.mp4", "data/big.json", "data/big.json.gz", "data/big.json.br"} {
			if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
				t.Errorf("%s: %v", round, err)
			}
		}
	}
}

func memChild(in, out, cache string) {
	st, err := Prepare(in, out, Options{Epoch: epoch, Gzip: true, Brotli: true, Cache: NewVariantCache(cache)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(st)
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(status)
}

// sparseFile makes a file of size bytes that takes no room on disk.
func sparseFile(name string, size int64) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
