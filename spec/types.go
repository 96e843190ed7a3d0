package spec

import (
	"math"
	"strings"
	"time"
)

// DefaultSuite is the Debian release used when debian.suite is absent.
const DefaultSuite = "trixie"

// DefaultPort is the port nginx listens on when server.port is absent.
const DefaultPort = 8080

// MinPort is the lowest server.port: nginx runs as uid 65534, and Linux
// lets an unprivileged process bind ports from 1024 up (the
// net.ipv4.ip_unprivileged_port_start of a new network namespace, such as
// the build's nginx -t or a host network's).
const MinPort = 1024

// SupportedVersion is the only spec version this package reads.
const SupportedVersion = 1

// Pos is a 1-based line and column in the spec file.
type Pos struct{ Line, Col int }

// Spec is a decoded layercake spec.
type Spec struct {
	// Version is the spec format version; it must be 1.
	Version int `yaml:"version" json:"version"`
	// Epoch is the SOURCE_DATE_EPOCH for the build, in seconds since 1970 UTC.
	Epoch *int64 `yaml:"epoch,omitempty" json:"epoch,omitempty"`
	// Debian selects the Debian release and archive packages come from.
	Debian Debian `yaml:"debian" json:"debian"`
	// Server configures the nginx server in the image.
	Server Server `yaml:"server" json:"server"`
	// Site says what the image serves.
	Site Site `yaml:"site" json:"site"`

	file string     // file name given to Parse
	pos  *positions // where each path sits in the file; read-only once parsed
}

// Debian selects where runtime packages come from.
type Debian struct {
	// Suite is the Debian release codename, such as "trixie".
	Suite string `yaml:"suite,omitempty" json:"suite,omitempty"`
	// Mirror is the URL of a Debian archive; the DEBIAN_MIRROR build arg can
	// supply or override it.
	Mirror string `yaml:"mirror,omitempty" json:"mirror,omitempty"`
	// SecurityMirror is the URL of the Debian security archive, which serves
	// <suite>-security; the DEBIAN_SECURITY_MIRROR build arg can supply or
	// override it. The default is the mirror's sibling folder
	// debian-security (https://deb.example.org/debian-security for
	// https://deb.example.org/debian), the layout of Debian's own mirrors.
	SecurityMirror string `yaml:"security_mirror,omitempty" json:"security_mirror,omitempty"`
	// Suites are the archives packages come from, as apt's sources list
	// them: the suite itself, <suite>-updates and <suite>-security by
	// default. The highest version of each package across them is taken.
	// [trixie] alone opts out of the updates and security archives.
	Suites []string `yaml:"suites,omitempty" json:"suites,omitempty"`
	// Exclude lists extra package names left out of the runtime closure.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// Keys lists OpenPGP public key files in the build context (armored or
	// binary) that may sign the archive's InRelease, besides Debian's own
	// archive keys, which layercake ships.
	Keys []string `yaml:"keys,omitempty" json:"keys,omitempty"`
}

// Server configures nginx.
type Server struct {
	// Port is the TCP port nginx listens on, from 1024 up (nginx runs as a
	// non-root user); publish it on port 80 with docker run -p 80:8080.
	Port int `yaml:"port,omitempty" json:"port,omitempty"`
	// Headers are added to every response, such as
	// {X-Content-Type-Options: nosniff}; the site's _headers file can add more.
	Headers map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	// Include lists nginx snippets, files of the build context, added to the
	// generated config and checked by nginx -t.
	Include Include `yaml:"include,omitempty" json:"include,omitempty"`
	// Compress lists the encodings made at build time for compressible
	// files: gzip and br (brotli), both by default; [] turns it off.
	Compress []string `yaml:"compress,omitempty" json:"compress,omitempty"`
	// Health is a path answering 204 No Content with no access-log line,
	// such as /healthz; off when absent.
	Health string `yaml:"health,omitempty" json:"health,omitempty"`
	// IPv6 also listens on [::] (off by default: some hosts disable IPv6,
	// and nginx then fails to start).
	IPv6 bool `yaml:"ipv6,omitempty" json:"ipv6,omitempty"`
}

// Include lists nginx snippets by where they go in the generated config.
type Include struct {
	// Server snippets go inside the server block.
	Server []string `yaml:"server,omitempty" json:"server,omitempty"`
	// Location snippets go inside the site's "location /" block.
	Location []string `yaml:"location,omitempty" json:"location,omitempty"`
}

