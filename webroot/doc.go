// Package webroot is the served-site contract, shared by the three places
// that act on it: what a site may serve, what is served, and which layer
// each served path goes to. It does no I/O.
//
// What must not be served (sitecheck.go, links.go): symbolic links that lead
// out of the web root (nginx would follow them into the rest of the image,
// also through a chain of links: see Tree) and entries other than regular
// files, folders and links. The frontend applies Inspect and
// Tree.LinkProblem to every entry of the staged site, read through the
// gateway, before it builds the image, and `layercake generate` (package
// step) to the generator's output. Only the latter sees sockets: BuildKit's
// file transfer and copy clear a socket's type bit (tonistiigi/fsutil), so
// through the gateway one reads as an empty file.
//
// What is served (served.go): Tree.Served lists it, following links, and
// Hidden says whether a link leads to a left-out path; which names are left
// out is LeftOut (leftout.go), and ServedNever (ownfiles.go) names the
// build's own files: the rule files, the lock and the spec.
//
// Which layer (siteplan.go): PlanSite splits the served entries into text
// and media layers of stable buckets; the frontend passes the plan to
// llbgen, which builds one layer per SiteGroup, and the split helper step
// places each path with RouteSite, the same rule.
package webroot
