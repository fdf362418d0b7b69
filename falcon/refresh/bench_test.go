package refresh

import (
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// BenchmarkRefreshBytes is the bound on a refresh's traffic: 100,000 hosts, a full
// load, then ten minutes at 0.1% a minute (about 1% of the hosts change, some hide or come
// back), then a delta and, separately, a reconciliation. delta-% and reconcile-% are their
// bytes on the wire (headers included, gzip as the client asks for it) against the full
// load's (the bound: a refresh after 1% changed moves at most 5%).
func BenchmarkRefreshBytes(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		c := newCloud(b, falcontest.WithTenants(0), falcontest.WithHosts(100_000), falcontest.WithChurn(0.001))
		cid := c.srv.ParentCID()
		s := c.syncer()
		s.ReconcileEvery = time.Hour
		b.StartTimer()

		c.srv.ResetStats()
		apply(b, s, cid, Auto, map[string]falcon.Host{})
		full := c.srv.Stats().BytesSent

		c.advance(10 * time.Minute)
		c.srv.ResetStats()
		view := map[string]falcon.Host{}
		if done := apply(b, s, cid, Auto, view); done.Kind != KindDelta {
			b.Fatalf("the refresh ran %v", done.Kind)
		}
		delta := c.srv.Stats().BytesSent

		s.ReconcileEvery = time.Nanosecond
		c.srv.ResetStats()
		if done := apply(b, s, cid, Auto, view); done.Kind != KindReconcile {
			b.Fatalf("the refresh ran %v", done.Kind)
		}
		reconcile := c.srv.Stats().BytesSent
		b.ReportMetric(100*float64(delta)/float64(full), "delta-%")
		b.ReportMetric(100*float64(reconcile)/float64(full), "reconcile-%")
		b.ReportMetric(float64(full)/100_000, "full-B/host")
		b.ReportMetric(float64(len(view)), "changed-hosts")
	}
}
