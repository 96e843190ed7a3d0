// Package bigfile writes large files for the tests and benchmarks that
// measure what the site helper does with them.
package bigfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// JSON writes about size bytes of JSON records to name (making its
// folder), with enough variety that they compress the way real data does
// (a run of one byte compressors take too fast). The bytes depend on size
// alone.
func JSON(name string, size int64) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	w.WriteString("[\n")
	x := uint64(88172645463325252) // xorshift64
	for i := 0; n < size; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		k, _ := fmt.Fprintf(w, "{\"id\":%d,\"name\":\"item %d\",\"score\":%d,\"tag\":\"t%x\"},\n", i, i, x%100000, x%4096)
		n += int64(k)
	}
	w.WriteString("{}]\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
