package spec

import "testing"

func TestValidateServer(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{{
		name: "every setting",
		src:  "version: 1\nserver:\n  headers: {X-Content-Type-Options: nosniff}\n  include: {server: [nginx/a.conf], location: [b.conf]}\n  compress: [br]\n  health: /healthz\n  ipv6: true\nsite: {dir: public}\n",
	}, {
		name: "compression off",
		src:  "version: 1\nserver: {compress: []}\nsite: {dir: public}\n",
	}, {
		name: "bad header name and value",
		src:  "version: 1\nserver:\n  headers:\n    X Bad: a\n    Content-Length: '3'\n    X-Cost: $5\nsite: {dir: public}\n",
		want: `Dockerfile:4:5: server.headers.X Bad: "X Bad" is not a header name; use letters, digits and "-", such as X-Frame-Options` + "\n" +
			`Dockerfile:5:5: server.headers.Content-Length: Content-Length is set by nginx for each response from the file it serves; remove it` + "\n" +
			`Dockerfile:6:5: server.headers.X-Cost: the value of X-Cost holds "$", which nginx would read as a variable; remove it`,
	}, {
		// A tab and spaces are fine in a value; other control characters,
		// written as YAML escapes, are not.
		name: "header values with a tab, spaces and a control character",
		src:  "version: 1\nserver:\n  headers:\n    X-Tab: \"a\\tb c\"\n    X-Bell: \"a\\x01b\"\nsite: {dir: public}\n",
		want: `Dockerfile:5:5: server.headers.X-Bell: the value of X-Bell holds a control character; remove it`,
	}, {
		// The type follows the file; the site's _headers sets it by path.
		name: "Content-Type for every response",
		src:  "version: 1\nserver:\n  headers: {content-type: text/plain}\nsite: {dir: public}\n",
		want: `Dockerfile:3:13: server.headers.content-type: Content-Type follows each file's extension; set it for some paths in the site's _headers instead`,
	}, {
		name: "snippet outside the context",
		src:  "version: 1\nserver:\n  include:\n    location: [../x.conf]\nsite: {dir: public}\n",
		want: `Dockerfile:4:16: server.include.location[0]: "../x.conf" leads outside the build context; use a path relative to the build context with "/" separators, such as "nginx/extra.conf"`,
	}, {
		// nginx's include reads these as a glob: [a].conf reads a.conf.
		name: "snippet names nginx reads as patterns",
		src:  "version: 1\nserver:\n  include:\n    server: ['nginx/[a].conf', 'a*.conf', 'b?.conf', .]\nsite: {dir: public}\n",
		want: `Dockerfile:4:14: server.include.server[0]: "nginx/[a].conf" holds "*", "?" or "[", which nginx's include reads as a pattern of file names; rename the file without them` + "\n" +
			`Dockerfile:4:32: server.include.server[1]: "a*.conf" holds "*", "?" or "[", which nginx's include reads as a pattern of file names; rename the file without them` + "\n" +
			`Dockerfile:4:43: server.include.server[2]: "b?.conf" holds "*", "?" or "[", which nginx's include reads as a pattern of file names; rename the file without them` + "\n" +
			`Dockerfile:4:54: server.include.server[3]: "." is the build context itself; name a file, such as "nginx/extra.conf"`,
	}, {
		name: "unknown and repeated encodings",
		src:  "version: 1\nserver:\n  compress: [zstd, gzip, gzip]\nsite: {dir: public}\n",
		want: `Dockerfile:3:14: server.compress[0]: "zstd" is not an encoding layercake makes; use gzip, br, or both ([] turns precompression off)` + "\n" +
			`Dockerfile:3:26: server.compress[2]: gzip is listed twice; remove one`,
	}, {
		name: "health paths",
		src:  "version: 1\nserver:\n  health: healthz\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: server.health: "healthz" is not a plain absolute path; use one such as /healthz (letters, digits, "/", ".", "-", "_", "~")`,
	}, {
		name: "health at the root",
		src:  "version: 1\nserver:\n  health: /\nsite: {dir: public}\n",
		want: `Dockerfile:3:11: server.health: "/" would hide the site's pages; use a path of its own such as /healthz`,
	}, {
		name: "ipv6 not a bool",
		src:  "version: 1\nserver:\n  ipv6: yes please\nsite: {dir: public}\n",
		want: `Dockerfile:3:9: server.ipv6: expected true or false, got the string "yes please"`,
	}, {
		// nginx runs as 65534: the build's nginx -t could not bind port 80.
		name: "port below 1024",
		src:  "version: 1\nserver:\n  port: 80\nsite: {dir: public}\n",
		want: `Dockerfile:3:9: server.port: 80 is below 1024: nginx runs as uid 65534, which may not bind it (the build's nginx -t fails, and so does docker run --network host); remove server.port to listen on 8080 and publish that as port 80 when you run the image: docker run -p 80:8080, or ports: ["80:8080"] in compose`,
	}, {
		name: "port 1023",
		src:  "version: 1\nserver: {port: 1023}\nsite: {dir: public}\n",
		want: `Dockerfile:2:16: server.port: 1023 is below 1024: nginx runs as uid 65534, which may not bind it (the build's nginx -t fails, and so does docker run --network host); remove server.port to listen on 8080 and publish that as port 1023 when you run the image: docker run -p 1023:8080, or ports: ["1023:8080"] in compose`,
	}, {
		name: "port 1024",
		src:  "version: 1\nserver: {port: 1024}\nsite: {dir: public}\n",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("Dockerfile", []byte(tt.src))
			if got := errText(err); got != tt.want {
				t.Errorf("Load(%q) =\n%v\nwant\n%v", tt.src, got, tt.want)
			}
		})
	}
}

func TestCompressDefault(t *testing.T) {
	for _, tt := range []struct {
		src    string
		gz, br bool
	}{
		{"version: 1\nsite: {dir: public}\n", true, true},
		{"version: 1\nserver: {compress: []}\nsite: {dir: public}\n", false, false},
		{"version: 1\nserver: {compress: [gzip]}\nsite: {dir: public}\n", true, false},
	} {
		s := mustParse(t, tt.src).WithDefaults()
		if gz, br := s.Server.Compresses(EncodingGzip), s.Server.Compresses(EncodingBrotli); gz != tt.gz || br != tt.br {
			t.Errorf("WithDefaults(%q) compresses gzip %v br %v, want %v %v", tt.src, gz, br, tt.gz, tt.br)
		}
	}
}
