package sitefiles

import (
	"runtime"
	"sync"
)

// MaxWorkers caps the variants one helper step compresses at once. Each
// holds a chunk and an encoder (up to about 25 MiB at the qualities big
// files get), and BuildKit runs the steps of a site's layers side by side,
// so a builder with many cores already has several steps to share them.
const MaxWorkers = 8

// compressPool compresses a tree's variants on a bounded number of
// goroutines while the walk goes on copying. Each variant depends only on
// the bytes it encodes and its encoding, so neither the number of workers
// nor the order they finish in changes what is written; the error
// reported is the one of the first variant in walk order, so it does not
// depend on timing either.
type compressPool struct {
	slots chan struct{}
	wg    sync.WaitGroup

	mu     sync.Mutex
	next   int // walk order of the next variant
	gz, br variantStats
	err    error
	errAt  int
}

// variantStats counts the variants of one encoding that were kept.
type variantStats struct{ n, bytes int64 }

func newCompressPool(workers int) *compressPool {
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), MaxWorkers)
	}
	return &compressPool{slots: make(chan struct{}, workers)}
}

// run starts job when a worker is free and adds the size it returns (0
// when the variant is not kept) to st. It returns the error of an earlier
// job, so the walk stops at the first failure.
func (c *compressPool) run(job func() (int64, error), st *variantStats) error {
	c.mu.Lock()
	at := c.next
	c.next++
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return err
	}
	c.slots <- struct{}{}
	c.wg.Add(1)
	go func() {
		defer func() { <-c.slots; c.wg.Done() }()
		n, err := job()
		c.mu.Lock()
		defer c.mu.Unlock()
		if err != nil {
			if c.err == nil || at < c.errAt {
				c.err, c.errAt = err, at
			}
			return
		}
		if n > 0 {
			st.n++
			st.bytes += n
		}
	}()
	return nil
}

// wait waits for every job and returns the first one's error in walk
// order, or walkErr, the walk's own, when no job failed. A nil pool only
// returns walkErr.
func (c *compressPool) wait(walkErr error) error {
	if c == nil {
		return walkErr
	}
	c.wg.Wait()
	if c.err != nil {
		return c.err
	}
	return walkErr
}

// addTo adds the kept variants to st.
func (c *compressPool) addTo(st *Stats) {
	if c == nil {
		return
	}
	st.Gzip += int(c.gz.n)
	st.GzipBytes += c.gz.bytes
	st.Brotli += int(c.br.n)
	st.BrotliBytes += c.br.bytes
}
