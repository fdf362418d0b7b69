package falcon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Falcon answers an assignment_rule it cannot parse with a 500. For a host-group write that
// carries a rule, a 500 with a well-formed error envelope is that answer: at most one
// retry, then ErrInvalidRule (an ErrInvalidRequest, which the UI shows inline) — not
// seconds of back-off.
func TestSimInvalidRuleFailsFast(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full") // MaxRetries: the default 5
	ctx := context.Background()
	const bad = "platform_name:'Mac" // unterminated string

	_, err := c.HostGroups.Create(ctx, "", GroupSpec{Name: "rule-check", Type: GroupDynamic, AssignmentRule: bad})
	if !errors.Is(err, ErrInvalidRule) || !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("Create with an invalid rule: %v, want ErrInvalidRule", err)
	}
	if !strings.Contains(err.Error(), "assignment rule") {
		t.Errorf("message does not mention the rule: %v", err)
	}
	if n := srv.Stats().ByOperation["POST /devices/entities/host-groups/v1"]; n != 1 {
		t.Errorf("Create sent %d times, want once (a create is never resent)", n)
	}

	g, err := c.HostGroups.Create(ctx, "", GroupSpec{Name: "rule-check", Type: GroupDynamic, AssignmentRule: "platform_name:'Mac'"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetStats()
	_, err = c.HostGroups.Update(ctx, "", g.ID, GroupSpec{AssignmentRule: bad})
	if !errors.Is(err, ErrInvalidRule) || !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("Update with an invalid rule: %v, want ErrInvalidRule", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusInternalServerError {
		t.Errorf("want the 500 APIError, got %#v", err)
	}
	if n := srv.Stats().ByOperation["PATCH /devices/entities/host-groups/v1"]; n != 2 {
		t.Errorf("Update sent %d times, want 2 (one retry)", n)
	}
}

// The one retry absorbs a coincident outage; writes without a rule keep the usual retries;
// a 500 that is not an error envelope (a proxy's page) is an outage, not a verdict.
func TestRuleWriteRetriesOnce(t *testing.T) {
	c, ts, _ := setup(t)
	var patches, bodies atomic.Int32
	ts.mux.HandleFunc("PATCH /devices/entities/host-groups/v1", func(w http.ResponseWriter, r *http.Request) {
		n := patches.Add(1)
		b, _ := io.ReadAll(r.Body)
		body := string(b)
		switch {
		case strings.Contains(body, "proxy"):
			bodies.Add(1)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		case strings.Contains(body, "assignment_rule") && n == 1,
			!strings.Contains(body, "assignment_rule") && n < 4:
			writeEnvelope(w, 500, nil, `{"code":500,"message":"Internal Server Error"}`)
		default:
			writeEnvelope(w, 200, []map[string]string{{"id": "g", "name": "G", "group_type": "dynamic"}})
		}
	})
	ctx := context.Background()
	if _, err := c.HostGroups.Update(ctx, "", "g", GroupSpec{AssignmentRule: "platform_name:'Mac'"}); err != nil {
		t.Errorf("a rule update after one coincident 500: %v", err)
	}
	if n := patches.Swap(0); n != 2 {
		t.Errorf("rule update: %d attempts, want 2", n)
	}
	if _, err := c.HostGroups.Update(ctx, "", "g", GroupSpec{Name: "renamed"}); err != nil {
		t.Errorf("a rename after three 500s: %v", err)
	}
	if n := patches.Swap(0); n != 4 {
		t.Errorf("rename: %d attempts, want 4 (the usual retries)", n)
	}
	_, err := c.HostGroups.Update(ctx, "", "g", GroupSpec{AssignmentRule: "proxy"})
	if err == nil || errors.Is(err, ErrInvalidRule) {
		t.Errorf("a 500 without an envelope: %v, want an outage error, not ErrInvalidRule", err)
	}
	if n := bodies.Load(); n != 1+DefaultMaxRetries {
		t.Errorf("a 500 without an envelope: %d attempts, want %d", n, 1+DefaultMaxRetries)
	}
}
