package llbgen

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/layercake-build/layercake/debian/deb"
	"github.com/layercake-build/layercake/nginxconf"
	"github.com/layercake-build/layercake/spec"
	"github.com/layercake-build/layercake/testkit/llbtest"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var testEpoch = time.Unix(1763716544, 0).UTC()

func testSpec(t *testing.T, port int, dir string) *spec.Spec {
	t.Helper()
	s, err := spec.Load("Dockerfile", []byte(fmt.Sprintf("version: 1\nserver:\n  port: %d\nsite:\n  dir: %s\n", port, dir)))
	if err != nil {
		t.Fatalf("spec.Load() error = %v", err)
	}
	return s
}

func testPackages() []deb.Locked {
	return []deb.Locked{
		{Name: "libc6", Version: "2.41-12", Architecture: "amd64", Path: "pool/main/g/glibc/libc6_2.41-12_amd64.deb", Size: 10, SHA256: strings.Repeat("a", 64)},
		{Name: "nginx", Version: "1.26.3-3", Architecture: "amd64", Path: "pool/main/n/nginx/nginx_1.26.3-3_amd64.deb", Size: 20, SHA256: strings.Repeat("b", 64)},
	}
}

func testInput(t *testing.T) Input {
	amd64 := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	return Input{
		Spec:          testSpec(t, 8080, "public"),
		Packages:      testPackages(),
		Mirror:        "http://example.org/debian",
		Platform:      amd64,
		BuildPlatform: amd64,
		Epoch:         testEpoch,
		HelperImage:   "127.0.0.1:5000/layercake:test",
		Context:       llb.Local("context", llb.LocalUniqueID("test")),
	}
}

func mustBuild(t *testing.T, in Input) *Output {
	t.Helper()
	out, err := Build(in)
	if err != nil {
		t.Fatalf("Build() error = %v", err)
	}
	return out
}

// Marshalling the same input must give the same bytes every time, or cache
// keys and digests would wander.
func TestBuildDeterministic(t *testing.T) {
	first := llbtest.Marshal(t, mustBuild(t, testInput(t)).Image).Bytes
	for i := range 20 {
		got := llbtest.Marshal(t, mustBuild(t, testInput(t)).Image).Bytes
		if !slices.EqualFunc(got, first, bytes.Equal) {
			t.Fatalf("marshal %d differs from the first", i)
		}
	}
}

func TestBuildMergesOneInputPerLayer(t *testing.T) {
	out := mustBuild(t, testInput(t))
	g := llbtest.Marshal(t, out.Image)
	merge := g.HeadOp().GetMerge()
	if merge == nil {
		t.Fatalf("head op = %T, want a MergeOp", g.HeadOp().GetOp())
	}
	// two packages, skeleton, NSS, nginx.conf, site
	if got, want := len(merge.Inputs), 6; got != want {
		t.Errorf("merge inputs = %d, want %d", got, want)
	}
	if got, want := len(out.Layers), len(merge.Inputs); got != want {
		t.Errorf("Layers = %d, merge inputs %d", got, want)
	}
}

func TestPackageLayerFetchesPinnedDebAndUnpacksOffline(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, testInput(t)).Image)
	exec := g.One(t, "[layercake] unpack nginx 1.26.3-3 (debian trixie amd64)").GetExec()
	if exec == nil {
		t.Fatal("unpack step is not an exec")
	}
	wantArgs := []string{"/bin/layercake", "unpack", "--epoch", fmt.Sprint(testEpoch.Unix()), "--out", "/out", "/in/nginx_1.26.3-3_amd64.deb"}
	if !slices.Equal(exec.Meta.Args, wantArgs) {
		t.Errorf("unpack args = %q, want %q", exec.Meta.Args, wantArgs)
	}
	if exec.Network != pb.NetMode_NONE {
		t.Errorf("unpack network = %v, want none", exec.Network)
	}
	src := g.One(t, "[layercake] fetch nginx 1.26.3-3").GetSource()
	if src.Identifier != "http://example.org/debian/pool/main/n/nginx/nginx_1.26.3-3_amd64.deb" {
		t.Errorf("fetch URL = %s", src.Identifier)
	}
	if got, want := src.Attrs[pb.AttrHTTPChecksum], "sha256:"+strings.Repeat("b", 64); got != want {
		t.Errorf("fetch checksum = %q, want %q", got, want)
	}
	unpack := g.One(t, "[layercake] unpack nginx")
	if id := g.Input(unpack, 0).GetSource().GetIdentifier(); id != "docker-image://127.0.0.1:5000/layercake:test" {
		t.Errorf("unpack runs in %s, want the helper image", id)
	}
}

