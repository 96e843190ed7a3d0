package nginxcorpus

import "strings"

// Seeds are the hostile inputs of issue 16: quotes, ";", braces, "#", "$",
// CR and LF, backslashes and "\n" as text in header names and values, rule
// files with quotes, braces and long lines, and snippet paths that would
// end the include directive if they were not one word. Validation refuses
// some of them (those check the refusal); the rest must render safely.
func Seeds() []Case {
	long := strings.Repeat(`"\`, 990) // a 1980-byte value that doubles when quoted
	return []Case{
		{"X-Frame-Options", "DENY", []byte("/*\n  X-A: b\n"), []byte("/a /b\n"), "/healthz", "nginx/extra.conf"},
		{"X-Quote", `it's "quoted"; {braces} #hash`, []byte("/*\n  X-V: a\"b'c;d{e}f#g\\h\n"), nil, "", ""},
		{"X-Escapes", `a\nb\\c\"d\t\r`, []byte("/x/*\n  X-E: \\n\\\" ; } { #\n  X-E: \\\\\n"), nil, "", ""},
		{"X-Semi", `v; add_header X-Injected yes`, nil, nil, "", ""},
		{"X-Brace", `v } server { listen 81; }`, nil, nil, "", ""},
		{"X-Dollar", `$host`, nil, nil, "", ""},
		{"X-CRLF", "a\r\nX-Injected: yes", nil, nil, "", ""},
		{"X-LF", "a\nb", nil, nil, "", ""},
		{`X'a`, "b", nil, nil, "", ""},
		{`X"a`, "b", nil, nil, "", ""},
		{"X;a", "b", nil, nil, "", ""},
		{"X{a}", "b", nil, nil, "", ""},
		{"X#a", "b", nil, nil, "", ""},
		{`X\a`, "b", nil, nil, "", ""},
		{"Content-Type", "text/plain", nil, nil, "", ""},
		{"X-Long", long, []byte("/*\n  X-L: " + long + "\n"), nil, "", ""},
		{"", "", []byte("/\"a\"\n  X-A: b\n/{x}\n  X-B: c\n/a;b\n  X-C: d\n/#a\n  X-D: e\n"), nil, "", ""},
		{"", "", []byte("/*\n  Cache-Control: public, max-age=\"60\"; x\n  Content-Type: text/plain; charset=\"utf-8\"\n/a/*\n  Content-Type: x{y}\n  X-A: '\n"), nil, "", ""},
		{"", "", nil, []byte("/a /b\"c\n/d /e;f\n/g /h{i}\n/j /k#l\n/m /n'o\n/p /q\\r\n"), "", ""},
		{"", "", nil, []byte("/a /b?x=\"1\" 302\n/c/* /d/:splat#x 301!\n/e/:f /g/:f 200\n/h /i?j=k#l 308\n/.a/b /c.d 307\n/é/* /ü/:splat\n"), "", ""},
		{"", "", nil, []byte("/" + strings.Repeat("a.", 490) + "b /c\n/" + strings.Repeat("x", 990) + " /y 302!\n"), "", ""},
		{"", "", nil, []byte("/a /b\n/c/* /d 302!\n/e /f 200\n/g /h 303\n/i/* /j 302\n/k /l?m 307!\n"), "/a", ""},
		{"", "", nil, nil, "/health;z", ""},
		{"", "", nil, nil, "/health z", ""},
		{"", "", nil, nil, `/"h"`, ""},
		{"", "", nil, nil, "/h/.well-known~x_y-z", ""},
		{"", "", nil, nil, "", "nginx/a;add_header X-Injected yes;#.conf"},
		{"", "", nil, nil, "", "nginx/with space.conf"},
		{"", "", nil, nil, "", `nginx/"q".conf`},
		{"", "", nil, nil, "", "nginx/{b}.conf"},
		{"", "", nil, nil, "", "nginx/$x.conf"},
		{"", "", nil, nil, "", "nginx/a*.conf"},
		{"", "", nil, nil, "", "nginx/a\nb.conf"},
		{"", "", nil, nil, "", `nginx/a\b.conf`},
		{"", "", nil, nil, "", "../a.conf"},
		// Once bugs: words over nginx's 4096-byte limit, and an include
		// path nginx reads as a glob. Validation refuses each now.
		{Redirects: []byte("/" + strings.Repeat("a.", 400) + "* /c/:splat\n")},
		{Headers: []byte("/" + strings.Repeat(".", 1990) + "\n  X-A: b\n")},
		{Headers: []byte("/*\n" + strings.Repeat("  X-M: "+strings.Repeat("m", 1900)+"\n", 4))},
		{Snippet: "nginx/[a].conf"},
	}
}

// Bug is an input validation accepts whose config nginx refuses.
type Bug struct {
	Case
	// Why says what goes wrong.
	Why string
	// Nginx is what nginx -T says of the config, or "" when it takes the
	// config but reads no snippet.
	Nginx string
}

// Bugs are the inputs FuzzRender and the nginx -t corpus test found that
// still break the config. TestKnownBugs wants each that nginx refuses to
// fail to tokenize still, so a fix moves it to Seeds; the integration test
// wants nginx -T to say Nginx of each.
func Bugs() []Bug {
	return nil
}
