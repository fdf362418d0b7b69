package falcon

import (
	"context"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Stream pages past the first page, past the query call's 500 the explorer used to stop
// at, and yields every alert once, newest first, with the total on every page.
func TestAlertStreamYieldsEveryAlert(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(50), falcontest.WithAlerts(2300))
	t.Cleanup(srv.Close)
	c := simClient(t, srv, "full")
	ctx := context.Background()
	total, err := c.Alerts.Total(ctx, "", AlertQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if total <= alertsPerPage*2 {
		t.Fatalf("the simulated tenant has %d alerts: too few to page", total)
	}
	var got []Alert
	pages := 0
	for page, err := range c.Alerts.Stream(ctx, "", AlertQuery{}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if page.Total != total {
			t.Fatalf("page %d says total %d, want %d", pages, page.Total, total)
		}
		got = append(got, page.Alerts...)
	}
	if len(got) != total || pages != (total+alertsPerPage-1)/alertsPerPage {
		t.Fatalf("streamed %d alerts in %d pages, want %d", len(got), pages, total)
	}
	seen := map[string]bool{}
	for i, a := range got {
		if seen[a.CompositeID] {
			t.Fatalf("alert %s twice", a.CompositeID)
		}
		seen[a.CompositeID] = true
		if i > 0 && a.Created.After(got[i-1].Created) {
			t.Fatalf("alert %d is newer than alert %d", i, i-1)
		}
	}
}

// A host's stream holds only that host's alerts; a rejected filter is the first yield.
func TestAlertStreamHostAndRejectedFilter(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(20), falcontest.WithAlerts(300))
	t.Cleanup(srv.Close)
	c := simClient(t, srv, "full")
	ctx := context.Background()
	first, err := c.Alerts.List(ctx, "", AlertQuery{Limit: 1})
	if err != nil || len(first) != 1 {
		t.Fatalf("list: %v", err)
	}
	dev := first[0].DeviceID
	n := 0
	for page, err := range c.Alerts.Stream(ctx, "", AlertQuery{DeviceID: dev, Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Alerts {
			if a.DeviceID != dev {
				t.Fatalf("alert of %s in %s's stream", a.DeviceID, dev)
			}
			n++
		}
	}
	if want, _ := c.Alerts.Total(ctx, "", AlertQuery{DeviceID: dev}); n != want {
		t.Fatalf("host stream gave %d alerts, want %d", n, want)
	}
	for _, err := range c.Alerts.Stream(ctx, "", AlertQuery{Filter: "severity:>>"}) {
		if err == nil {
			t.Fatal("a malformed filter was accepted")
		}
		break
	}
}
