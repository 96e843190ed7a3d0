package spec

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder walks a yaml.Node tree, filling typed fields, recording positions
// and collecting every problem.
type decoder struct {
	file string
	pos  *positions
	errs []*Error
}

// field is one allowed key of a mapping and how to decode its value.
type field struct {
	key    string
	decode func(d *decoder, path string, n *yaml.Node)
}

func (d *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Pos: nodePos(n), Path: clipped(path), Msg: fmt.Sprintf(format, args...)})
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func keyList(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.key
	}
	return strings.Join(names, ", ")
}

// mapping decodes a mapping with the given allowed keys. A null value is an
// empty mapping, so a section whose keys are all commented out is fine.
func (d *decoder) mapping(path string, n *yaml.Node, fields []field) {
	r := resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		return
	}
	if r.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping with keys %s, got %s", keyList(fields), describe(r))
		return
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(r.Content); i += 2 {
		d.entry(path, r.Content[i], r.Content[i+1], fields, seen)
	}
}

// entry decodes one key/value pair of a mapping.
func (d *decoder) entry(path string, k, v *yaml.Node, fields []field, seen map[string]*yaml.Node) {
	at := k // where the key is written, even when it is an alias
	k = resolve(k)
	if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
		d.fail(at, path, "keys must be plain names, got %s", describe(k))
		return
	}
	p := joinPath(path, clipped(k.Value))
	if first, dup := seen[k.Value]; dup {
		d.fail(at, p, "duplicate key (first at line %d); keep only one", first.Line)
		return
	}
	seen[k.Value] = at
	if strings.HasPrefix(k.Value, "x-") {
		d.pos.extensions = append(d.pos.extensions, Extension{Path: p, Pos: nodePos(at)})
		return
	}
	f, ok := lookup(fields, k.Value)
	if !ok {
		d.fail(at, p, "unknown key; allowed here: %s (and keys starting with \"x-\")", keyList(fields))
		return
	}
	d.pos.keys[p] = nodePos(at)
	d.pos.vals[p] = nodePos(v)
	f.decode(d, p, v)
}

func lookup(fields []field, key string) (field, bool) {
	for _, f := range fields {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// str decodes a string scalar into dst.
func (d *decoder) str(path string, n *yaml.Node, dst *string) {
	r := resolve(n)
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!str" {
		d.fail(n, path, "expected a string, got %s%s", describe(r), quoteHint(r))
		return
	}
	*dst = r.Value
}

// quoteHint suggests quotes for scalars YAML read as something else.
func quoteHint(r *yaml.Node) string {
	if r.Kind != yaml.ScalarNode || r.ShortTag() == "!!null" {
		return ""
	}
	return fmt.Sprintf("; put it in quotes (%q) if you mean that text", clipped(r.Value))
}

// integer decodes an integer scalar; ok is false after reporting a problem.
func (d *decoder) integer(path string, n *yaml.Node) (v int64, ok bool) {
	r := resolve(n)
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!int" {
		d.fail(n, path, "expected an integer, got %s%s", describe(r), unquoteHint(r))
		return 0, false
	}
	if err := r.Decode(&v); err != nil {
		d.fail(n, path, "%s is not a 64-bit integer; use a smaller number", r.Value)
		return 0, false
	}
	return v, true
}

// unquoteHint suggests dropping quotes around a string that holds a number.
func unquoteHint(r *yaml.Node) string {
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!str" {
		return ""
	}
	if _, err := strconv.ParseInt(strings.TrimSpace(r.Value), 10, 64); err != nil {
		return ""
	}
	return "; write the number without quotes"
}

// intField decodes an integer scalar into an int.
func (d *decoder) intField(path string, n *yaml.Node, dst *int) {
	v, ok := d.integer(path, n)
	if !ok {
		return
	}
	if int64(int(v)) != v {
		d.fail(n, path, "%d is too large", v)
		return
	}
	*dst = int(v)
}

// strList decodes a list of strings; a null value is an empty list.
func (d *decoder) strList(path string, n *yaml.Node, dst *[]string) {
	r := resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		return
	}
	if r.Kind != yaml.SequenceNode {
		d.fail(n, path, "expected a list of strings, got %s; write [a, b] or one \"- item\" per line", describe(r))
		return
	}
	out := make([]string, len(r.Content))
	for i, item := range r.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.pos.vals[p] = nodePos(item)
		d.str(p, item, &out[i])
	}
	*dst = out
}

// command decodes a string (shell) or a list of strings (argv).
func (d *decoder) command(path string, n *yaml.Node, dst *Command) {
	r := resolve(n)
	if r.Kind == yaml.SequenceNode {
		d.strList(path, n, &dst.Args)
		if dst.Args == nil {
			dst.Args = []string{}
		}
		return
	}
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!str" {
		d.fail(n, path, "expected a command: a string run by /bin/sh -c, or a list run as argv; got %s", describe(r))
		return
	}
	dst.Shell = r.Value
}

// steps decodes a list of step mappings, recording each item's position.
func (d *decoder) steps(path string, n *yaml.Node, dst *[]Step) {
	r := resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		*dst = []Step{}
		return
	}
	if r.Kind != yaml.SequenceNode {
		d.fail(n, path, "expected a list of steps, one \"- run: …\" per step, got %s", describe(r))
		return
	}
	out := make([]Step, len(r.Content))
	for i, item := range r.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.pos.keys[p] = nodePos(item)
		d.pos.vals[p] = nodePos(item)
		d.mapping(p, item, stepFields(&out[i]))
	}
	*dst = out
}

// boolean decodes true or false; ok is false after reporting a problem.
func (d *decoder) boolean(path string, n *yaml.Node, dst *bool) bool {
	r := resolve(n)
	if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!bool" {
		d.fail(n, path, "expected true or false, got %s", describe(r))
		return false
	}
	*dst = r.Value == "true" || r.Value == "True" || r.Value == "TRUE"
	return true
}

// strMap decodes a mapping of strings to strings, recording each entry's position.
func (d *decoder) strMap(path string, n *yaml.Node, dst *map[string]string) {
	r := resolve(n)
	if r.Kind == yaml.ScalarNode && r.ShortTag() == "!!null" {
		return
	}
	if r.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping of names to strings, got %s; write {NAME: value}", describe(r))
		return
	}
	out := map[string]string{}
	for i := 0; i+1 < len(r.Content); i += 2 {
		k, v := resolve(r.Content[i]), r.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be plain names, got %s", describe(k))
			continue
		}
		p := path + "." + k.Value
		if _, dup := out[k.Value]; dup {
			d.fail(k, p, "duplicate key; keep only one")
			continue
		}
		d.pos.keys[p] = nodePos(k)
		d.pos.vals[p] = nodePos(v)
		var s string
		d.str(p, v, &s)
		out[k.Value] = s
	}
	*dst = out
}
