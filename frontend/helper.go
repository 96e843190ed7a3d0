package frontend

import (
	"context"
	"fmt"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb/sourceresolver"
)

// helperImage is the layercake image the build steps run, pinned by digest:
// resolved once per build, so a tag that moves while the build runs cannot
// mix two frontends' helpers in one image. A reference that already names a
// digest is used as it is.
func (b *builder) helperImage(ctx context.Context) (string, error) {
	b.helperMu.Lock()
	defer b.helperMu.Unlock()
	if b.helperPinned != "" {
		return b.helperPinned, nil
	}
	ref := b.opts.helperImage
	if ref == "" {
		return "", fmt.Errorf("no helper image: run layercake through `# syntax=<layercake image>`, or pass --build-arg %s=<layercake image>", ArgHelperImage)
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", fmt.Errorf("helper image %q: %w", ref, err)
	}
	if _, ok := named.(reference.Digested); ok {
		b.helperPinned = ref
		return ref, nil
	}
	platform := b.buildPlatform()
	_, dgst, _, err := b.c.ResolveImageConfig(ctx, ref, sourceresolver.Opt{
		LogName:  "[layercake] resolve helper image " + ref,
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &platform},
	})
	if err != nil {
		return "", fmt.Errorf("resolving the helper image %s: %w", ref, err)
	}
	if dgst == "" {
		// Docker Engine's classic image store answers for an image it
		// holds locally without a registry digest; the build then runs
		// that local image, which a tag moved in a registry cannot change.
		b.helperPinned = ref
		return ref, nil
	}
	pinned, err := reference.WithDigest(reference.TrimNamed(named), dgst)
	if err != nil {
		return "", fmt.Errorf("pinning the helper image %s to %s: %w", ref, dgst, err)
	}
	b.helperPinned = pinned.String()
	return b.helperPinned, nil
}
