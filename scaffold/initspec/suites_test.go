package initspec

import (
	"strings"
	"testing"
)

func TestSatisfies(t *testing.T) {
	for _, tc := range []struct {
		version, want string
		ok            bool
	}{
		{"20.19.2", ">=22.12.0", false},
		{"24.21.0", ">=22.12.0", true},
		{"20.19.2", "^20.19.1 || >=22.12.0", true}, // Astro's engines: trixie's 20.19 is enough
		{"20.19.2", "^20.19.3 || >=22.12.0", false},
		{"24.21.0", "^18.17.1 || ^20.3.0", false},
		{"20.19.2", ">= 18", true},
		{"20.19.2", ">=18 <20", false},
		{"20.19.2", "20.x", true},
		{"20.19.2", "~20.18", false},
		{"0.131.0", ">=0.146.0", false},
		{"0.167.0", ">=0.146.0-DEV", true},
		{"20.19.2", "lts/*", true}, // unreadable: no newer suite guessed
		{"20.19.2", "", true},
	} {
		if got := satisfies(tc.version, tc.want); got != tc.ok {
			t.Errorf("satisfies(%q, %q) = %v, want %v", tc.version, tc.want, got, tc.ok)
		}
	}
}

func TestChooseSuite(t *testing.T) {
	hugo146 := need{tool: toolHugo, want: ">=0.146.0", from: "themes/PaperMod/theme.toml"}
	node22 := need{tool: toolNode, want: ">=22.12.0", from: "package.json's engines.node"}
	for _, tc := range []struct {
		name    string
		needs   []need
		suite   string
		why     string
		warning string
	}{
		{"nothing asked", nil, "", "", ""},
		{"trixie is enough", []need{{tool: toolHugo, want: ">=0.120.0", from: "hugo.toml"}}, "", "", ""},
		{"Hugo 0.146", []need{hugo146}, "forky", "themes/PaperMod/theme.toml asks for Hugo >=0.146.0, but trixie has Hugo 0.131.0", ""},
		{"Node 22", []need{node22}, "forky", "forky has Node.js 24.21.0", ""},
		{"beyond forky", []need{{tool: toolNode, want: ">=99", from: ".nvmrc"}}, "forky", ".nvmrc asks for Node.js >=99", "even Debian forky's toolchain does not meet Node.js 24.21.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			suite, why, warning := chooseSuite(tc.needs)
			if suite != tc.suite || !strings.Contains(strings.Join(why, " "), tc.why) || !strings.Contains(warning, tc.warning) || (tc.warning == "") != (warning == "") {
				t.Errorf("chooseSuite() = %q, %q, %q; want %q, a why saying %q, warning %q", suite, why, warning, tc.suite, tc.why, tc.warning)
			}
		})
	}
}

func TestConfigHugoMin(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"[module]\n  [module.hugoVersion]\n    extended = true\n    min = \"0.146.0\"\n[params]\nmin = \"9\"\n", "0.146.0"},
		{"[module.hugoVersion]\nmin = 'v0.141.0'\n", "0.141.0"},
		{"[params]\nmin = \"0.146.0\"\n", ""},
		{"module:\n  hugoVersion:\n    extended: true\n    min: 0.146.0\n", "0.146.0"},
		{"baseURL: x\n", ""},
	} {
		if got := configHugoMin(tc.text); got != tc.want {
			t.Errorf("configHugoMin(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
