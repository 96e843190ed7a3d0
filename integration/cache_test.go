package integration

import (
	"regexp"
	"strings"
	"testing"
)

// TestRegistryCache: a fresh builder importing the registry cache rebuilds
// no layer and gives the same digest; --no-cache runs every step again and
// still gives the same digest; --no-cache-filter site redoes only the site.
func TestRegistryCache(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	// A builder of its own: a concurrent test's --no-cache run of the same
	// steps on a shared builder would show its logs in this test's output.
	own := e.freshBuilder(t, "cache-own")
	cache := e.registry.host + "/cache:static"
	first := e.push(t, build{dir: dir, builder: own, args: []string{"--cache-to", "type=registry,ref=" + cache + ",mode=max"}}, "cached", "first")

	fresh := e.freshBuilder(t, "cache-import")
	out := e.mustBuild(t, build{dir: dir, builder: fresh, args: []string{"--cache-from", "type=registry,ref=" + cache,
		"--output", "type=image,name=" + e.registry.host + "/cached:imported,push=true"}})
	// nginx -t is a check outside the exported result, so it runs again
	// (in milliseconds); no package step may.
	if strings.Contains(out, "unpacked 1 packages") || !strings.Contains(out, "CACHED") {
		t.Errorf("a builder importing the cache ran steps again:\n%s", tail(out, 40))
	}
	imported, err := e.registry.platformImage("cached", "imported", first.config.Architecture)
	if err != nil {
		t.Fatal(err)
	}
	if imported.digest != first.digest {
		t.Errorf("digest with imported cache = %s, want %s", imported.digest, first.digest)
	}

	out = e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--no-cache", "--output", "type=image,name=" + e.registry.host + "/cached:nocache,push=true"}})
	if !strings.Contains(out, "unpacked 1 packages") {
		t.Errorf("--no-cache did not unpack the packages again:\n%s", tail(out, 30))
	}
	noCache, err := e.registry.platformImage("cached", "nocache", first.config.Architecture)
	if err != nil {
		t.Fatal(err)
	}
	if noCache.digest != first.digest {
		t.Errorf("digest with --no-cache = %s, want %s", noCache.digest, first.digest)
	}

	out = e.mustBuild(t, build{dir: dir, builder: own, args: []string{"--no-cache-filter", "site"}})
	if strings.Contains(out, "unpacked 1 packages") || !regexp.MustCompile(`\[layercake\] prepare the site [^\n]*\n#\d+ [0-9.]+ site: `).MatchString(out) {
		t.Errorf("--no-cache-filter site redid more or less than the site:\n%s", tail(out, 30))
	}
}