// Encodings made at build time.
const (
	EncodingGzip   = "gzip"
	EncodingBrotli = "br"
)

// DefaultCompress is server.compress when it is absent.
var DefaultCompress = []string{EncodingGzip, EncodingBrotli}

// Compresses reports whether the build makes files in the given encoding.
func (s Server) Compresses(enc string) bool {
	for _, e := range s.Compress {
		if e == enc {
			return true
		}
	}
	return false
}

// Site says what the image serves: a prebuilt folder (Dir) or the output of
// a generator run inside the build (Build); exactly one of them.
type Site struct {
	// Dir is the folder in the build context served as the web root,
	// relative to the context; "." is the whole context.
	Dir string `yaml:"dir,omitempty" json:"dir,omitempty"`
	// Build generates the site inside the build with a toolchain from Debian.
	Build *Build `yaml:"build,omitempty" json:"build,omitempty"`
}

// Build runs a site generator in a controlled environment: the context at
// /src, LANG=C.UTF-8, TZ=UTC, SOURCE_DATE_EPOCH, HOME=/root, no network.
type Build struct {
	// Packages are the Debian packages of the toolchain, from debian.suite;
	// they are locked beside the runtime packages but never ship.
	Packages []string `yaml:"packages" json:"packages"`
	// Suite takes the toolchain (packages and their closure) from another
	// Debian suite than debian.suite, for generators newer than stable's:
	// a codename such as "forky" (testing) alone, or "<suite>-backports"
	// together with debian.suites (the highest version wins, as with apt
	// install -t trixie-backports). The runtime stays on debian.suite.
	Suite string `yaml:"suite,omitempty" json:"suite,omitempty"`
	// Npm lists packages of the npm registry installed into the toolchain,
	// each pinned as name@version+sha512-<base64> (the registry's
	// dist.integrity, checked before unpacking): a package manager such as
	// npm or pnpm without Debian's npm and its hundreds of packages. Each
	// unpacks under /usr/local/lib/node_modules, its commands in
	// /usr/local/bin. The registry is https://registry.npmjs.org unless
	// the NPM_REGISTRY build arg names another.
	Npm []string `yaml:"npm,omitempty" json:"npm,omitempty"`
	// Run is the generator command: a string runs under /bin/sh -c, a list
	// runs as argv. Give either run or steps.
	Run Command `yaml:"run,omitempty" json:"run,omitempty"`
	// Steps are commands run in order in one working tree (/src), each
	// cached by its own inputs, like a Dockerfile's layers: a step re-runs
	// only when its inputs or an earlier step changed. Files a step writes
	// under /src stay for later steps. Give either run or steps.
	Steps []Step `yaml:"steps,omitempty" json:"steps,omitempty"`
	// Workdir is the folder of the context the command runs in ("." by default).
	Workdir string `yaml:"workdir,omitempty" json:"workdir,omitempty"`
	// Output is the folder that becomes the web root: an absolute path in the
	// build container, or a path relative to Workdir in the sources.
	Output string `yaml:"output" json:"output"`
	// Env adds environment variables for the command.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	// Network gives the command network access (off by default).
	Network bool `yaml:"network,omitempty" json:"network,omitempty"`
	// Cache lists absolute folders kept between builds as BuildKit cache
	// mounts, for the generator's own cache.
	Cache []string `yaml:"cache,omitempty" json:"cache,omitempty"`
	// Gitignore filters the sources by the repository's .gitignore files
	// (on by default), so local build output never reaches the generator.
	Gitignore *bool `yaml:"gitignore,omitempty" json:"gitignore,omitempty"`
}

// Step is one command of site.build.steps.
type Step struct {
	// Inputs are the files and folders of the (filtered) context this step
	// sees, as paths or patterns relative to the context, e.g.
	// [package.json, package-lock.json]; without inputs the step sees the
	// whole context. The step is cached as long as these files and the
	// earlier steps are unchanged.
	Inputs []string `yaml:"inputs,omitempty" json:"inputs,omitempty"`
	// Run is the step's command: a string runs under /bin/sh -c, a list
	// runs as argv.
	Run Command `yaml:"run" json:"run"`
	// Workdir is the folder of the context the step runs in (the build's
	// workdir by default).
	Workdir string `yaml:"workdir,omitempty" json:"workdir,omitempty"`
	// Env adds environment variables to the build's, overriding them.
	Env map[string]string `yaml:"env,omitempty" json:"env,omitempty"`
	// Network gives the step network access (the build's setting by default).
	Network *bool `yaml:"network,omitempty" json:"network,omitempty"`
	// Cache lists absolute folders kept between builds for this step (the
	// build's cache folders by default).
	Cache []string `yaml:"cache,omitempty" json:"cache,omitempty"`
}

