package hostrules

// Rules are a site's _headers and _redirects, parsed.
type Rules struct {
	Headers   []HeaderRule
	Redirects []Redirect
}
