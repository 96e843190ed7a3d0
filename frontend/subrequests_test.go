package frontend

import (
	"encoding/json"
	"errors"
	"github.com/layercake-build/layercake/debian"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	"github.com/moby/buildkit/frontend/subrequests/targets"
	"github.com/moby/buildkit/solver/errdefs"
)

func call(t *testing.T, g *fakeGateway, request string, v any) {
	t.Helper()
	g.opts["requestid"] = request
	res, err := run(t, g)
	if err != nil {
		t.Fatalf("Build(%s) error = %v", request, err)
	}
	if err := json.Unmarshal(res.Metadata["result.json"], v); err != nil {
		t.Fatalf("Build(%s) result.json: %v\n%s", request, err, res.Metadata["result.json"])
	}
}

// --call targets lists image (default), lock and site.
func TestCallTargets(t *testing.T) {
	var l targets.List
	call(t, staticFake(t, nil), "frontend.targets", &l)
	var names []string
	for _, tg := range l.Targets {
		names = append(names, tg.Name)
		if tg.Default != (tg.Name == TargetImage) || tg.Description == "" {
			t.Errorf("target %+v, want a description and image as the only default", tg)
		}
	}
	if strings.Join(names, " ") != "image lock site" {
		t.Errorf("targets = %v, want image lock site", names)
	}
}

// --call outline shows the build args with the spec's values, and where
// the mirror is set.
func TestCallOutline(t *testing.T) {
	for _, tc := range []struct {
		name, spec, epoch string
	}{
		{"valid", staticSpec + "epoch: 1700000000\n", "1700000000"},
		{"broken spec still outlines", "version: 1\nsite: {dir: /abs}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := staticFake(t, map[string]string{"target": "site"})
			g.locals["dockerfile"]["Dockerfile"] = file(tc.spec)
			var o outline.Outline
			call(t, g, "frontend.outline", &o)
			args := map[string]outline.Arg{}
			for _, a := range o.Args {
				args[a.Name] = a
			}
			if o.Name != TargetSite || !strings.Contains(o.Description, "web root") {
				t.Errorf("outline %q %q, want the site target", o.Name, o.Description)
			}
			for _, n := range []string{ArgMirror, ArgSecurityMirror, ArgNpmRegistry, ArgCacheNamespace, ArgEpoch, ArgMerge, ArgHelperImage} {
				if _, ok := args[n]; !ok {
					t.Errorf("outline lacks %s", n)
				}
			}
			if got := args[ArgEpoch].Value; got != tc.epoch {
				t.Errorf("%s = %q, want %q", ArgEpoch, got, tc.epoch)
			}
			if args[ArgHelperImage].Value != "registry.test/layercake:1" {
				t.Errorf("%s = %q, want the # syntax= image", ArgHelperImage, args[ArgHelperImage].Value)
			}
		})
	}
	var o outline.Outline
	call(t, staticFake(t, nil), "frontend.outline", &o)
	for _, a := range o.Args {
		if a.Name == ArgMirror && (a.Value != testMirror || a.Location == nil || a.Location.Ranges[0].Start.Line != 4) {
			t.Errorf("%s = %+v, want %s at line 4", ArgMirror, a, testMirror)
		}
	}
}

