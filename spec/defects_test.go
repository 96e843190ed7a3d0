package spec

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// An epoch past 2262 cannot be a nanosecond time (BuildKit's file times),
// so it would wrap into the 1600s; it is rejected at its line.
func TestEpochBeyondNanosecondRange(t *testing.T) {
	for _, tc := range []struct {
		epoch int64
		ok    bool
	}{
		{MaxEpoch, true},
		{MaxEpoch + 1, false},
		{1 << 62, false},
	} {
		src := "version: 1\nepoch: " + strconv.FormatInt(tc.epoch, 10) + "\nsite: {dir: public}\n"
		_, err := Load("Dockerfile", []byte(src))
		if tc.ok != (err == nil) {
			t.Errorf("Load(epoch %d) error = %v, want ok=%v", tc.epoch, err, tc.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "Dockerfile:2:8: epoch: ") {
			t.Errorf("Load(epoch %d) error = %v, want it at 2:8", tc.epoch, err)
		}
	}
	if got := time.Unix(MaxEpoch, 0).UTC(); got.UnixNano()/1e9 != MaxEpoch || got.Year() != 2262 {
		t.Errorf("MaxEpoch = %v, want the last second of nanosecond time, in 2262", got)
	}
}

// Clone keeps an empty argv empty, not nil: nil would turn it into a shell command.
func TestCloneKeepsEmptyArgv(t *testing.T) {
	s := &Spec{Site: Site{Build: &Build{Run: Command{Args: []string{}}}}}
	c := s.Clone()
	if c.Site.Build.Run.Args == nil {
		t.Fatal("Clone() turned an empty argv into nil")
	}
}

// A hostile environment variable name does not make a hostile message.
func TestLongEnvKeyIsClipped(t *testing.T) {
	key := strings.Repeat("é-", 100_000)
	// yaml.v3 reads a plain key of up to 1024 bytes; "? " takes any length.
	for _, body := range []string{
		"    env:\n      ? " + key + "\n      : a\n",
		"    env:\n      ? A\n      : a\n      ? " + key + "\n      : b\n      ? " + key + "\n      : c\n",
	} {
		src := buildHeader + "    packages: [hugo]\n    run: hugo\n    output: /out\n" + body
		_, err := Load("Dockerfile", []byte(src))
		if err == nil {
			t.Fatal("Load() = nil, want an error about the name")
		}
		if n := len(err.Error()); n > 1000 {
			t.Errorf("Load() error is %d bytes long, want it clipped", n)
		}
	}
}

// An error about a key that holds a mapping points at the key, not at the
// first line of its value.
func TestKeyErrorPointsAtKey(t *testing.T) {
	src := "version: 1\nsite:\n  dir: public\n  build:\n    packages: [hugo]\n    run: hugo\n    output: /out\n"
	_, err := Load("Dockerfile", []byte(src))
	if err == nil || !strings.HasPrefix(err.Error(), "Dockerfile:4:3: site.build: ") {
		t.Errorf("Load() error = %v, want it at 4:3 (the build: key)", err)
	}
}
