package nginxconf

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/layercake-build/layercake/hostrules"
)

// Rules are a site's _headers and _redirects, parsed, as nginx directives.
type Rules hostrules.Rules

// Variables and names the generated config defines.
const (
	// PathVar is the path nginx chose the file for: decoded, with dot
	// segments and repeated slashes resolved, kept from before any internal
	// redirect (an index file, the 404 page). _headers and static
	// _redirects match it.
	PathVar = "$layercake_path"
	// RawPathVar is the path as the client sent it, still percent-encoded.
	// _redirects rules with placeholders match it, so what they capture
	// reaches Location encoded as it came: nginx refuses raw control
	// characters and spaces in a request line.
	RawPathVar = "$layercake_raw_path"
	// CacheVar is the Cache-Control of the response.
	CacheVar = "$layercake_cache_control"
	// FallbackLocation is tried when no file matches; it applies the
	// redirects a file shadows, then answers 404.
	FallbackLocation = "@layercake_rules"
	// RangeLocation serves requests with a Range header from the files
	// themselves, never from a precompressed variant; the site's
	// locations pass it what they find no file for.
	RangeLocation = "@layercake_range"
	// UnsatisfiableLocation answers a range past the end of the file.
	UnsatisfiableLocation = "@layercake_unsatisfiable"
	// forcedVar and shadowedVar hold the static redirect a path matches.
	forcedVar   = "$layercake_static_forced"
	shadowedVar = "$layercake_static_shadowed"
)

// HTTP returns the directives for nginx's http block: the maps that pick
// the cache policy, each rule's headers and the static redirects by path.
func (r Rules) HTTP() string {
	var b strings.Builder
	forced, shadowed := r.staticMap(true), r.staticMap(false)
	if len(forced)+len(shadowed) > 0 {
		// Sizes for the static maps' hash, set before the first map.
		longest := 0
		for _, e := range append(append([]staticEntry(nil), forced...), shadowed...) {
			longest = max(longest, len(e.key))
		}
		fmt.Fprintf(&b, "map_hash_max_size %d;\nmap_hash_bucket_size %d;\n", max(2048, 4*(len(forced)+len(shadowed))), bucketSize(longest))
	}
	fmt.Fprintf(&b, "map $request_uri %s {\n    %s $layercake_p;\n}\n", RawPathVar, Quote("~^(?<layercake_p>[^?]*)"))
	r.cacheMap(&b)
	for i, h := range r.Headers {
		if len(addedHeaders(h)) == 0 {
			continue
		}
		fmt.Fprintf(&b, "# _headers line %d: %s\nmap %s %s {\n    %s 1;\n}\n", h.Line, comment(h.Path.Text), PathVar, ruleVar(i), Quote("~"+h.Path.Regex()))
	}
	writeStaticMap(&b, forcedVar, forced)
	writeStaticMap(&b, shadowedVar, shadowed)
	return b.String()
}

// cacheMap writes the map from path to Cache-Control: the last _headers
// rule that sets one and matches, else the fingerprint policy.
func (r Rules) cacheMap(b *strings.Builder) {
	fmt.Fprintf(b, "map %s %s {\n", PathVar, CacheVar)
	for i := len(r.Headers) - 1; i >= 0; i-- { // a later rule overrides an earlier one
		h := r.Headers[i]
		for _, hd := range h.Headers {
			if strings.EqualFold(hd.Name, "Cache-Control") {
				fmt.Fprintf(b, "    %s %s; # _headers line %d\n", Quote("~"+h.Path.Regex()), Quote(hd.Value), h.Line)
			}
		}
	}
	fmt.Fprintf(b, "    %s %s;\n    default %s;\n}\n", Quote("~"+hostrules.FingerprintRegex), Quote(hostrules.Immutable), Quote(hostrules.Revalidate))
}

// added reports whether a header is sent with add_header: Cache-Control
// goes through the cache map, Content-Type replaces the file's type.
func added(h hostrules.Header) bool {
	return !strings.EqualFold(h.Name, "Cache-Control") && !strings.EqualFold(h.Name, "Content-Type")
}

func addedHeaders(r hostrules.HeaderRule) []hostrules.Header {
	var out []hostrules.Header
	for _, h := range r.Headers {
		if added(h) {
			out = append(out, h)
		}
	}
	return out
}

func ruleVar(rule int) string { return fmt.Sprintf("$layercake_r%d", rule) }

func headerVar(rule, header int) string {
	return fmt.Sprintf("$layercake_h%d_%d", rule, header)
}

