package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// registry is a docker-registry process on a free loopback port.
type registry struct {
	host string // 127.0.0.1:PORT
	cmd  *exec.Cmd
}

func startRegistry(dir string) (*registry, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	host := fmt.Sprintf("127.0.0.1:%d", port)
	cfg := fmt.Sprintf("version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\nlog:\n  level: warn\n", filepath.Join(dir, "data"), host)
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("docker-registry", "serve", cfgPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &registry{host: host, cmd: cmd}
	err = waitFor("registry on "+host, 20*time.Second, func() error {
		resp, err := http.Get("http://" + host + "/v2/")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	if err != nil {
		r.stop()
		return nil, err
	}
	return r, nil
}

func (r *registry) stop() {
	if r.cmd.Process != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
	}
}

const (
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
)

// get fetches a registry path with the OCI media types accepted.
func (r *registry) get(path string) ([]byte, string, error) {
	req, err := http.NewRequest(http.MethodGet, "http://"+r.host+"/v2/"+path, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", strings.Join([]string{mediaIndex, mediaManifest,
		"application/vnd.docker.distribution.manifest.v2+json",
		"application/vnd.docker.distribution.manifest.list.v2+json"}, ", "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s: %s: %s", path, resp.Status, data)
	}
	return data, resp.Header.Get("Docker-Content-Digest"), nil
}

// image is one platform's manifest as pushed.
type image struct {
	repo     string
	digest   string // the platform manifest digest: the thing compared
	manifest ocispecs.Manifest
	config   ocispecs.Image
}

// layerDigests lists the layer blobs bottom first.
func (im *image) layerDigests() []string {
	out := make([]string, len(im.manifest.Layers))
	for i, l := range im.manifest.Layers {
		out[i] = l.Digest.String()
	}
	return out
}

// platformImage resolves repo:tag to its linux/arch manifest, skipping
// attestation manifests in an index.
func (r *registry) platformImage(repo, tag, arch string) (*image, error) {
	data, dgst, err := r.get(repo + "/manifests/" + tag)
	if err != nil {
		return nil, err
	}
	var probe struct {
		MediaType string `json:"mediaType"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, err
	}
	if probe.MediaType == mediaIndex {
		var idx ocispecs.Index
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, err
		}
		dgst = ""
		for _, m := range idx.Manifests {
			if m.Platform != nil && m.Platform.OS == "linux" && m.Platform.Architecture == arch {
				dgst = m.Digest.String()
			}
		}
		if dgst == "" {
			return nil, fmt.Errorf("%s:%s has no linux/%s manifest", repo, tag, arch)
		}
		if data, _, err = r.get(repo + "/manifests/" + dgst); err != nil {
			return nil, err
		}
	}
	im := &image{repo: repo, digest: dgst}
	if err := json.Unmarshal(data, &im.manifest); err != nil {
		return nil, err
	}
	cfg, err := r.blob(repo, im.manifest.Config.Digest.String())
	if err != nil {
		return nil, err
	}
	return im, json.Unmarshal(cfg, &im.config)
}

func (r *registry) blob(repo, dgst string) ([]byte, error) {
	data, _, err := r.get(repo + "/blobs/" + dgst)
	return data, err
}
