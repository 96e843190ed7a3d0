package nginxconf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/layercake-build/layercake/hostrules"
)

func mustRedirects(t *testing.T, src string) []hostrules.Redirect {
	t.Helper()
	rs, err := hostrules.ParseRedirects("_redirects", []byte(src))
	if err != nil {
		t.Fatalf("ParseRedirects(%q) error = %v", src, err)
	}
	return rs
}

func mustHeaders(t *testing.T, src string) []hostrules.HeaderRule {
	t.Helper()
	rs, err := hostrules.ParseHeaders("_headers", []byte(src))
	if err != nil {
		t.Fatalf("ParseHeaders(%q) error = %v", src, err)
	}
	return rs
}

// Rules with placeholders match the raw path, so captures stay encoded;
// rewrites match the decoded path.
func TestRedirectTranslation(t *testing.T) {
	for _, tt := range []struct {
		line, want string
	}{
		{"/news/* /blog/:splat 302", "if ($layercake_raw_path ~ \"^/news/((?!/)[^\\\\\\\\]*)$\") {\n    return 302 \"/blog/$1$is_args$args\";\n}"},
		{"/p/:y/:slug /:slug/:y 307", "if ($layercake_raw_path ~ \"^/p/([^/\\\\\\\\]+)/([^/\\\\\\\\]+)/?$\") {\n    return 307 \"/$2/$1$is_args$args\";\n}"},
		{"/q/:a /r?x=:a#top 303", "if ($layercake_raw_path ~ \"^/q/([^/\\\\\\\\]+)/?$\") {\n    return 303 \"/r?x=$1#top\";\n}"},
		{"/d/* https://docs.example.org/:splat#s", "if ($layercake_raw_path ~ \"^/d/((?!/)[^\\\\\\\\]*)$\") {\n    return 301 \"https://docs.example.org/$1$is_args$args#s\";\n}"},
		{"/café/:x /c/:x", "if ($layercake_raw_path ~ \"^/caf%[Cc]3%[Aa]9/([^/\\\\\\\\]+)/?$\") {\n    return 301 \"/c/$1$is_args$args\";\n}"},
		{"/a.b/:x /c", "if ($layercake_raw_path ~ \"^/a(?:\\\\.|%2[Ee])b/([^/\\\\\\\\]+)/?$\") {\n    return 301 \"/c$is_args$args\";\n}"},
		{"/app/* /app/index.html 200", "rewrite \"^/app/(.*)$\" \"/app/index.html\" break;"},
		{"/x /y#f 200", "rewrite \"^/x/?$\" \"/y\" break;"},
	} {
		if got := redirect(mustRedirects(t, tt.line)[0]); got != tt.want {
			t.Errorf("%q translates to\n%s\nwant\n%s", tt.line, got, tt.want)
		}
	}
}

// Static redirects are one map lookup; each is tried after the rules that
// come before it in the file, so the first match still wins.
func TestStaticRedirects(t *testing.T) {
	r := Rules{Redirects: mustRedirects(t, "/a /b\n/c/:x /d 302\n/e /f?q=1#top 308\n/g/ /h#x 301\n/a /ignored\n/i /j 200\n")}
	http := r.HTTP()
	for _, want := range []string{
		"map $layercake_path $layercake_static_shadowed {\n" +
			"    \"/a\" \"0 301a /b \";\n    \"/a/\" \"0 301a /b \";\n" +
			"    \"/e\" \"1 308n /f?q=1 #top\";\n    \"/e/\" \"1 308n /f?q=1 #top\";\n" +
			"    \"/g/\" \"1 301a /h #x\";\n}\n",
	} {
		if !strings.Contains(http, want) {
			t.Errorf("HTTP() =\n%s\nlacks\n%s", http, want)
		}
	}
	want := "if ($layercake_static_shadowed ~ \"^0 301a (\\\\S+) (\\\\S*)$\") {\n    return 301 \"$1$is_args$args$2\";\n}\n" +
		"# _redirects line 2: /c/:x /d 302\n" +
		"if ($layercake_raw_path ~ \"^/c/([^/\\\\\\\\]+)/?$\") {\n    return 302 \"/d$is_args$args\";\n}\n" +
		"if ($layercake_static_shadowed ~ \"^1 301a (\\\\S+) (\\\\S*)$\") {\n    return 301 \"$1$is_args$args$2\";\n}\n" +
		"if ($layercake_static_shadowed ~ \"^1 308n (\\\\S+) (\\\\S*)$\") {\n    return 308 \"$1$2\";\n}\n" +
		"# _redirects line 6: /i /j 200\nrewrite \"^/i/?$\" \"/j\" break;\n"
	if got := r.Shadowed(); got != want {
		t.Errorf("Shadowed() =\n%s\nwant\n%s", got, want)
	}
	if f := r.Forced(); f != "" {
		t.Errorf("Forced() = %q, want nothing", f)
	}
}

func TestRulesSplitByForce(t *testing.T) {
	r := Rules{Redirects: mustRedirects(t, "/a /b\n/c/* /d 302!\n/e /f 200\n")}
	if f := r.Forced(); !strings.Contains(f, "line 2: /c/* /d 302!") || strings.Contains(f, "/a") {
		t.Errorf("Forced() =\n%s\nwant only line 2", f)
	}
	if s := r.Shadowed(); !strings.Contains(s, "$layercake_static_shadowed") || !strings.Contains(s, "line 3") || strings.Contains(s, "line 2") {
		t.Errorf("Shadowed() =\n%s\nwant lines 1 and 3", s)
	}
	if !r.HasShadowed() || (Rules{}).HasShadowed() {
		t.Errorf("HasShadowed wrong")
	}
}

