package spec

import "testing"

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		fullSpec,
		posSpec,
		"",
		"version: 1\nsite: {dir: .}\n",
		"a: &x [*x]\n",
		"version: 1\n---\n",
		"{version: 0x10, server: {port: -1}, site: {dir: '..'}}",
		"debian: {exclude: [a, a, '']}\n<<: {}\n",
		"version: 1\nserver: {headers: {X-A: b, 'X B': $}, include: {server: [../a]}, compress: [], health: /h, ipv6: true}\nsite: {dir: .}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse("Dockerfile", data)
		if err != nil {
			for _, e := range Errors(err) {
				_ = e.Error()
			}
			return
		}
		_ = s.Validate()
		d := s.WithDefaults()
		_ = d.Validate()
		_ = d.Pos("debian.exclude[0]")
	})
}
