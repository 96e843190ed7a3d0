// Command resign serves a Debian archive on 127.0.0.1 with every InRelease
// signed again by a key made when it starts, and an expired Valid-Until
// moved a week on (testkit/resign): for writing a lock on a
// machine whose mirror stopped updating a suite, as the integration tests
// do. It prints two lines, the archive URL to pass as DEBIAN_MIRROR and
// the path of the armored public key to name in debian.keys, then serves
// until it is killed. With -expired SUITE it serves nothing and prints
// "expired" or "current" for that suite's InRelease at the archive.
//
//	resign [-key FILE] ARCHIVE_URL
//	resign -expired SUITE ARCHIVE_URL
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/layercake-build/layercake/testkit/resign"
)

func main() {
	keyPath := flag.String("key", "", "write the armored public key to this `file` (default: a new file in the temporary folder)")
	suite := flag.String("expired", "", "print whether `suite`'s InRelease is past its Valid-Until, and exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: resign [-key FILE] ARCHIVE_URL\n       resign -expired SUITE ARCHIVE_URL")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	upstream := flag.Arg(0)
	if *suite != "" {
		expired, err := resign.Expired(upstream, *suite, time.Now())
		if err != nil {
			fail(err)
		}
		if expired {
			fmt.Println("expired")
		} else {
			fmt.Println("current")
		}
		return
	}
	if err := serve(upstream, *keyPath); err != nil {
		fail(err)
	}
}

// serve starts the mirror, writes its key, prints the URL and the key's
// path, and waits for SIGINT or SIGTERM.
func serve(upstream, keyPath string) error {
	m, err := resign.Start(upstream, true)
	if err != nil {
		return err
	}
	defer m.Close()
	key, err := m.PublicKey()
	if err != nil {
		return err
	}
	if keyPath == "" {
		f, err := os.CreateTemp("", "resign-*.asc")
		if err != nil {
			return err
		}
		f.Close()
		keyPath = f.Name()
	}
	if err := os.WriteFile(keyPath, []byte(key), 0o644); err != nil {
		return fmt.Errorf("writing the public key: %w", err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	fmt.Printf("%s\n%s\n", m.URL(), keyPath)
	<-stop
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "resign:", err)
	os.Exit(1)
}
