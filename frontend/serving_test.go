package frontend

import (
	"errors"
	"testing"

	"github.com/layercake-build/layercake/internal/hostrules"
	"github.com/moby/buildkit/solver/errdefs"
)

// A rule file's problems reach buildx as source info: the file's bytes and
// one range per problem, at its line.
func TestRuleSourceError(t *testing.T) {
	data := []byte("# c\n/a /b 999\n/c\n")
	_, err := hostrules.ParseRedirects("public/_redirects", data)
	err = ruleSourceError(err, "public/_redirects", data)
	var src *errdefs.SourceError
	if !errors.As(err, &src) {
		t.Fatalf("ruleSourceError() = %v, want source info attached", err)
	}
	if src.Info.Filename != "public/_redirects" || string(src.Info.Data) != string(data) {
		t.Errorf("source = %q with %q, want the rule file and its bytes", src.Info.Filename, src.Info.Data)
	}
	var lines []int32
	for _, r := range src.Ranges {
		lines = append(lines, r.Start.Line)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 3 {
		t.Errorf("ranges at lines %v, want [2 3]", lines)
	}
	if got := ruleSourceError(nil, "x", nil); got != nil {
		t.Errorf("ruleSourceError(nil) = %v, want nil", got)
	}
}

func TestSnippetLines(t *testing.T) {
	log := `nginx/extra.conf:3: unknown directive "add_heder"
2026/12/03 09:10:46 [emerg] 11#11: unknown directive "add_heder" in nginx/extra.conf:3 (build context)
nginx: configuration file /etc/layercake/nginx.conf test failed
`
	got := snippetLines(log)
	if len(got) != 1 || got[0] != (snippetLine{"nginx/extra.conf", 3}) {
		t.Errorf("snippetLines() = %v, want nginx/extra.conf:3 alone", got)
	}
}
