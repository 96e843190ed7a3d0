package debian

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// hostilePackagesPath is the index LoadIndex reads for arm64.
const hostilePackagesPath = "main/binary-arm64/Packages.xz"

// hostileGood is a small valid Packages index for arm64.
const hostileGood = "Package: nginx\nVersion: 1.26.3-3\nArchitecture: arm64\nDepends: libc6\n\n" +
	"Package: libc6\nVersion: 2.41-12\nArchitecture: arm64\n"

// hostileRelease is a plain Release whose SHA256 field holds lines, each
// starting with a space; its first SHA256 line is line 4.
func hostileRelease(lines ...string) []byte {
	return []byte("Suite: trixie\nDate: Sat, 09 Aug 2025 11:12:20 UTC\nSHA256:\n" + strings.Join(lines, ""))
}

// hostileEntry is the SHA256 line listing data as path.
func hostileEntry(data []byte, path string) string {
	return fmt.Sprintf(" %s %d %s\n", sum(data), len(data), path)
}

// hostileFetcher serves files from memory by mirror-relative path.
func hostileFetcher(files map[string][]byte) Fetcher {
	return FetcherFunc(func(_ context.Context, path, _ string) ([]byte, error) {
		if data, ok := files[path]; ok {
			return data, nil
		}
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	})
}

// hostileArchive serves release as InRelease and packages (already
// compressed, or not) as the arm64 index.
func hostileArchive(release, packages []byte) Fetcher {
	return hostileFetcher(map[string][]byte{
		"dists/trixie/InRelease":              release,
		"dists/trixie/" + hostilePackagesPath: packages,
	})
}

