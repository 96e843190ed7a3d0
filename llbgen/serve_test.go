package llbgen

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/hostrules"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/solver/pb"
)

// The site layer is the helper's output: it reads the site folder of the
// build context read-only and writes the served site with content times and
// the precompressed variants, keeping them in the shared variant cache; the
// layer is a copy of that output, keyed by its content.
func TestSiteIsPrepared(t *testing.T) {
	out := mustBuild(t, testInput(t))
	g := llbtest.Marshal(t, out.Layers[len(out.Layers)-1].State)
	op := g.One(t, "[layercake] prepare the site (public) in 1 layer: content-derived times, gzip and br variants")
	exec := op.GetExec()
	want := []string{"/bin/layercake", "split", "--epoch", fmt.Sprint(testEpoch.Unix()), "--in", "/in", "--dir", "srv/www",
		"--gzip", "--br", "--cache", "/cache",
		"--exclude", "_headers", "--exclude", "_redirects", "--exclude", "layercake.lock", "--exclude", "Dockerfile",
		"--group", "all/0/1", "--out", "/out/0"}
	if !slices.Equal(exec.Meta.Args, want) {
		t.Errorf("prepare args = %q, want %q", exec.Meta.Args, want)
	}
	if exec.Network != pb.NetMode_NONE {
		t.Errorf("prepare network = %v, want none", exec.Network)
	}
	if id := g.Input(op, 0).GetSource().GetIdentifier(); id != "docker-image://127.0.0.1:5000/layercake:test" {
		t.Errorf("prepare runs in %s, want the helper image", id)
	}
	in := mountAt(exec, "/in")
	if in == nil || !in.Readonly || in.Selector != "/public" || !strings.HasPrefix(g.Input(op, int(in.Input)).GetSource().GetIdentifier(), "local://") {
		t.Errorf("/in mount = %v, want the context's public/, read-only", in)
	}
	if c := mountAt(exec, "/cache"); c == nil || c.MountType != pb.MountType_CACHE || c.CacheOpt.GetID() != VariantCacheID || c.CacheOpt.GetSharing() != pb.CacheSharingOpt_SHARED {
		t.Errorf("prepare /cache mount = %v, want the shared variant cache", c)
	}
	if cp := g.HeadOp().GetFile().GetActions()[0].GetCopy(); cp == nil || cp.Src != "/" || g.Input(g.HeadOp(), 0) != op {
		t.Errorf("site layer = %v, want a copy of the split step's output", cp)
	}
}

// mountAt is exec's mount at dest, or nil.
func mountAt(exec *pb.ExecOp, dest string) *pb.Mount {
	for _, m := range exec.GetMounts() {
		if m.Dest == dest {
			return m
		}
	}
	return nil
}

// Without compression each site layer is a copy of its prepared files (a
// copy is keyed by their content too).
func TestCompressOff(t *testing.T) {
	in := testInput(t)
	s, err := spec.Load("layercake.yaml", []byte("version: 1\nserver: {compress: []}\nsite: {dir: public}\n"))
	if err != nil {
		t.Fatal(err)
	}
	in.Spec = s
	out := mustBuild(t, in)
	g := llbtest.Marshal(t, out.Image)
	args := g.One(t, "[layercake] prepare the site (public)").GetExec().Meta.Args
	if slices.Contains(args, "--gzip") || slices.Contains(args, "--br") || !slices.Contains(args, "layercake.yaml") {
		t.Errorf("prepare args = %q, want no compression and the spec's own name left out", args)
	}
	if slices.Contains(args, "--cache") || mountAt(g.One(t, "[layercake] prepare the site (public)").GetExec(), "/cache") != nil {
		t.Error("compress: [] still mounts the variant cache")
	}
	if cp := llbtest.Marshal(t, out.Layers[len(out.Layers)-1].State).HeadOp().GetFile().GetActions()[0].GetCopy(); cp == nil || cp.Src != "/" {
		t.Errorf("site layer = %v, want a copy of the prepared site", cp)
	}
	if conf := nginxconf.Render(in.serverConfig()); strings.Contains(conf, "gzip_static") || strings.Contains(conf, "load_module") {
		t.Errorf("nginx.conf with compress: [] serves precompressed files:\n%s", conf)
	}
}

