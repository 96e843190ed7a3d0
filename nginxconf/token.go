package nginxconf

import "strings"

// Quote makes s one nginx string token: double quotes around it, with "\"
// and the double quote escaped, and LF, CR and tab written as nginx's
// "\n", "\r" and "\t" escapes (which it turns back into those bytes), so a
// token never spans lines and indenting the config cannot change it. It is
// the only way a string that is not a constant of this package enters the
// config; nginx still expands "$name" inside it, so callers refuse "$"
// where a variable is not meant.
func Quote(s string) string {
	return `"` + quoteReplacer.Replace(s) + `"`
}

var quoteReplacer = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