func TestHeaderTranslation(t *testing.T) {
	r := Rules{Headers: mustHeaders(t, "/*\n  X-Frame-Options: DENY\n  Cache-Control: no-store\n/assets/*\n  Cache-Control: public, max-age=60\n  X-Note: say \"hi\"\n/raw/*\n  Content-Type: text/plain\n")}
	http := r.HTTP()
	for _, want := range []string{
		"map $request_uri $layercake_raw_path {\n    \"~^(?<layercake_p>[^?]*)\" $layercake_p;\n}\n",
		// the later rule first: it overrides for its paths
		"map $layercake_path $layercake_cache_control {\n    \"~^/assets/(.*)$\" \"public, max-age=60\"; # _headers line 4\n    \"~^/(.*)$\" \"no-store\"; # _headers line 1\n    \"~" + strings.ReplaceAll(hostrules.FingerprintRegex, `\`, `\\`) + "\" \"public, max-age=31536000, immutable\";\n    default \"no-cache\";\n}\n",
		"# _headers line 1: /*\nmap $layercake_path $layercake_r0 {\n    \"~^/(.*)$\" 1;\n}\n",
		"# _headers line 4: /assets/*\nmap $layercake_path $layercake_r1 {\n    \"~^/assets/(.*)$\" 1;\n}\n",
	} {
		if !strings.Contains(http, want) {
			t.Errorf("HTTP() =\n%s\nlacks\n%s", http, want)
		}
	}
	if strings.Contains(http, "layercake_r2") {
		t.Errorf("a rule that only sets Content-Type has a header map:\n%s", http)
	}
	if got, want := r.Server(), "if ($layercake_r0) { # _headers line 1\n    set $layercake_h0_0 \"DENY\";\n}\n"+
		"if ($layercake_r1) { # _headers line 4\n    set $layercake_h1_1 \"say \\\"hi\\\"\";\n}\n"+
		"add_header Cache-Control $layercake_cache_control;\nadd_header \"X-Frame-Options\" $layercake_h0_0 always;\nadd_header \"X-Note\" $layercake_h1_1 always;\n"; got != want {
		t.Errorf("Server() =\n%s\nwant\n%s", got, want)
	}
	if got := r.ContentTypes(); len(got) != 1 || got[0].Type != "text/plain" || got[0].Regex != "^/raw/(.*)$" {
		t.Errorf("ContentTypes() = %+v, want the /raw/* rule", got)
	}
}

// The same rules give the same config: the kinds of static rule in one
// slot come from a map, so their order must not.
func TestTranslationDeterministic(t *testing.T) {
	r := Rules{
		Headers:   mustHeaders(t, "/*\n  A: 1\n  B: 2\n/x\n  C: 3\n"),
		Redirects: mustRedirects(t, "/a /b 301\n/b2 /c 302\n/c2 /d 303\n/d2 /e?x 307\n/e2 /f 308\n/c/* /d/:splat 302!\n"),
	}
	first := r.HTTP() + r.Server() + r.Forced() + r.Shadowed()
	if !strings.Contains(first, "303a") || !strings.Contains(first, "307n") {
		t.Fatalf("the rules did not reach the config:\n%s", first)
	}
	for range 50 {
		if got := r.HTTP() + r.Server() + r.Forced() + r.Shadowed(); got != first {
			t.Fatalf("translation differs between runs:\n%s\nthen\n%s", first, got)
		}
	}
}

// The static maps' hash is sized so nginx can build it: at least 2048
// slots and four per key, and a bucket that holds the longest key. Only
// shadowed rules here, so a size taken from the forced ones alone is
// caught. Kills rules.go:49 and :55 (+ to - or *, * to /) and :292.
func TestStaticMapHashSizes(t *testing.T) {
	var src strings.Builder
	for i := range 1100 {
		fmt.Fprintf(&src, "/old/%d /new/%d\n", i, i)
	}
	long := "/" + strings.Repeat("a", 94) + "/" // 96 bytes and 32 fill 128
	src.WriteString(long + " /short\n")
	r := Rules{Redirects: mustRedirects(t, src.String())}
	http := r.HTTP()
	// 1100 rules also matched with a trailing slash, and the long one: 2201 keys.
	if want := "map_hash_max_size 8804;\nmap_hash_bucket_size 128;\n"; !strings.HasPrefix(http, want) {
		t.Errorf("HTTP() starts\n%.80s\nwant %q (4 slots for each of 2201 keys, a bucket for 96 bytes)", http, want)
	}
	one := Rules{Redirects: mustRedirects(t, "/a /b 302!\n")}.HTTP()
	if want := "map_hash_max_size 2048;\nmap_hash_bucket_size 64;\n"; !strings.HasPrefix(one, want) {
		t.Errorf("HTTP() with one forced rule starts\n%.80s\nwant %q", one, want)
	}
	if none := (Rules{Redirects: mustRedirects(t, "/a/* /b 302\n")}).HTTP(); strings.Contains(none, "map_hash") {
		t.Errorf("HTTP() without static rules sizes a map:\n%s", none)
	}
}

// bucketSize is the smallest power of two from 64 that holds a key and 32
// bytes of nginx's own. Kills rules.go:292 (< to <=, < to >=, + to -).
func TestBucketSize(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 64}, {31, 64}, {32, 64}, {33, 128}, {96, 128}, {97, 256}, {1000, 2048},
	} {
		if got := bucketSize(tt.n); got != tt.want {
			t.Errorf("bucketSize(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}
