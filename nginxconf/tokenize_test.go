package nginxconf

import (
	"reflect"
	"strings"
	"testing"
)

// d is a directive without a block, for the tables.
func d(line int, name string, args ...string) Directive {
	if args == nil {
		args = []string{}
	}
	return Directive{Name: name, Args: args, Line: line}
}

// Each case is what nginx itself makes of the text (checked with Debian's
// nginx 1.22.1 -t, whose ngx_conf_read_token differs from 1.26.3's and
// master's only in a cast): the words it reports in "invalid value" and
// "unknown directive" errors, or the error it stops with.
func TestTokenize(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []Directive
	}{
		{"words", "a b  c;", []Directive{d(1, "a", "b", "c")}},
		{"double quotes keep spaces", `a "b c";`, []Directive{d(1, "a", "b c")}},
		{"single quotes keep double ones", `a 'b"c';`, []Directive{d(1, "a", `b"c`)}},
		// The copy loop drops "\" before '"', "'" and "\".
		{"escaped quote", `a "b\"c" 'd\'e';`, []Directive{d(1, "a", `b"c`, `d'e`)}},
		{"escaped backslash", `a "b\\";`, []Directive{d(1, "a", `b\`)}},
		// "\t", "\r", "\n" become control characters; any other "\" stays.
		{"control escapes", `a "x\ty\r\n" "\d" \$x;`, []Directive{d(1, "a", "x\ty\r\n", `\d`, `\$x`)}},
		// A "\" makes the next byte part of the word, so a space or ";"
		// after it does not end the word, and both bytes stay.
		{"escaped space", `a b\ c d\;e;`, []Directive{d(1, "a", `b\ c`, `d\;e`)}},
		{"backslash starts a word", `a \"b;`, []Directive{d(1, "a", `"b`)}},
		{"empty quoted word", `a "" '';`, []Directive{d(1, "a", "", "")}},
		{"quoted name", `"a b" c;`, []Directive{d(1, "a b", "c")}},
		// Quotes count only where a word starts.
		{"quote inside a word", `a b'c d';`, []Directive{d(1, "a", "b'c", "d'")}},
		// "#" starts a comment only where a word could start.
		{"hash inside a word", "a b#c;", []Directive{d(1, "a", "b#c")}},
		{"comment", "a #c; d;\n b;", []Directive{d(2, "a", "b")}},
		{"comment ends at LF only", "# x\r still a comment\na;", []Directive{d(2, "a")}},
		// "}" ends a block only where a word could start.
		{"brace inside a word", "a b}c;", []Directive{d(1, "a", "b}c")}},
		// "{" right after "$" stays in the word.
		{"variable braces", "a ${b}c x${y} $;", []Directive{d(1, "a", "${b}c", "x${y}", "$")}},
		{"brace ends a word", "a b{ }", []Directive{{Name: "a", Args: []string{"b"}, Line: 1, IsBlock: true, Block: []Directive{}}}},
		// ")" after a closing quote starts a word of its own.
		{"if", `if ($a ~ "x") { return 404; }`, []Directive{{Name: "if", Args: []string{"($a", "~", "x", ")"}, Line: 1, IsBlock: true, Block: []Directive{d(1, "return", "404")}}}},
		{"quoted word spans lines", "a \"b\n;\nc\";", []Directive{d(3, "a", "b\n;\nc")}},
		{"semicolon on the next line", "a \"x\"\n;", []Directive{d(2, "a", "x")}},
		{"nested", "a {\n b { c; }\n d;\n}\n", []Directive{{Name: "a", Args: []string{}, Line: 1, IsBlock: true, Block: []Directive{
			{Name: "b", Args: []string{}, Line: 2, IsBlock: true, Block: []Directive{d(2, "c")}},
			d(3, "d"),
		}}}},
		{"nothing", " \n# only a comment", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Tokenize([]byte(tt.src))
			if err != nil {
				t.Fatalf("Tokenize(%q) error = %v", tt.src, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %#v, want %#v", tt.src, got, tt.want)
			}
		})
	}
}

// The errors nginx stops with, in its words.
func TestTokenizeErrors(t *testing.T) {
	long := strings.Repeat("x", confBuffer)
	for _, tt := range []struct {
		name, src, want string
	}{
		// After a closing quote only a space, ";", "{" or ")" may come.
		{"word after quote", `a "b"c;`, `line 1: unexpected "c"`},
		{"quote after quote", `a "b""c";`, `line 1: unexpected "\""`},
		{"comment after quote", `a "b"#c;`, `line 1: unexpected "#"`},
		{"brace after quote", `a "b"}`, `line 1: unexpected "}"`},
		{"paren after quote", `a "b"(;`, `line 1: unexpected "("`},
		{"lone semicolon", "\n;", `line 2: unexpected ";"`},
		{"lone brace", "a {}\n{}", `line 2: unexpected "{"`},
		{"close at top", "}", `line 1: unexpected "}"`},
		{"close after words", "a { b }", `line 1: unexpected "}"`},
		{"open block at end", "a {\n", `line 2: unexpected end of file, expecting "}"`},
		{"words at end", "a b", `line 1: unexpected end of file, expecting ";" or "}"`},
		{"backslash at end", `a \`, `line 1: unexpected end of file, expecting ";" or "}"`},
		{"quote at end", "a \"b;\n", `line 2: unexpected end of file, expecting ";" or "}"`},
		// A word must fit nginx's 4096-byte read buffer unless the file
		// ends within that buffer.
		{"too long word", "a " + long + ";\nb;", `line 1: too long parameter "xxxxxxxxxx..." started`},
		{"too long quoted word", "a\n\"" + long + "\";\nb;", `line 2: too long parameter, probably missing terminating """ character`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Tokenize([]byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Tokenize(%.40q) error = %v, want %s", tt.src, err, tt.want)
			}
		})
	}
}

// The buffer limit, at its edges (each case checked with nginx -t): nginx
// refills its buffer only when the file goes on, moving the bytes from the
// start of the current word (after an opening quote; up to the byte after
// a closing one) to its front, and fails when they fill it.
func TestTokenizeBuffer(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	pad := "#" + strings.Repeat("c", 1998) + "\n" // a word mid-buffer
	more := strings.Repeat("b;", 3000)
	for _, tt := range []struct {
		name string
		src  string
		ok   bool
	}{
		{"file ends within the buffer", strings.Repeat("#", 3000) + "\na " + x(4000) + ";", true},
		{"file goes on past the buffer", "a " + x(5000) + ";", false},
		{"word and its end fill the buffer", x(confBuffer-1) + ";\n" + more, true},
		{"word fills the buffer", x(confBuffer) + ";\n" + more, false},
		{"mid-file word and its end", pad + "a    " + x(confBuffer-1) + ";" + more, true},
		{"mid-file word fills the buffer", pad + "a    " + x(confBuffer) + ";" + more, false},
		// The quote and the byte after it still count.
		{"quoted word, quote and end fit", pad + "a \"" + x(confBuffer-2) + "\";" + more, true},
		{"quoted word, quote and end overflow", pad + "a \"" + x(confBuffer-1) + "\";" + more, false},
		{"quoted word, quote and space overflow", "a \"" + x(confBuffer-2) + "\" ;" + more, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Tokenize([]byte(tt.src))
			if (err == nil) != tt.ok {
				t.Errorf("Tokenize() error = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// Quote gives one word that nginx reads back as the string, whatever the
// string holds.
func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", `"`, `\`, `\"`, `\\n`, "a\nb\r\tc", `'`, ";", "{", "}", "#", "${x}", `a\`, "x\" ; y { #", "\x00\x7f\xff"} {
		src := "a " + Quote(s) + ";\n"
		got, err := Tokenize([]byte(src))
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Args, []string{s}) {
			t.Errorf("Tokenize(%q) = %+v, %v; want the one word %q", src, got, err, s)
		}
		if strings.ContainsAny(Quote(s), "\n\r") {
			t.Errorf("Quote(%q) = %q spans lines", s, Quote(s))
		}
	}
}
