package spec

import (
	"strings"
	"testing"
)

// A hostile value is not echoed whole: the message stays short.
func TestErrorsClipLongValues(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	for _, src := range []string{
		"version: 1\nserver: {port: " + long + "}\nsite: {dir: public}\n",
		"version: 1\nsite: {dir: \"../" + long + "\"}\n",
		"version: 1\n" + strings.Repeat("k", 1000) + ": 1\nsite: {dir: public}\n",
	} {
		_, err := Load("Dockerfile", []byte(src))
		if err == nil {
			t.Fatal("Load() = nil error, want one")
		}
		if n := len(err.Error()); n > 600 {
			t.Errorf("Load() error is %d bytes long: %.200s…", n, err)
		}
	}
}
