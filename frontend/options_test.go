package frontend

import (
	"strings"
	"testing"
	"time"
)

func TestParseOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		target  string
		args    map[string]string
		opts    map[string]string
		mergeOp bool
		check   func(t *testing.T, o options)
		wantErr string
	}{
		{name: "defaults", mergeOp: true, check: func(t *testing.T, o options) {
			if o.target != TargetImage || o.specFile != "Dockerfile" || o.copyChain || o.epoch != nil {
				t.Errorf("options = %+v, want image target, Dockerfile, MergeOp, no epoch", o)
			}
		}},
		{name: "source image and mirror", args: map[string]string{ArgMirror: "http://example.org/debian/"}, opts: map[string]string{OptSource: "r/layercake:1", "filename": "site.yaml"}, mergeOp: true,
			check: func(t *testing.T, o options) {
				if o.mirror != "http://example.org/debian" || o.helperImage != "r/layercake:1" || o.specFile != "site.yaml" {
					t.Errorf("options = %+v", o)
				}
			}},
		{name: "helper image arg wins over source", args: map[string]string{ArgHelperImage: "other"}, opts: map[string]string{OptSource: "r/layercake:1"},
			check: func(t *testing.T, o options) {
				if o.helperImage != "other" {
					t.Errorf("helperImage = %q, want other", o.helperImage)
				}
			}},
		{name: "epoch", args: map[string]string{ArgEpoch: "1700000000"}, check: func(t *testing.T, o options) {
			if o.epoch == nil || !o.epoch.Equal(time.Unix(1700000000, 0)) {
				t.Errorf("epoch = %v", o.epoch)
			}
		}},
		{name: "no MergeOp means copy chain", mergeOp: false, check: func(t *testing.T, o options) {
			if !o.copyChain {
				t.Error("copyChain = false on a builder without MergeOp")
			}
		}},
		{name: "forced copy chain", args: map[string]string{ArgMerge: "false"}, mergeOp: true, check: func(t *testing.T, o options) {
			if !o.copyChain {
				t.Error("copyChain = false with LAYERCAKE_MERGE=false")
			}
		}},
		{name: "image target", target: TargetImage, check: func(t *testing.T, o options) {
			if o.target != TargetImage {
				t.Errorf("target = %q, want %q", o.target, TargetImage)
			}
		}},
		{name: "lock target", target: TargetLock, check: func(t *testing.T, o options) {
			if o.target != TargetLock {
				t.Errorf("target = %q, want %q", o.target, TargetLock)
			}
		}},
		{name: "site target", target: TargetSite, check: func(t *testing.T, o options) {
			if o.target != TargetSite {
				t.Errorf("target = %q, want %q", o.target, TargetSite)
			}
		}},
		{name: "epoch 0 is 1970", args: map[string]string{ArgEpoch: "0"}, check: func(t *testing.T, o options) {
			if o.epoch == nil || o.epoch.Unix() != 0 {
				t.Errorf("epoch = %v, want 1970-01-01", o.epoch)
			}
		}},
		{name: "last epoch", args: map[string]string{ArgEpoch: "9223372036"}, check: func(t *testing.T, o options) {
			if o.epoch == nil || o.epoch.Year() != 2262 || o.epoch.UnixNano() < 0 {
				t.Errorf("epoch = %v, want 2262", o.epoch)
			}
		}},
		{name: "epoch past 2262", args: map[string]string{ArgEpoch: "9223372037"}, wantErr: "SOURCE_DATE_EPOCH=\"9223372037\": after 2262"},
		{name: "cache namespace", args: map[string]string{ArgCacheNamespace: "blog"}, check: func(t *testing.T, o options) {
			if o.cacheNS != "blog" {
				t.Errorf("cacheNS = %q, want blog", o.cacheNS)
			}
		}},
		{name: "cache namespace with a line break", args: map[string]string{ArgCacheNamespace: "blog\nx"}, wantErr: "build arg BUILDKIT_CACHE_MOUNT_NS=\"blog\\nx\": want a short name without control characters"},
		{name: "long cache namespace", args: map[string]string{ArgCacheNamespace: strings.Repeat("n", 257)}, wantErr: "BUILDKIT_CACHE_MOUNT_NS"},
		{name: "unknown target", target: "web", wantErr: `unknown target "web": layercake builds image (default), lock and site`},
		{name: "bad epoch", args: map[string]string{ArgEpoch: "yesterday"}, wantErr: "build arg SOURCE_DATE_EPOCH=\"yesterday\": want whole seconds"},
		{name: "negative epoch", args: map[string]string{ArgEpoch: "-1"}, wantErr: "SOURCE_DATE_EPOCH"},
		{name: "npm registry", args: map[string]string{ArgNpmRegistry: "http://127.0.0.1:4873/"}, check: func(t *testing.T, o options) {
			if o.npmRegistry != "http://127.0.0.1:4873" {
				t.Errorf("npmRegistry = %q, want it without the trailing slash", o.npmRegistry)
			}
		}},
		{name: "npm registry not a URL", args: map[string]string{ArgNpmRegistry: "registry.local"}, wantErr: `NPM_REGISTRY="registry.local": want the registry's URL`},
		{name: "npm registry with CR LF", args: map[string]string{ArgNpmRegistry: "https://r\r\nX: y"}, wantErr: `NPM_REGISTRY="https://r\r\nX: y": want the registry's URL`},
		{name: "bad merge", args: map[string]string{ArgMerge: "maybe"}, wantErr: "LAYERCAKE_MERGE=\"maybe\": want true or false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseOptions(tc.target, tc.args, tc.opts, tc.mergeOp)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseOptions() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseOptions() error = %v", err)
			}
			tc.check(t, o)
		})
	}
}