// Every generated layer is pinned by a copy into scratch that carries the epoch.
func TestGeneratedLayersCarryTheEpoch(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, testInput(t)).Image)
	for _, name := range []string{"filesystem skeleton", "assemble filesystem skeleton", "fake NSS files", "nginx.conf"} { // the site: TestSiteIsPrepared
		file := g.One(t, "[layercake] "+name).GetFile()
		if file == nil || len(file.Actions) == 0 {
			t.Fatalf("%s: want copy actions", name)
		}
		for i, a := range file.Actions {
			cp := a.GetCopy()
			if cp == nil {
				t.Fatalf("%s action %d: want a copy, got %v", name, i, a)
			}
			if cp.Timestamp != testEpoch.UnixNano() {
				t.Errorf("%s action %d: copy timestamp = %d, want %d", name, i, cp.Timestamp, testEpoch.UnixNano())
			}
		}
	}
	for _, name := range []string{"stage filesystem skeleton", "stage /tmp", "stage fake NSS files", "stage nginx.conf"} {
		for i, a := range g.One(t, "[layercake] "+name).GetFile().Actions {
			if ts := actionTime(a); ts != testEpoch.UnixNano() {
				t.Errorf("%s action %d: timestamp = %d, want the epoch", name, i, ts)
			}
		}
	}
}

func actionTime(a *pb.FileAction) int64 {
	switch {
	case a.GetMkdir() != nil:
		return a.GetMkdir().Timestamp
	case a.GetMkfile() != nil:
		return a.GetMkfile().Timestamp
	case a.GetSymlink() != nil:
		return a.GetSymlink().Timestamp
	}
	return -1
}

// layerDigests marshals each layer on its own: its cache identity.
func layerDigests(t *testing.T, out *Output) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range out.Layers {
		m[l.Name] = llbtest.Marshal(t, l.State).Head.String()
	}
	return m
}

// A site edit or a port change must leave every other layer's cache key alone.
func TestCacheStability(t *testing.T) {
	base := layerDigests(t, mustBuild(t, testInput(t)))
	otherSite := testInput(t)
	otherSite.Spec = testSpec(t, 8080, "www")
	otherPort := testInput(t)
	otherPort.Spec = testSpec(t, 9090, "public")
	for _, tc := range []struct {
		name   string
		in     Input
		change string
	}{
		{"site dir", otherSite, "site ("},
		{"port", otherPort, "nginx.conf ("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := layerDigests(t, mustBuild(t, tc.in))
			for name, d := range got {
				want := base[name]
				if strings.HasPrefix(name, tc.change) {
					continue
				}
				if d != want {
					t.Errorf("layer %q digest changed: %s -> %s", name, want, d)
				}
			}
		})
	}
}

func TestCopyChainHasNoMerge(t *testing.T) {
	in := testInput(t)
	in.CopyChain = true
	out := mustBuild(t, in)
	g := llbtest.Marshal(t, out.Image)
	for d, op := range g.Ops {
		if op.GetMerge() != nil {
			t.Errorf("copy chain has a MergeOp (%s)", d)
		}
	}
	if got, want := len(g.Named("[layercake] add layer ")), len(out.Layers)-1; got != want {
		t.Errorf("copy steps = %d, want %d", got, want)
	}
}

func TestNginxCheckRunsAsNobodyOffline(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, testInput(t)).Check)
	exec := g.HeadOp().GetExec()
	if exec == nil {
		t.Fatal("check is not an exec")
	}
	// The helper runs as root to write its result and runs nginx as nobody.
	if i := slices.Index(exec.Meta.Args, "--user"); i < 0 || exec.Meta.Args[i+1] != "65534:65534" || exec.Network != pb.NetMode_NONE {
		t.Errorf("check runs nginx with %q and network %v, want --user 65534:65534 and none", exec.Meta.Args, exec.Network)
	}
	if !slices.Contains(exec.Meta.Args, "-t") {
		t.Errorf("check args = %q, want nginx -t", exec.Meta.Args)
	}
}

