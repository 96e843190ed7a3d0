package spec

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

// NpmTool is one entry of site.build.npm: a package of the npm registry
// installed into the toolchain, pinned by its version and integrity hash.
type NpmTool struct {
	// Name is the package's name, such as "npm" or "@scope/tool".
	Name string
	// Version is its exact version, such as "11.21.3".
	Version string
	// Integrity is the tarball's Subresource Integrity string,
	// "sha512-<base64>", as the registry's dist.integrity and
	// package-lock.json record it.
	Integrity string
}

// String is the entry as the spec writes it.
func (t NpmTool) String() string { return t.Name + "@" + t.Version + "+" + t.Integrity }

// Tarball is the tarball's path in the registry, relative to its URL:
// "npm/-/npm-11.21.3.tgz", "@scope/tool/-/tool-1.0.0.tgz".
func (t NpmTool) Tarball() string {
	base := t.Name[strings.LastIndex(t.Name, "/")+1:]
	return t.Name + "/-/" + base + "-" + t.Version + ".tgz"
}

// npmNameRE is a registry package name (lowercase, optionally scoped);
// npmVersionRE an exact semver version, without build metadata (the "+"
// starts the integrity hash).
var (
	npmNameRE    = regexp.MustCompile(`^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$`)
	npmVersionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?$`)
)

// npmToolPattern is a whole entry, for the JSON Schema (a sha512 is 64
// bytes: 86 base64 digits and "==").
const npmToolPattern = `^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*@[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?\+sha512-[A-Za-z0-9+/]{86}==$`

// npmIntegrityPrefix starts the only hash accepted: the registry publishes
// sha512 for every current package.
const npmIntegrityPrefix = "sha512-"

// ParseNpmTool reads "name@version+sha512-<base64>".
func ParseNpmTool(s string) (NpmTool, error) {
	const want = `write name@version+sha512-…, such as "npm@11.21.3+sha512-5Cf+…==", with the hash from ` +
		"`npm view npm@11.21.3 dist.integrity`"
	at := strings.LastIndex(s, "@")
	if at <= 0 {
		return NpmTool{}, fmt.Errorf("%q has no version; %s", s, want)
	}
	name, rest := s[:at], s[at+1:]
	version, integrity, ok := strings.Cut(rest, "+")
	switch {
	case !npmNameRE.MatchString(name):
		return NpmTool{}, fmt.Errorf("%q is not an npm package name (lowercase, such as \"pnpm\" or \"@scope/name\")", name)
	case !npmVersionRE.MatchString(version):
		return NpmTool{}, fmt.Errorf("%q is not an exact version of %s; pin one, such as \"11.21.3\", not a range or tag", version, name)
	case !ok || integrity == "":
		return NpmTool{}, fmt.Errorf("%s@%s has no integrity hash; %s", name, version, want)
	case !strings.HasPrefix(integrity, npmIntegrityPrefix):
		return NpmTool{}, fmt.Errorf("%s@%s: the hash must be sha512 (\"sha512-…\"), the registry's dist.integrity", name, version)
	}
	sum, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(integrity, npmIntegrityPrefix))
	if err != nil || len(sum) != 64 {
		return NpmTool{}, fmt.Errorf("%s@%s: %q is not a sha512 integrity hash (64 bytes in base64)", name, version, integrity)
	}
	return NpmTool{Name: name, Version: version, Integrity: integrity}, nil
}

// NpmTools are site.build.npm parsed; call it on a validated spec.
func (b *Build) NpmTools() []NpmTool {
	out := make([]NpmTool, 0, len(b.Npm))
	for _, s := range b.Npm {
		if t, err := ParseNpmTool(s); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// npmTools checks site.build.npm: each entry pinned, each package once.
func (c *checker) npmTools(tools []string) {
	first := map[string]int{}
	for i, s := range tools {
		p := fmt.Sprintf("site.build.npm[%d]", i)
		t, err := ParseNpmTool(s)
		if err != nil {
			c.fail(p, "%v", err)
			continue
		}
		if j, dup := first[t.Name]; dup {
			c.fail(p, "%s is already listed at site.build.npm[%d]; remove one", t.Name, j)
			continue
		}
		first[t.Name] = i
	}
}
