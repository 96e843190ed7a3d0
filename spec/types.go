package spec

// DefaultSuite is the Debian release used when debian.suite is absent.
const DefaultSuite = "trixie"

// DefaultPort is the port nginx listens on when server.port is absent.
const DefaultPort = 8080

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
	// Exclude lists extra package names left out of the runtime closure.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
}

// Server configures nginx.
type Server struct {
	// Port is the TCP port nginx listens on.
	Port int `yaml:"port,omitempty" json:"port,omitempty"`
}

// Site says what the image serves.
type Site struct {
	// Dir is the folder in the build context served as the web root,
	// relative to the context; "." is the whole context.
	Dir string `yaml:"dir" json:"dir"`
}

// File returns the file name given to Parse.
func (s *Spec) File() string { return s.file }

// Clone returns a deep copy of s, sharing the read-only positions table.
func (s *Spec) Clone() *Spec {
	c := *s
	if s.Epoch != nil {
		e := *s.Epoch
		c.Epoch = &e
	}
	if s.Debian.Exclude != nil {
		c.Debian.Exclude = append([]string(nil), s.Debian.Exclude...)
	}
	return &c
}
