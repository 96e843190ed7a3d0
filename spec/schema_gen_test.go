package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
	"testing"
)

var updateSchema = flag.Bool("update", false, "rewrite spec.schema.json and other golden files")

// TestSchemaUpToDate regenerates the JSON Schema from types.go (structure
// from the Go types, descriptions from their doc comments) and compares it
// with the committed spec.schema.json.
func TestSchemaUpToDate(t *testing.T) {
	got := generateSchema(t)
	if *updateSchema {
		if err := os.WriteFile("spec.schema.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, schemaJSON) {
		t.Errorf("spec.schema.json is out of date with types.go; run: go test ./spec -run TestSchemaUpToDate -update")
	}
}

// fieldDocs reads the doc comment of every struct field in types.go, keyed
// "Type.Field", and of every type, keyed "Type".
func fieldDocs(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "types.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			docs[ts.Name.Name] = oneLine(gd.Doc.Text())
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fld := range st.Fields.List {
				for _, n := range fld.Names {
					docs[ts.Name.Name+"."+n.Name] = oneLine(fld.Doc.Text())
				}
			}
		}
	}
	return docs
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// schemaRules are the constraints the Go types cannot express.
var schemaRules = map[string]map[string]any{
	"Spec.Version":    {"const": SupportedVersion},
	"Spec.Epoch":      {"minimum": 0},
	"Server.Port":     {"minimum": MinPort, "maximum": 65535, "default": DefaultPort},
	"Debian.Suite":    {"pattern": suiteRE.String(), "default": DefaultSuite},
	"Debian.Mirror":   {"format": "uri", "pattern": "^https?://"},
	"Debian.Exclude":  {"items": map[string]any{"type": "string", "pattern": packageRE.String()}, "uniqueItems": true},
	"Build.Packages":  {"items": map[string]any{"type": "string", "pattern": packageRE.String()}, "minItems": 1, "uniqueItems": true},
	"Build.Workdir":   {"default": "."},
	"Build.Env":       {"propertyNames": map[string]any{"pattern": envNameRE.String()}},
	"Build.Npm":       {"items": map[string]any{"type": "string", "pattern": npmToolPattern}, "uniqueItems": true},
	"Build.Cache":     {"items": map[string]any{"type": "string", "pattern": "^/"}},
	"Build.Gitignore": {"default": true},
	"Server.Compress": {"items": map[string]any{"enum": []string{EncodingGzip, EncodingBrotli}}, "uniqueItems": true, "default": DefaultCompress},
	"Server.Health":   {"pattern": healthRE.String()},
	"Server.Headers":  {"propertyNames": map[string]any{"pattern": headerNameRE.String()}},
}

// schemaRequired lists required keys per type.
var schemaRequired = map[string][]string{
	"Spec":  {"version", "site"},
	"Build": {"packages", "run", "output"},
}

func generateSchema(t *testing.T) []byte {
	t.Helper()
	docs := fieldDocs(t)
	defs := map[string]any{}
	root := objectSchema(reflect.TypeOf(Spec{}), docs, defs)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/layercake-build/layercake/spec/spec.schema.json"
	root["title"] = "layercake spec"
	root["$defs"] = defs
	data, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

// objectSchema describes a struct: its yaml keys, with x- keys allowed.
func objectSchema(rt reflect.Type, docs map[string]string, defs map[string]any) map[string]any {
	props := map[string]any{}
	for i := range rt.NumField() {
		f := rt.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || key == "" || key == "-" {
			continue
		}
		s := typeSchema(f.Type, docs, defs)
		name := rt.Name() + "." + f.Name
		if d := docs[name]; d != "" {
			s["description"] = d
		}
		for k, v := range schemaRules[name] {
			s[k] = v
		}
		props[key] = s
	}
	out := map[string]any{
		"type":                 "object",
		"description":          docs[rt.Name()],
		"properties":           props,
		"patternProperties":    map[string]any{"^x-": map[string]any{"description": "Extension key: allowed and ignored."}},
		"additionalProperties": false,
	}
	if req := schemaRequired[rt.Name()]; req != nil {
		out["required"] = req
	}
	return out
}

func typeSchema(rt reflect.Type, docs map[string]string, defs map[string]any) map[string]any {
	if rt == reflect.TypeOf(Command{}) {
		return map[string]any{"oneOf": []any{
			map[string]any{"type": "string", "minLength": 1, "description": "Run by /bin/sh -c."},
			map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "minItems": 1, "description": "Run as argv."},
		}}
	}
	switch rt.Kind() {
	case reflect.Pointer:
		return typeSchema(rt.Elem(), docs, defs)
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Int, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": typeSchema(rt.Elem(), docs, defs)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": typeSchema(rt.Elem(), docs, defs)}
	case reflect.Struct:
		defs[rt.Name()] = objectSchema(rt, docs, defs)
		return map[string]any{"$ref": "#/$defs/" + rt.Name()}
	}
	panic(fmt.Sprintf("no schema for %s", rt))
}
