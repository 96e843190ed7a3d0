package spec

import (
	"strings"
	"testing"
	"time"
)

// hostileBudget bounds the time Load may take on any one hostile input:
// one second, longer under the race detector (race_hostile_test.go).
const hostileBudget = hostileSlowdown * time.Second

// hostileBuild is a spec whose site.build holds fields (lines indented by
// four spaces), starting at line 4.
func hostileBuild(fields string) string {
	return "version: 1\nsite:\n  build:\n" + fields
}

// hostileBuildOK is a valid site.build with extra appended at line 7.
func hostileBuildOK(extra string) string {
	return hostileBuild("    packages: [hugo]\n    run: hugo\n    output: /out\n" + extra)
}

// hostileNest nests n mappings or lists in flow style under the key "a".
func hostileNest(open, closer string, n int) string {
	return "a: " + strings.Repeat(open, n) + "1" + strings.Repeat(closer, n) + "\n"
}

// hostileBlockNest nests n block mappings, one more space of indent each.
func hostileBlockNest(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// hostileLaughs is a billion-laughs alias bomb: the anchor "i" stands for
// 9^9 strings if expanded.
func hostileLaughs() string {
	s := `a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]` + "\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		s += "x-" + n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", ") + "]\n"
		prev = n
	}
	return "x-" + s
}

var hostileMB = strings.Repeat("a", 1<<20)

type hostileCase struct {
	name string
	src  string
	// want is a prefix of one line of Load's error; "" means Load accepts src.
	want string
}

