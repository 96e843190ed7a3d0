package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// decode strictly decodes data; file names the file in messages. It returns
// every decoding problem joined with errors.Join, each an *Error, and what
// could be decoded, even with problems; the spec is nil only when data is
// not one YAML document. It does not validate values: see Validate and Load.
func decode(file string, data []byte) (*Spec, error) {
	root, err := document(file, data)
	if err != nil {
		return nil, err
	}
	s := &Spec{file: file, pos: newPositions()}
	d := &decoder{file: file, pos: s.pos}
	d.mapping("", root, specFields(s))
	return s, join(d.errs)
}

// Load parses, validates and applies defaults: the usual way to read a spec.
// It reports decoding and validation problems together, leaving out a
// validation problem of a field that could not be decoded.
func Load(file string, data []byte) (*Spec, error) {
	s, decodeErr := decode(file, data)
	if s == nil {
		return nil, decodeErr
	}
	all := Errors(decodeErr)
	for _, e := range Errors(s.Validate()) {
		if !undecoded(e.Path, all) {
			all = append(all, e)
		}
	}
	if err := join(all); err != nil {
		return nil, err
	}
	return s.WithDefaults(), nil
}

// undecoded reports whether p, or a field around or inside it, had a
// decoding problem.
func undecoded(p string, decodeErrs []*Error) bool {
	for _, e := range decodeErrs {
		if e.Path == p || strings.HasPrefix(p, e.Path+".") || strings.HasPrefix(e.Path, p+".") {
			return true
		}
	}
	return false
}

// document decodes the single YAML document in data and returns its root.
func document(file string, data []byte) (*yaml.Node, error) {
	if err := badByte(file, data); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Pos: Pos{1, 1}, Msg: `the file has no settings; add "version: 1" and a "site:" section`}
		}
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(file, data, err)
	default:
		return nil, &Error{File: file, Pos: nodePos(&extra), Msg: `a second YAML document starts here; a spec file holds one document, so remove this "---" and what follows or merge it into the first`}
	}
	if len(doc.Content) != 1 {
		return nil, &Error{File: file, Pos: nodePos(&doc), Msg: "the file holds no YAML document"}
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error into an *Error, keeping its line.
//
// yaml.v3 numbers lines of parser errors from 0 and of scanner errors from 1,
// and gives some errors no line at all; those are reported at 1:1 so that
// buildx still shows the file.
func yamlError(file string, data []byte, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserError(m[2]) {
			line = min(line+1, lineCount(data))
		}
		return &Error{File: file, Pos: Pos{max(line, 1), 1}, Msg: "invalid YAML: " + m[2]}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &Error{File: file, Pos: aliasPos(data, msg), Msg: "invalid YAML: " + msg}
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// aliasPos finds the first use of an undefined alias, which yaml.v3 reports
// without a position; other errors without one are reported at 1:1.
func aliasPos(data []byte, msg string) Pos {
	m := unknownAnchor.FindStringSubmatch(msg)
	if m == nil {
		return Pos{1, 1}
	}
	i := bytes.Index(data, []byte("*"+m[1]))
	if i < 0 {
		return Pos{1, 1}
	}
	line := 1 + bytes.Count(data[:i], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i])
	return Pos{line, col}
}

// lineCount is the number of the file's last line that holds anything.
func lineCount(data []byte) int {
	return max(1, bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n"))+1)
}

// parserError reports whether yaml.v3 raised msg in its parser, whose line
// numbers start at 0.
func parserError(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected") ||
		msg == "found undefined tag handle" ||
		msg == "found incompatible YAML document" ||
		strings.HasPrefix(msg, "found duplicate %")
}

func nodePos(n *yaml.Node) Pos {
	if n.Line < 1 {
		return Pos{1, 1}
	}
	return Pos{n.Line, max(n.Column, 1)}
}

// describe names a node's YAML type for messages, with the value for scalars.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describeScalar(n)
	}
	return "an unsupported YAML node"
}

func describeScalar(n *yaml.Node) string {
	switch n.ShortTag() {
	case "!!null":
		return "no value"
	case "!!str":
		return fmt.Sprintf("the string %q", clipped(n.Value))
	case "!!int":
		return "the integer " + clipped(n.Value)
	case "!!float":
		return "the number " + clipped(n.Value)
	case "!!bool":
		return "the boolean " + n.Value
	}
	return fmt.Sprintf("%s %q", n.ShortTag(), clipped(n.Value))
}
