package frontend

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/layercake-build/layercake/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/gateway/client"
	gwpb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
	apicapspb "github.com/moby/buildkit/util/apicaps/pb"
	"github.com/moby/patternmatcher"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// fakeGateway is an in-memory BuildKit gateway client. It serves the local
// sources ("dockerfile", "context") and HTTP downloads from maps, writes the
// files of Mkfile-only graphs, answers other solves with canned trees chosen
// by the solved vertex's progress name, and records warnings and solves.
// Methods the frontend must not call (images, containers) are left to the
// nil embedded client and panic.
type fakeGateway struct {
	client.Client

	opts   map[string]string
	caps   []apicaps.CapID // LLB capabilities the builder lacks
	locals map[string]tree
	http   map[string][]byte // URL -> body; others answer 404
	// named answers a solve whose head vertex is named with a prefix of a
	// key (without "[layercake] "): a tree, or an error.
	named map[string]func() (tree, error)
	// broken makes reading these paths of any solved tree fail.
	broken map[string]error
	// failDownloads fails a solve whose graph downloads one of these URLs,
	// as BuildKit does: the error names the download's vertex.
	failDownloads map[string]error
	// failDownloadsIn limits failDownloads to solves whose head's name
	// starts with it ("" for every solve).
	failDownloadsIn string

	mu       sync.Mutex
	warnings []warning
	solved   []string // names (or source identifiers) of solved heads, in order
	resolved []string // image references ResolveImageConfig was asked for
	// localImages answers ResolveImageConfig with no digest, as Docker
	// Engine's classic store does for an image it holds.
	localImages bool
	defs        []*pb.Definition
}

var (
	_ client.Client    = (*fakeGateway)(nil)
	_ client.Reference = (*fakeRef)(nil)
)

// warning is one recorded Warn call.
type warning struct {
	msg   string
	lines []int32
	file  string // the source's file name, when the call gives one
	url   string // the "more info" link
}

// entry is one file, folder or link of a tree.
type entry struct {
	data []byte
	mode fs.FileMode
	link string
}

// tree maps slash paths (no leading slash) to entries; parent folders are
// implied.
type tree map[string]entry

func file(data string) entry               { return entry{data: []byte(data), mode: 0o644} }
func symlink(target string) entry          { return entry{mode: fs.ModeSymlink | 0o777, link: target} }
func special(m fs.FileMode) entry          { return entry{mode: m | 0o644} }
func dirEntry() entry                      { return entry{mode: fs.ModeDir | 0o755} }
func (t tree) with(p string, e entry) tree { c := maps.Clone(t); c[p] = e; return c }

// newFake is a gateway for a build of spec (the Dockerfile) with the given
// context files; opts are frontend options such as "build-arg:X".
func newFake(spec string, context tree, opts map[string]string) *fakeGateway {
	o := map[string]string{"source": "registry.test/layercake:1"}
	maps.Copy(o, opts)
	return &fakeGateway{
		opts:   o,
		locals: map[string]tree{"dockerfile": {"Dockerfile": file(spec)}, "context": context},
		http:   map[string][]byte{},
		named:  map[string]func() (tree, error){},
	}
}

func (g *fakeGateway) BuildOpts() client.BuildOpts {
	llbCaps := slices.DeleteFunc(pb.Caps.All(), func(c *apicapspb.APICap) bool {
		return slices.Contains(g.caps, apicaps.CapID(c.ID))
	})
	return client.BuildOpts{
		Opts:      maps.Clone(g.opts),
		SessionID: "session",
		Workers:   []client.WorkerInfo{{Platforms: []ocispecs.Platform{{OS: "linux", Architecture: "amd64"}}}},
		LLBCaps:   pb.Caps.CapSet(llbCaps),
		Caps:      gwpb.Caps.CapSet(gwpb.Caps.All()),
	}
}

func (g *fakeGateway) Warn(_ context.Context, _ digest.Digest, msg string, opts client.WarnOpts) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	w := warning{msg: msg, url: opts.URL}
	if opts.SourceInfo != nil {
		w.file = opts.SourceInfo.Filename
	}
	for _, r := range opts.Range {
		w.lines = append(w.lines, r.Start.Line)
	}
	g.warnings = append(g.warnings, w)
	return nil
}

func (g *fakeGateway) Inputs(context.Context) (map[string]llb.State, error) {
	return map[string]llb.State{}, nil
}

