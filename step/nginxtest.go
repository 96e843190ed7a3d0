package step

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/layercake-build/layercake/nginxconf"
)

// nginxTestMain runs `nginx -t` and prints its messages with snippet paths
// as they are in the build context, so an error in a server.include file
// names that file and line rather than its copy in the image:
//
//	layercake nginx-test [--snippets DIR] [--user UID:GID] [--result FILE] -- nginx -t -c CONF
//
// With --user, nginx runs as that user (the helper itself runs as root so it
// can write FILE). With --result, it writes "exit N" and the messages to FILE
// and exits 0, so the caller decides how to show a failure; otherwise it
// exits with nginx's code.
func nginxTestMain(args []string) int {
	fs := flag.NewFlagSet("nginx-test", flag.ContinueOnError)
	snippets := fs.String("snippets", nginxconf.SnippetDir, "folder holding the snippets at their build-context paths")
	user := fs.String("user", "", "run nginx as UID:GID")
	result := fs.String("result", "", "write the exit code and messages here and exit 0")
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if fs.NArg() == 0 || *snippets == "" {
		fmt.Fprintln(os.Stderr, "usage: layercake nginx-test [--snippets DIR] [--user UID:GID] [--result FILE] -- NGINX ARGS…")
		return 2
	}
	// nginx opens /dev/stdout for its access log: its output must be a file
	// the user it runs as may open, not the helper's pipe.
	out, err := os.CreateTemp("", "nginx-t-*.log")
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake nginx-test: %v\n", err)
		return 1
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	if *user != "" {
		cred, err := credential(*user)
		if err == nil {
			err = out.Chown(int(cred.Uid), int(cred.Gid))
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "layercake nginx-test: %v\n", err)
			return 2
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	code := 0
	var exit *exec.ExitError
	var runErr string
	switch err := cmd.Run(); {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		runErr = fmt.Sprintf("layercake nginx-test: %v\n", err)
		code = 1
	}
	data, err := os.ReadFile(out.Name())
	if err != nil {
		fmt.Fprintf(os.Stderr, "layercake nginx-test: %v\n", err)
		return 1
	}
	log := contextPaths(string(data)+runErr, *snippets)
	fmt.Fprint(os.Stderr, log)
	if *result == "" {
		return code
	}
	if err := os.WriteFile(*result, []byte(fmt.Sprintf("exit %d\n%s", code, log)), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "layercake nginx-test: %v\n", err)
		return 1
	}
	return 0
}

// credential parses UID:GID into a process credential with no
// supplementary groups.
func credential(s string) (*syscall.Credential, error) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.ParseUint(u, 10, 32)
	gid, err2 := strconv.ParseUint(g, 10, 32)
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("--user %q: want UID:GID, such as 65534:65534", s)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
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
