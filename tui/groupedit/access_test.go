package groupedit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// The overlay takes the client's answer: a tenant without the host groups product is "not
// provisioned" (the scope report says the same), never "granted"; no scope change helps.
func TestSimProbeOfUnprovisionedTenant(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(1),
		falcontest.WithUnprovisioned(1, "host-group"))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 0)
	child := srv.Tenants()[1].CID
	p := NewProber(context.Background(), c, false)
	for _, tc := range []struct {
		cid  string
		want Access
	}{{"", AccessGranted}, {child, AccessNotProvisioned}} {
		msg := p.Probe(tc.cid)().(WriteProbedMsg)
		if msg.Access != tc.want || msg.Err != nil {
			t.Errorf("tenant %q: %+v, want %v", tc.cid, msg, tc.want)
		}
	}
	if r := AccessNotProvisioned.Reason(); r != NotProvisionedReason || strings.Contains(r, WriteScope) {
		t.Errorf("not provisioned reason = %q", r)
	}
}

// Only the client's verdict on a rule (falcon.ErrInvalidRule) reads as "rule rejected": an
// outage's 5xx is an outage.
func TestRuleErrorOnlyForInvalidRules(t *testing.T) {
	rejected := RuleError(fmt.Errorf("falcon: PATCH /devices/entities/host-groups/v1: %w", falcon.ErrInvalidRule))
	if !strings.Contains(rejected, "rejected the rule") {
		t.Errorf("invalid rule worded %q", rejected)
	}
	outage := RuleError(&falcon.APIError{StatusCode: 503, Method: "PATCH", Path: "/devices/entities/host-groups/v1",
		Errors: []falcon.ErrorItem{{Code: 503, Message: "service unavailable"}}})
	if strings.Contains(outage, "rule") || !strings.Contains(outage, "service unavailable") {
		t.Errorf("a 503 worded %q", outage)
	}
	if got := RuleError(errors.New("falcon: cloud unreachable")); got != "cloud unreachable" {
		t.Errorf("transport error worded %q", got)
	}
}

// Against the simulator: a rule it cannot parse comes back as ErrInvalidRule and is worded so.
func TestSimInvalidRuleWorded(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(20), falcontest.WithTenants(0))
	defer srv.Close()
	c := simClient(t, srv, "full", false, 0)
	dyn, err := c.HostGroups.Create(context.Background(), "", falcon.GroupSpec{
		Name: "Rule test", Type: falcon.GroupDynamic, AssignmentRule: "platform_name:'Linux'"})
	if err != nil {
		t.Fatal(err)
	}
	msg := saveRule(context.Background(), c, 1, dyn, "hostname:'web-")().(ruleSavedMsg)
	if !errors.Is(msg.err, falcon.ErrInvalidRule) || !strings.Contains(RuleError(msg.err), "rejected the rule") {
		t.Errorf("unparsable rule: %v worded %q", msg.err, RuleError(msg.err))
	}
}