func (g *fakeGateway) Solve(_ context.Context, req client.SolveRequest) (*client.Result, error) {
	if req.Definition == nil {
		return client.NewResult(), nil
	}
	head, ops, names, err := decode(req.Definition)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	g.defs = append(g.defs, req.Definition)
	g.mu.Unlock()
	for d, op := range ops {
		if !strings.HasPrefix(solvedName(ops[head], names[head]), g.failDownloadsIn) {
			break
		}
		if s := op.GetSource(); s != nil && g.failDownloads[s.Identifier] != nil {
			return nil, errdefs.WrapVertex(g.failDownloads[s.Identifier], d)
		}
	}
	t, err := g.answer(ops[head], ops, names[head])
	g.mu.Lock()
	g.solved = append(g.solved, solvedName(ops[head], names[head]))
	g.mu.Unlock()
	if err != nil {
		return nil, err
	}
	res := client.NewResult()
	res.SetRef(&fakeRef{t: t, broken: g.broken})
	return res, nil
}

func solvedName(op *pb.Op, name string) string {
	if s := op.GetSource(); s != nil && name == "" {
		return s.Identifier
	}
	return strings.TrimPrefix(name, "[layercake] ")
}

// answer is what solving op gives.
func (g *fakeGateway) answer(op *pb.Op, ops map[digest.Digest]*pb.Op, name string) (tree, error) {
	name = strings.TrimPrefix(name, "[layercake] ")
	for _, prefix := range slices.Sorted(maps.Keys(g.named)) {
		if strings.HasPrefix(name, prefix) {
			return g.named[prefix]()
		}
	}
	if strings.HasPrefix(name, "nginx -t") { // the helper's result of a passing check
		return tree{strings.TrimPrefix(llbgen.CheckResult, "/"): file("exit 0\n")}, nil
	}
	if s := op.GetSource(); s != nil {
		return g.source(s)
	}
	if f := op.GetFile(); f != nil {
		return mkfiles(f)
	}
	return tree{}, nil
}

// source serves a local source filtered as BuildKit would, or a download.
func (g *fakeGateway) source(s *pb.SourceOp) (tree, error) {
	switch id := s.Identifier; {
	case strings.HasPrefix(id, "local://"):
		return g.local(strings.TrimPrefix(id, "local://"), s.Attrs)
	case strings.HasPrefix(id, "http://"), strings.HasPrefix(id, "https://"):
		body, ok := g.http[id]
		if !ok {
			return nil, fmt.Errorf("invalid response status 404")
		}
		name := s.Attrs[pb.AttrHTTPFilename]
		if name == "" {
			name = path.Base(id)
		}
		return tree{name: {data: body, mode: 0o600}}, nil
	}
	return nil, fmt.Errorf("fake gateway: no source %s", s.Identifier)
}

func (g *fakeGateway) local(name string, attrs map[string]string) (tree, error) {
	all, ok := g.locals[name]
	if !ok {
		return nil, fmt.Errorf("fake gateway: no local %q", name)
	}
	var follow, include, exclude []string
	for key, dst := range map[string]*[]string{pb.AttrFollowPaths: &follow, pb.AttrIncludePatterns: &include, pb.AttrExcludePatterns: &exclude} {
		if v := attrs[key]; v != "" {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				return nil, err
			}
		}
	}
	if follow != nil {
		follow = followLinks(all, follow)
	}
	out := tree{}
	for p, e := range all {
		if follow != nil && !slices.ContainsFunc(follow, func(f string) bool { return followed(f, p) }) {
			continue
		}
		if include != nil && !matches(include, p) {
			continue
		}
		if exclude != nil && matches(exclude, p) {
			continue
		}
		out[p] = e
	}
	return out, nil
}

// followed reports whether BuildKit sends entry p for the follow path f:
// f itself, what a folder f holds, and the folders (or links) leading to f.
func followed(f, p string) bool {
	return p == f || strings.HasPrefix(p, f+"/") || strings.HasPrefix(f, p+"/")
}

