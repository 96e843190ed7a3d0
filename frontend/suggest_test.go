package frontend

import "testing"

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"hugo"}, "; did you mean hugo?"},
		{[]string{"mkdocs", "mkdocs-material", "mkdocs-doc"}, "; did you mean mkdocs, mkdocs-material or mkdocs-doc?"},
	} {
		if got := didYouMean(tc.names); got != tc.want {
			t.Errorf("didYouMean(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
