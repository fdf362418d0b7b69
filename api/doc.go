// Package api holds the API subset falcon-tui is built against, openapi-subset.json in this
// directory, which the generators in falcon/ and falcon/falcontest read (docs/API.md §0). It
// has no code of its own; its test keeps the repo self-contained: the documents and comments
// cite only sections that exist in the repo's own documents, and no file names a path on
// some machine.
package api