func TestImageConfig(t *testing.T) {
	out := mustBuild(t, testInput(t))
	c := out.Config
	if c.Config.User != "65534:65534" || c.Config.StopSignal != "SIGQUIT" {
		t.Errorf("User, StopSignal = %q, %q", c.Config.User, c.Config.StopSignal)
	}
	if _, ok := c.Config.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("ExposedPorts = %v, want 8080/tcp", c.Config.ExposedPorts)
	}
	if !slices.Equal(c.Config.Cmd, Cmd()) {
		t.Errorf("Cmd = %q, want %q", c.Config.Cmd, Cmd())
	}
	if c.Created == nil || !c.Created.Equal(testEpoch) {
		t.Errorf("Created = %v, want %v", c.Created, testEpoch)
	}
	var layers int
	for _, h := range c.History {
		if !h.EmptyLayer {
			layers++
		}
	}
	if layers != len(out.Layers) {
		t.Errorf("history entries with a layer = %d, want %d", layers, len(out.Layers))
	}
	if got := c.History[0].CreatedBy; got != "layercake: libc6 2.41-12 (debian trixie amd64)" {
		t.Errorf("first history entry = %q", got)
	}
}

// Build labels (`docker build --label`, compose's build.labels) reach the
// image config; without any the config has no Labels at all.
func TestImageLabels(t *testing.T) {
	if l := mustBuild(t, testInput(t)).Config.Config.Labels; l != nil {
		t.Errorf("Labels without --label = %v, want none", l)
	}
	// An empty map is no labels too: "Labels": {} would change the
	// config's bytes and so the image digest.
	in := testInput(t)
	in.Labels = map[string]string{}
	if l := mustBuild(t, in).Config.Config.Labels; l != nil {
		t.Errorf("Labels with an empty map = %#v, want none", l)
	}
	in = testInput(t)
	in.Labels = map[string]string{"org.example.site": "my-site"}
	if got := mustBuild(t, in).Config.Config.Labels["org.example.site"]; got != "my-site" {
		t.Errorf("Labels[org.example.site] = %q, want my-site", got)
	}
}

func TestBuildRejectsIncompleteInput(t *testing.T) {
	in := testInput(t)
	in.HelperImage, in.Mirror, in.Packages = "", "", nil
	_, err := Build(in)
	for _, want := range []string{"no helper image", "no Debian mirror", "no runtime packages"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build() error = %v, want it to contain %q", err, want)
		}
	}
}

func TestArm64HasNoLib64Link(t *testing.T) {
	in := testInput(t)
	in.Platform = ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	for _, a := range g.One(t, "[layercake] stage filesystem skeleton").GetFile().Actions {
		if s := a.GetSymlink(); s != nil && s.Newpath == "/lib64" {
			t.Errorf("arm64 image links /lib64")
		}
	}
}

// --no-cache-filter site marks only the site's steps to run again.
func TestNoCacheSite(t *testing.T) {
	in := testInput(t)
	in.NoCacheSite = true
	def, err := mustBuild(t, in).Image.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ignored []string
	for _, md := range def.Metadata {
		if md.IgnoreCache {
			ignored = append(ignored, md.Description["llb.customname"])
		}
	}
	slices.Sort(ignored)
	want := []string{"[layercake] prepare the site (public) in 1 layer: content-derived times, gzip and br variants", "[layercake] site (public -> /srv/www)"}
	if !slices.Equal(ignored, want) {
		t.Errorf("ops ignoring the cache = %q, want %q", ignored, want)
	}
}

// Per platform only the package layers (and the skeleton's /lib64 link)
// differ; the NSS, nginx.conf and site layers are the same LLB, so they are
// built once.
func TestPerPlatformLayers(t *testing.T) {
	amd := mustBuild(t, testInput(t))
	in := testInput(t)
	in.Platform = ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	in.Packages = []deb.Locked{
		{Name: "libc6", Version: "2.41-12", Architecture: "arm64", Path: "pool/main/g/glibc/libc6_2.41-12_arm64.deb", Size: 10, SHA256: strings.Repeat("c", 64)},
		{Name: "nginx", Version: "1.26.3-3", Architecture: "arm64", Path: "pool/main/n/nginx/nginx_1.26.3-3_arm64.deb", Size: 20, SHA256: strings.Repeat("d", 64)},
	}
	arm := mustBuild(t, in)
	a, b := layerDigests(t, amd), layerDigests(t, arm)
	for _, name := range []string{"fake NSS (/etc/passwd, /etc/group, /etc/nsswitch.conf)", "nginx.conf (/etc/layercake/nginx.conf)", "site (public -> /srv/www)"} {
		if a[name] == "" || a[name] != b[name] {
			t.Errorf("layer %q differs between amd64 and arm64: %s vs %s", name, a[name], b[name])
		}
	}
	g := llbtest.Marshal(t, arm.Image)
	src := g.One(t, "[layercake] fetch nginx 1.26.3-3 (debian trixie arm64)").GetSource()
	if !strings.HasSuffix(src.Identifier, "_arm64.deb") {
		t.Errorf("arm64 image fetches %s", src.Identifier)
	}
	if arm.Config.Architecture != "arm64" {
		t.Errorf("config architecture = %q, want arm64", arm.Config.Architecture)
	}
}

