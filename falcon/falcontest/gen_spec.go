//go:build ignore

// gen_spec writes the simulator's view of the API subset (docs/API.md §0):
//
//   - spec_ops.go: every operation with its scope, its query parameters and the error
//     statuses whose declared body requires "resources" (the router's table);
//   - testdata/spec-schemas.json: the response schema of every operation per status and
//     the definitions without their descriptions (what the conformance tests check
//     replies against).
//
// Usage (go generate runs the first form):
//
//	go run gen_spec.go -spec ../../api/openapi-subset.json
//	go run gen_spec.go -spec ../../api/openapi-subset.json -check
//
// With -check nothing is written: it fails, naming the file, when a generated file differs
// from what the spec gives, so CI catches a spec change without a regenerate and a hand
// edit of a generated file.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	opsFile     = "spec_ops.go"
	schemasFile = "testdata/spec-schemas.json"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen_spec: ")
	specPath := flag.String("spec", "../../api/openapi-subset.json", "path to the API subset (Swagger 2.0 JSON)")
	check := flag.Bool("check", false, "write nothing; fail when a generated file is stale")
	flag.Parse()

	raw, err := os.ReadFile(*specPath)
	if err != nil {
		log.Fatal(err)
	}
	var sp spec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers pass through to spec-schemas.json exactly as written
	if err := dec.Decode(&sp); err != nil {
		log.Fatalf("%s: %v", *specPath, err)
	}
	ops, err := operations(sp)
	if err != nil {
		log.Fatal(err)
	}
	opsSrc, err := opsTable(ops, sp.Definitions)
	if err != nil {
		log.Fatal(err)
	}
	schemas, err := schemaFile(sp)
	if err != nil {
		log.Fatal(err)
	}

	outputs := []struct {
		name string
		data []byte
	}{{opsFile, opsSrc}, {schemasFile, schemas}}
	stale := false
	for _, o := range outputs {
		if *check {
			old, err := os.ReadFile(o.name)
			if err != nil || !bytes.Equal(old, o.data) {
				fmt.Fprintf(os.Stderr, "gen_spec: %s is stale: run go generate ./falcon/falcontest\n", o.name)
				stale = true
			}
			continue
		}
		if err := os.WriteFile(o.name, o.data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if stale {
		os.Exit(1)
	}
}

// spec is the part of the Swagger document the generator reads.
type spec struct {
	Paths       map[string]map[string]operation `json:"paths"`
	Definitions map[string]any                  `json:"definitions"`
}

type operation struct {
	OperationID string                `json:"operationId"`
	Security    []map[string][]string `json:"security"`
	Parameters  []parameter           `json:"parameters"`
	Responses   map[string]struct {
		Schema *struct {
			Ref string `json:"$ref"`
		} `json:"schema"`
	} `json:"responses"`
}

type parameter struct {
	Name     string       `json:"name"`
	In       string       `json:"in"`
	Type     string       `json:"type"`
	Required bool         `json:"required"`
	Minimum  *json.Number `json:"minimum"`
	Maximum  *json.Number `json:"maximum"`
	MaxItems int          `json:"maxItems"`
	Enum     []string     `json:"enum"`
}

// op is one operation with its method and path.
type op struct {
	method, path string
	operation
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}

// operations lists the spec's operations by path, then method.
func operations(sp spec) ([]op, error) {
	var out []op
	for path, byMethod := range sp.Paths {
		for m, o := range byMethod {
			m = strings.ToUpper(m)
			if !methods[m] {
				return nil, fmt.Errorf("%s %s: unexpected method", m, path)
			}
			out = append(out, op{m, path, o})
		}
	}
	slices.SortFunc(out, func(a, b op) int {
		return strings.Compare(a.path+" "+a.method, b.path+" "+b.method)
	})
	return out, nil
}

// scope is the OAuth2 scope of the operation's `security`, "" for the token endpoints.
func (o op) scope() string {
	s := ""
	for _, req := range o.Security {
		for _, v := range req["oauth2"] {
			s = v
		}
	}
	return s
}

// hasBody reports whether the operation takes a JSON body.
func (o op) hasBody() bool {
	return slices.ContainsFunc(o.Parameters, func(p parameter) bool { return p.In == "body" })
}

// errRes lists the error statuses whose declared body requires "resources", ascending.
func (o op) errRes(defs map[string]any) ([]int, error) {
	var out []int
	for status, r := range o.Responses {
		code, err := strconv.Atoi(status)
		if err != nil {
			return nil, fmt.Errorf("%s %s: status %q", o.method, o.path, status)
		}
		if code < 400 || r.Schema == nil {
			continue
		}
		name := refName(r.Schema.Ref)
		def, ok := defs[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s %s: %d: no definition %q", o.method, o.path, code, name)
		}
		req, _ := def["required"].([]any)
		if slices.Contains(req, any("resources")) {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out, nil
}

var paramKinds = map[string]string{"string": "pString", "integer": "pInt", "boolean": "pBool", "array": "pArray"}

// sortDirection matches a sort value that carries a direction (name.asc, name|desc).
var sortDirection = regexp.MustCompile(`[.|](asc|desc)$`)

// keepEnum reports whether a parameter's enum lists the values the API accepts. A sort enum
// that names only bare fields does not: the API takes those fields with a direction
// (status.desc, docs/API.md §7), so such a sort is left to the handlers to check.
func keepEnum(p parameter) bool {
	if len(p.Enum) == 0 {
		return false
	}
	return p.Name != "sort" || slices.ContainsFunc(p.Enum, sortDirection.MatchString)
}

// paramLiteral renders one query parameter as a param literal.
func paramLiteral(o op, p parameter) (string, error) {
	kind, ok := paramKinds[p.Type]
	if !ok {
		return "", fmt.Errorf("%s %s: parameter %s: type %q", o.method, o.path, p.Name, p.Type)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{name: %q, typ: %s", p.Name, kind)
	if p.Required {
		b.WriteString(", required: true")
	}
	for _, bound := range []struct {
		field string
		v     *json.Number
	}{{"min", p.Minimum}, {"max", p.Maximum}} {
		if bound.v == nil {
			continue
		}
		n, err := bound.v.Int64()
		if err != nil {
			return "", fmt.Errorf("%s %s: parameter %s: %s %s is not an integer", o.method, o.path, p.Name, bound.field, *bound.v)
		}
		fmt.Fprintf(&b, ", %s: ptr(%d)", bound.field, n)
	}
	if p.MaxItems > 0 {
		fmt.Fprintf(&b, ", maxItems: %d", p.MaxItems)
	}
	if keepEnum(p) {
		quoted := make([]string, len(p.Enum))
		for i, e := range p.Enum {
			quoted[i] = strconv.Quote(e)
		}
		fmt.Fprintf(&b, ", enum: []string{%s}", strings.Join(quoted, ", "))
	}
	b.WriteString("}")
	return b.String(), nil
}

const opsHeader = `// Code generated by gen_spec.go from api/openapi-subset.json; DO NOT EDIT.

// The operation table of the API subset: every operation with its scope (the op's
// ` + "`security`" + `), its query parameters and the error statuses whose declared body requires a
// "resources" key, so that the simulator enforces scopes, rejects unknown or invalid
// parameters and shapes error bodies exactly as declared (docs/API.md §0). A sort enum
// that names only bare fields is left out: the API takes those fields with a direction.

package falcontest

`

// opsTable renders spec_ops.go.
func opsTable(ops []op, defs map[string]any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(opsHeader)
	fmt.Fprintf(&b, "// specOps is the operation table of openapi-subset.json (%d operations).\n", len(ops))
	b.WriteString("var specOps = []specOp{\n")
	for _, o := range ops {
		fmt.Fprintf(&b, "\t{method: %q, path: %q, id: %q, scope: %q, body: %t, ", o.method, o.path, o.OperationID, o.scope(), o.hasBody())
		errRes, err := o.errRes(defs)
		if err != nil {
			return nil, err
		}
		if len(errRes) > 0 {
			codes := make([]string, len(errRes))
			for i, c := range errRes {
				codes[i] = strconv.Itoa(c)
			}
			fmt.Fprintf(&b, "errRes: []int{%s}, ", strings.Join(codes, ", "))
		}
		var params []string
		for _, p := range o.Parameters {
			if p.In != "query" {
				continue
			}
			lit, err := paramLiteral(o, p)
			if err != nil {
				return nil, err
			}
			params = append(params, lit)
		}
		fmt.Fprintf(&b, "params: []param{%s}},\n", strings.Join(params, ",\n\t\t"))
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

// schemaFile renders testdata/spec-schemas.json: compact, keys sorted, no trailing newline.
func schemaFile(sp spec) ([]byte, error) {
	defs := make(map[string]any, len(sp.Definitions))
	for name, d := range sp.Definitions {
		defs[name] = withoutDescriptions(d)
	}
	ops := map[string]map[string]string{}
	for path, byMethod := range sp.Paths {
		for m, o := range byMethod {
			byStatus := map[string]string{}
			for status, r := range o.Responses {
				if r.Schema != nil && r.Schema.Ref != "" {
					byStatus[status] = refName(r.Schema.Ref)
				}
			}
			ops[strings.ToUpper(m)+" "+path] = byStatus
		}
	}
	doc := map[string]any{
		"definitions": defs,
		"ops":         ops,
		"source":      "generated by gen_spec.go from api/openapi-subset.json: response schemas per operation and status, definitions without descriptions",
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// withoutDescriptions copies a schema without its "description"
// keywords. Inside "properties" the keys are property names, kept whatever they are (a
// property may well be called "description").
func withoutDescriptions(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			switch k {
			case "description":
			case "properties":
				props, _ := x.(map[string]any)
				cp := make(map[string]any, len(props))
				for name, s := range props {
					cp[name] = withoutDescriptions(s)
				}
				out[k] = cp
			default:
				out[k] = withoutDescriptions(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = withoutDescriptions(x)
		}
		return out
	}
	return v
}

func refName(ref string) string { return strings.TrimPrefix(ref, "#/definitions/") }