// followLinks adds to paths the targets of links on the way to them, inside
// the tree, as BuildKit's FollowPaths does (a target outside is left out).
func followLinks(all tree, paths []string) []string {
	out := slices.Clone(paths)
	for i := 0; i < len(out) && i < 100; i++ {
		parts := strings.Split(out[i], "/")
		for j := range parts {
			at := strings.Join(parts[:j+1], "/")
			e, ok := all[at]
			if !ok || e.mode&fs.ModeSymlink == 0 {
				continue
			}
			if t, inside := linkTarget(path.Dir(at), e.link); inside {
				out = append(out, path.Join(t, strings.Join(parts[j+1:], "/")))
			}
			break
		}
	}
	return out
}

// linkTarget is where a link in folder dir leads, relative to the root,
// and whether that is inside the root.
func linkTarget(dir, link string) (string, bool) {
	if path.IsAbs(link) {
		return strings.TrimPrefix(path.Clean(link), "/"), false
	}
	t := path.Join(dir, link)
	return t, t != ".." && !strings.HasPrefix(t, "../")
}

func matches(patterns []string, p string) bool {
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return false
	}
	ok, _ := pm.MatchesOrParentMatches(p)
	return ok
}

// mkfiles runs the Mkfile and Mkdir actions of a file op on scratch.
func mkfiles(f *pb.FileOp) (tree, error) {
	out := tree{}
	for _, a := range f.Actions {
		switch {
		case a.GetMkfile() != nil:
			m := a.GetMkfile()
			out[strings.TrimPrefix(m.Path, "/")] = entry{data: m.Data, mode: fs.FileMode(m.Mode)}
		case a.GetMkdir() != nil:
			out[strings.TrimPrefix(a.GetMkdir().Path, "/")] = dirEntry()
		}
	}
	return out, nil
}

// decode returns the head op's digest, every op and every op's name.
func decode(def *pb.Definition) (digest.Digest, map[digest.Digest]*pb.Op, map[digest.Digest]string, error) {
	ops := map[digest.Digest]*pb.Op{}
	names := map[digest.Digest]string{}
	var last *pb.Op
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			return "", nil, nil, err
		}
		d := digest.FromBytes(dt)
		ops[d] = &op
		if m := def.Metadata[string(d)]; m != nil {
			names[d] = m.Description["llb.customname"]
		}
		last = &op
	}
	if last == nil || len(last.Inputs) == 0 {
		return "", nil, nil, fmt.Errorf("fake gateway: empty definition")
	}
	return digest.Digest(last.Inputs[0].Digest), ops, names, nil
}

// fakeRef serves a tree.
type fakeRef struct {
	client.Reference
	t      tree
	broken map[string]error
}

// lookup finds p, following links inside the tree the way BuildKit's
// ReadFile and StatFile do (scoped to the root: an absolute target or one
// climbing out is read inside the tree, where it is usually missing).
func (r *fakeRef) lookup(p string) (entry, error) {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	for hops := 0; hops < 40; hops++ {
		q, ok := r.resolveOnce(p)
		if !ok {
			break
		}
		p = q
	}
	return r.lstat(p)
}

// resolveOnce replaces the first link among p's names by its target.
func (r *fakeRef) resolveOnce(p string) (string, bool) {
	parts := strings.Split(p, "/")
	for i := range parts {
		at := strings.Join(parts[:i+1], "/")
		if e, ok := r.t[at]; ok && e.mode&fs.ModeSymlink != 0 {
			t := e.link
			if !path.IsAbs(t) {
				t = path.Join("/", path.Dir(at), t)
			}
			return strings.TrimPrefix(path.Join(path.Clean(t), strings.Join(parts[i+1:], "/")), "/"), true
		}
	}
	return p, false
}

// lstat finds p without following a link at its end.
func (r *fakeRef) lstat(p string) (entry, error) {
	if err, ok := r.broken[p]; ok {
		if _, exists := r.t[p]; exists {
			return entry{}, err
		}
	}
	if p == "" {
		return dirEntry(), nil
	}
	if e, ok := r.t[p]; ok {
		return e, nil
	}
	for q := range r.t {
		if strings.HasPrefix(q, p+"/") {
			return dirEntry(), nil
		}
	}
	return entry{}, &fs.PathError{Op: "lstat", Path: p, Err: fs.ErrNotExist}
}

func (r *fakeRef) ReadFile(_ context.Context, req client.ReadRequest) ([]byte, error) {
	e, err := r.lookup(req.Filename)
	if err != nil {
		return nil, err
	}
	if !e.mode.IsRegular() {
		return nil, fmt.Errorf("read %s: not a file", req.Filename)
	}
	data := e.data
	if rg := req.Range; rg != nil {
		start := min(rg.Offset, len(data))
		data = data[start:min(start+rg.Length, len(data))]
	}
	return data, nil
}

