package debian

import "testing"

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.0", 0},
		{"1.0", "1.0-0", 0},        // an empty revision equals "0"
		{"1:1.0", "1.0", 1},        // an epoch beats any upstream
		{"0:1.0", "1.0", 0},        // epoch 0 is the default
		{"1:0.1", "2.0", 1},        // epoch first
		{"1.0~rc1", "1.0", -1},     // '~' sorts before the end
		{"1.0~~", "1.0~", -1},      // two tildes before one
		{"1.0~rc1", "1.0~rc2", -1}, // then the rest
		{"1.0a", "1.0", 1},         // letters after the end
		{"1.0a", "1.0+", -1},       // letters before non-letters
		{"1.0+", "1.0.", -1},       // non-letters by ASCII
		{"1.10", "1.9", 1},         // digit runs numerically
		{"1.010", "1.10", 0},       // leading zeros ignored
		{"1.0-1", "1.0-2", -1},     // revisions compared
		{"1.0-10", "1.0-9", 1},     // revisions numerically too
		{"1.0-1", "1.0", 1},        // a revision after none
		{"2.41-12+deb13u5", "2.34", 1},
		{"1:4.4.38-1", "1:4.1.0", 1},
		{"10.46-1~deb13u3", "10.46-1", -1}, // backport tilde
		{"1.3.dfsg+really1.3.1-1", "1.3.dfsg", 1},
		{"1.0", "", -1},  // invalid sorts after valid
		{"", "x", -1},    // two invalid compare as strings
		{"a1", "1.0", 1}, // upstream must start with a digit
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
	}{
		{"1.0", Version{0, "1.0", ""}},
		{" 1:2.3-4 ", Version{1, "2.3", "4"}},
		{"1.2-3-4", Version{0, "1.2-3", "4"}},
		{"1:2:3", Version{1, "2:3", ""}},
		{"2.0~rc1+dfsg-1~bpo1", Version{0, "2.0~rc1+dfsg", "1~bpo1"}},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseVersion(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	for _, in := range []string{
		"", "  ", "1 0", ":1.0", "a:1.0", "-1:1.0", "99999999999:1", "1:", "1.0-", "-1",
		"a1.0", "1.0_1", "1.0-1:2", "1.0-a_b", "1.0/2",
	} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %+v, want error", in, v)
		}
	}
}

func TestVersionString(t *testing.T) {
	for _, in := range []string{"1.0", "1:1.0-1", "1.0-1~deb13u1"} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != in {
			t.Errorf("ParseVersion(%q).String() = %q, %v", in, v.String(), err)
		}
	}
}
