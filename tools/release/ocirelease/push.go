package main

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// push writes the layout's one image index to repo under every tag, byte
// for byte (the digest trim printed), and returns that digest.
func push(dir, repo string, tags []string) (string, error) {
	lp, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return "", err
	}
	im, err := lp.IndexManifest()
	if err != nil {
		return "", err
	}
	if len(im.Manifests) != 1 {
		return "", fmt.Errorf("%s/index.json lists %d manifests, want one image index", dir, len(im.Manifests))
	}
	idx, err := lp.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		return "", err
	}
	auth := remote.WithAuthFromKeychain(authn.DefaultKeychain)
	for _, tag := range tags {
		ref, err := name.NewTag(repo + ":" + tag)
		if err != nil {
			return "", err
		}
		if err := remote.WriteIndex(ref, idx, auth); err != nil {
			return "", fmt.Errorf("pushing %s: %w", ref, err)
		}
	}
	d, err := idx.Digest()
	return d.String(), err
}

// inspect prints REF's digest and the OCI labels of its linux/amd64 image,
// as key=value lines: digest, version, revision, source.
func inspect(s string) error {
	ref, err := name.ParseReference(s)
	if err != nil {
		return err
	}
	auth := remote.WithAuthFromKeychain(authn.DefaultKeychain)
	desc, err := remote.Get(ref, auth)
	if err != nil {
		return err
	}
	img, err := desc.Image() // the platform image for linux/amd64 by default
	if err != nil {
		return err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	l := cf.Config.Labels
	lines := [][2]string{{"digest", desc.Digest.String()},
		{"version", l["org.opencontainers.image.version"]},
		{"revision", l["org.opencontainers.image.revision"]},
		{"source", l["org.opencontainers.image.source"]}}
	for _, kv := range lines {
		if strings.ContainsAny(kv[1], "\r\n") {
			return fmt.Errorf("%s: label %s holds a line break", s, kv[0])
		}
		fmt.Printf("%s=%s\n", kv[0], kv[1])
	}
	return nil
}
