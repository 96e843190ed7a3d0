package debian

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Package is one stanza of a Packages index, reduced to what layercake uses.
type Package struct {
	// Name is the binary package name.
	Name string
	// Version is the package version, valid for ParseVersion.
	Version string
	// Architecture is a Debian architecture or "all".
	Architecture string
	// Filename is the mirror-relative path of the .deb, e.g. "pool/main/n/nginx/nginx_1.26.3-3_amd64.deb".
	Filename string
	// SHA256 is the .deb's lowercase hex sha256.
	SHA256 string
	// Source is the source package name; Name when the stanza has no Source field.
	Source string
	// Size is the .deb's size in bytes.
	Size int64
	// Depends and PreDepends are the parsed dependency fields.
	Depends, PreDepends []Dependency
	// Provides lists the virtual packages this package provides, possibly versioned ("=").
	Provides []Relation
	// MultiArch is the Multi-Arch field ("same", "foreign", "allowed") or "".
	MultiArch string
	// Archive is the suite of the archive the index came from (set by
	// LoadIndexes), e.g. "trixie-security"; "" when parsed alone.
	Archive string
	// Essential is true for packages marked "Essential: yes": the set every
	// Debian system has, and that dpkg's maintainer scripts rely on.
	Essential bool
}

// ParsePackages parses a Packages index. Errors name the offending line.
// Package, Version and Architecture are required; Size and SHA256, when
// present, must be well formed. A malformed Depends is an error, never "no
// dependencies".
func ParsePackages(r io.Reader) ([]Package, error) {
	sr := newStanzaReader(r, 0)
	var pkgs []Package
	for {
		st, err := sr.next()
		if err != nil {
			return nil, err
		}
		if st == nil {
			return pkgs, nil
		}
		p, err := packageFrom(st)
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
}

func packageFrom(st *stanza) (Package, error) {
	var p Package
	var err error
	if p.Name, err = required(st, "Package", validName); err != nil {
		return p, err
	}
	if p.Version, err = required(st, "Version", validVersion); err != nil {
		return p, err
	}
	if p.Architecture, err = required(st, "Architecture", validArch); err != nil {
		return p, err
	}
	p.Filename = value(st, "Filename")
	p.MultiArch = value(st, "Multi-Arch")
	p.Essential = value(st, "Essential") == "yes"
	p.Source = sourceName(value(st, "Source"), p.Name)
	if err := parseChecksum(st, &p); err != nil {
		return p, err
	}
	return p, parseRelations(st, &p)
}

func required(st *stanza, name string, valid func(string) bool) (string, error) {
	f, ok := st.get(name)
	if !ok {
		return "", atLine(st.line, "stanza has no %s field", name)
	}
	if !valid(f.value) {
		return "", atLine(f.line, "%s: invalid value %q", name, truncate(f.value))
	}
	return f.value, nil
}

func value(st *stanza, name string) string {
	f, _ := st.get(name)
	return f.value
}

func validVersion(s string) bool {
	_, err := ParseVersion(s)
	return err == nil
}

// sourceName strips the version from "Source: name (version)".
func sourceName(source, name string) string {
	if source == "" {
		return name
	}
	src, _, _ := strings.Cut(source, " ")
	return src
}

func parseChecksum(st *stanza, p *Package) error {
	if f, ok := st.get("Size"); ok {
		n, err := strconv.ParseInt(f.value, 10, 64)
		if err != nil || n < 0 {
			return atLine(f.line, "Size: invalid value %q", truncate(f.value))
		}
		p.Size = n
	}
	if f, ok := st.get("SHA256"); ok {
		if !validSHA256(f.value) {
			return atLine(f.line, "SHA256: invalid value %q", truncate(f.value))
		}
		p.SHA256 = f.value
	}
	return nil
}

func parseRelations(st *stanza, p *Package) error {
	var err error
	if p.Depends, err = dependencyField(st, "Depends"); err != nil {
		return err
	}
	if p.PreDepends, err = dependencyField(st, "Pre-Depends"); err != nil {
		return err
	}
	provides, err := dependencyField(st, "Provides")
	if err != nil {
		return err
	}
	for _, d := range provides {
		if len(d) != 1 || (d[0].Op != "" && d[0].Op != "=") {
			f, _ := st.get("Provides")
			return atLine(f.line, "Provides: %q is not a name or name (= version)", d.String())
		}
		p.Provides = append(p.Provides, d[0])
	}
	return nil
}

func dependencyField(st *stanza, name string) ([]Dependency, error) {
	f, ok := st.get(name)
	if !ok {
		return nil, nil
	}
	deps, err := ParseDependencies(f.value)
	if err != nil {
		return nil, atLine(f.line, "%s: %v", name, err)
	}
	if deps == nil {
		return nil, atLine(f.line, "%s: empty field", name)
	}
	return deps, nil
}

// validSHA256 reports whether s is 64 lowercase hex digits.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// String formats p as "name version (arch)".
func (p Package) String() string {
	return fmt.Sprintf("%s %s (%s)", p.Name, p.Version, p.Architecture)
}
