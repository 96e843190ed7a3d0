package integration

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// env is the shared environment: tools, a registry, one long-lived builder
// with the frontend image pushed, and the Debian mirror.
var env *environment

func TestMain(m *testing.M) {
	flag.Parse()
	if !enabled() {
		fmt.Println("integration: skipped; set LAYERCAKE_INTEGRATION=1 (CI=true does too) after hack/tools to run the end-to-end tests")
		os.Exit(m.Run())
	}
	e, err := setUp()
	if err != nil {
		fmt.Fprintf(os.Stderr, "integration: setting up: %v\n", err)
		if e != nil {
			e.tearDown()
		}
		os.Exit(1)
	}
	env = e
	code := m.Run()
	e.tearDown()
	os.Exit(code)
}

// enabled reports whether the end-to-end tests must run.
func enabled() bool {
	return os.Getenv("LAYERCAKE_INTEGRATION") == "1" || os.Getenv("CI") == "true"
}

// need skips a test when the integration environment is off; TestMain has
// already failed the run when it is on but broken.
func need(t *testing.T) *environment {
	t.Helper()
	if env == nil {
		t.Skip("set LAYERCAKE_INTEGRATION=1 to run end-to-end tests")
	}
	return env
}

// repoRoot is the module root, two levels above this file.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}
