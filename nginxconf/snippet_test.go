package nginxconf

import (
	"reflect"
	"strings"
	"testing"
)

func TestHeaderBlocks(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []HeaderBlock
	}{{
		name: "none",
		src:  "# just a comment\nexpires 1h;\nlocation /a {\n    try_files $uri =404;\n}\n",
	}, {
		name: "the snippet's own level",
		src:  "add_header Access-Control-Allow-Origin *;\nadd_header X-A b always;\n",
		want: []HeaderBlock{{Headers: []int{1, 2}}},
	}, {
		name: "nested location only",
		src:  "location = /feed.xml {\n    # CORS for the feed\n    add_header Access-Control-Allow-Origin *;\n}\n",
		want: []HeaderBlock{{Directive: "location = /feed.xml", Line: 1, Headers: []int{3}}},
	}, {
		name: "both, and an if, in file order",
		src:  "add_header A b;\nlocation /x/ {\n    location /x/y {\n        add_header C d;\n    }\n    add_header E f;\n    if ($arg_z) {\n        add_header G h;\n    }\n}\n",
		want: []HeaderBlock{{Headers: []int{1}}, {Directive: "location /x/", Line: 2, Headers: []int{6}}, {Directive: "location /x/y", Line: 3, Headers: []int{4}}, {Directive: "if ($arg_z)", Line: 7, Headers: []int{8}}},
	}, {
		name: "commented and quoted add_header are not directives",
		src:  "# add_header A b;\nreturn 200 \"add_header C d;\";\nset $x 'add_header';\n",
	}, {
		name: "add_header as an argument is not a directive",
		src:  "set $add_header add_header;\n",
	}, {
		name: "a directive spanning lines is at its first line",
		src:  "location /a {\n    add_header\n        X-A\n        b;\n}\n",
		want: []HeaderBlock{{Directive: "location /a", Line: 1, Headers: []int{2}}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := HeaderBlocks([]byte(tc.src))
			if err != nil {
				t.Fatalf("HeaderBlocks() error = %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("HeaderBlocks(%q) =\n%+v\nwant\n%+v", tc.src, got, tc.want)
			}
		})
	}
}

// Unbalanced braces are errors with the line, as nginx -t reports them.
func TestHeaderBlocksUnbalanced(t *testing.T) {
	for src, want := range map[string]string{
		"location /a {\n    add_header A b;\n": "line 3",
		"add_header A b;\n}\n":                 "line 2",
	} {
		if _, err := HeaderBlocks([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("HeaderBlocks(%q) error = %v, want one at %s", src, err, want)
		}
	}
}
