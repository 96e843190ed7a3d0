package spec

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestProbeHostile(t *testing.T) {
	deep := strings.Repeat("a:\n", 1)
	_ = deep
	nest := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(strings.Repeat(" ", i) + "a:\n")
		}
		return b.String()
	}
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = n
	}
	cases := map[string]string{
		"aliasdup":  "&k version: 1\n*k : 2\nsite: {dir: public}\n",
		"nulesc":    "version: 1\nsite: {dir: \"a\\0b\"}\n",
		"nulesc2":    "version: 1\nsite: {build: {packages: [hugo], run: x, workdir: \"\\x00\", output: \"a\\0\"}}\n",
		"drift1":    "version: 1\nsite:\n  dir: public\ndebian:\n  exclude: [a, b\n",
		"drift2":    "version: 1\nsite:\n  dir: public\nserver:\n  port: 1\n bad: x\n",
		"drift3":    "version: 1\nsite:\n  dir: public\nserver: {port: 1\n",
		"drift4":    "version: 1\nsite:\n  dir: public\nserver:\n  port: 'x\n",
		"drift5":    "version: 1\nsite:\n  dir: public\n- x\n",
		"drift6":    "version: 1\nsite:\n  dir: public\nkey: value: other\n",
		"drift7":    "version: 1\nsite:\n  dir: public\n*nope\n",
		"drift8":    "version: 1\nsite:\n  dir: public\nx: *nope\n",
		"tab3":    "version: 1\nsite:\n  dir: public\nserver:\n\tport: 1\n",
		"crlferr":    "version: 1\r\nserver:\r\n  port: 0\r\nsite:\r\n  dir: public\r\n",
		"bomerr":    "\ufeffversion: 2\nsite: {dir: public}\n",
		"bommid":    "version: 1\n\ufeffsite: {dir: public}\n",
		"bigkey":    strings.Repeat("k", 1<<20) + ": 1\nversion: 1\nsite: {dir: public}\n",
		"utf16":    "\xff\xfev\x00e\x00r\x00",
		"nonutf8l3": "version: 1\nsite:\n  dir: \"caf\xe9\"\n",
		"ctrl3": "version: 1\nsite:\n  dir: \"a\x01\"\n",
		"ctrlc1": "version: 1\nsite:\n  dir: \"a\u0085\"\n",
		"ws": "   \n\n  \n",
		"secondempty": "version: 1\nsite: {dir: public}\n---\n",
		"docend": "version: 1\nsite: {dir: public}\n...\n",
		"directive": "%YAML 1.1\n---\nversion: 1\nsite: {dir: public}\n",
		"directivebad": "%YAML 2.0\n---\nversion: 1\nsite: {dir: public}\n",
		"anchorundef": "version: *x\nsite: {dir: public}\n",
		"pkgbad": "version: 1\ndebian: {exclude: [\"../x\", \"A\", \"a\", \"\", \"-x\", \"x y\"]}\nsite: {dir: public}\n",
		"pkgbuild": "version: 1\nsite: {build: {packages: [\"Hugo\", hugo, hugo], run: x, output: /out}}\n",
		"cache": "version: 1\nsite: {build: {packages: [hugo], run: x, output: /out, cache: [rel, /, \"\"]}}\n",
		"outslash": "version: 1\nsite: {build: {packages: [hugo], run: x, output: /}}\n",
		"outproc": "version: 1\nsite: {build: {packages: [hugo], run: x, output: /proc/x}}\n",
		"outsrc": "version: 1\nsite: {build: {packages: [hugo], run: x, output: /src/../src}}\n",
		"outbs": "version: 1\nsite: {build: {packages: [hugo], run: x, output: 'a\\b'}}\n",
		"outempty": "version: 1\nsite: {build: {packages: [hugo], run: x, output: ''}}\n",
		"outtilde": "version: 1\nsite: {build: {packages: [hugo], run: x, output: ~}}\n",
		"wdabs": "version: 1\nsite: {build: {packages: [hugo], run: x, workdir: /src, output: out}}\n",
		"wdempty": "version: 1\nsite: {build: {packages: [hugo], run: x, workdir: '', output: out}}\n",
		"envreserved": "version: 1\nsite: {build: {packages: [hugo], run: x, output: /out, env: {SOURCE_DATE_EPOCH: '1', 1A: x, A-B: y, A: 1}}}\n",

	}
	_ = nest
	for _, name := range sortedKeys(cases) {
		start := time.Now()
		_, err := Load("Dockerfile", []byte(cases[name]))
		msg := fmt.Sprint(err)
		if len(msg) > 400 {
			msg = msg[:400] + "..."
		}
		t.Logf("%-12s %8v %s", name, time.Since(start).Round(time.Millisecond), msg)
	}
}

func TestProbeDeep(t *testing.T) {
	for _, n := range []int{100000, 1000000} {
		for _, open := range []string{"[", "{a: "} {
			closer := map[string]string{"[": "]", "{a: ": "}"}[open]
			src := "a: " + strings.Repeat(open, n) + "1" + strings.Repeat(closer, n)
			start := time.Now()
			_, err := Load("Dockerfile", []byte(src))
			msg := fmt.Sprint(err)
			if len(msg) > 200 { msg = msg[:200] }
			t.Logf("%d %q %v %s", n, open, time.Since(start), msg)
		}
	}
}
