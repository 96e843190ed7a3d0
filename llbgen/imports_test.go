package llbgen

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// llbgen is pure: neither it nor any layercake package it depends on (spec,
// nginxconf, hostrules, …) imports the archive client (HTTP and OpenPGP),
// the gateway, or a package that does network, process or file I/O. BuildKit's
// own llb package is outside this check: it is the output format.
func TestImportsNoIO(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const module = "github.com/layercake-build/layercake"
	forbidden := func(imp string) bool {
		return imp == module+"/debian" || imp == module+"/frontend" || slices.Contains([]string{"os", "os/exec", "net", "net/http", "io/ioutil"}, imp) ||
			strings.Contains(imp, "openpgp") || strings.Contains(imp, "gateway")
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module+"/") {
			continue
		}
		checked++
		for _, imp := range fields[1:] {
			if forbidden(imp) {
				t.Errorf("%s (in llbgen's dependencies) imports %s", fields[0], imp)
			}
		}
	}
	if checked < 3 { // llbgen, spec, nginxconf at least
		t.Fatalf("go list found %d layercake packages in llbgen's dependencies:\n%s", checked, out)
	}
}