// Command is a shell command line or an argv list; exactly one is set.
type Command struct {
	// Shell runs under /bin/sh -c.
	Shell string `yaml:"-" json:"-"`
	// Args runs as argv, with no shell.
	Args []string `yaml:"-" json:"-"`
}

// Argv returns the command's argv: Args, or /bin/sh -c Shell.
func (c Command) Argv() []string {
	if c.Args != nil {
		return append([]string(nil), c.Args...)
	}
	return []string{"/bin/sh", "-c", c.Shell}
}

// String shows the command as the user wrote it: the shell line, or the
// argv joined with spaces.
func (c Command) String() string {
	if c.Args != nil {
		return strings.Join(c.Args, " ")
	}
	return c.Shell
}

// Empty reports whether no command is set.
func (c Command) Empty() bool { return c.Shell == "" && len(c.Args) == 0 }

// RunSteps returns the build's commands as steps: its steps, or its run as
// one step that sees the whole context, each with the build's workdir,
// environment, network and cache folders filled in where the step leaves
// them out. Call it on a spec with defaults applied.
func (b *Build) RunSteps() []Step {
	steps := b.Steps
	if len(steps) == 0 {
		steps = []Step{{Run: b.Run}}
	}
	out := make([]Step, len(steps))
	for i, st := range steps {
		st = st.clone()
		if st.Workdir == "" {
			st.Workdir = b.Workdir
		}
		env := cloneMap(b.Env)
		for k, v := range st.Env {
			if env == nil {
				env = map[string]string{}
			}
			env[k] = v
		}
		st.Env = env
		if st.Network == nil {
			n := b.Network
			st.Network = &n
		}
		if st.Cache == nil {
			st.Cache = cloneStrings(b.Cache)
		}
		out[i] = st
	}
	return out
}

// GitignoreOn reports whether .gitignore files filter the sources.
func (b *Build) GitignoreOn() bool { return b.Gitignore == nil || *b.Gitignore }

// File returns the file name given to Parse.
func (s *Spec) File() string { return s.file }

// Clone returns a deep copy of s, sharing the read-only positions table.
func (s *Spec) Clone() *Spec {
	c := *s
	if s.Epoch != nil {
		e := *s.Epoch
		c.Epoch = &e
	}
	c.Debian.Exclude = cloneStrings(s.Debian.Exclude)
	c.Debian.Suites = cloneStrings(s.Debian.Suites)
	c.Debian.Keys = cloneStrings(s.Debian.Keys)
	c.Site.Build = s.Site.Build.clone()
	c.Server = s.Server.clone()
	return &c
}

func (v Server) clone() Server {
	c := v
	c.Headers = cloneMap(v.Headers)
	c.Include.Server = cloneStrings(v.Include.Server)
	c.Include.Location = cloneStrings(v.Include.Location)
	c.Compress = cloneStrings(v.Compress)
	return c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func (b *Build) clone() *Build {
	if b == nil {
		return nil
	}
	c := *b
	c.Packages = cloneStrings(b.Packages)
	c.Run.Args = cloneStrings(b.Run.Args)
	c.Cache = cloneStrings(b.Cache)
	c.Env = cloneMap(b.Env)
	if b.Steps != nil {
		c.Steps = make([]Step, len(b.Steps))
		for i, st := range b.Steps {
			c.Steps[i] = st.clone()
		}
	}
	if b.Gitignore != nil {
		g := *b.Gitignore
		c.Gitignore = &g
	}
	return &c
}

func (st Step) clone() Step {
	c := st
	c.Inputs = cloneStrings(st.Inputs)
	c.Run.Args = cloneStrings(st.Run.Args)
	c.Cache = cloneStrings(st.Cache)
	c.Env = cloneMap(st.Env)
	if st.Network != nil {
		n := *st.Network
		c.Network = &n
	}
	return c
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append(make([]string, 0, len(s)), s...) // an empty list stays written
}

// MaxEpoch is the latest epoch layercake accepts, 2262-04-11T23:47:16Z: the
// last second a nanosecond time (BuildKit's file times) can hold.
const MaxEpoch = math.MaxInt64 / int64(time.Second)
