package integration

import (
	"debug/elf"
	"path/filepath"
	"strings"
	"testing"
)

// TestMultiPlatform builds linux/amd64 and linux/arm64 in one go with no
// emulation: each manifest has its architecture, arm64's nginx is an aarch64
// ELF, and the generated layers are the very same blobs on both.
func TestMultiPlatform(t *testing.T) {
	e := need(t)
	t.Parallel()
	dir := e.siteDir(t, 8080)
	platforms := []string{"--platform", "linux/amd64,linux/arm64"}
	e.mustBuild(t, build{dir: dir, args: append(platforms, "--target", "lock", "-o", dir)})
	e.push(t, build{dir: dir, args: platforms}, "multi", "test")
	images := map[string]*image{}
	for _, arch := range []string{"amd64", "arm64"} {
		im, err := e.registry.platformImage("multi", "test", arch)
		if err != nil {
			t.Fatal(err)
		}
		if im.config.Architecture != arch {
			t.Errorf("config architecture = %q, want %q", im.config.Architecture, arch)
		}
		images[arch] = im
	}
	root := t.TempDir()
	if err := e.unpackImage(images["arm64"], root); err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(filepath.Join(root, "usr/sbin/nginx"))
	if err != nil {
		t.Fatalf("arm64 image: %v", err)
	}
	defer f.Close()
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("arm64 nginx is %v, want EM_AARCH64", f.Machine)
	}
	a, b := images["amd64"], images["arm64"]
	for i := range 4 { // skeleton differs (lib64 link); NSS, nginx.conf and site must not
		ia, ib := len(a.manifest.Layers)-1-i, len(b.manifest.Layers)-1-i
		name := a.config.History[ia].CreatedBy
		same := a.manifest.Layers[ia].Digest == b.manifest.Layers[ib].Digest
		if strings.Contains(name, "skeleton") {
			continue
		}
		if !same {
			t.Errorf("layer %q differs between amd64 and arm64", name)
		}
	}
}
