package tui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The client owns every API rule (falcon/): the TUI asks it questions ("may I write host
// groups here?", "this host's alerts") and matches its sentinels with errors.Is. So no
// code under tui/ builds a URL, sends a raw request, reads an HTTP status or puts FQL
// together by concatenating strings. apiRuleViolations finds each of those by its shape;
// the test runs it over every non-test file under tui/.
func TestTUILeavesAPIRulesToTheClient(t *testing.T) {
	fset := token.NewFileSet()
	var files int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		for _, v := range apiRuleViolations(fset, f) {
			t.Errorf("%s", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 20 {
		t.Fatalf("checked only %d files: is the walk rooted at tui/?", files)
	}
}

// The check is not vacuous: each shape it looks for is found in code the TUI once had.
func TestAPIRuleViolationsFindsEachShape(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"raw request", `package p
import "github.com/falcon-tui/falcon-tui/falcon"
func f(c *falcon.Client) { c.Do(nil, "", &falcon.Request{Method: "PATCH"}) }`, "raw request"},
		{"HTTP status", `package p
func f(resp *R) bool { return resp.StatusCode == 403 }`, "HTTP status"},
		{"net/http", `package p
import "net/http"
var _ = http.StatusForbidden`, "net/http"},
		{"URL building", `package p
import "net/url"
var q = url.Values{"limit": {"1"}}`, "URL"},
		{"FQL concatenation", `package p
func scoped(id, filter string) string { return "device.device_id:'" + id + "'+(" + filter + ")" }`, "FQL"},
		{"FQL by Sprintf", `package p
import "fmt"
func f(id string) string { return fmt.Sprintf("groups:'%s'", id) }`, "FQL"},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), tc.name+".go", tc.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		vs := apiRuleViolations(token.NewFileSet(), f)
		if len(vs) == 0 || !strings.Contains(strings.Join(vs, "\n"), tc.want) {
			t.Errorf("%s: found %q, want a %s violation", tc.name, vs, tc.want)
		}
	}
	// Plain UI text is not FQL.
	f, _ := parser.ParseFile(token.NewFileSet(), "ok.go", `package p
func f(n, s string) string { return "needs " + s + " (" + n + " tenants): " + "r retries" }`, 0)
	if vs := apiRuleViolations(token.NewFileSet(), f); len(vs) != 0 {
		t.Errorf("UI text flagged: %q", vs)
	}
}

// fqlFieldEnd matches a string that ends like the start of an FQL term ("device.device_id:'",
// "groups:"); fqlQuoteStart one that closes a quoted value ("'" or "'+(").
var (
	fqlFieldEnd   = regexp.MustCompile(`(^|[^\w.])[a-z_][a-z0-9_.]*:'?$`)
	fqlQuoteStart = regexp.MustCompile(`^'(\+|$)`)
	fqlFormat     = regexp.MustCompile(`(^|[^\w.])[a-z_][a-z0-9_.]*:'?%`)
)

func apiRuleViolations(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fset.Position(n.Pos()).String()+": "+fmt.Sprintf(format, args...))
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "net/http" {
			report(imp, "imports net/http: requests and statuses are the client's (falcon)")
		}
	}
	lit := func(e ast.Expr) (string, bool) {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(bl.Value)
		return s, err == nil
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			pkg, _ := n.X.(*ast.Ident)
			switch {
			case n.Sel.Name == "StatusCode":
				report(n, "reads an HTTP status: match the client's sentinels with errors.Is")
			case pkg != nil && pkg.Name == "falcon" && (n.Sel.Name == "Request" || n.Sel.Name == "ScopeProbe"):
				report(n, "builds a raw request (falcon.%s): ask the client a typed question", n.Sel.Name)
			case pkg != nil && pkg.Name == "url" && n.Sel.Name != "Parse":
				report(n, "builds a URL (url.%s): the client builds every request", n.Sel.Name)
			case n.Sel.Name == "JoinPath" || n.Sel.Name == "RawQuery":
				report(n, "builds a URL (%s): the client builds every request", n.Sel.Name)
			}
		case *ast.BinaryExpr:
			if n.Op != token.ADD {
				return true
			}
			for _, side := range []ast.Expr{n.X, n.Y} {
				if s, ok := lit(side); ok && (fqlFieldEnd.MatchString(s) || fqlQuoteStart.MatchString(s)) {
					report(side, "assembles FQL by concatenation (%q): let the client build and quote it", s)
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) == 0 {
				return true
			}
			if pkg, _ := sel.X.(*ast.Ident); pkg == nil || pkg.Name != "fmt" {
				return true
			}
			for _, a := range n.Args {
				if s, ok := lit(a); ok && fqlFormat.MatchString(s) {
					report(a, "assembles FQL with fmt (%q): let the client build and quote it", s)
				}
			}
		}
		return true
	})
	return out
}
