package integration

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHardenedRuntimeUnderLoad runs the image read-only, as 65534, with no
// capabilities and no new privileges (see runtimeSpec), and sends it a
// bounded load from this process on loopback: zero errors allowed.
func TestHardenedRuntimeUnderLoad(t *testing.T) {
	e := need(t)
	t.Parallel()
	p := port(t)
	im := e.push(t, build{dir: e.siteDir(t, p)}, "hardened", "load")
	e.runImage(t, im, p)

	const (
		workers  = 8
		requests = 4000
	)
	paths := []string{"/", "/about.html", "/css/site.css", "/missing.html"}
	want := map[string]int{"/": 200, "/about.html": 200, "/css/site.css": 200, "/missing.html": 404}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 5 * time.Second}
	var next, failures atomic.Int64
	var firstErr sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := next.Add(1); n <= requests && ctx.Err() == nil; n = next.Add(1) {
				path := paths[int(n)%len(paths)]
				if err := fetch(ctx, client, fmt.Sprintf("http://127.0.0.1:%d%s", p, path), want[path]); err != nil {
					failures.Add(1)
					firstErr.Do(func() { t.Errorf("GET %s: %v", path, err) })
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if n := failures.Load(); n > 0 || ctx.Err() != nil {
		t.Errorf("%d of %d requests failed (deadline: %v)", n, requests, ctx.Err())
	}
	t.Logf("%d requests from %d workers in %v (%.0f/s)", requests, workers, elapsed.Round(time.Millisecond), float64(requests)/elapsed.Seconds())
}

func fetch(ctx context.Context, c *http.Client, url string, status int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != status {
		return fmt.Errorf("status %d, want %d", resp.StatusCode, status)
	}
	return nil
}

// TestConcurrentBuilds builds four different sites at once on one builder.
func TestConcurrentBuilds(t *testing.T) {
	e := need(t)
	t.Parallel()
	const n = 4
	digests := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		dir := e.siteDir(t, 8080)
		write(t, dir, "public/index.html", fmt.Sprintf("<!doctype html><title>site %d</title><p>Site number %d.</p>\n", i, i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref := fmt.Sprintf("%s/concurrent:site%d", e.registry.host, i)
			if _, err := e.tryBuild(t, build{dir: dir, args: []string{"--output", "type=image,name=" + ref + ",push=true"}}); err != nil {
				t.Errorf("build %d: %v", i, err)
				return
			}
			im, err := e.registry.platformImage("concurrent", fmt.Sprintf("site%d", i), runtime.GOARCH)
			if err != nil {
				t.Errorf("build %d: %v", i, err)
				return
			}
			digests[i] = im.digest
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, d := range digests {
		if d == "" {
			continue
		}
		if seen[d] {
			t.Errorf("site %d has the digest of another site: %s", i, d)
		}
		seen[d] = true
	}
}
