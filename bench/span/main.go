// Command span reads BuildKit progress as `docker buildx build
// --progress=rawjson` writes it (on stdin) and prints, in seconds, the time
// from the first start to the last completion of the vertices whose name
// matches the regular expression given as its argument. Lines that are not
// JSON (buildx's warnings) are skipped.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"time"
)

type status struct {
	Vertexes []struct {
		Name      string     `json:"name"`
		Started   *time.Time `json:"started"`
		Completed *time.Time `json:"completed"`
	} `json:"vertexes"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: span REGEXP <progress.json")
		os.Exit(2)
	}
	re, err := regexp.Compile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "span:", err)
		os.Exit(2)
	}
	var first, last time.Time
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var s status
		if !bytes.HasPrefix(sc.Bytes(), []byte("{")) {
			continue // buildx's own warnings
		}
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			fmt.Fprintln(os.Stderr, "span: reading progress:", err)
			os.Exit(1)
		}
		for _, v := range s.Vertexes {
			if !re.MatchString(v.Name) {
				continue
			}
			if v.Started != nil && (first.IsZero() || v.Started.Before(first)) {
				first = *v.Started
			}
			if v.Completed != nil && v.Completed.After(last) {
				last = *v.Completed
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "span: reading progress:", err)
		os.Exit(1)
	}
	if first.IsZero() || last.IsZero() {
		fmt.Fprintln(os.Stderr, "span: no matching vertex ran")
		os.Exit(1)
	}
	fmt.Printf("%.1f\n", last.Sub(first).Seconds())
}