var hostileSpecs = []hostileCase{
	// Malformed YAML.
	{"tab indent", "version: 1\nsite:\n\tdir: public\n", "Dockerfile:3:1: invalid YAML: found character that cannot start any token"},                                                                                                                     // YAML forbids tabs for indentation; the most common editor accident
	{"unclosed double quote", "version: 1\nsite: {dir: \"public}\n", "Dockerfile:2:1: invalid YAML: found unexpected end of stream"},                                                                                                                      // a scanner error running to the end of the file
	{"unclosed single quote", "version: 1\nsite:\n  dir: public\nserver:\n  port: 'x\n", "Dockerfile:5:1: invalid YAML: found unexpected end of stream"},                                                                                                  // same, pointing at the quote's line
	{"unclosed bracket on line 1", "debian: [a\n", "Dockerfile:1:1: invalid YAML: did not find expected ',' or ']'"},                                                                                                                                      // a parser error whose line happens to come out right
	{"mapping value in plain scalar", "version: 1\nsite:\n  dir: public\nkey: value: other\n", "Dockerfile:4:1: invalid YAML: mapping values are not allowed in this context"},                                                                            // scanner error on a later line
	{"alias to nothing as key", "version: 1\nsite:\n  dir: public\n*nope\n", "Dockerfile:4:1: invalid YAML: could not find expected ':'"},                                                                                                                 // a stray alias where a key belongs
	{"1 MB line in an x- key", "version: 1\nsite: {dir: public}\nx-blob: " + hostileMB + "\n", ""},                                                                                                                                                        // a huge line is read in bounded time and ignored
	{"1 MB port string", "version: 1\nserver: {port: " + hostileMB + "}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got the string \"aaaa"},                                                                              // a huge wrong-typed value; the message shows only its first 80 characters
	{"10,000 nested flow mappings", hostileNest("{a: ", "}", 10000), "Dockerfile:1:1: a: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with \"x-\")"},                                                                // yaml.v3's depth limit is exactly 10,000: accepted, then the key is unknown
	{"10,000 nested flow lists", hostileNest("[", "]", 10000), "Dockerfile:1:1: a: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with \"x-\")"},                                                                      // same, with lists
	{"2,000 nested block mappings", hostileBlockNest(2000), "Dockerfile:1:1: a: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with \"x-\")"},                                                                         // block nesting costs quadratic input; 2 MB here
	{"billion laughs in x- keys", hostileLaughs() + "version: 1\nsite: {dir: public}\n", ""},                                                                                                                                                              // aliases are never expanded, so the bomb costs nothing
	{"billion laughs as packages", hostileLaughs() + "version: 1\nsite:\n  build: {packages: *i, run: x, output: /out}\n", "Dockerfile:9:10: site.build.packages[0]: expected a string, got a list"},                                                      // following the bomb's top alias reads only nine nodes
	{"self-referencing anchor", "version: 1\nsite: &s {build: *s}\n", "Dockerfile:2:11: site.build.build: unknown key; allowed here: packages, suite, npm, run, steps, workdir, output, env, network, cache, gitignore (and keys starting with \"x-\")"},  // a cycle through an alias must terminate
	{"second document", "version: 1\nsite: {dir: public}\n---\nversion: 2\n", "Dockerfile:3:1: a second YAML document starts here; a spec file holds one document, so remove this \"---\" and what follows or merge it into the first"},                   // two specs in one file: which one wins must not be a guess
	{"empty second document", "version: 1\nsite: {dir: public}\n---\n", "Dockerfile:3:1: a second YAML document starts here; a spec file holds one document, so remove this \"---\" and what follows or merge it into the first"},                         // even an empty one
	{"empty file", "", "Dockerfile:1:1: the file has no settings; add \"version: 1\" and a \"site:\" section"},                                                                                                                                            // the first thing a new user writes
	{"only comments and blanks", "# syntax=x\n   \n\n", "Dockerfile:1:1: the file has no settings; add \"version: 1\" and a \"site:\" section"},                                                                                                           // the syntax line alone
	{"document start only", "---\n", "Dockerfile:1:1: site: missing; add \"site: {dir: public}\" naming the folder to serve, or a \"site.build\" section that generates it"},                                                                              // a null document
	{"top-level list", "- version: 1\n", "Dockerfile:1:1: expected a mapping with keys version, epoch, debian, server, site, got a list"},                                                                                                                 // the root must be a mapping
	{"top-level scalar", "hello\n", "Dockerfile:1:1: expected a mapping with keys version, epoch, debian, server, site, got the string \"hello\""},                                                                                                        // same, with a string
	{"UTF-8 byte order mark", "\ufeffversion: 1\nsite: {dir: public}\n", ""},                                                                                                                                                                              // editors on Windows write one; it must be accepted
	{"byte order mark keeps columns", "\ufeffversion: 2\nsite: {dir: public}\n", "Dockerfile:1:10: version: 2 is not supported; this layercake reads \"version: 1\""},                                                                                     // and must not shift positions
	{"byte order mark inside the file", "version: 1\n\ufeffsite: {dir: public}\n", "Dockerfile:2:1: \ufeffsite: unknown key; allowed here: version, epoch, debian, server, site"},                                                                         // a pasted BOM becomes part of the key
	{"CRLF line endings", "version: 1\r\nsite:\r\n  dir: public\r\n", ""},                                                                                                                                                                                 // a spec saved on Windows works
	{"CRLF keeps positions", "version: 1\r\nserver:\r\n  port: 0\r\nsite:\r\n  dir: public\r\n", "Dockerfile:3:9: server.port: 0 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)"},                                         // and its errors point at the right column
	{"UTF-16 byte order mark", "\xff\xfev\x00e\x00r\x00", "Dockerfile:1:1: expected a mapping with keys version, epoch, debian, server, site, got the string \"ver\""},                                                                                    // yaml.v3 decodes UTF-16; the truncated text is not a mapping
	{"NUL escape in site.dir", "version: 1\nsite: {dir: \"a\\0b\"}\n", "Dockerfile:2:13: site.dir: \"a\\x00b\" contains a NUL byte; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"}, // an escaped NUL would truncate the path in C code

	// Wrong types, at every field.
	{"version quoted", "version: \"1\"\nsite: {dir: public}\n", "Dockerfile:1:10: version: expected an integer, got the string \"1\"; write the number without quotes"},                                                                         // a quoted number is a string
	{"version list", "version: [1]\nsite: {dir: public}\n", "Dockerfile:1:10: version: expected an integer, got a list"},                                                                                                                        // a list where a number belongs
	{"version tagged", "version: !foo 1\nsite: {dir: public}\n", "Dockerfile:1:10: version: expected an integer, got !foo \"1\""},                                                                                                               // a custom tag is not an integer
	{"epoch float", "version: 1\nepoch: 1.5\nsite: {dir: public}\n", "Dockerfile:2:8: epoch: expected an integer, got the number 1.5"},                                                                                                          // seconds are whole
	{"epoch overflow", "version: 1\nepoch: 9223372036854775808\nsite: {dir: public}\n", "Dockerfile:2:8: epoch: 9223372036854775808 is not a 64-bit integer; use a smaller number"},                                                             // one past int64
	{"debian list", "version: 1\ndebian: [trixie]\nsite: {dir: public}\n", "Dockerfile:2:9: debian: expected a mapping with keys suite, mirror, security_mirror, suites, exclude, keys, got a list"},                                            // a section must be a mapping
	{"debian.suite integer", "version: 1\ndebian: {suite: 13}\nsite: {dir: public}\n", "Dockerfile:2:17: debian.suite: expected a string, got the integer 13; put it in quotes (\"13\") if you mean that text"},                                 // Debian 13 written as a number
	{"debian.mirror mapping", "version: 1\ndebian: {mirror: {url: x}}\nsite: {dir: public}\n", "Dockerfile:2:18: debian.mirror: expected a string, got a mapping"},                                                                              // a mapping where a URL belongs
	{"debian.exclude string", "version: 1\ndebian: {exclude: perl}\nsite: {dir: public}\n", "Dockerfile:2:19: debian.exclude: expected a list of strings, got the string \"perl\"; write [a, b] or one \"- item\" per line"},                    // a single name instead of a list
	{"debian.exclude nested list", "version: 1\ndebian: {exclude: [[perl]]}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: expected a string, got a list"},                                                                       // a list inside the list
	{"server scalar", "version: 1\nserver: 8080\nsite: {dir: public}\n", "Dockerfile:2:9: server: expected a mapping with keys port, headers, include, compress, health, ipv6, got the integer 8080"},                                           // the port written one level too high
	{"site string", "version: 1\nsite: public\n", "Dockerfile:2:7: site: expected a mapping with keys dir, build, got the string \"public\""},                                                                                                   // the folder written one level too high
	{"site.dir integer", "version: 1\nsite: {dir: 1}\n", "Dockerfile:2:13: site.dir: expected a string, got the integer 1; put it in quotes (\"1\") if you mean that text"},                                                                     // a folder named 1 needs quotes
	{"site.build list", "version: 1\nsite: {build: [hugo]}\n", "Dockerfile:2:15: site.build: expected a mapping with keys packages, suite, npm, run, steps, workdir, output, env, network, cache, gitignore, got a list"},                       // the toolchain written one level too high
	{"site.build.packages string", hostileBuild("    packages: hugo\n    run: hugo\n    output: /out\n"), "Dockerfile:4:15: site.build.packages: expected a list of strings, got the string \"hugo\"; write [a, b] or one \"- item\" per line"}, // a single name instead of a list
	{"site.build.run mapping", hostileBuild("    packages: [hugo]\n    run: {cmd: hugo}\n    output: /out\n"), "Dockerfile:5:10: site.build.run: expected a command: a string run by /bin/sh -c, or a list run as argv; got a mapping"},         // a command is a string or a list
	{"site.build.run integer", hostileBuild("    packages: [hugo]\n    run: 1\n    output: /out\n"), "Dockerfile:5:10: site.build.run: expected a command: a string run by /bin/sh -c, or a list run as argv; got the integer 1"},               // same, with a number
	{"site.build.env list", hostileBuildOK("    env: [A=1]\n"), "Dockerfile:7:10: site.build.env: expected a mapping of names to strings, got a list; write {NAME: value}"},                                                                     // Dockerfile ENV style instead of a mapping
	{"site.build.env value integer", hostileBuildOK("    env: {A: 1}\n"), "Dockerfile:7:14: site.build.env.A: expected a string, got the integer 1; put it in quotes (\"1\") if you mean that text"},                                            // environment values are strings
	{"site.build.env key list", hostileBuildOK("    env: {[A]: x}\n"), "Dockerfile:7:11: site.build.env: keys must be plain names, got a list"},                                                                                                 // a complex key
	{"site.build.network string", hostileBuildOK("    network: \"yes\"\n"), "Dockerfile:7:14: site.build.network: expected true or false, got the string \"yes\""},                                                                              // a quoted boolean is a string
	{"site.build.gitignore integer", hostileBuildOK("    gitignore: 0\n"), "Dockerfile:7:16: site.build.gitignore: expected true or false, got the integer 0"},                                                                                  // 0 is not false
	{"site.build.cache string", hostileBuildOK("    cache: /root/.cache\n"), "Dockerfile:7:12: site.build.cache: expected a list of strings, got the string \"/root/.cache\"; write [a, b] or one \"- item\" per line"},                         // a single folder instead of a list

	// Unknown and duplicate keys, at each level.
	{"unknown top-level key", "versoin: 1\nsite: {dir: public}\n", "Dockerfile:1:1: versoin: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with \"x-\")"},                                                            // a typo must not be ignored
	{"unknown debian key", "version: 1\ndebian: {suits: [trixie]}\nsite: {dir: public}\n", "Dockerfile:2:10: debian.suits: unknown key; allowed here: suite, mirror, security_mirror, suites, exclude, keys (and keys starting with \"x-\")"},             // same, one level down
	{"unknown server key", "version: 1\nserver: {host: 0.0.0.0}\nsite: {dir: public}\n", "Dockerfile:2:10: server.host: unknown key; allowed here: port, headers, include, compress, health, ipv6 (and keys starting with \"x-\")"},                       // a plausible setting that does not exist
	{"unknown site key", "version: 1\nsite: {path: public}\n", "Dockerfile:2:8: site.path: unknown key; allowed here: dir, build (and keys starting with \"x-\")"},                                                                                        // the folder under the wrong name
	{"unknown site.build key", hostileBuildOK("    command: hugo\n"), "Dockerfile:7:5: site.build.command: unknown key; allowed here: packages, suite, npm, run, steps, workdir, output, env, network, cache, gitignore (and keys starting with \"x-\")"}, // the command under the wrong name
	{"merge key", "version: 1\nsite: {dir: public}\n<<: {server: {port: 1}}\n", "Dockerfile:3:1: <<: unknown key; allowed here: version, epoch, debian, server, site (and keys starting with \"x-\")"},                                                    // "<<" is not followed: no hidden settings
	{"non-string key", "version: 1\nsite: {dir: public}\n? [a]\n: 1\n", "Dockerfile:3:3: keys must be plain names, got a list"},                                                                                                                           // a complex key at the top
	{"duplicate top-level key", "version: 1\nversion: 1\nsite: {dir: public}\n", "Dockerfile:2:1: version: duplicate key (first at line 1); keep only one"},                                                                                               // which one wins must not be a guess
	{"duplicate site key", "version: 1\nsite:\n  dir: public\n  dir: www\n", "Dockerfile:4:3: site.dir: duplicate key (first at line 3); keep only one"},                                                                                                  // same, one level down
	{"duplicate env name", hostileBuildOK("    env: {A: x, A: y}\n"), "Dockerfile:7:17: site.build.env.A: duplicate key; keep only one"},                                                                                                                  // same, in a free-form mapping

	// Ports.
	{"port 0", "version: 1\nserver: {port: 0}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: 0 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)"},             // 0 asks the kernel for any port
	{"port -1", "version: 1\nserver: {port: -1}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: -1 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)"},          // negative
	{"port 65536", "version: 1\nserver: {port: 65536}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: 65536 is out of range; use a port from 1024 to 65535 (nginx runs as a non-root user)"}, // one past the last port
	{"port quoted", "version: 1\nserver: {port: \"8080\"}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got the string \"8080\"; write the number without quotes"},    // a string with a number in it
	{"port fraction", "version: 1\nserver: {port: 8080.5}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got the number 8080.5"},                                       // a float
	{"port exponent", "version: 1\nserver: {port: 1e9}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got the number 1e9"},                                             // YAML reads 1e9 as a float
	{"port beyond int64", "version: 1\nserver: {port: 99999999999999999999}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got the number 99999999999999999999"},       // YAML reads it as a float too
	{"port null", "version: 1\nserver: {port: ~}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: expected an integer, got no value"},                                                         // an empty value is not "use the default"
	{"port 2^63", "version: 1\nserver: {port: 0x8000000000000000}\nsite: {dir: public}\n", "Dockerfile:2:16: server.port: 0x8000000000000000 is not a 64-bit integer; use a smaller number"},         // hex that overflows int64

	// Paths that must stay inside the build context.
	{"site.dir ..", "version: 1\nsite: {dir: ..}\n", "Dockerfile:2:13: site.dir: \"..\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"},                           // the context's parent
	{"site.dir a/../../b", "version: 1\nsite: {dir: a/../../b}\n", "Dockerfile:2:13: site.dir: \"a/../../b\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"},      // escapes after cleaning
	{"site.dir absolute", "version: 1\nsite: {dir: /etc}\n", "Dockerfile:2:13: site.dir: \"/etc\" is absolute; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"},                                     // the host's root
	{"site.dir backslash", "version: 1\nsite: {dir: 'public\\..\\..'}\n", "Dockerfile:2:13: site.dir: \"public\\\\..\\\\..\" contains a backslash; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"}, // Windows separators
	{"site.dir empty", "version: 1\nsite: {dir: ''}\n", "Dockerfile:2:13: site.dir: empty; use a path relative to the build context with \"/\" separators, such as \"public\" (\".\" serves the whole context)"},                                                         // empty is not "."
	{"site.dir null", "version: 1\nsite: {dir: ~}\n", "Dockerfile:2:13: site.dir: expected a string, got no value"},                                                                                                                                                      // ~ is YAML's null, not a home folder
	{"site.dir quoted tilde", "version: 1\nsite: {dir: \"~/www\"}\n", ""}, // a folder literally named "~" inside the context is fine
	{"site.build.workdir ..", hostileBuildOK("    workdir: ..\n"), "Dockerfile:7:14: site.build.workdir: \"..\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                                                // the generator must not run outside the context
	{"site.build.workdir a/../../b", hostileBuildOK("    workdir: a/../../b\n"), "Dockerfile:7:14: site.build.workdir: \"a/../../b\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                           // escapes after cleaning
	{"site.build.workdir absolute", hostileBuildOK("    workdir: /src\n"), "Dockerfile:7:14: site.build.workdir: \"/src\" is absolute; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                                                          // absolute, even the mount point
	{"site.build.workdir backslash", hostileBuildOK("    workdir: 'a\\b'\n"), "Dockerfile:7:14: site.build.workdir: \"a\\\\b\" contains a backslash; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                                            // Windows separators
	{"site.build.workdir NUL", hostileBuildOK("    workdir: \"a\\0\"\n"), "Dockerfile:7:14: site.build.workdir: \"a\\x00\" contains a NUL byte; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                                                 // an escaped NUL
	{"site.build.workdir empty", hostileBuildOK("    workdir: ''\n"), "Dockerfile:7:14: site.build.workdir: empty; use a path relative to the build context with \"/\" separators, such as \".\" or \"site\""},                                                                                                              // empty is not "."
	{"site.build.output ..", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: ../x\n"), "Dockerfile:6:13: site.build.output: \"../x\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \"_site\" (relative to workdir) or \"/out\""},                  // relative output leaving the context
	{"site.build.output a/../../b", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: a/../../b\n"), "Dockerfile:6:13: site.build.output: \"a/../../b\" leads outside the build context; use a path relative to the build context with \"/\" separators, such as \"_site\" (relative to workdir) or \"/out\""}, // escapes after cleaning
	{"site.build.output root", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: /\n"), "Dockerfile:6:13: site.build.output: \"/\" would serve the whole root filesystem; use a folder of its own, such as \"/out\""},                                                                                          // would serve the whole toolchain root
	{"site.build.output /src", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: /src/../src\n"), "Dockerfile:6:13: site.build.output: \"/src/../src\" would serve the whole source tree; use a folder of its own, such as \"/out\""},                                                                          // would serve the sources
	{"site.build.output /proc", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: /proc/self\n"), "Dockerfile:6:13: site.build.output: \"/proc/self\" is a kernel filesystem; use a folder of its own, such as \"/out\""},                                                                                      // a kernel filesystem
	{"site.build.output backslash", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: 'a\\b'\n"), "Dockerfile:6:13: site.build.output: \"a\\\\b\" contains a backslash; use a path relative to the build context with \"/\" separators, such as \"_site\" (relative to workdir) or \"/out\""},                  // Windows separators
	{"site.build.output NUL", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: \"out\\0\"\n"), "Dockerfile:6:13: site.build.output: \"out\\x00\" contains a NUL byte; use a path relative to the build context with \"/\" separators, such as \"_site\" (relative to workdir) or \"/out\""},                   // an escaped NUL
	{"site.build.output empty", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: ''\n"), "Dockerfile:6:13: site.build.output: empty; use a path relative to the build context with \"/\" separators, such as \"_site\" (relative to workdir) or \"/out\""},                                                    // empty is not "."
	{"site.build.output null", hostileBuild("    packages: [hugo]\n    run: hugo\n    output: ~\n"), "Dockerfile:6:13: site.build.output: expected a string, got no value"},                                                                                                                                                 // ~ is null
	{"site.build.npm range", hostileBuildOK("    npm: [npm@^11]\n"), "Dockerfile:7:11: site.build.npm[0]: \"^11\" is not an exact version of npm; pin one"},                                                                                                                                                                 // a range would not be reproducible
	{"site.build.npm no hash", hostileBuildOK("    npm: [pnpm@10.34.9]\n"), "Dockerfile:7:11: site.build.npm[0]: pnpm@10.34.9 has no integrity hash"},                                                                                                                                                                       // unpinned bytes
	{"site.build.npm sha1", hostileBuildOK("    npm: [\"npm@1.0.0+sha1-AAAA\"]\n"), "Dockerfile:7:11: site.build.npm[0]: npm@1.0.0: the hash must be sha512"},                                                                                                                                                               // sha1 is not accepted
	{"site.build.npm short hash", hostileBuildOK("    npm: [\"npm@1.0.0+sha512-AAAA\"]\n"), "Dockerfile:7:11: site.build.npm[0]: npm@1.0.0: \"sha512-AAAA\" is not a sha512 integrity hash"},                                                                                                                                // a truncated hash
	{"site.build.npm path name", hostileBuildOK("    npm: [\"../x@1.0.0+sha512-AAAA\"]\n"), "Dockerfile:7:11: site.build.npm[0]: \"../x\" is not an npm package name"},                                                                                                                                                      // a name must not walk the registry's paths
	{"site.build.npm CR LF", hostileBuildOK("    npm: [\"npm@1.0.0\\r\\n+sha512-AAAA\"]\n"), "Dockerfile:7:11: site.build.npm[0]: \"1.0.0\\r\\n\" is not an exact version of npm"},                                                                                                                                          // control characters in a version
	{"site.build.cache relative", hostileBuildOK("    cache: [cache, /]\n"), "Dockerfile:7:13: site.build.cache[0]: \"cache\" is not an absolute folder; cache mounts need one, such as \"/root/.cache/hugo\""},                                                                                                             // cache mounts need an absolute folder other than /

	// Names.
	{"exclude uppercase", "version: 1\ndebian: {exclude: [Perl]}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: \"Perl\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                                              // Debian names are lowercase
	{"exclude path", "version: 1\ndebian: {exclude: [../x]}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: \"../x\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                                                   // a name must never become a path
	{"exclude one letter", "version: 1\ndebian: {exclude: [a]}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: \"a\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                                                   // policy wants two characters or more
	{"exclude leading dash", "version: 1\ndebian: {exclude: [-x]}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: \"-x\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                                               // would read as an option to a tool
	{"exclude empty", "version: 1\ndebian: {exclude: ['']}\nsite: {dir: public}\n", "Dockerfile:2:20: debian.exclude[0]: \"\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                                                        // empty
	{"packages with a space", hostileBuild("    packages: [\"hugo git\"]\n    run: hugo\n    output: /out\n"), "Dockerfile:4:16: site.build.packages[0]: \"hugo git\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                                // two names in one string
	{"packages with a version", hostileBuild("    packages: [\"hugo=0.1\"]\n    run: hugo\n    output: /out\n"), "Dockerfile:4:16: site.build.packages[0]: \"hugo=0.1\" is not a Debian package name; use the binary package name as apt shows it, such as \"perl-base\""},                              // apt's pinning syntax is not a name
	{"packages duplicate", hostileBuild("    packages: [hugo, hugo]\n    run: hugo\n    output: /out\n"), "Dockerfile:4:22: site.build.packages[1]: \"hugo\" is already listed at site.build.packages[0]; remove one"},                                                                                  // listed twice
	{"packages empty list", hostileBuild("    packages: []\n    run: hugo\n    output: /out\n"), "Dockerfile:4:15: site.build.packages: empty; list the Debian packages your generator needs, such as [hugo]"},                                                                                          // no toolchain at all
	{"env name starts with a digit", hostileBuildOK("    env: {1A: x}\n"), "Dockerfile:7:11: site.build.env.1A: \"1A\" is not an environment variable name; use letters, digits and \"_\", not starting with a digit"},                                                                                  // not a shell name
	{"env name with a dash", hostileBuildOK("    env: {A-B: x}\n"), "Dockerfile:7:11: site.build.env.A-B: \"A-B\" is not an environment variable name; use letters, digits and \"_\", not starting with a digit"},                                                                                       // not a shell name
	{"env name with =", hostileBuildOK("    env: {\"A=B\": x}\n"), "Dockerfile:7:11: site.build.env.A=B: \"A=B\" is not an environment variable name; use letters, digits and \"_\", not starting with a digit"},                                                                                        // would split differently in the environment block
	{"env name null", hostileBuildOK("    env: {~: x}\n"), "Dockerfile:7:11: site.build.env.~: \"~\" is not an environment variable name; use letters, digits and \"_\", not starting with a digit"},                                                                                                    // a null key
	{"env reserved", hostileBuildOK("    env: {SOURCE_DATE_EPOCH: \"1\"}\n"), "Dockerfile:7:11: site.build.env.SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH is set by layercake to the build's epoch; remove it (set the epoch with \"epoch:\" or --build-arg SOURCE_DATE_EPOCH)"},                              // the epoch must come from one place
	{"mirror with credentials", "version: 1\ndebian: {mirror: \"https://u:p@example.org/debian\"}\nsite: {dir: public}\n", "Dockerfile:2:18: debian.mirror: \"https://u:p@example.org/debian\" holds credentials; remove them, the spec file is not a secret"},                                          // a spec is not a secret
	{"mirror file scheme", "version: 1\ndebian: {mirror: \"file:///etc\"}\nsite: {dir: public}\n", "Dockerfile:2:18: debian.mirror: \"file:///etc\" is not an absolute URL; use an absolute http or https URL such as https://deb.example.org/debian, or remove it and pass --build-arg DEBIAN_MIRROR"}, // a local file is not an archive
	// Fixed after the first hostile-input pass: exact positions for bad bytes and parser errors, and workdir problems blamed on workdir.
	{"binary blob", "\x00\x01\x02\xff\xfe", "Dockerfile:1:1: invalid YAML: control character U+0000 is not allowed"},                                                                                                       // a binary file passed with -f
	{"raw NUL in a quoted value", "version: 1\nsite: {dir: \"a\x00b\"}\n", "Dockerfile:2:15: invalid YAML: control character U+0000 is not allowed"},                                                                       // a NUL byte hidden in a path
	{"control character", "version: 1\x07\nsite: {dir: public}\n", "Dockerfile:1:11: invalid YAML: control character U+0007 is not allowed"},                                                                               // a stray BEL from a terminal paste
	{"Latin-1 byte", "version: 1\nsite:\n  dir: \"caf\xe9\"\n", "Dockerfile:3:12: invalid YAML: byte 0xe9 is not UTF-8"},                                                                                                   // a file saved as Latin-1
	{"tab on line 1", "\tversion: 1\nsite: {dir: public}\n", "Dockerfile:1:1: invalid YAML: found character that cannot start any token"},                                                                                  // an indented first line
	{"long key on line 1", strings.Repeat("k", 2000) + ": 1\n", "Dockerfile:1:1: invalid YAML: mapping values are not allowed in this context"},                                                                            // YAML keys are at most 1024 characters
	{"YAML 2.0 directive", "%YAML 2.0\n---\nversion: 1\n", "Dockerfile:1:1: invalid YAML: found incompatible YAML document"},                                                                                               // a directive this parser does not read
	{"10,001 nested lists", hostileNest("[", "]", 10001), "Dockerfile:1:1: invalid YAML: exceeded max depth of 10000"},                                                                                                     // one past yaml.v3's depth limit
	{"unclosed bracket on line 5", "version: 1\nsite:\n  dir: public\ndebian:\n  exclude: [a, b\n", "Dockerfile:5:1: invalid YAML: did not find expected ',' or ']'"},                                                      // points at "debian:"
	{"unclosed brace on line 4", "version: 1\nsite:\n  dir: public\nserver: {port: 1\n", "Dockerfile:4:1: invalid YAML: did not find expected ',' or '}'"},                                                                 // points at "dir: public"
	{"bad indentation on line 6", "version: 1\nsite:\n  dir: public\nserver:\n  port: 1\n bad: x\n", "Dockerfile:6:1: invalid YAML: did not find expected key"},                                                            // points at "port: 1"
	{"list item after a mapping", "version: 1\nsite:\n  dir: public\n- x\n", "Dockerfile:4:1: invalid YAML: did not find expected key"},                                                                                    // points at "dir: public"
	{"absolute workdir, relative output", hostileBuild("    packages: [hugo]\n    run: hugo\n    workdir: /src\n    output: out\n"), `Dockerfile:6:14: site.build.workdir: "/src" is absolute`},                            // "out" is not absolute
	{"escaping workdir, plain output", hostileBuild("    packages: [hugo]\n    run: hugo\n    workdir: a/../../b\n    output: out\n"), `Dockerfile:6:14: site.build.workdir: "a/../../b" leads outside the build context`}, // "out" does not
	{"backslash workdir, plain output", hostileBuild("    packages: [hugo]\n    run: hugo\n    workdir: 'a\\b'\n    output: out\n"), `Dockerfile:6:14: site.build.workdir: "a\\b" contains a backslash`},                   // "out" does not
	// Aliases: positions are where the alias is written.
	{"undefined alias", "version: *v\nsite: {dir: public}\n", "Dockerfile:1:10: invalid YAML"},                                                     // a typo in an anchor name
	{"duplicate key through an alias", "&k version: 1\n*k : 2\nsite: {dir: public}\n", "Dockerfile:2:1: version: duplicate key (first at line 1)"}, // at the duplicate, not the first key
	{"alias key to a mapping", "version: 1\nsite: &s {dir: public}\n*s : 1\n", "Dockerfile:3:1: keys must be plain names"},                         // at the alias, not the anchored mapping
	{"undefined alias on line 3", "version: 1\nsite:\n  dir: *public\n", "Dockerfile:3:8: invalid YAML: unknown anchor 'public' referenced"},
	// yaml.v3 counts the lines of scanner errors from 1 and of parser
	// errors from 0; neither is on the last line, where the count is capped.
	{"tab indentation on line 2", "version: 1\n\tsite: x\nserver: {}\nfoo: 1\n", "Dockerfile:2:1: invalid YAML: found a tab character that violates indentation"},
	{"undefined tag handle on line 2", "version: 1\nsite: !x!y public\nserver: {}\nfoo: 1\n", "Dockerfile:2:1: invalid YAML: found undefined tag handle"},
	{"repeated YAML directive", "%YAML 1.1\n%YAML 1.1\n---\nversion: 1\nsite: {dir: public}\n", "Dockerfile:2:1: invalid YAML: found duplicate %YAML directive"},
}

// Hostile specs fail with a positioned message naming the field, or load,
// quickly and without a panic or a stack trace.
func TestLoadHostile(t *testing.T) {
	for _, tt := range hostileSpecs {
		t.Run(tt.name, func(t *testing.T) {
			checkHostile(t, tt)
		})
	}
}

func checkHostile(t *testing.T, tt hostileCase) {
	t.Helper()
	msg := loadHostile(t, tt.src)
	switch {
	case tt.want == "" && msg != "":
		t.Errorf("Load() error = %.500s, want nil", msg)
	case tt.want != "" && !hasLinePrefix(msg, tt.want):
		t.Errorf("Load() error = %.500s\nwant a line starting %q", msg, tt.want)
	}
}

// loadHostile loads src within hostileBudget and returns the error's text,
// "" for none, checking that it holds no panic or stack trace.
func loadHostile(t *testing.T, src string) string {
	t.Helper()
	var err error
	best := time.Duration(1<<63 - 1)
	// The fastest of up to three runs, so a busy machine does not fail
	// the test; unbounded work is slow every time.
	for range 3 {
		start := time.Now()
		_, err = Load("Dockerfile", []byte(src))
		if best = min(best, time.Since(start)); best <= hostileBudget {
			break
		}
	}
	if best > hostileBudget {
		t.Errorf("Load took %v, want under %v", best, hostileBudget)
	}
	msg := errText(err)
	for _, bad := range []string{"goroutine", "panic", ".go:"} {
		if strings.Contains(msg, bad) {
			t.Errorf("Load() error holds %q:\n%.500s", bad, msg)
		}
	}
	return msg
}

// hasLinePrefix reports whether a line of msg starts with prefix.
func hasLinePrefix(msg, prefix string) bool {
	for line := range strings.SplitSeq(msg, "\n") {
		if strings.HasPrefix(line, prefix) {
			return true
		}
	}
	return false
}
