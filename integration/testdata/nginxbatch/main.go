// Command nginxbatch runs `nginx -T` on every config in a folder, one
// after the other, inside one container of an image that has no shell:
// nginxbatch DIR. For each DIR/NAME.conf it prints "=== NAME exit CODE",
// then what nginx wrote (the configuration files it read, and its errors).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

const nginx = "/usr/sbin/nginx"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nginxbatch DIR")
		os.Exit(2)
	}
	names, err := filepath.Glob(filepath.Join(os.Args[1], "*.conf"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sort.Strings(names)
	for _, n := range names {
		out, err := exec.Command(nginx, "-T", "-c", n, "-e", "stderr").CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			code = -1
			out = append(out, err.Error()...)
		}
		fmt.Printf("=== %s exit %d\n%s\n", filepath.Base(n), code, out)
	}
}
