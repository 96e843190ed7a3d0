package initspec

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// npmPins are the package manager releases init writes into
// site.build.npm, each with the registry's dist.integrity (checked by
// `npm view <name>@<version> dist.integrity`), by name and major version.
// npm 11 runs on trixie's Node.js 20.19 and on forky's 22; npm 12 needs
// Node.js 22.22 or newer.
var npmPins = map[string]map[string]string{
	"npm": {
		"11": "11.21.3+sha512-5Cf+jE+XctbhH/zjOOqXC+ity7eec/Tkk4Ql38tf6w+1htp2wYPHmE4c1R1Es3DY227Ac14+SLrlYJwkBicbTg==",
	},
	"pnpm": {
		"9":  "9.15.9+sha512-aARhQYk8ZvrQHAeSMRKOmvuJ74fiaR1p5NQO7iKJiClf1GghgbrlW1hBjDolO95lpQXsfF+UA+zlzDzTfc8lMQ==",
		"10": "10.34.9+sha512-9JtajqD97bRLs8DB1ldQkqU8KVDZW3rRXfEfF5dId6LeOgHAfpNOmyjOcW5RwJqUlixzBtCb4uHksYqMh2L9Mg==",
	},
	"yarn": {
		"1": "1.22.22+sha512-prL3kGtyG7o9Z9Sv8IPfBNrWTDmXB4Qbes8A9rEzt6wkJV8mUvoirjU0Mp3GGAU06Y0XQyA3/2/RQFVuK7MTfg==",
	},
}

// npmPin is the site.build.npm entry for tool at major version major, ""
// when init knows no pinned release of it.
func npmPin(tool, major string) string {
	if v := npmPins[tool][major]; v != "" {
		return tool + "@" + v
	}
	return ""
}

// packageManagerPin turns package.json's packageManager with corepack's
// hash ("pnpm@9.15.0+sha512.<hex>") into a site.build.npm entry; "" when
// it names another tool or carries no sha512.
func packageManagerPin(field, tool string) string {
	v, ok := strings.CutPrefix(field, tool+"@")
	if !ok {
		return ""
	}
	version, sum, ok := strings.Cut(v, "+sha512.")
	if !ok || !exactVersion.MatchString(version) {
		return ""
	}
	raw, err := hex.DecodeString(sum)
	if err != nil || len(raw) != 64 {
		return ""
	}
	return tool + "@" + version + "+sha512-" + base64.StdEncoding.EncodeToString(raw)
}
