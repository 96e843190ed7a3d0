package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/layercake-build/layercake/llbgen"
)

// nginxTestMain runs `nginx -t` and prints its messages with snippet paths
// as they are in the build context, so an error in a server.include file
// names that file and line rather than its copy in the image:
//
//	layercake nginx-test [--snippets DIR] -- nginx -t -c CONF
func nginxTestMain(args []string) int {
	fs := flag.NewFlagSet("nginx-test", flag.ContinueOnError)
	snippets := fs.String("snippets", llbgen.SnippetDir, "folder holding the snippets at their build-context paths")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 || *snippets == "" {
		fmt.Fprintln(os.Stderr, "usage: layercake nginx-test --snippets DIR -- NGINX ARGS…")
		return 2
	}
	var out bytes.Buffer
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	fmt.Fprint(os.Stderr, contextPaths(out.String(), *snippets))
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		fmt.Fprintf(os.Stderr, "layercake nginx-test: %v\n", err)
		return 1
	}
	return 0
}

// contextPaths rewrites "in DIR/PATH:LINE" in nginx's messages to
// "in PATH:LINE (build context)" and adds, for each such message, a line
// "PATH:LINE: message" that editors and people read the same way.
func contextPaths(log, dir string) string {
	// "nginx: [emerg] MSG in FILE:LINE", or with -e stderr the log form
	// "2026/01/02 15:04:05 [emerg] 11#11: MSG in FILE:LINE".
	re := regexp.MustCompile(`^(.*\[\w+\] (?:\d+#\d+: )?)(.*) in ` + regexp.QuoteMeta(strings.TrimSuffix(dir, "/")+"/") + `(\S+):(\d+)$`)
	var b strings.Builder
	for _, line := range strings.SplitAfter(log, "\n") {
		body := strings.TrimSuffix(line, "\n")
		m := re.FindStringSubmatch(body)
		if m == nil {
			b.WriteString(line)
			continue
		}
		fmt.Fprintf(&b, "%s:%s: %s\n%s%s in %s:%s (build context)\n", m[3], m[4], m[2], m[1], m[2], m[3], m[4])
	}
	return b.String()
}