// --call schema answers with the spec's JSON Schema.
func TestCallSchema(t *testing.T) {
	var schema map[string]any
	call(t, staticFake(t, nil), requestSchema, &schema)
	if schema["$schema"] == nil || !strings.Contains(string(mustJSON(t, schema)), `"packages"`) {
		t.Errorf("schema = %.200s", mustJSON(t, schema))
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// --check of a clean spec with a lock reports nothing.
func TestCheckClean(t *testing.T) {
	var res lint.LintResults
	call(t, staticFake(t, nil), "frontend.lint", &res)
	if len(res.Warnings) != 0 || res.Error != nil {
		t.Errorf("--check = %+v, want no warnings", res)
	}
}

// --check reports each problem by rule, at its line.
func TestCheckProblems(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file("version: 1\nx-owner: web team\nserver:\n  port: 8081\nsite:\n  dir: public\n")
	delete(g.locals["dockerfile"], "layercake.lock")
	var res lint.LintResults
	call(t, g, "frontend.lint", &res)
	got := map[string]int32{}
	for _, w := range res.Warnings {
		got[w.RuleName] = w.Location.Ranges[0].Start.Line
		if w.Description == "" || w.Detail == "" {
			t.Errorf("warning %+v lacks a description or detail", w)
		}
	}
	want := map[string]int32{"MissingLock": 1, "NoMirror": 1, "ExtensionKey": 2}
	if len(got) != len(want) {
		t.Errorf("--check rules = %v, want %v", got, want)
	}
	for rule, line := range want {
		if got[rule] != line {
			t.Errorf("--check %s at line %d, want %d", rule, got[rule], line)
		}
	}
	if len(res.Sources) != 1 || !strings.Contains(string(res.Sources[0].Data), "x-owner") {
		t.Errorf("--check sources = %+v, want the spec", res.Sources)
	}
}

// --check of a spec that is not valid reports every error as the build error.
func TestCheckInvalidSpec(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file("version: 2\nsite:\n  dir: /abs\n")
	var res lint.LintResults
	call(t, g, "frontend.lint", &res)
	if res.Error == nil || !strings.Contains(res.Error.Message, "site.dir") || !strings.Contains(res.Error.Message, "version") {
		t.Fatalf("--check error = %+v, want every spec error", res.Error)
	}
	if r := res.Error.Location.Ranges; len(r) != 2 || r[0].Start.Line != 1 || r[1].Start.Line != 3 {
		t.Errorf("--check error lines = %v, want 1 and 3", r)
	}
}

// --check refuses a port below 1024 as a spec error at its line: the
// build's nginx -t, run as uid 65534, could not bind it.
func TestCheckPrivilegedPort(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file("version: 1\nserver:\n  port: 80\nsite:\n  dir: public\n")
	var res lint.LintResults
	call(t, g, "frontend.lint", &res)
	if res.Error == nil || !strings.Contains(res.Error.Message, "Dockerfile:3:9: server.port: 80 is below 1024") || !strings.Contains(res.Error.Message, "docker run -p 80:8080") {
		t.Fatalf("--check error = %+v, want server.port refused with the -p hint", res.Error)
	}
	if r := res.Error.Location.Ranges; len(r) != 1 || r[0].Start.Line != 3 {
		t.Errorf("--check error lines = %v, want 3", r)
	}
}

// --check reports an unreadable lock and a stale one.
func TestCheckLockRules(t *testing.T) {
	stale := testLock(t, "amd64")
	stale.Suite = "forky"
	stale.Archives = append(stale.Archives, debian.LockArchive{Suite: "forky", Date: lockDate})
	for _, tc := range []struct {
		name, lock, rule string
	}{
		{"invalid", "{}", "InvalidLock"},
		{"stale", lockBytes(t, stale), "StaleLock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := staticFake(t, nil)
			g.locals["dockerfile"]["layercake.lock"] = file(tc.lock)
			var res lint.LintResults
			call(t, g, "frontend.lint", &res)
			if len(res.Warnings) != 1 || res.Warnings[0].RuleName != tc.rule {
				t.Errorf("--check = %+v, want one %s", res.Warnings, tc.rule)
			}
		})
	}
	t.Run("missing platform", func(t *testing.T) {
		g := staticFake(t, map[string]string{"platform": "linux/amd64,linux/arm64"})
		var res lint.LintResults
		call(t, g, "frontend.lint", &res)
		if len(res.Warnings) != 1 || res.Warnings[0].RuleName != "LockMissingPlatform" || !strings.Contains(res.Warnings[0].Detail, "arm64") {
			t.Errorf("--check = %+v, want LockMissingPlatform for arm64", res.Warnings)
		}
	})
}

// An unknown subrequest is refused.
func TestUnknownSubrequest(t *testing.T) {
	g := staticFake(t, map[string]string{"requestid": "frontend.nonsense"})
	if _, err := run(t, g); err == nil {
		t.Error("Build(unknown subrequest) = nil error")
	}
}

// A spec with errors fails the build with every error, each at its line.
func TestSpecErrorsPointAtLines(t *testing.T) {
	g := staticFake(t, nil)
	g.locals["dockerfile"]["Dockerfile"] = file("version: 1\nserver:\n  port: 80000\n  colour: blue\nsite:\n  dir: ../outside\n")
	_, err := run(t, g)
	if err == nil {
		t.Fatal("Build(bad spec) = nil error")
	}
	for _, want := range []string{"Dockerfile:3:9: server.port", "Dockerfile:4:3: server.colour", "Dockerfile:6:8: site.dir"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Build() error lacks %q:\n%v", want, err)
		}
	}
	var se *errdefs.SourceError
	if !errors.As(err, &se) {
		t.Fatalf("Build() error carries no source: %v", err)
	}
	var lines []int32
	for _, r := range se.Ranges {
		lines = append(lines, r.Start.Line)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 4 || lines[2] != 6 {
		t.Errorf("source lines = %v, want [3 4 6]", lines)
	}
	if se.Info.Filename != "Dockerfile" || !strings.Contains(string(se.Info.Data), "colour") {
		t.Errorf("source info = %s, want the spec", se.Info.Filename)
	}
}
