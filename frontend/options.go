package frontend

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/layercake-build/layercake/internal/clip"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/solver/pb"
)

// Version is layercake's version, set at link time.
var Version = "dev"

// Commit is the git commit layercake was built from, set at link time
// (hack/release sets it; plain builds leave it "unknown").
var Commit = "unknown"

// Build arguments and frontend options layercake reads.
const (
	// ArgMirror overrides debian.mirror.
	ArgMirror = "DEBIAN_MIRROR"
	// ArgSecurityMirror overrides debian.security_mirror.
	ArgSecurityMirror = "DEBIAN_SECURITY_MIRROR"
	// ArgNpmRegistry is the npm registry site.build.npm's packages come from.
	ArgNpmRegistry = "NPM_REGISTRY"
	// ArgEpoch overrides the epoch (spec epoch, else the lock's archive date).
	ArgEpoch = "SOURCE_DATE_EPOCH"
	// ArgCacheNamespace prefixes the ID of every cache mount the build
	// uses, as it does for a Dockerfile's RUN --mount=type=cache.
	ArgCacheNamespace = "BUILDKIT_CACHE_MOUNT_NS"
	// ArgMerge set to false joins layers with a copy chain even where MergeOp exists.
	ArgMerge = "LAYERCAKE_MERGE"
	// ArgHelperImage names the image whose /bin/layercake unpacks packages when
	// the frontend does not run from an image (in-process builds).
	ArgHelperImage = "LAYERCAKE_HELPER_IMAGE"
	// OptSource is the frontend image reference BuildKit passes to a `# syntax=` frontend.
	OptSource = "source"
	// LockFile is the lock's name, beside the spec.
	LockFile = "layercake.lock"
)

// Targets layercake builds.
const (
	TargetImage = "image"
	TargetLock  = "lock"
	TargetSite  = "site"
)

// options are the build's settings from build args and frontend options.
type options struct {
	target      string
	mirror      string
	security    string // DEBIAN_SECURITY_MIRROR
	npmRegistry string // NPM_REGISTRY
	cacheNS     string // BUILDKIT_CACHE_MOUNT_NS
	epoch       *time.Time
	helperImage string
	copyChain   bool
	specFile    string
}

// optionsFrom reads the options of a build from dockerui's parsed client.
func optionsFrom(bc *dockerui.Client) (options, error) {
	caps := bc.BuildOpts().LLBCaps
	return parseOptions(bc.Target, bc.BuildArgs, bc.BuildOpts().Opts, caps.Supports(pb.CapMergeOp) == nil)
}

// parseOptions validates the target and build args; mergeOp says whether the
// builder supports MergeOp.
func parseOptions(target string, args, frontendOpts map[string]string, mergeOp bool) (options, error) {
	o := options{
		target:      target,
		mirror:      strings.TrimRight(args[ArgMirror], "/"),
		security:    strings.TrimRight(args[ArgSecurityMirror], "/"),
		npmRegistry: strings.TrimRight(args[ArgNpmRegistry], "/"),
		cacheNS:     args[ArgCacheNamespace],
		helperImage: frontendOpts[OptSource],
		specFile:    frontendOpts["filename"],
	}
	if o.specFile == "" {
		o.specFile = dockerui.DefaultDockerfileName
	}
	if v := args[ArgHelperImage]; v != "" {
		o.helperImage = v
	}
	switch o.target {
	case "":
		o.target = TargetImage
	case TargetImage, TargetLock, TargetSite:
	default:
		return o, fmt.Errorf("unknown target %q: layercake builds %s (default), %s and %s", o.target, TargetImage, TargetLock, TargetSite)
	}
	if r := o.npmRegistry; r != "" && (!strings.HasPrefix(r, "https://") && !strings.HasPrefix(r, "http://") || strings.ContainsAny(r, " \t\r\n?#")) {
		return o, fmt.Errorf("build arg %s=%q: want the registry's URL, such as https://registry.npmjs.org", ArgNpmRegistry, r)
	}
	if strings.ContainsFunc(o.cacheNS, unicode.IsControl) || len(o.cacheNS) > 256 {
		return o, fmt.Errorf("build arg %s=%q: want a short name without control characters, such as the repository's", ArgCacheNamespace, clip.String(o.cacheNS, 80))
	}
	if v, ok := args[ArgEpoch]; ok && v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return o, fmt.Errorf("build arg %s=%q: want whole seconds since 1970 (e.g. $(git log -1 --format=%%ct))", ArgEpoch, v)
		}
		if n > spec.MaxEpoch {
			return o, fmt.Errorf("build arg %s=%q: after 2262-04-11, the last time a build can record; want seconds, not milliseconds", ArgEpoch, v)
		}
		t := time.Unix(n, 0).UTC()
		o.epoch = &t
	}
	merge := true
	if v, ok := args[ArgMerge]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("build arg %s=%q: want true or false", ArgMerge, v)
		}
		merge = b
	}
	o.copyChain = !merge || !mergeOp
	return o, nil
}
