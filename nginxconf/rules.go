package nginxconf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/layercake-build/layercake/internal/hostrules"
)

// Rules are a site's _headers and _redirects, parsed, as nginx directives.
type Rules hostrules.Rules

// Variables the generated config defines.
const (
	// PathVar is the request path without its query, as the client sent it.
	PathVar = "$layercake_path"
	// CacheVar is the Cache-Control of the response.
	CacheVar = "$layercake_cache_control"
	// FallbackLocation is tried when no file matches; it applies the
	// redirects a file shadows, then answers 404.
	FallbackLocation = "@layercake_rules"
)

// HTTP returns the directives for nginx's http block: the maps that pick
// each rule's header values and the cache policy by request path.
func (r Rules) HTTP() string {
	var b strings.Builder
	fmt.Fprintf(&b, "map $request_uri %s {\n    \"~^(?<layercake_p>[^?]*)\" $layercake_p;\n}\n", PathVar)
	fmt.Fprintf(&b, "map %s %s {\n", PathVar, CacheVar)
	for i := len(r.Headers) - 1; i >= 0; i-- { // a later rule overrides an earlier one
		h := r.Headers[i]
		for _, hd := range h.Headers {
			if strings.EqualFold(hd.Name, "Cache-Control") {
				fmt.Fprintf(&b, "    %s %s; # _headers line %d\n", Quote("~"+h.Path.Regex()), Quote(hd.Value), h.Line)
			}
		}
	}
	fmt.Fprintf(&b, "    %s %s;\n    default %s;\n}\n", Quote("~"+hostrules.FingerprintRegex), Quote(hostrules.Immutable), Quote(hostrules.Revalidate))
	for i, h := range r.Headers {
		for j, hd := range h.Headers {
			if strings.EqualFold(hd.Name, "Cache-Control") {
				continue
			}
			fmt.Fprintf(&b, "map %s %s { # _headers line %d\n    %s %s;\n    default \"\";\n}\n",
				PathVar, headerVar(i, j), h.Line, Quote("~"+h.Path.Regex()), Quote(hd.Value))
		}
	}
	return b.String()
}

func headerVar(rule, header int) string {
	return fmt.Sprintf("$layercake_h%d_%d", rule, header)
}

// Server returns the directives for the server block: the cache policy and
// each _headers header (nginx sends no header whose value is empty, so a
// rule whose pattern does not match adds nothing).
func (r Rules) Server() string {
	var b strings.Builder
	fmt.Fprintf(&b, "add_header Cache-Control %s;\n", CacheVar)
	for i, h := range r.Headers {
		for j, hd := range h.Headers {
			if !strings.EqualFold(hd.Name, "Cache-Control") {
				fmt.Fprintf(&b, "add_header %s %s always;\n", hd.Name, headerVar(i, j))
			}
		}
	}
	return b.String()
}

// Forced returns the rules that apply even where a file exists ("!"), for
// the start of the site's location, in file order.
func (r Rules) Forced() string { return r.rules(true) }

// Shadowed returns the rules a file at the path overrides, for the fallback
// location, in file order.
func (r Rules) Shadowed() string { return r.rules(false) }

// HasShadowed reports whether any rule needs the fallback location.
func (r Rules) HasShadowed() bool {
	for _, rd := range r.Redirects {
		if !rd.Force {
			return true
		}
	}
	return false
}

func (r Rules) rules(force bool) string {
	var b strings.Builder
	for _, rd := range r.Redirects {
		if rd.Force == force {
			fmt.Fprintf(&b, "# _redirects line %d: %s\n%s\n", rd.Line, rd, redirect(rd))
		}
	}
	return b.String()
}

// nginx is the rule as rewrite-module directives: a rewrite for 200, an
// if with return for the redirects (rewrite knows only 301 and 302).
func redirect(r hostrules.Redirect) string {
	to := target(r)
	if r.Status == 200 {
		return fmt.Sprintf("rewrite %s %s break;", Quote(r.From.Regex()), Quote(to))
	}
	if !strings.Contains(r.To, "?") {
		to += "$is_args$args"
	}
	return fmt.Sprintf("if ($uri ~ %s) {\n    return %d %s;\n}", Quote(r.From.Regex()), r.Status, Quote(to))
}

// target is To with :name and :splat replaced by the pattern's captures.
func target(r hostrules.Redirect) string {
	var b strings.Builder
	for _, p := range r.TargetParts() {
		if p.Capture > 0 {
			b.WriteString("$" + strconv.Itoa(p.Capture))
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}
