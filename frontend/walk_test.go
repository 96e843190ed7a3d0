package frontend

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// slowRef is a fakeRef whose listings take a while, counting how many are
// in flight at once.
type slowRef struct {
	*fakeRef
	inFlight, most atomic.Int32
}

func (r *slowRef) ReadDir(ctx context.Context, req client.ReadDirRequest) ([]*fstypes.Stat, error) {
	n := r.inFlight.Add(1)
	defer r.inFlight.Add(-1)
	for m := r.most.Load(); n > m && !r.most.CompareAndSwap(m, n); m = r.most.Load() {
	}
	time.Sleep(2 * time.Millisecond)
	return r.fakeRef.ReadDir(ctx, req)
}

// A site with a folder per page (pretty URLs) is listed several folders at
// a time, at most 16, and walked in name order all the same.
func TestWalkEntriesListsFoldersAtOnce(t *testing.T) {
	tr := tree{}
	var want []string
	for y := range 3 {
		for i := range 40 {
			dir := fmt.Sprintf("site/%d/post-%02d", 2024+y, i)
			tr[dir+"/index.html"] = file("<p>post</p>")
			want = append(want, dir, dir+"/index.html")
		}
	}
	tr["site/404.html"] = file("gone")
	ref := &slowRef{fakeRef: &fakeRef{t: tr}}
	var got []string
	err := walkEntries(t.Context(), ref, "/site", func(p string, mode fs.FileMode, _ string, _ int64) error {
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var expect []string
	for _, p := range append(want, "site/404.html", "site/2024", "site/2025", "site/2026") {
		expect = append(expect, "/"+p)
	}
	slices.Sort(expect)
	if !slices.Equal(got, expect) {
		t.Errorf("walk order:\n got %q\nwant %q", got, expect)
	}
	if m := ref.most.Load(); m < 2 || m > readDirParallel {
		t.Errorf("%d listings in flight at most, want 2 to %d", m, readDirParallel)
	}
}

// A folder that cannot be listed fails the walk with its own error.
func TestWalkEntriesListingFails(t *testing.T) {
	tr := tree{"site/a/index.html": file("a"), "site/b/index.html": file("b")}
	bad := &failingRef{fakeRef: &fakeRef{t: tr}, dir: "/site/b"}
	err := walkEntries(t.Context(), bad, "/site", func(string, fs.FileMode, string, int64) error { return nil })
	if err == nil || err.Error() != "listing /site/b: denied" {
		t.Errorf("walkEntries() error = %v, want the folder's own", err)
	}
}

type failingRef struct {
	*fakeRef
	dir string
}

func (r *failingRef) ReadDir(ctx context.Context, req client.ReadDirRequest) ([]*fstypes.Stat, error) {
	if req.Path == r.dir {
		return nil, fmt.Errorf("listing %s: denied", r.dir)
	}
	return r.fakeRef.ReadDir(ctx, req)
}