// Modes that matter are set by a copy's raw chmod, never by Mkdir: BuildKit
// masks a Mkdir's mode with 0777 and the daemon's umask, which differs between
// builders (0 for buildkitd, 022 for Docker Engine).
func TestSkeletonModesAreExplicit(t *testing.T) {
	g := llbtest.Marshal(t, mustBuild(t, testInput(t)).Image)
	modes := map[string]int32{}
	owners := map[string]string{}
	for _, a := range g.One(t, "[layercake] assemble filesystem skeleton").GetFile().Actions {
		cp := a.GetCopy()
		modes[cp.Dest] = cp.Mode
		if u := cp.GetOwner().GetUser().GetByID(); u != 0 {
			owners[cp.Dest] = fmt.Sprintf("%d:%d", u, cp.GetOwner().GetGroup().GetByID())
		}
	}
	if got := modes["/tmp"]; got != 0o1777 {
		t.Errorf("/tmp copy mode = %#o, want 01777 (raw unix bits, sticky)", got)
	}
	if got := modes["/"]; got != 0o755 {
		t.Errorf("skeleton copy mode = %#o, want 0755", got)
	}
	if got := modes["/usr/lib/os-release"]; got != 0o644 {
		t.Errorf("os-release copy mode = %#o, want 0644", got)
	}
	// nginx's temp folders exist in the image, so its start-up mkdir meets
	// EEXIST on a read-only root; they are nginx's, as it would make them.
	for _, d := range []string{"/tmp/client_body", "/tmp/proxy", "/tmp/fastcgi", "/tmp/uwsgi", "/tmp/scgi"} {
		if modes[d] != 0o700 || owners[d] != "65534:65534" {
			t.Errorf("%s copy mode %#o owner %q, want 0700 and 65534:65534", d, modes[d], owners[d])
		}
	}
}

// Every temp path of the generated nginx.conf is a folder of the image's
// skeleton, so nginx need not make one on a read-only root.
func TestTempPathsAreInTheSkeleton(t *testing.T) {
	conf := nginxconf.Render(nginxconf.Config{Port: 8080, Root: WebRoot})
	re := regexp.MustCompile(`(?m)^\s*\w+_temp_path\s+(\S+?);`)
	found := re.FindAllStringSubmatch(conf, -1)
	if len(found) == 0 {
		t.Fatalf("nginx.conf sets no temp path:\n%s", conf)
	}
	for _, m := range found {
		if !slices.Contains(TempDirs, m[1]) {
			t.Errorf("nginx.conf's temp path %s is not among the skeleton's TempDirs %q", m[1], TempDirs)
		}
	}
}

// Without MergeOp (Docker Engine's classic store) no vertex of any graph may
// be a MergeOp, the toolchain root's included.
func TestCopyChainUsesNoMergeOp(t *testing.T) {
	for build, spec := range map[string]string{"run": hugoBuild, "steps": npmSteps} {
		in := generatorInput(t, spec)
		in.CopyChain = true
		out := mustBuild(t, in)
		for name, st := range map[string]llb.State{"image": out.Image, "site": out.Site, "check": out.Check} {
			g := llbtest.Marshal(t, st)
			for _, op := range g.Ops {
				if op.GetMerge() != nil {
					t.Errorf("%s, %s: copy chain graph has a MergeOp", build, name)
				}
			}
		}
	}
}

// A package from the security archive is fetched from that archive's URL
// and named with its suite; one without an archive (a lock of format 1)
// comes from the mirror, as before.
func TestPackageFromSecurityArchive(t *testing.T) {
	in := testInput(t)
	in.Archives = map[string]string{"trixie": "http://example.org/debian", "trixie-security": "http://example.org/debian-security"}
	in.Packages = slices.Clone(in.Packages)
	for i := range in.Packages {
		if in.Packages[i].Name == "nginx" {
			in.Packages[i].Archive = "trixie-security"
			in.Packages[i].Path = "pool/updates/main/n/nginx/nginx_1.26.3-3_amd64.deb"
		}
	}
	g := llbtest.Marshal(t, mustBuild(t, in).Image)
	src := g.One(t, "[layercake] fetch nginx 1.26.3-3 (debian trixie-security amd64)").GetSource()
	if want := "http://example.org/debian-security/pool/updates/main/n/nginx/nginx_1.26.3-3_amd64.deb"; src.Identifier != want {
		t.Errorf("fetch URL = %s, want %s", src.Identifier, want)
	}
}
