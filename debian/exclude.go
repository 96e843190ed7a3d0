package debian

// DefaultExclude lists packages a static nginx image never needs. Most are
// pulled in only for maintainer scripts, which layercake never runs. Sorted.
var DefaultExclude = []string{
	"adduser",             // creates users in postinst; the image ships a fixed /etc/passwd
	"awk",                 // virtual; only maintainer scripts use awk
	"base-files",          // /etc/os-release and friends; not needed to serve files
	"base-passwd",         // the image writes its own /etc/passwd and /etc/group
	"debconf",             // configuration prompts for maintainer scripts
	"debconf-2.0",         // virtual provided by debconf and cdebconf
	"debianutils",         // run-parts, which and friends for scripts
	"dpkg",                // no package database in the image
	"init-system-helpers", // deb-systemd-helper and invoke-rc.d for postinst
	"iproute2",            // nginx's init script only; the container has no init
	"libc-bin",            // ldconfig and locale tools; the image has no ld.so.cache step
	"lsb-base",            // init script helpers
	"mawk",                // the awk provider; only maintainer scripts use it
	"perl-base",           // maintainer scripts and debconf
	"sensible-utils",      // sensible-editor and friends for interactive use
	"sysvinit-utils",      // init script helpers
	"ucf",                 // config file merging in postinst
}