// A site edit changes only the site's inputs; the rules and snippets only
// the config's.
func TestRulesChangeOnlyTheConfig(t *testing.T) {
	base := mustBuild(t, testInput(t))
	in := testInput(t)
	rs, err := hostrules.ParseRedirects("_redirects", []byte("/a /b\n"))
	if err != nil {
		t.Fatal(err)
	}
	in.Rules = hostrules.Rules{Redirects: rs}
	in.Snippets = []Snippet{{Path: "nginx/extra.conf", Data: []byte("location = /x { return 204; }\n")}}
	changed := mustBuild(t, in)
	for i := range base.Layers {
		a := llbtest.Marshal(t, base.Layers[i].State).Bytes
		b := llbtest.Marshal(t, changed.Layers[i].State).Bytes
		same := slices.EqualFunc(a, b, func(x, y []byte) bool { return string(x) == string(y) })
		if isConfig := strings.HasPrefix(changed.Layers[i].Name, "nginx.conf"); same == isConfig {
			t.Errorf("layer %q changed = %v, want %v", changed.Layers[i].Name, !same, isConfig)
		}
	}
}

func TestSnippetsInConfigLayer(t *testing.T) {
	in := testInput(t)
	s, err := spec.Load("Dockerfile", []byte("version: 1\nserver:\n  include: {server: [nginx/extra.conf], location: [cors.conf]}\nsite: {dir: public}\n"))
	if err != nil {
		t.Fatal(err)
	}
	in.Spec = s
	in.Snippets = []Snippet{{Path: "nginx/extra.conf", Data: []byte("# a\n")}, {Path: "cors.conf", Data: []byte("# b\n")}}
	out := mustBuild(t, in)
	g := llbtest.Marshal(t, out.Image)
	var files []string
	for _, a := range g.One(t, "[layercake] stage nginx.conf").GetFile().Actions {
		if mk := a.GetMkfile(); mk != nil {
			files = append(files, mk.Path)
		}
	}
	want := []string{nginxconf.ConfigPath, "/etc/layercake/context/nginx/extra.conf", "/etc/layercake/context/cors.conf"}
	if !slices.Equal(files, want) {
		t.Errorf("config layer files = %q, want %q", files, want)
	}
	conf := nginxconf.Render(in.serverConfig())
	for _, w := range []string{`include "/etc/layercake/context/nginx/extra.conf";`, `            include "/etc/layercake/context/cors.conf";`} {
		if !strings.Contains(conf, w) {
			t.Errorf("nginx.conf lacks %q", w)
		}
	}
	check := llbtest.Marshal(t, out.Check).HeadOp().GetExec()
	want = []string{"/.layercake/bin/layercake", "nginx-test", "--user", "65534:65534", "--result", "/out" + CheckResult, "--", nginxconf.NginxBinary}
	if !slices.Equal(check.Meta.Args[:len(want)], want) {
		t.Errorf("check runs %q, want %q…", check.Meta.Args, want)
	}
}

func TestNginxConfServing(t *testing.T) {
	conf := nginxconf.Render(nginxconf.Config{Port: 8080, Root: WebRoot, Headers: map[string]string{"X-B": "2", "X-A": `say "1"`}, Health: "/healthz", IPv6: true, Gzip: true, Brotli: true})
	for _, want := range []string{
		"load_module " + nginxconf.BrotliModule + ";\ndaemon off;",
		"absolute_redirect off;", "disable_symlinks on;", "gzip_static on;", "brotli_static on;", "gzip_vary on;",
		"listen 8080;\n        listen [::]:8080;",
		"add_header \"X-A\" \"say \\\"1\\\"\" always;\n        add_header \"X-B\" \"2\" always;", // sorted, quoted
		"location = \"/healthz\" {\n            access_log off;\n            return 204;",
		"error_page 403 =404 /404.html;",
		"location ^~ /.well-known/ {", "location ~ /\\. {\n            return 404;",
		"try_files $uri $uri/ =404;",
		"add_header Cache-Control $layercake_cache_control;",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("nginx.conf lacks %q:\n%s", want, conf)
		}
	}
}
