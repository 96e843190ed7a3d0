package frontend

import (
	"fmt"

	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
)

// finding is one problem `docker buildx build --check` reports.
type finding struct {
	rule   string // CamelCase rule name, as buildx shows it
	detail string
	pos    spec.Pos
}

// lintInput is what the checks look at.
type lintInput struct {
	spec          *spec.Spec
	file          string
	lock          *debian.Lock // nil when there is none or it is unreadable
	lockErr       error        // why the lock could not be read, if it exists
	req           request
	arches        []string // Debian architectures of the target platforms
	toolchainArch string   // "" for a prebuilt site
	mirror        string   // build arg, else spec
}

// check runs every check on a valid spec, in a stable order.
func check(in lintInput) []finding {
	var out []finding
	add := func(rule string, p spec.Pos, format string, args ...any) {
		out = append(out, finding{rule: rule, pos: p, detail: fmt.Sprintf(format, args...)})
	}
	top := spec.Pos{Line: 1, Col: 1}
	switch {
	case in.lockErr != nil:
		add("InvalidLock", top, "%s cannot be used: %v; %s", LockFile, in.lockErr, lockHint)
	case in.lock == nil:
		add("MissingLock", top, "no %s beside %s, so builds are not pinned; %s", LockFile, in.file, lockHint)
	default:
		lintLock(in, add)
	}
	if in.mirror == "" {
		add("NoMirror", in.spec.Pos("debian.mirror"), "no Debian archive: set debian.mirror or pass --build-arg %s=<archive URL>", ArgMirror)
	}
	for _, x := range in.spec.Extensions() {
		add("ExtensionKey", x.Pos, "%s", extensionMessage(x))
	}
	return out
}

// lintLock checks that the lock serves the spec and every requested platform.
func lintLock(in lintInput, add func(string, spec.Pos, string, ...any)) {
	c := in.req.cover(in.lock, in.arches, in.toolchainArch)
	if c.stale != "" {
		add("StaleLock", in.spec.KeyPos("debian"), "%s; update it: docker buildx build --target lock -o . .", c.stale)
		return
	}
	if msg := oldLock(in.lock, now()); msg != "" {
		add("OldLock", in.spec.KeyPos("debian"), "%s", msg)
	}
	for _, a := range c.arches {
		add("LockMissingPlatform", spec.Pos{Line: 1, Col: 1}, "%s has no packages for %s; lock every platform you build: docker buildx build --platform … --target lock -o . .", LockFile, a)
	}
	switch {
	case c.noToolchain:
		add("LockMissingToolchain", in.spec.Pos("site.build.packages"), "%s pins no site.build toolchain for %s; %s", LockFile, in.toolchainArch, lockHint)
	case c.toolchain != "":
		add("StaleLock", in.spec.Pos(c.toolchainField), "%s; %s", c.toolchain, lockHint)
	}
}
