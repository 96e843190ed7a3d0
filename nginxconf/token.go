package nginxconf

import "strings"

// Quote makes s one nginx string token: double quotes around it, with "\"
// and the double quote escaped. It is the only way a string that is not a
// constant of this package enters the config; nginx still expands "$name"
// inside it, so callers refuse "$" where a variable is not meant.
func Quote(s string) string {
	return `"` + quoteReplacer.Replace(s) + `"`
}

var quoteReplacer = strings.NewReplacer(`\`, `\\`, `"`, `\"`)
