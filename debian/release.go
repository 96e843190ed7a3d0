package debian

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// Release is a parsed Release or InRelease file.
type Release struct {
	// Origin, Suite and Codename are the fields of the same names.
	Origin, Suite, Codename string
	// Date is the archive's date, in UTC. It is the build's default epoch.
	Date time.Time
	// ValidUntil is the Valid-Until field in UTC, or zero when absent. After
	// it, apt refuses the index as stale (a mirror that stopped syncing, or
	// an attacker replaying an old, signed index with old vulnerabilities).
	ValidUntil time.Time
	// Architectures and Components are the space-separated lists of the same names.
	Architectures, Components []string
	// AcquireByHash is true when index files may be fetched from by-hash/SHA256/<sum>.
	AcquireByHash bool
	// SHA256 lists the index files, with paths relative to dists/<suite>/.
	SHA256 []IndexFile
}

// IndexFile is one line of a Release file's SHA256 field.
type IndexFile struct {
	// Path is relative to dists/<suite>/, e.g. "main/binary-amd64/Packages.xz".
	Path string
	// Size is the file's size in bytes.
	Size int64
	// SHA256 is the file's lowercase hex sha256.
	SHA256 string
}

var releaseDateLayouts = []string{
	time.RFC1123, time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700",
}

// ParseRelease parses a plain Release file or a clearsigned InRelease file.
// It does not verify the signature: use VerifyInRelease or VerifyRelease for
// an archive you fetched. Date is required.
func ParseRelease(data []byte) (*Release, error) {
	if !isClearsigned(data) {
		return parseReleaseBody(data, 0)
	}
	cs, err := SplitClearsigned(data)
	if err != nil {
		return nil, err
	}
	return parseReleaseBody(cs.Body, cs.BodyLine-1)
}

// parseReleaseBody parses the fields of a Release file; offset is the number
// of input lines before body, for error messages.
func parseReleaseBody(body []byte, offset int) (*Release, error) {
	st, err := newStanzaReader(bytes.NewReader(body), offset).next()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errors.New("release file is empty")
	}
	return releaseFrom(st)
}

func releaseFrom(st *stanza) (*Release, error) {
	r := &Release{
		Origin:        value(st, "Origin"),
		Suite:         value(st, "Suite"),
		Codename:      value(st, "Codename"),
		Architectures: strings.Fields(value(st, "Architectures")),
		Components:    strings.Fields(value(st, "Components")),
		AcquireByHash: strings.EqualFold(value(st, "Acquire-By-Hash"), "yes"),
	}
	f, ok := st.get("Date")
	if !ok {
		return nil, atLine(st.line, "release has no Date field")
	}
	var err error
	if r.Date, err = parseReleaseDate(f.value); err != nil {
		return nil, atLine(f.line, "Date: %v", err)
	}
	if f, ok := st.get("Valid-Until"); ok {
		if r.ValidUntil, err = parseReleaseDate(f.value); err != nil {
			return nil, atLine(f.line, "Valid-Until: %v", err)
		}
	}
	if f, ok := st.get("SHA256"); ok {
		r.SHA256, err = parseIndexFiles(f)
	}
	return r, err
}

func parseReleaseDate(s string) (time.Time, error) {
	for _, layout := range releaseDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q", truncate(s))
}

func parseIndexFiles(f field) ([]IndexFile, error) {
	var files []IndexFile
	for i, line := range strings.Split(f.value, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		file, err := parseIndexFile(line)
		if err != nil {
			return nil, atLine(f.line+i, "SHA256: %v", err)
		}
		files = append(files, file)
	}
	return files, nil
}

func parseIndexFile(line string) (IndexFile, error) {
	parts := strings.Fields(line)
	if len(parts) != 3 {
		return IndexFile{}, fmt.Errorf("want \"sha256 size path\", got %q", truncate(line))
	}
	size, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || size < 0 || !validSHA256(parts[0]) || !validRelPath(parts[2]) {
		return IndexFile{}, fmt.Errorf("invalid entry %q", truncate(line))
	}
	return IndexFile{Path: parts[2], Size: size, SHA256: parts[0]}, nil
}

// Index returns the SHA256 entry for path, relative to dists/<suite>/.
func (r *Release) Index(path string) (IndexFile, bool) {
	for _, f := range r.SHA256 {
		if f.Path == path {
			return f, true
		}
	}
	return IndexFile{}, false
}

// validRelPath reports whether p is a clean relative path with no ".." and no URL.
func validRelPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "://") || strings.Contains(p, "\\") {
		return false
	}
	if path.Clean(p) != p {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}
