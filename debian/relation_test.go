package debian

import (
	"reflect"
	"testing"
)

func TestParseDependencies(t *testing.T) {
	tests := []struct {
		in   string
		want []Dependency
	}{
		{"", nil},
		{"libc6", []Dependency{{{Name: "libc6"}}}},
		{"libc6 (>= 2.34), zlib1g (>= 1:1.1.4)", []Dependency{
			{{Name: "libc6", Op: ">=", Version: "2.34"}},
			{{Name: "zlib1g", Op: ">=", Version: "1:1.1.4"}},
		}},
		{"debconf (>= 0.5) | debconf-2.0", []Dependency{
			{{Name: "debconf", Op: ">=", Version: "0.5"}, {Name: "debconf-2.0"}},
		}},
		{"python3:any", []Dependency{{{Name: "python3", Arch: "any"}}}},
		{"foo:any (>= 1)", []Dependency{{{Name: "foo", Arch: "any", Op: ">=", Version: "1"}}}},
		{"bar [amd64 !i386]", []Dependency{{{Name: "bar"}}}},
		{"baz (<< 2) [amd64] <!nocheck> <stage1>", []Dependency{{{Name: "baz", Op: "<<", Version: "2"}}}},
		{"  a(=1)  ,\n b |c ", []Dependency{{{Name: "a", Op: "=", Version: "1"}}, {{Name: "b"}, {Name: "c"}}}},
		{"old (< 1), older (> 2)", []Dependency{
			{{Name: "old", Op: "<=", Version: "1"}},
			{{Name: "older", Op: ">=", Version: "2"}},
		}},
		{"libstdc++6 (>= 5.2)", []Dependency{{{Name: "libstdc++6", Op: ">=", Version: "5.2"}}}},
	}
	for _, tt := range tests {
		got, err := ParseDependencies(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseDependencies(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDependenciesErrors(t *testing.T) {
	for _, in := range []string{
		"a,", ",a", "a,,b", "a |", "| a", "a (>= 1", "a (>= )", "a (~ 1)", "a (>=< 1)",
		"a (>= 1 2)", "a b", "a:", "a [", "a []", "a <>", "-a", "A!", "a (>= x1)", "a) ", "a:any:any",
	} {
		if got, err := ParseDependencies(in); err == nil {
			t.Errorf("ParseDependencies(%q) = %v, want error", in, got)
		}
	}
}

func TestDependencyString(t *testing.T) {
	in := "debconf (>= 0.5) | debconf-2.0, foo:any (= 1:2-3)"
	deps, err := ParseDependencies(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := deps[0].String() + ", " + deps[1].String(); got != in {
		t.Errorf("String() = %q, want %q", got, in)
	}
}