// Hostile archives fail with a message naming the file and what is wrong,
// quickly and without a panic. Signatures are verify_test.go's subject, so
// these cases skip the check and reach the parsers.
func TestLoadIndexHostile(t *testing.T) {
	good := xzData(t, hostileGood)
	corrupt := append([]byte("\xfd7zXZ\x00"), bytes.Repeat([]byte{0xa5}, 64)...)
	truncated := good[:len(good)/2]
	badDepends := xzData(t, "Package: nginx\nVersion: 1\nArchitecture: arm64\nDepends: libc6 (>= 2.38\n")
	longLine := xzData(t, "Package: nginx\nDescription: "+strings.Repeat("x", 2<<20)+"\n")
	const pkgErr = "reading Packages of trixie for arm64: " + hostilePackagesPath + ": "
	tests := []struct {
		name string
		f    Fetcher
		want string
	}{
		// A stream that starts like xz and is garbage must not be read as an empty index.
		{"corrupt xz", hostileArchive(hostileRelease(hostileEntry(corrupt, hostilePackagesPath)), corrupt), pkgErr + "xz: "},
		// A truncated download whose Release matches it (a mirror mid-sync) fails;
		// the "line 1:" is misleading, see the report.
		{"truncated xz", hostileArchive(hostileRelease(hostileEntry(truncated, hostilePackagesPath)), truncated), pkgErr + "reading after line 0 (a truncated or corrupt download?): unexpected EOF"},
		// Same size, other content: the checksum catches a swapped index.
		{"checksum mismatch", hostileArchive(hostileRelease(hostileEntry(good, hostilePackagesPath)), bytes.Repeat([]byte{0}, len(good))), pkgErr + "sha256 mismatch: got "},
		// A Release claiming 100 MB must not make anyone allocate or wait for 100 MB.
		{"100 MB claimed size", hostileArchive(hostileRelease(fmt.Sprintf(" %s %d %s\n", sum(good), 100<<20, hostilePackagesPath)), good), pkgErr + fmt.Sprintf("size mismatch: got %d bytes, want 104857600", len(good))},
		// A Release that lists other architectures only.
		{"release without the index", hostileArchive(hostileRelease(hostileEntry(good, "main/binary-amd64/Packages.xz")), good), "reading Packages of trixie for arm64: release lists no " + hostilePackagesPath},
		// A Release with no SHA256 field at all (an MD5-only archive).
		{"release without SHA256", hostileArchive([]byte("Suite: trixie\nDate: Sat, 09 Aug 2025 11:12:20 UTC\nMD5Sum:\n d41d8cd98f00b204e9800998ecf8427e 0 x\n"), good), "reading Packages of trixie for arm64: release lists no " + hostilePackagesPath},
		// A SHA256 line with two fields.
		{"release SHA256 line missing the path", hostileArchive(hostileRelease(" "+sum(good)+" 12\n"), good), `reading Release for trixie: line 4: SHA256: want "sha256 size path", got `},
		// Uppercase hex is not what Debian writes; reject rather than guess.
		{"release SHA256 uppercase", hostileArchive(hostileRelease(" "+strings.ToUpper(sum(good))+" 12 "+hostilePackagesPath+"\n"), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// 63 hex digits.
		{"release SHA256 short hash", hostileArchive(hostileRelease(" "+sum(good)[1:]+" 12 "+hostilePackagesPath+"\n"), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// A negative size.
		{"release SHA256 negative size", hostileArchive(hostileRelease(" "+sum(good)+" -1 "+hostilePackagesPath+"\n"), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// A size past int64.
		{"release SHA256 huge size", hostileArchive(hostileRelease(" "+sum(good)+" 99999999999999999999 "+hostilePackagesPath+"\n"), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// An index path leaving dists/<suite>/ must never be fetched.
		{"release SHA256 path traversal", hostileArchive(hostileRelease(hostileEntry(good, "../../"+hostilePackagesPath)), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// Nor one naming another host.
		{"release SHA256 URL", hostileArchive(hostileRelease(hostileEntry(good, "http://x/"+hostilePackagesPath)), good), "reading Release for trixie: line 4: SHA256: invalid entry "},
		// The bad line is named even after good ones.
		{"release bad line after good ones", hostileArchive(hostileRelease(hostileEntry(good, "main/binary-amd64/Packages.xz"), hostileEntry(good, hostilePackagesPath), " zz 1 x\n"), good), "reading Release for trixie: line 6: SHA256: invalid entry "},
		// Date is the build's epoch; without it nothing is reproducible.
		{"release without Date", hostileArchive([]byte("Suite: trixie\n"), good), "reading Release for trixie: line 1: release has no Date field"},
		// An unparseable Date.
		{"release with a bad Date", hostileArchive([]byte("Suite: trixie\nDate: yesterday\n"), good), `reading Release for trixie: line 2: Date: invalid date "yesterday"`},
		// An empty InRelease (a captive portal's empty 200).
		{"empty release", hostileArchive(nil, good), "reading Release for trixie: release file is empty"},
		// An HTML error page served as InRelease.
		{"HTML release", hostileArchive([]byte("<html>\n<body>502</body>\n"), good), `reading Release for trixie: line 1: malformed field "<html>"`},
		// A clearsigned InRelease cut before its signature.
		{"clearsigned without signature", hostileArchive([]byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nDate: x\n"), good), "reading Release for trixie: clearsigned: missing signature block"},
		// A malformed Depends fails the index; it never becomes "no dependencies".
		{"malformed Depends in the index", hostileArchive(hostileRelease(hostileEntry(badDepends, hostilePackagesPath)), badDepends), pkgErr + `line 4: Depends: invalid relation "libc6 (>= 2.38": missing ')'`},
		// A 2 MB line (a decompression bomb's cheapest form) stops at the line bound.
		{"2 MB line in the index", hostileArchive(hostileRelease(hostileEntry(longLine, hostilePackagesPath)), longLine), pkgErr + "line 2: bufio.Scanner: token too long"},
		// Nothing served at all: both Release names are tried and reported.
		{"nothing served", hostileFetcher(nil), "reading Release for trixie: dists/trixie/InRelease: file does not exist\ndists/trixie/Release: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := LoadIndex(context.Background(), tt.f, "trixie", "arm64", WithoutSignatureCheck())
			if d := time.Since(start); d > time.Second {
				t.Errorf("LoadIndex took %v, want under 1s", d)
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("LoadIndex() error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// hostileStanza is a valid stanza header (lines 1 to 3) followed by extra,
// which starts at line 4.
func hostileStanza(extra string) string {
	return "Package: x\nVersion: 1\nArchitecture: all\n" + extra + "\n"
}

// Malformed Packages stanzas fail at the line that is wrong.
func TestParsePackagesHostile(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"depends unclosed paren", hostileStanza("Depends: a (>= 1"), `line 4: Depends: invalid relation "a (>= 1": missing ')'`},                                                // a cut-off line
		{"depends empty version", hostileStanza("Depends: a (>= )"), `line 4: Depends: invalid relation "a (>= )": invalid version "": version is empty`},                        // an operator with nothing after it
		{"depends bad operator", hostileStanza("Depends: a (=> 1)"), `line 4: Depends: invalid relation "a (=> 1)": invalid operator "=>"`},                                      // a reversed operator
		{"depends trailing comma", hostileStanza("Depends: a,"), `line 4: Depends: invalid relation "": empty relation`},                                                         // an empty element is not "nothing"
		{"depends empty alternative", hostileStanza("Depends: a | | b"), `line 4: Depends: invalid relation "": empty relation`},                                                 // same, between bars
		{"depends uppercase name", hostileStanza("Depends: Libc6"), `line 4: Depends: invalid relation "Libc6": invalid package name`},                                           // names are lowercase
		{"depends unclosed arch list", hostileStanza("Depends: a [amd64"), `line 4: Depends: invalid relation "a [amd64": invalid architecture restriction`},                     // an unclosed bracket
		{"depends empty field", hostileStanza("Depends:"), "line 4: Depends: empty field"},                                                                                       // an empty field is not "no dependencies"
		{"pre-depends bad epoch", hostileStanza("Pre-Depends: a (>= 1:)"), `line 4: Pre-Depends: invalid relation "a (>= 1:)": invalid version "1:": upstream version is empty`}, // the other dependency field
		{"depends continuation", hostileStanza("Depends: a,\n b (>= 1),\n C"), `line 4: Depends: invalid relation "C": invalid package name`},                                    // a folded field is named by its first line
		{"missing version", "Package: x\nArchitecture: all\n", "line 1: stanza has no Version field"},                                                                            // a required field
		{"bad version", "Package: x\nVersion: latest\nArchitecture: all\n", `line 2: Version: invalid value "latest"`},                                                           // versions start with a digit
		{"bad package name", "Package: ../x\nVersion: 1\nArchitecture: all\n", `line 1: Package: invalid value "../x"`},                                                          // a name must never become a path
		{"bad architecture", "Package: x\nVersion: 1\nArchitecture: arm/v7\n", `line 3: Architecture: invalid value "arm/v7"`},                                                   // a platform, not a Debian architecture
		{"negative size", hostileStanza("Size: -1"), `line 4: Size: invalid value "-1"`},                                                                                         // a size below zero
		{"short sha256", hostileStanza("SHA256: abc"), `line 4: SHA256: invalid value "abc"`},                                                                                    // not a sha256
		{"duplicate field", hostileStanza("Version: 2"), `line 4: duplicate field "Version"`},                                                                                    // which one wins must not be a guess
		{"continuation first", " x\nPackage: x\n", "line 1: continuation line before any field"},                                                                                 // a folded line with nothing to fold into
		{"field without colon", "Package x\n", `line 1: malformed field "Package x"`},                                                                                            // not deb822
		{"second stanza bad", hostileStanza("") + "\n\nPackage: y\nVersion: 1\n", "line 7: stanza has no Architecture field"},                                                    // line numbers survive blank lines
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePackages(strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("ParsePackages() error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// Known wrong position: Provides errors name the stanza's first line, not
// the Provides line (packages.go, parseRelations). Fails once fixed, so the
// row can move to TestParsePackagesHostile with "line 4:".
func TestParsePackagesHostileProvidesLine(t *testing.T) {
	_, err := ParsePackages(strings.NewReader(hostileStanza("Provides: y (>= 1)")))
	const want = `line 4: Provides: "y (>= 1)" is not a name or name (= version)`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("ParsePackages() error = %v, want %q (the Provides line, not the stanza's first)", err, want)
	}
}

// hostileIndex is a tiny index for resolver scenarios.
func hostileIndex(t *testing.T) *Index {
	t.Helper()
	pkgs, err := ParsePackages(strings.NewReader(
		"Package: web\nVersion: 1\nArchitecture: amd64\nDepends: ghost\n\n" +
			"Package: old\nVersion: 1\nArchitecture: amd64\nDepends: lib (<< 2)\n\n" +
			"Package: new\nVersion: 1\nArchitecture: amd64\nDepends: lib (>= 2)\n\n" +
			"Package: lib\nVersion: 1\nArchitecture: amd64\n\n" +
			"Package: lib\nVersion: 2\nArchitecture: amd64\n\n" +
			"Package: greedy\nVersion: 1\nArchitecture: amd64\nDepends: lib (>= 3)\n\n" +
			"Package: ping\nVersion: 1\nArchitecture: amd64\nDepends: pong\n\n" +
			"Package: pong\nVersion: 1\nArchitecture: amd64\nPre-Depends: ping (>= 1)\n\n" +
			"Package: narcissus\nVersion: 1\nArchitecture: amd64\nDepends: narcissus, mirror-image\n\n" +
			"Package: echo\nVersion: 1\nArchitecture: amd64\nProvides: mirror-image\nDepends: narcissus | mirror-image\n"))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return NewIndex(pkgs)
}

// Impossible requests fail with a typed error naming the package and who
// requires it; cycles terminate.
func TestResolveHostile(t *testing.T) {
	idx := hostileIndex(t)
	tests := []struct {
		name  string
		roots []string
		want  string // "" when Resolve succeeds
		as    any    // the error's type, a pointer to a nil pointer
	}{
		{"missing dependency", []string{"web"}, "no package satisfies ghost (required by web)", new(*NoCandidateError)},                            // names the package and its requirer
		{"missing root", []string{"ghost"}, "no package satisfies ghost (required by the roots)", new(*NoCandidateError)},                          // a typo in a root
		{"missing versioned root", []string{"lib (>= 9)"}, "no package satisfies lib (>= 9) (required by the roots)", new(*NoCandidateError)},      // the name exists, the version does not
		{"unsatisfiable versioned dependency", []string{"greedy"}, "no package satisfies lib (>= 3) (required by greedy)", new(*NoCandidateError)}, // a version the archive lacks
		{"conflicting versions", []string{"new", "old"}, "lib 2 was chosen but old requires lib (<< 2)", new(*ConflictError)},                      // no backtracking: say so
		{"two-package cycle", []string{"ping"}, "", nil},                                        // Depends and Pre-Depends in a loop terminate
		{"self dependency and virtual cycle", []string{"narcissus"}, "", nil},                   // a package depending on itself and on a virtual it provides
		{"invalid root", []string{"Nginx"}, `resolve: invalid root "Nginx"`, nil},               // an uppercase name
		{"root with two groups", []string{"web, old"}, `resolve: invalid root "web, old"`, nil}, // a root is one group
		{"no roots", nil, "resolve: no roots", nil},                                             // nothing to resolve is a mistake
		{"excluded root", []string{"web"}, `resolve: root "web" is excluded`, nil},              // excluding what you ask for
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var exclude []string
			if tt.name == "excluded root" {
				exclude = []string{"web"}
			}
			done := make(chan error, 1)
			go func() {
				_, err := Resolve(idx, tt.roots, exclude)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("Resolve(%v) did not terminate", tt.roots)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Resolve(%v) error = %v, want nil", tt.roots, err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("Resolve(%v) error = %v, want %q", tt.roots, err, tt.want)
			case tt.as != nil && !errors.As(err, tt.as):
				t.Errorf("Resolve(%v) error = %T, want %T", tt.roots, err, tt.as)
			}
		})
	}
}

// hostileLockJSON is a valid lock; tests break it with strings.Replace.
const hostileLockJSON = `{
  "version": 1,
  "suite": "trixie",
  "date": "2025-08-09T09:12:20Z",
  "roots": ["nginx"],
  "exclude": ["perl-base"],
  "architectures": {
    "amd64": {
      "runtime": [
        {
          "name": "nginx",
          "version": "1.26.3-3",
          "architecture": "amd64",
          "path": "pool/main/n/nginx/nginx_1.26.3-3_amd64.deb",
          "size": 1005,
          "sha256": "222f1f296cb91a67323fdca0e37c4f34a7be78d14de043f15b2f76acdd8750a9"
        }
      ]
    }
  }
}
`

// Broken or tampered locks fail with a message naming the package and field.
func TestParseLockHostile(t *testing.T) {
	if _, err := ParseLock([]byte(hostileLockJSON)); err != nil {
		t.Fatalf("ParseLock(fixture) error = %v", err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"newer format", `"version": 1,`, `"version": 3,`, "parsing lock: version 3 was written by a newer layercake; upgrade"},                                                                        // say "upgrade", not "unknown field"
		{"zero format", `"version": 1,`, `"version": 0,`, "parsing lock: unsupported version 0"},                                                                                                       // an older or zeroed lock
		{"no format", `"version": 1,`, ``, "parsing lock: missing version"},                                                                                                                            // a lock without a version is not trusted
		{"suite traversal", `"trixie"`, `"../trixie"`, `lock: invalid suite "../trixie"`},                                                                                                              // a suite becomes a path under dists/
		{"unknown package version", `"1.26.3-3",`, `"latest",`, `lock: amd64: runtime[0] (nginx): invalid version "latest"`},                                                                           // not a Debian version
		{"path with ..", `pool/main/n/nginx/nginx`, `pool/../../../etc/nginx`, `lock: amd64: runtime[0] (nginx): path "pool/../../../etc/nginx_1.26.3-3_amd64.deb" is not a clean relative .deb path`}, // must not leave the mirror
		{"absolute path", `"pool/main`, `"/pool/main`, `lock: amd64: runtime[0] (nginx): path "/pool/main/n/nginx/nginx_1.26.3-3_amd64.deb" is not a clean relative .deb path`},                        // same
		{"path with ://", `"pool/main`, `"https://evil.invalid/pool/main`, `parsing lock: contains "://"; a lock names no hosts`},                                                                      // a lock names no host
		{"path not a .deb", `_amd64.deb"`, `_amd64.tar"`, `lock: amd64: runtime[0] (nginx): path "pool/main/n/nginx/nginx_1.26.3-3_amd64.tar" is not a clean relative .deb path`},                      // only .deb files are fetched
		{"sha256 uppercase", `"222f1f`, `"222F1F`, "lock: amd64: runtime[0] (nginx): sha256 must be 64 lowercase hex digits"},                                                                          // one spelling per hash
		{"sha256 short", `"222f1f`, `"`, "lock: amd64: runtime[0] (nginx): sha256 must be 64 lowercase hex digits"},                                                                                    // 58 digits
		{"sha256 not hex", `"222f1f`, `"zzzzzz`, "lock: amd64: runtime[0] (nginx): sha256 must be 64 lowercase hex digits"},                                                                            // not hex at all
		{"size zero", `"size": 1005`, `"size": 0`, "lock: amd64: runtime[0] (nginx): size must be positive"},                                                                                           // an empty .deb does not exist
		{"size negative", `"size": 1005`, `"size": -1`, "lock: amd64: runtime[0] (nginx): size must be positive"},                                                                                      // below zero
		{"size fraction", `"size": 1005`, `"size": 1.5`, "parsing lock: json: cannot unmarshal number 1.5 into Go struct field"},                                                                       // not a byte count
		{"architecture mismatch", `"architecture": "amd64"`, `"architecture": "arm64"`, `lock: amd64: runtime[0] (nginx): architecture "arm64" is neither "amd64" nor "all"`},                          // an arm64 .deb in the amd64 image
		{"architecture key all", `"amd64": {`, `"all": {`, `lock: invalid architecture "all"`},                                                                                                         // "all" is not a platform
		{"unknown field", `"suite"`, `"sweet": 1, "suite"`, `parsing lock: json: unknown field "sweet"`},                                                                                               // strict, like the spec
		{"trailing data", "}\n}\n", "}\n}\n{}", "parsing lock: invalid character '{' after top-level value"},                                                                                           // two objects in one file
		{"not JSON", "{", "<", "parsing lock: invalid character '<'"},                                                                                                                                  // an HTML page saved as the lock
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(hostileLockJSON, tt.old, tt.new, 1)
			if in == hostileLockJSON {
				t.Fatalf("replacing %q changed nothing", tt.old)
			}
			_, err := ParseLock([]byte(in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseLock() error = %v, want %q", err, tt.want)
			}
		})
	}
}

// A lock may claim a large .deb: 100 MB is accepted (real packages reach
// that size); BuildKit verifies the size and sha256 when it fetches.
func TestParseLockHostileLargeSize(t *testing.T) {
	l, err := ParseLock([]byte(strings.Replace(hostileLockJSON, `"size": 1005`, `"size": 104857600`, 1)))
	if err != nil || l.Architectures["amd64"].Runtime[0].Size != 100<<20 {
		t.Errorf("ParseLock(100 MB size) = %v, want the size kept", err)
	}
}

// Malformed versions are errors; comparing them never panics.
func TestParseVersionHostile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid version "": version is empty`},                                         // nothing
		{"1:", `invalid version "1:": upstream version is empty`},                            // an epoch alone
		{":1", `invalid version ":1": epoch is empty`},                                       // a colon alone
		{"x:1", `invalid version "x:1": epoch is not a number`},                              // a word as epoch
		{"99999999999:1", `invalid version "99999999999:1": epoch is too big`},               // past int32
		{"latest", `invalid version "latest": upstream version does not start with a digit`}, // a tag, not a version
		{"1 2", `invalid version "1 2": version has embedded spaces`},                        // two versions
		{"1-", `invalid version "1-": revision is empty`},                                    // a dangling hyphen
		{"1_2", `invalid version "1_2": invalid character in upstream version`},              // underscore
		{"1-a_b", `invalid version "1-a_b": invalid character in revision`},                  // underscore in the revision
		{"1-a:b", `invalid version "1-a:b": epoch is not a number`},                          // the first colon always ends the epoch
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, err := ParseVersion(tt.in); err == nil || err.Error() != tt.want {
				t.Errorf("ParseVersion(%q) error = %v, want %q", tt.in, err, tt.want)
			}
			if CompareVersions(tt.in, "1.0") != 1 || CompareVersions("1.0", tt.in) != -1 {
				t.Errorf("CompareVersions(%q, 1.0) does not sort the invalid version last", tt.in)
			}
		})
	}
}
