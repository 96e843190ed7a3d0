// Command ocirelease is hack/release's helper for the OCI layout BuildKit
// writes (type=oci,tar=false):
//
//	ocirelease trim DIR            drop the wall-clock fields from the provenance, print the index digest
//	ocirelease push DIR REPO TAG…  push the layout's index to REPO under each TAG, print the digest
//	ocirelease inspect REF         print REF's digest and its linux/amd64 image's OCI labels (key=value)
//
// BuildKit v0.34.2 fills the SLSA provenance's startedOn and finishedOn
// from the wall clock and invocationID with a random job ID, even with
// SOURCE_DATE_EPOCH set; everything else it records is a function of the
// inputs. trim deletes exactly those three optional fields, so two builds
// of one commit give one index digest. push and inspect use the Docker
// credential helpers and config (docker login) like any registry client.
package main

import (
	"fmt"
	"os"
)

const usage = `usage:
  ocirelease trim DIR
  ocirelease push DIR REPO TAG...
  ocirelease inspect REF
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ocirelease:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "trim":
		d, err := trimLayout(args[1])
		if err != nil {
			return err
		}
		fmt.Println(d)
		return nil
	case len(args) >= 4 && args[0] == "push":
		d, err := push(args[1], args[2], args[3:])
		if err != nil {
			return err
		}
		fmt.Println(d)
		return nil
	case len(args) == 2 && args[0] == "inspect":
		return inspect(args[1])
	}
	fmt.Fprint(os.Stderr, usage)
	os.Exit(2)
	return nil
}