// Server returns the directives for the server block, after PathVar is
// set: each rule that matches sets its header variables, then the cache
// policy and each _headers header is added (nginx sends no header whose
// value is empty, so a rule whose pattern does not match adds nothing). A
// set in an if costs nothing to load; a map per header took seconds at the
// limits.
func (r Rules) Server() string {
	var b strings.Builder
	for i, h := range r.Headers {
		if len(addedHeaders(h)) == 0 {
			continue
		}
		fmt.Fprintf(&b, "if (%s) { # _headers line %d\n", ruleVar(i), h.Line)
		for j, hd := range h.Headers {
			if added(hd) {
				fmt.Fprintf(&b, "    set %s %s;\n", headerVar(i, j), Quote(hd.Value))
			}
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "add_header Cache-Control %s;\n", CacheVar)
	for i, h := range r.Headers {
		for j, hd := range h.Headers {
			if added(hd) {
				fmt.Fprintf(&b, "add_header %s %s always;\n", Quote(hd.Name), headerVar(i, j))
			}
		}
	}
	return b.String()
}

// TypeRule is a _headers rule that sets Content-Type: nginx takes the type
// from a location's types, so each becomes a location of its own.
type TypeRule struct {
	Line  int
	Regex string
	Type  string
}

// ContentTypes lists the rules that set Content-Type, the last first: nginx
// takes the first regex location that matches, and a later rule overrides.
func (r Rules) ContentTypes() []TypeRule {
	var out []TypeRule
	for i := len(r.Headers) - 1; i >= 0; i-- {
		h := r.Headers[i]
		for _, hd := range h.Headers {
			if strings.EqualFold(hd.Name, "Content-Type") {
				out = append(out, TypeRule{Line: h.Line, Regex: h.Path.Regex(), Type: hd.Value})
			}
		}
	}
	return out
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

// static reports whether a rule is looked up in a map by its exact path: a
// redirect whose pattern has no placeholder or splat.
func static(rd hostrules.Redirect) bool {
	return rd.Status != 200 && !rd.From.Dynamic()
}

// rules writes one group of rules in file order. Static redirects sit in a
// map; each is tried where it stands in the file, after the rules before it
// (its slot counts them), so the first rule that matches wins as in
// _redirects.
func (r Rules) rules(force bool) string {
	var b strings.Builder
	slot := 0
	statics := map[int]map[string]bool{} // slot -> the kinds of static rule in it
	for _, rd := range r.Redirects {
		if rd.Force == force && static(rd) {
			k := staticKind(rd)
			if statics[slot] == nil {
				statics[slot] = map[string]bool{}
			}
			statics[slot][k] = true
			continue
		}
		if rd.Force == force {
			slot++
		}
	}
	v := shadowedVar
	if force {
		v = forcedVar
	}
	slot = 0
	flush := func() {
		kinds := statics[slot]
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			status, args := k[:3], k[3:] == "a"
			fmt.Fprintf(&b, "if (%s ~ %s) {\n    return %s %s;\n}\n", v, Quote(fmt.Sprintf(`^%d %s (\S+) (\S*)$`, slot, k)), status, Quote(locationOf("$1", args, "$2")))
		}
	}
	for _, rd := range r.Redirects {
		if rd.Force != force || static(rd) {
			continue
		}
		flush()
		fmt.Fprintf(&b, "# _redirects line %d: %s\n%s\n", rd.Line, comment(rd.String()), redirect(rd))
		slot++
	}
	flush()
	return b.String()
}

// staticKind is a static rule's status and whether the request's query is
// appended ("a") or the target has its own ("n").
func staticKind(rd hostrules.Redirect) string {
	pathAndQuery, _, _ := strings.Cut(rd.To, "#")
	if strings.Contains(pathAndQuery, "?") {
		return strconv.Itoa(rd.Status) + "n"
	}
	return strconv.Itoa(rd.Status) + "a"
}

// staticEntry is one key of a static redirect map and its value: "SLOT
// STATUSKIND TARGET FRAGMENT".
type staticEntry struct{ key, value string }

// staticMap lists a group's static redirects by path: the pattern and, for
// a pattern without a trailing slash, the path with one, as Regex matches.
// A path two rules name keeps the first.
func (r Rules) staticMap(force bool) []staticEntry {
	var out []staticEntry
	seen := map[string]bool{}
	slot := 0
	for _, rd := range r.Redirects {
		if rd.Force != force {
			continue
		}
		if !static(rd) {
			slot++
			continue
		}
		pathAndQuery, frag, _ := strings.Cut(rd.To, "#")
		if frag != "" {
			frag = "#" + frag
		}
		value := fmt.Sprintf("%d %s %s %s", slot, staticKind(rd), pathAndQuery, frag)
		keys := []string{rd.From.Text}
		if !strings.HasSuffix(rd.From.Text, "/") {
			keys = append(keys, rd.From.Text+"/")
		}
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				out = append(out, staticEntry{k, value})
			}
		}
	}
	return out
}

func writeStaticMap(b *strings.Builder, name string, entries []staticEntry) {
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(b, "map %s %s {\n", PathVar, name)
	for _, e := range entries {
		fmt.Fprintf(b, "    %s %s;\n", Quote(e.key), Quote(e.value))
	}
	b.WriteString("}\n")
}

// bucketSize is a map_hash_bucket_size that holds a key of n bytes.
func bucketSize(n int) int {
	size := 64
	for size < n+32 {
		size *= 2
	}
	return size
}

// locationOf is a Location value: the target, the request's query when
// args says so, then the fragment, which must come last.
func locationOf(target string, args bool, frag string) string {
	if args {
		target += "$is_args$args"
	}
	return target + frag
}

// redirect is one rule matched by regex: a rewrite for 200 (matching the
// decoded path, serving the target), an if with return for the redirects
// (matching the raw path, so captures stay percent-encoded).
func redirect(r hostrules.Redirect) string {
	pathAndQuery, frag, _ := strings.Cut(target(r), "#")
	if frag != "" {
		frag = "#" + frag
	}
	if r.Status == 200 {
		return fmt.Sprintf("rewrite %s %s break;", Quote(r.From.Regex()), Quote(pathAndQuery))
	}
	to := locationOf(pathAndQuery, !strings.Contains(pathAndQuery, "?"), frag)
	return fmt.Sprintf("if (%s ~ %s) {\n    return %d %s;\n}", RawPathVar, Quote(r.From.RawRegex()), r.Status, Quote(to))
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

// comment makes s safe to follow "#" on one line.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