func (r *fakeRef) StatFile(_ context.Context, req client.StatRequest) (*fstypes.Stat, error) {
	e, err := r.lookup(req.Path)
	if err != nil {
		return nil, err
	}
	return &fstypes.Stat{Path: path.Base(req.Path), Mode: uint32(e.mode), Size: int64(len(e.data)), Linkname: e.link}, nil
}

func (r *fakeRef) ReadDir(_ context.Context, req client.ReadDirRequest) ([]*fstypes.Stat, error) {
	dir := strings.TrimPrefix(path.Clean("/"+req.Path), "/")
	if e, err := r.lookup(dir); err != nil || !e.mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: req.Path, Err: fs.ErrNotExist}
	}
	children := map[string]entry{}
	for p, e := range r.t {
		rel := p
		if dir != "" {
			if !strings.HasPrefix(p, dir+"/") {
				continue
			}
			rel = strings.TrimPrefix(p, dir+"/")
		}
		if first, _, nested := strings.Cut(rel, "/"); nested {
			children[first] = dirEntry()
		} else {
			children[rel] = e
		}
	}
	var out []*fstypes.Stat
	for _, n := range slices.Sorted(maps.Keys(children)) {
		e := children[n]
		out = append(out, &fstypes.Stat{Path: n, Mode: uint32(e.mode), Size: int64(len(e.data)), Linkname: e.link})
	}
	return out, nil
}

// serveSite makes the site folder of the build context (public/, as in
// staticSpec) hold t instead of what it held.
func (g *fakeGateway) serveSite(t tree) {
	ctx := g.locals["context"]
	for p := range ctx {
		if strings.HasPrefix(p, "public/") {
			delete(ctx, p)
		}
	}
	for p, e := range t {
		ctx["public/"+p] = e
	}
}

// run builds with g and returns the result.
func run(t *testing.T, g *fakeGateway) (*client.Result, error) {
	t.Helper()
	return Build(context.Background(), g)
}

// warned returns the recorded warnings that contain s.
func (g *fakeGateway) warned(s string) []warning {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []warning
	for _, w := range g.warnings {
		if strings.Contains(w.msg, s) {
			out = append(out, w)
		}
	}
	return out
}

// solvedNamed reports whether a solve's head was named with prefix.
func (g *fakeGateway) solvedNamed(prefix string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.ContainsFunc(g.solved, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

func clientRead(name string) client.ReadRequest { return client.ReadRequest{Filename: name} }

// solvedOp reports whether any solved graph held a vertex named with prefix
// (without "[layercake] ").
func (g *fakeGateway) solvedOp(prefix string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, def := range g.defs {
		for _, m := range def.Metadata {
			if strings.HasPrefix(strings.TrimPrefix(m.Description["llb.customname"], "[layercake] "), prefix) {
				return true
			}
		}
	}
	return false
}

// locatedAt returns the spec lines of the first solved vertex named with
// prefix (without "[layercake] ").
func (g *fakeGateway) locatedAt(prefix string) []int32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, def := range g.defs {
		for d, m := range def.Metadata {
			if !strings.HasPrefix(strings.TrimPrefix(m.Description["llb.customname"], "[layercake] "), prefix) {
				continue
			}
			var lines []int32
			if def.Source != nil && def.Source.Locations[d] != nil {
				for _, l := range def.Source.Locations[d].Locations {
					for _, r := range l.Ranges {
						lines = append(lines, r.Start.Line)
					}
				}
			}
			return lines
		}
	}
	return nil
}

// ResolveImageConfig answers every reference with one digest per name, as
// a registry would, and counts the calls.
func (g *fakeGateway) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.resolved = append(g.resolved, ref)
	if g.localImages {
		return ref, "", []byte("{}"), nil
	}
	return ref, digest.FromString("image " + ref), []byte("{}"), nil
}

// execs returns the arguments of every exec op of the solved graphs.
func (g *fakeGateway) execs() [][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out [][]string
	for _, def := range g.defs {
		for _, dt := range def.Def {
			var op pb.Op
			if op.UnmarshalVT(dt) == nil && op.GetExec() != nil {
				out = append(out, op.GetExec().Meta.Args)
			}
		}
	}
	return out
}
