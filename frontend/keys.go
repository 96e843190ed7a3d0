package frontend

import (
	"context"
	"fmt"
	"path"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/layercake-build/layercake/debian"
	"github.com/layercake-build/layercake/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
)

// keyring is Debian's archive keys plus the spec's debian.keys, read from
// the build context: the keys an archive's InRelease must be signed with.
func (b *builder) keyring(ctx context.Context) (openpgp.EntityList, error) {
	keys, err := debian.DebianKeyring()
	if err != nil {
		return nil, err
	}
	if len(b.spec.Debian.Keys) == 0 {
		return keys, nil
	}
	ref, err := b.localFiles(ctx, dockerui.DefaultLocalNameContext, "layercake-keys", "debian.keys",
		llb.FollowPaths(b.spec.Debian.Keys), b.at("debian.keys"))
	if err != nil {
		return nil, err
	}
	for i, p := range b.spec.Debian.Keys {
		own, err := b.readKey(ctx, ref, p)
		if err != nil {
			field := fmt.Sprintf("debian.keys[%d]", i)
			return nil, b.src.withPositions(&spec.Error{File: b.spec.File(), Pos: b.spec.Pos(field), Path: field, Msg: err.Error(), Err: err})
		}
		keys = append(keys, own...)
	}
	return keys, nil
}

func (b *builder) readKey(ctx context.Context, ref files, p string) (openpgp.EntityList, error) {
	data, err := readAll(ctx, ref, path.Clean(p))
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read from the build context: %w", p, err)
	}
	keys, err := debian.ReadKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; give an OpenPGP public key, armored or binary", p, err)
	}
	return keys, nil
}
