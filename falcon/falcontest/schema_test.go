package falcontest_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"
)

// specSchemas is testdata/spec-schemas.json: the response schema of every
// operation per status and the definitions, derived from openapi-subset.json.
type specSchemas struct {
	Ops         map[string]map[string]string `json:"ops"`
	Definitions map[string]map[string]any    `json:"definitions"`
}

var (
	specOnce sync.Once
	spec     specSchemas
)

func loadSpec(t testing.TB) *specSchemas {
	t.Helper()
	specOnce.Do(func() {
		b, err := os.ReadFile("testdata/spec-schemas.json")
		if err == nil {
			err = json.Unmarshal(b, &spec)
		}
		if err != nil {
			panic(err)
		}
	})
	return &spec
}

// conforms checks the body against the schema the spec declares for this
// operation and status (msa.ReplyMetaOnly for undeclared statuses, which are
// gateway errors). Properties not declared by an object schema are errors.
func (r result) conforms(t testing.TB, opKey string) result {
	t.Helper()
	sp := loadSpec(t)
	resps, ok := sp.Ops[opKey]
	if !ok {
		t.Fatalf("no operation %q in the spec", opKey)
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s → %d: body is not JSON: %v\n%.400s", opKey, r.status, err, r.body)
	}
	var errs []string
	def, ok := resps[strconv.Itoa(r.status)]
	if !ok {
		// An undeclared status (gateway errors, partial 404s): accept the
		// operation's success shape or msa.ReplyMetaOnly.
		def = "msa.ReplyMetaOnly"
		for _, code := range []string{"200", "201", "202"} {
			if d, ok := resps[code]; ok {
				var alt []string
				validate(sp, "$", v, map[string]any{"$ref": "#/definitions/" + d}, &alt)
				if len(alt) == 0 {
					return r
				}
			}
		}
	}
	validate(sp, "$", v, map[string]any{"$ref": "#/definitions/" + def}, &errs)
	if len(errs) > 0 {
		sort.Strings(errs)
		if len(errs) > 12 {
			errs = append(errs[:12], fmt.Sprintf("… and %d more", len(errs)-12))
		}
		t.Errorf("%s → %d does not conform to %s:\n  %v", opKey, r.status, def, errs)
	}
	return r
}

func validate(sp *specSchemas, path string, v any, schema map[string]any, errs *[]string) {
	if ref, ok := schema["$ref"].(string); ok {
		name := ref[len("#/definitions/"):]
		def, ok := sp.Definitions[name]
		if !ok {
			*errs = append(*errs, path+": unknown definition "+name)
			return
		}
		schema = def
		// Spec quirk (docs/API.md §0): domain.ChildrenResponseV1 embeds
		// msa.ReplyMetaOnly as a property; the wire is flat.
		if props, ok := def["properties"].(map[string]any); ok && props["MsaReplyMetaOnly"] != nil {
			merged := map[string]any{}
			for k, v := range props {
				merged[k] = v
			}
			for k, v := range sp.Definitions["msa.ReplyMetaOnly"]["properties"].(map[string]any) {
				merged[k] = v
			}
			schema = map[string]any{"required": def["required"], "properties": merged}
		}
	}
	if v == nil {
		return // nullability is not reconstructed in the subset
	}
	bad := func(want string) { *errs = append(*errs, fmt.Sprintf("%s: want %s, got %T", path, want, v)) }
	// A bare {"type":"object"} is how the reconstruction renders Go
	// interface{} (generic entities, labels): any JSON value is fine.
	if schema["type"] == "object" && schema["properties"] == nil && schema["additionalProperties"] == nil {
		return
	}
	switch schema["type"] {
	case "object", nil:
		m, ok := v.(map[string]any)
		if !ok {
			if schema["type"] == "object" || schema["properties"] != nil {
				bad("object")
			}
			return
		}
		if req, ok := schema["required"].([]any); ok {
			for _, k := range req {
				if k == "MsaReplyMetaOnly" { // spec quirk (docs/API.md §0)
					continue
				}
				if _, ok := m[k.(string)]; !ok {
					*errs = append(*errs, fmt.Sprintf("%s: missing required %q", path, k))
				}
			}
		}
		props, _ := schema["properties"].(map[string]any)
		addl := schema["additionalProperties"]
		for k, val := range m {
			if p, ok := props[k].(map[string]any); ok {
				validate(sp, path+"."+k, val, p, errs)
				continue
			}
			switch a := addl.(type) {
			case map[string]any:
				validate(sp, path+"."+k, val, a, errs)
			case bool:
				if !a {
					*errs = append(*errs, path+": undeclared property "+k)
				}
			case nil:
				if props != nil {
					*errs = append(*errs, path+": undeclared property "+k)
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("array")
			return
		}
		items, _ := schema["items"].(map[string]any)
		for i, x := range a {
			if items != nil {
				validate(sp, fmt.Sprintf("%s[%d]", path, i), x, items, errs)
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("string")
			return
		}
		switch schema["format"] {
		case "date-time":
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not RFC 3339", path, s))
			}
		case "date":
			if _, err := time.Parse("2006-01-02", s); err != nil {
				*errs = append(*errs, fmt.Sprintf("%s: %q is not a date", path, s))
			}
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) {
			bad("integer")
		}
	case "number":
		if _, ok := v.(float64); !ok {
			bad("number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("boolean")
		}
	}
}
