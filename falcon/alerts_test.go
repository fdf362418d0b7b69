package falcon

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// A device id is quoted into the filter, whatever it holds, and joined with the caller's
// filter so that an OR inside that filter cannot widen the host restriction.
func TestAlertQueryQuotesTheDeviceID(t *testing.T) {
	c, ts, _ := setup(t)
	var (
		mu      sync.Mutex
		filters []string
	)
	ts.mux.HandleFunc("GET /alerts/queries/alerts/v2", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		filters = append(filters, r.URL.Query().Get("filter"))
		mu.Unlock()
		writeEnvelopeMeta(w, http.StatusOK, `{"pagination":{"total":3}}`, []string{})
	})
	ctx := context.Background()
	if _, err := c.Alerts.List(ctx, "", AlertQuery{DeviceID: `abc'+status:'new`}); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Alerts.Total(ctx, "", AlertQuery{DeviceID: "abc", Filter: "status:'new',status:'closed'"}); err != nil || n != 3 {
		t.Fatalf("Total = %d, %v", n, err)
	}
	if _, err := c.Alerts.ForHost(ctx, "", `a\b`, 5); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Alerts.Count(ctx, "", "status:'new'"); err != nil || n != 3 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	want := []string{
		`device.device_id:'abc\'+status:\'new'`,
		`(device.device_id:'abc')+(status:'new',status:'closed')`,
		`device.device_id:'a\\b'`,
		`status:'new'`,
	}
	if !slices.Equal(filters, want) {
		t.Errorf("filters sent:\n%q\nwant\n%q", filters, want)
	}
}
