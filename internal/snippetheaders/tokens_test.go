package snippetheaders

import (
	"fmt"
	"strings"
	"testing"
)

// show writes tokens as "LL:text", with ; { } as themselves.
func show(toks []Token) string {
	var parts []string
	for _, t := range toks {
		parts = append(parts, fmt.Sprintf("%02d:%s", t.Line, t.Text))
	}
	return strings.Join(parts, " ")
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"directive", "add_header X-A b;\n", "01:add_header 01:X-A 01:b 01:;"},
		{"block", "location = /x {\n  return 204;\n}\n", "01:location 01:= 01:/x 01:{ 02:return 02:204 02:; 03:}"},
		{"comment to the end of the line", "# add_header X y;\nadd_header A b; # c { }\n", "02:add_header 02:A 02:b 02:;"},
		{"hash inside a word is the word's", "return 200 a#b;", "01:return 01:200 01:a#b 01:;"},
		{"double quotes keep ; { } #", `add_header X "a; {b} #c";`, "01:add_header 01:X 01:a; {b} #c 01:;"},
		{"single quotes", `add_header X 'it''s';`, "01:add_header 01:X 01:it 01:s 01:;"},
		{"escaped quote", `add_header X "say \"hi\"" ;`, `01:add_header 01:X 01:say "hi" 01:;`},
		{"other escapes stay", `return 200 "a\tb\\c";`, `01:return 01:200 01:a\tb\c 01:;`},
		{"quote spanning lines", "add_header X \"a\nb\";\nadd_header Y c;", "01:add_header 01:X 01:a\nb 02:; 03:add_header 03:Y 03:c 03:;"},
		{"word ends at ; and {", "location /a{add_header X y;}", "01:location 01:/a 01:{ 01:add_header 01:X 01:y 01:; 01:}"},
		{"} does not end a word", "return 200 a}b;", "01:return 01:200 01:a}b 01:;"},
		{"variable braces", "return 200 ${host}x;", "01:return 01:200 01:${host}x 01:;"},
		{"escaped space and semicolon", `return 200 a\ b\;c;`, `01:return 01:200 01:a\ b\;c 01:;`},
		{"CRLF", "add_header A b;\r\nadd_header C d;\r\n", "01:add_header 01:A 01:b 01:; 02:add_header 02:C 02:d 02:;"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			toks, err := Tokenize([]byte(tc.src))
			if err != nil {
				t.Fatalf("Tokenize(%q) error = %v", tc.src, err)
			}
			if got := show(toks); got != tc.want {
				t.Errorf("Tokenize(%q) =\n%s\nwant\n%s", tc.src, got, tc.want)
			}
		})
	}
}

// An unclosed quote is an error naming the line it opens on, as in nginx.
func TestTokenizeUnclosedQuote(t *testing.T) {
	_, err := Tokenize([]byte("add_header X y;\nadd_header Y \"z;\n}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("Tokenize(unclosed quote) error = %v, want one at line 2", err)
	}
}
