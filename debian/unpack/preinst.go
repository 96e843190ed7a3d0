package unpack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// A package's preinst script runs before dpkg writes its files. In a
// toolchain root the files are already there: the package was unpacked in
// a layer of its own, and the essential ones among them (libc6, dash) must
// be there for any script to run at all. So FinishDatabase runs each
// preinst with the package's files in place and then checks that the script
// left every file the package ships as it was unpacked. A script that ran
// on a fresh root in "install" mode only checks the system or makes things
// the package does not ship (users, diversions, markers), and the package
// then counts as unpacked. Should a script change a file its own package
// ships, that package is left to `dpkg --unpack`, which writes its files
// again after the script, as dpkg always does.

// shippedEntry is one entry a package with a preinst script wrote, as it
// landed: what FinishDatabase compares after the script has run.
type shippedEntry struct {
	Path   string      `json:"path"`
	Type   fs.FileMode `json:"type"`
	Size   int64       `json:"size"`
	MTime  int64       `json:"mtime"` // nanoseconds
	Target string      `json:"target,omitempty"`
}

// landed is the entry at rel as it is on disk.
func landed(root *os.Root, rel string) (shippedEntry, error) {
	fi, err := root.Lstat(rel)
	if err != nil {
		return shippedEntry{}, err
	}
	e := shippedEntry{Path: rel, Type: fi.Mode().Type(), Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
	if e.Type == fs.ModeSymlink {
		if e.Target, err = root.Readlink(rel); err != nil {
			return shippedEntry{}, err
		}
	}
	return e, nil
}

// pendingFiles is what Dpkg records for a package with a preinst script
// besides its status paragraph: the files it wrote under InfoDir and the
// entries it wrote to the root.
type pendingFiles struct {
	Control string         `json:"control"`
	Info    []string       `json:"info"`
	Entries []shippedEntry `json:"entries"`
}

func pendingList(key string) string { return path.Join(PreinstPending, key+".files") }

func writePending(root *os.Root, key string, p pendingFiles) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return writeNew(root, pendingList(key), b, 0o644)
}

func readPending(root *os.Root, key string) (pendingFiles, error) {
	var p pendingFiles
	b, err := root.ReadFile(pendingList(key))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", pendingList(key), err)
	}
	return p, nil
}

// changed returns the first entry that is no longer as it was unpacked,
// or "" when none changed.
func (p pendingFiles) changed(root *os.Root) string {
	for _, want := range p.Entries {
		got, err := landed(root, want.Path)
		if err != nil || got != want {
			return "/" + want.Path
		}
	}
	return ""
}

// Preinst is a package whose preinst script FinishDatabase asks to run, in
// the root, as dpkg would for a fresh install: `<ControlDir>/preinst
// install`, with dpkg's DPKG_MAINTSCRIPT_* variables set from these fields.
type Preinst struct {
	// Key names the package's files under InfoDir: Name, or Name:Arch.
	Key, Name, Arch string
	// DpkgVersion is the version of the root's dpkg (DPKG_RUNNING_VERSION).
	DpkgVersion string
}

// ControlDir is where dpkg puts the control members of the package it is
// unpacking, and runs its preinst from. debconf, which some preinst
// scripts use, reads the package's name from the control file there.
const ControlDir = "var/lib/dpkg/tmp.ci"

// Script is the preinst's path relative to the root.
func (p Preinst) Script() string { return path.Join(ControlDir, "preinst") }

// stageControl lays out the package's control members in ControlDir, as
// dpkg has them while it unpacks the package.
func (p pendingFiles) stageControl(root *os.Root, key string) error {
	if err := root.RemoveAll(ControlDir); err != nil {
		return err
	}
	if err := root.Mkdir(ControlDir, 0o755); err != nil {
		return err
	}
	if err := writeNew(root, path.Join(ControlDir, "control"), []byte(p.Control), 0o644); err != nil {
		return err
	}
	prefix := path.Join(InfoDir, key) + "."
	for _, name := range p.Info {
		member, ok := strings.CutPrefix(name, prefix)
		if !ok || member == "list" {
			continue
		}
		b, err := root.ReadFile(name)
		if err != nil {
			return err
		}
		fi, err := root.Stat(name)
		if err != nil {
			return err
		}
		if err := writeNew(root, path.Join(ControlDir, member), b, fi.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

// Env is the environment dpkg gives a maintainer script of the package.
func (p Preinst) Env() []string {
	return []string{
		"DPKG_MAINTSCRIPT_PACKAGE=" + p.Name,
		"DPKG_MAINTSCRIPT_ARCH=" + p.Arch,
		"DPKG_MAINTSCRIPT_NAME=preinst",
		"DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT=1",
		"DPKG_RUNNING_VERSION=" + p.DpkgVersion,
		"DPKG_ADMINDIR=/var/lib/dpkg",
		"DPKG_ROOT=",
	}
}

// removeRecords deletes what Dpkg wrote under InfoDir for a package that
// dpkg unpacks again, so that dpkg finds it not installed, as for any
// package it has never seen.
func (p pendingFiles) removeRecords(root *os.Root) error {
	for _, name := range p.Info {
		if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
