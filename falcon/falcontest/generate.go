package falcontest

// The router's operation table (spec_ops.go) and the response schemas the conformance
// tests check replies against (testdata/spec-schemas.json) are generated from the API
// subset in api/openapi-subset.json (docs/API.md §0); CI fails when either is stale.
//go:generate go run gen_spec.go -spec ../../api/openapi-subset.json
