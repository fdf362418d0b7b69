package falcon

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// A product the tenant lacks answers 404 without X-Cs-Region (docs/API.md §8): the typed
// services say ErrNotProvisioned and the scope probes ScopeNotProvisioned. An entity that
// does not exist answers 404 with the header and its id: ErrNotFound, never "not
// provisioned".
func TestSimNotProvisionedVersusNotFound(t *testing.T) {
	// By default the simulator's child 2 lacks Zero Trust Assessment.
	srv := falcontest.NewServer(falcontest.WithHosts(5), falcontest.WithTenants(3))
	defer srv.Close()
	c := simClient(t, srv, "full")
	ctx := context.Background()
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	tenants := srv.Tenants()
	lacking, having := tenants[2].CID, tenants[1].CID

	aid := srv.HostIDs(lacking)[0]
	if _, err := c.ZTA.Get(ctx, lacking, aid); !errors.Is(err, ErrNotProvisioned) || errors.Is(err, ErrNotFound) {
		t.Errorf("ZTA in a tenant without it: %v, want ErrNotProvisioned", err)
	}
	probe := &Request{Method: "GET", Path: "/zero-trust-assessment/queries/assessments/v1",
		Query: url.Values{"filter": {"score:>=0"}, "limit": {"1"}}}
	resp, err := c.Do(ctx, lacking, probe)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 404 || resp.Region != "" {
		t.Fatalf("probe reply %d, region %q: want 404 without a region", resp.StatusCode, resp.Region)
	}
	if st, _ := ClassifyProbe(ProbeRead, resp); st != ScopeNotProvisioned || !notProvisionedReply(resp) {
		t.Errorf("probe says %v, client says not provisioned = %v: both must say not provisioned", st, notProvisionedReply(resp))
	}

	// Where the product exists, an unknown host is "not found" (and ZTA.Get skips it).
	got, err := c.ZTA.Get(ctx, having, "0123456789abcdef0123456789abcdef")
	if err != nil || len(got) != 0 {
		t.Errorf("ZTA of an unknown host: %v, %v; want nothing and no error", got, err)
	}
	resp, err = c.Do(ctx, having, &Request{Method: "GET", Path: pathZTAEntities,
		Query: url.Values{"ids": {"0123456789abcdef0123456789abcdef"}}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 404 || resp.Region == "" || notProvisionedReply(resp) {
		t.Errorf("unknown host: %d, region %q, not provisioned = %v", resp.StatusCode, resp.Region, notProvisionedReply(resp))
	}
	if kind := classifyAPI(resp); kind != ErrNotFound {
		t.Errorf("unknown host classified %v, want ErrNotFound", kind)
	}
}
