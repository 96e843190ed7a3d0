package frontend

import (
	"slices"
	"strings"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
)

// securityMirror is the security archive's URL: the build arg, else
// debian.security_mirror, else the mirror's sibling folder debian-security
// (https://deb.example.org/debian -> https://deb.example.org/debian-security),
// the layout of Debian's own mirrors and of most others.
func securityMirror(arg, fromSpec, mirror string) string {
	switch {
	case arg != "":
		return arg
	case fromSpec != "":
		return fromSpec
	}
	i := strings.LastIndex(mirror, "/")
	if i < 0 || i < len("https://") {
		return mirror + "/debian-security"
	}
	return mirror[:i] + "/debian-security"
}

// archiveURL is the URL of the archive that serves suite: the security
// archive for <suite>-security, the mirror for the others.
func (b *builder) archiveURL(suite string) string {
	if spec.SecuritySuite(b.spec.Debian.Suite, suite) {
		return b.security
	}
	return b.mirror
}

// archiveURLs are the URLs of lock's archives, by suite, for llbgen.
func (b *builder) archiveURLs(lock *debian.Lock) map[string]string {
	out := map[string]string{}
	for _, a := range append(slices.Clone(lock.Archives), lock.ToolchainArchives...) {
		out[a.Suite] = b.archiveURL(a.Suite)
	}
	return out
}

// archives are the archives of suites (the spec's debian.suites, or the
// toolchain's), each read through the gateway.
func (b *builder) archives(suites []string) []debian.Archive {
	var out []debian.Archive
	for _, s := range suites {
		at := b.at("debian.mirror")
		if spec.SecuritySuite(b.spec.Debian.Suite, s) {
			at = b.at("debian")
		}
		out = append(out, debian.Archive{Suite: s, Fetcher: &gatewayFetcher{c: b.c, mirror: b.archiveURL(s), at: at}})
	}
	return out
}
