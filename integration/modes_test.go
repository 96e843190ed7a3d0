package integration

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"testing"
)

// entry is what a layer's tar header says of one path.
type entry struct {
	mode     int64 // permission, setuid, setgid and sticky bits
	uid, gid int
	typ      byte
	link     string
}

func (en entry) String() string {
	s := fmt.Sprintf("%04o %d:%d", en.mode, en.uid, en.gid)
	if en.typ == tar.TypeSymlink {
		s += " -> " + en.link
	}
	return s
}

// readLayers reads layer tars (gzip or not), bottom first, and returns the
// final entry of every path, as a runtime would see it.
func readLayers(layers [][]byte) (map[string]entry, error) {
	out := map[string]entry{}
	for i, blob := range layers {
		var r io.Reader = bytes.NewReader(blob)
		if len(blob) > 2 && blob[0] == 0x1f && blob[1] == 0x8b {
			gz, err := gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("layer %d: %w", i, err)
			}
			r = gz
		}
		tr := tar.NewReader(bufio.NewReader(r))
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("layer %d: %w", i, err)
			}
			name := strings.TrimSuffix(path.Clean("/"+hdr.Name), "/")
			out[name] = entry{mode: hdr.Mode & 0o7777, uid: hdr.Uid, gid: hdr.Gid, typ: hdr.Typeflag, link: hdr.Linkname}
		}
	}
	return out, nil
}

// generatedPaths are the paths layercake itself makes, with the owner, group
// and mode each must have in the image whatever the builder's umask.
var generatedPaths = map[string]entry{
	"/tmp":                      {mode: 0o1777, typ: tar.TypeDir},
	"/tmp/client_body":          {mode: 0o700, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/tmp/proxy":                {mode: 0o700, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/tmp/fastcgi":              {mode: 0o700, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/tmp/uwsgi":                {mode: 0o700, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/tmp/scgi":                 {mode: 0o700, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/var":                      {mode: 0o755, typ: tar.TypeDir},
	"/var/log":                  {mode: 0o755, typ: tar.TypeDir},
	"/var/cache":                {mode: 0o755, typ: tar.TypeDir},
	"/var/log/nginx":            {mode: 0o755, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/var/cache/nginx":          {mode: 0o755, uid: 65534, gid: 65534, typ: tar.TypeDir},
	"/var/empty":                {mode: 0o755, typ: tar.TypeDir},
	"/etc/passwd":               {mode: 0o644, typ: tar.TypeReg},
	"/etc/group":                {mode: 0o644, typ: tar.TypeReg},
	"/etc/nsswitch.conf":        {mode: 0o644, typ: tar.TypeReg},
	"/etc/layercake":            {mode: 0o755, typ: tar.TypeDir},
	"/etc/layercake/nginx.conf": {mode: 0o644, typ: tar.TypeReg},
	"/srv/www":                  {mode: 0o755, typ: tar.TypeDir},
	"/srv/www/index.html":       {mode: 0o644, typ: tar.TypeReg},
	"/srv/www/css":              {mode: 0o755, typ: tar.TypeDir},
	"/bin":                      {mode: 0o777, typ: tar.TypeSymlink, link: "usr/bin"},
	"/lib":                      {mode: 0o777, typ: tar.TypeSymlink, link: "usr/lib"},
	"/sbin":                     {mode: 0o777, typ: tar.TypeSymlink, link: "usr/sbin"},
	"/usr/lib/os-release":       {mode: 0o644, typ: tar.TypeReg},
	"/etc/os-release":           {mode: 0o777, typ: tar.TypeSymlink, link: "../usr/lib/os-release"},
}

// checkGeneratedModes compares every generated path of an image's layers
// with generatedPaths.
func checkGeneratedModes(t *testing.T, builder string, layers [][]byte) {
	t.Helper()
	got, err := readLayers(layers)
	if err != nil {
		t.Fatalf("%s: reading layers: %v", builder, err)
	}
	for p, want := range generatedPaths {
		g, ok := got[p]
		if !ok {
			t.Errorf("%s: %s is missing from the image", builder, p)
			continue
		}
		if g.typ != want.typ || g.uid != want.uid || g.gid != want.gid || g.link != want.link ||
			(g.typ != tar.TypeSymlink && g.mode != want.mode) {
			t.Errorf("%s: %s = %v (type %c), want %v (type %c)", builder, p, g, g.typ, want, want.typ)
		}
	}
}

// registryLayers fetches an image's layer blobs from the test registry.
func (e *environment) registryLayers(t *testing.T, im *image) [][]byte {
	t.Helper()
	var out [][]byte
	for _, l := range im.manifest.Layers {
		blob, err := e.registry.blob(im.repo, l.Digest.String())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, blob)
	}
	return out
}

// savedImage is one image of a `docker save` archive.
type savedImage struct {
	config []byte
	layers [][]byte
}

// readSaved reads the only image of a `docker save` archive (manifest.json
// names the config and the layers, bottom first).
func readSaved(archive string) (*savedImage, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	files := map[string][]byte{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[path.Clean(hdr.Name)] = data
	}
	var manifest []struct {
		Config string
		Layers []string
	}
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	if len(manifest) != 1 {
		return nil, fmt.Errorf("archive holds %d images, want 1", len(manifest))
	}
	s := &savedImage{config: files[path.Clean(manifest[0].Config)]}
	for _, l := range manifest[0].Layers {
		blob, ok := files[path.Clean(l)]
		if !ok {
			return nil, fmt.Errorf("layer %s is missing from the archive", l)
		}
		s.layers = append(s.layers, blob)
	}
	return s, nil
}
