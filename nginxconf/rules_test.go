package nginxconf

import (
	"strings"
	"testing"

	"github.com/layercake-build/layercake/internal/hostrules"
)

func TestRedirectTranslation(t *testing.T) {
	for _, tt := range []struct {
		line, want string
	}{
		{"/old /new", "if ($uri ~ \"^/old/?$\") {\n    return 301 \"/new$is_args$args\";\n}"},
		{"/a.html /b 308!", "if ($uri ~ \"^/a\\\\.html/?$\") {\n    return 308 \"/b$is_args$args\";\n}"},
		{"/news/* /blog/:splat 302", "if ($uri ~ \"^/news/(.*)$\") {\n    return 302 \"/blog/$1$is_args$args\";\n}"},
		{"/p/:y/:slug /:slug/:y 307", "if ($uri ~ \"^/p/([^/]+)/([^/]+)/?$\") {\n    return 307 \"/$2/$1$is_args$args\";\n}"},
		{"/q /r?x=1 303", "if ($uri ~ \"^/q/?$\") {\n    return 303 \"/r?x=1\";\n}"},
		{"/d/* https://docs.example.org/:splat", "if ($uri ~ \"^/d/(.*)$\") {\n    return 301 \"https://docs.example.org/$1$is_args$args\";\n}"},
		{"/app/* /app/index.html 200", "rewrite \"^/app/(.*)$\" \"/app/index.html\" break;"},
		{"/dir/ /x", "if ($uri ~ \"^/dir/$\") {\n    return 301 \"/x$is_args$args\";\n}"},
	} {
		rs, err := hostrules.ParseRedirects("_redirects", []byte(tt.line))
		if err != nil {
			t.Fatalf("hostrules.ParseRedirects(%q) error = %v", tt.line, err)
		}
		if got := redirect(rs[0]); got != tt.want {
			t.Errorf("%q translates to\n%s\nwant\n%s", tt.line, got, tt.want)
		}
	}
}

func TestRulesSplitByForce(t *testing.T) {
	rs, err := hostrules.ParseRedirects("_redirects", []byte("/a /b\n/c /d 302!\n/e /f 200\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Rules{Redirects: rs}
	if f := r.Forced(); !strings.Contains(f, "line 2: /c /d 302!") || strings.Contains(f, "/a") {
		t.Errorf("Forced() =\n%s\nwant only line 2", f)
	}
	if s := r.Shadowed(); !strings.Contains(s, "line 1") || !strings.Contains(s, "line 3") || strings.Contains(s, "line 2") || strings.Index(s, "line 1") > strings.Index(s, "line 3") {
		t.Errorf("Shadowed() =\n%s\nwant lines 1 and 3 in order", s)
	}
	if !r.HasShadowed() || (Rules{}).HasShadowed() {
		t.Errorf("HasShadowed wrong")
	}
}

func TestHeaderTranslation(t *testing.T) {
	rules, err := hostrules.ParseHeaders("_headers", []byte("/*\n  X-Frame-Options: DENY\n  Cache-Control: no-store\n/assets/*\n  Cache-Control: public, max-age=60\n  X-Note: say \"hi\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := Rules{Headers: rules}
	http := r.HTTP()
	for _, want := range []string{
		"map $request_uri $layercake_path {\n    \"~^(?<layercake_p>[^?]*)\" $layercake_p;\n}\n",
		// the later rule first: it overrides for its paths
		"map $layercake_path $layercake_cache_control {\n    \"~^/assets/(.*)$\" \"public, max-age=60\"; # _headers line 4\n    \"~^/(.*)$\" \"no-store\"; # _headers line 1\n    \"~" + strings.ReplaceAll(hostrules.FingerprintRegex, `\`, `\\`) + "\" \"public, max-age=31536000, immutable\";\n    default \"no-cache\";\n}\n",
		"map $layercake_path $layercake_h0_0 { # _headers line 1\n    \"~^/(.*)$\" \"DENY\";\n    default \"\";\n}\n",
		"map $layercake_path $layercake_h1_1 { # _headers line 4\n    \"~^/assets/(.*)$\" \"say \\\"hi\\\"\";\n",
	} {
		if !strings.Contains(http, want) {
			t.Errorf("HTTP() =\n%s\nlacks\n%s", http, want)
		}
	}
	if got, want := r.Server(), "add_header Cache-Control $layercake_cache_control;\nadd_header X-Frame-Options $layercake_h0_0 always;\nadd_header X-Note $layercake_h1_1 always;\n"; got != want {
		t.Errorf("Server() =\n%s\nwant\n%s", got, want)
	}
}

func TestTranslationDeterministic(t *testing.T) {
	rules, _ := hostrules.ParseHeaders("_headers", []byte("/*\n  A: 1\n  B: 2\n/x\n  C: 3\n"))
	rs, _ := hostrules.ParseRedirects("_redirects", []byte("/a /b\n/c/* /d/:splat 302!\n"))
	r := Rules{Headers: rules, Redirects: rs}
	first := r.HTTP() + r.Server() + r.Forced() + r.Shadowed()
	for range 20 {
		if got := r.HTTP() + r.Server() + r.Forced() + r.Shadowed(); got != first {
			t.Fatalf("translation differs between runs")
		}
	}
}
