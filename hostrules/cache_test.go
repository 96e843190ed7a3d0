package hostrules

import (
	"os/exec"
	"strings"
	"testing"
)

var fingerprintTable = []struct {
	path string
	want bool
}{
	{"/assets/stylesheets/main.6543a935.min.css", true},                                          // MkDocs Material
	{"/css/main.min.5f1c0e9b3a7d2c4e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e.css", true}, // Hugo Pipes
	{"/static/js/main.4a5b6c7d.js", true},                                                        // webpack
	{"/assets/index-B1aQx7_k.js", true},                                                          // Vite
	{"/js/app.3f2a1b9c.chunk.js", true},                                                          // webpack chunk
	{"/index.html", false},                                                                       // HTML is never fingerprinted
	{"/", false},                                                                                 //
	{"/js/html5shiv.min.js", false},                                                              // a word with a digit
	{"/img/deadbeef.png", false},                                                                 // hex letters only
	{"/archive/20240101.html", false},                                                            // a date, digits only
	{"/css/DataTables.css", false},                                                               // the extension is not a hash
	{"/3f2a1b9c4d.css", true},                                                                    // the whole name is the hash ([contenthash].css)
	{"/js/jquery-3.7.1.min.js", false},                                                           // a version
	{"/assets/main.6543a935/style.css", false},                                                   // a folder, not the file name
	{"/assets/Bootstrap5Theme.css", false},                                                       // mixed case but not 8 characters
	{"/assets/app-Bootstrap5.css", false},                                                        // 10 characters with both cases
	{"/assets/app-Xy12ab34.css", true},                                                           // 8: a Vite hash
}

func TestFingerprinted(t *testing.T) {
	for _, tt := range fingerprintTable {
		if got := Fingerprinted(tt.path); got != tt.want {
			t.Errorf("Fingerprinted(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if CachePolicy("/a.6543a935.css") != Immutable || CachePolicy("/a.css") != Revalidate {
		t.Errorf("CachePolicy does not follow Fingerprinted")
	}
}

// nginx matches FingerprintRegex with PCRE2; grep -P uses the same library.
func TestFingerprintRegexAgrees(t *testing.T) {
	grep, err := exec.LookPath("grep")
	if err != nil || exec.Command(grep, "-P", "x").Run() == nil {
		t.Skip("no grep with PCRE (grep -P) to run the nginx regex with")
	}
	var in []string
	for _, tt := range fingerprintTable {
		in = append(in, tt.path)
	}
	cmd := exec.Command(grep, "-P", FingerprintRegex)
	cmd.Stdin = strings.NewReader(strings.Join(in, "\n") + "\n")
	out, _ := cmd.Output()
	matched := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		matched[l] = true
	}
	for _, tt := range fingerprintTable {
		if matched[tt.path] != tt.want {
			t.Errorf("PCRE %s on %q = %v, Fingerprinted wants %v", FingerprintRegex, tt.path, matched[tt.path], tt.want)
		}
	}
}
