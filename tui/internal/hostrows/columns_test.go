package hostrows

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
)

func columnHosts() []falcon.Host {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return []falcon.Host{
		{DeviceID: fmt.Sprintf("%032x", 1), Hostname: "c", SerialNumber: "SN-3", MAC: "00-11", OU: []string{"B"}, FirstSeen: t0.Add(2 * time.Hour),
			Policies: []falcon.Policy{{Type: "prevention", ID: "p0"}, {Type: "sensor_update", ID: "su2"}}, Containment: "normal", Tags: []string{"t/b"}},
		{DeviceID: fmt.Sprintf("%032x", 2), Hostname: "a", SerialNumber: "SN-10", MAC: "00-33", OU: []string{"A", "Z"}, FirstSeen: t0,
			Policies: []falcon.Policy{{Type: "sensor_update", ID: "su1"}}, Containment: "contained", Tags: []string{"t/a"}},
		{DeviceID: fmt.Sprintf("%032x", 3), Hostname: "b", SerialNumber: "SN-2", MAC: "00-22", FirstSeen: t0.Add(time.Hour), ExternalIP: "198.51.100.9", MachineDomain: "corp", SiteName: "HQ"},
	}
}

func names(t *Table) []string {
	var out []string
	for p := range t.Shown() {
		out = append(out, t.Hostname(t.At(p)))
	}
	return out
}

func TestNewFieldsRoundTrip(t *testing.T) {
	tb := New()
	hs := columnHosts()
	tb.AppendHosts(hs)
	for i, h := range hs {
		row, ok := tb.Find(h.DeviceID)
		if !ok {
			t.Fatalf("host %d not found", i)
		}
		got := tb.Host(row)
		if got.SerialNumber != h.SerialNumber || got.MAC != h.MAC || !slices.Equal(got.OU, h.OU) || !got.FirstSeen.Equal(h.FirstSeen) {
			t.Fatalf("host %d came back as %+v", i, got)
		}
		if SensorPolicyID(&got) != SensorPolicyID(&h) {
			t.Fatalf("host %d: sensor policy %q, want %q", i, SensorPolicyID(&got), SensorPolicyID(&h))
		}
	}
}

func TestNewColumnsSort(t *testing.T) {
	cases := []struct {
		by   Column
		want []string
	}{
		{Serial, []string{"b", "c", "a"}},       // SN-2 < SN-3 < SN-10: natural order
		{MAC, []string{"c", "b", "a"}},          // 00-11, 00-22, 00-33
		{FirstSeen, []string{"a", "b", "c"}},    // oldest first
		{SensorPolicy, []string{"b", "a", "c"}}, // "", su1, su2
		{OU, []string{"b", "a", "c"}},           // [], [A Z], [B]
		{Tags, []string{"b", "a", "c"}},
		{Containment, []string{"b", "a", "c"}}, // "", contained, normal
	}
	for _, c := range cases {
		tb := New()
		tb.AppendHosts(columnHosts())
		tb.Do(context.Background(), tb.SetSort(Sort{By: c.by}))
		if got := names(tb); !slices.Equal(got, c.want) {
			t.Errorf("sort by %v: %v, want %v", c.by, got, c.want)
		}
		tb.Do(context.Background(), tb.SetSort(Sort{By: c.by, Desc: true}))
		want := slices.Clone(c.want)
		slices.Reverse(want)
		if got := names(tb); !slices.Equal(got, want) {
			t.Errorf("sort by %v descending: %v, want %v", c.by, got, want)
		}
	}
}

func TestFilterSearchesSerialAndMAC(t *testing.T) {
	tb := New()
	tb.AppendHosts(columnHosts())
	for word, want := range map[string][]string{"sn-10": {"a"}, "00-22": {"b"}, "sn-": {"a", "b", "c"}} {
		if job := tb.SetFilter(word); job != nil {
			tb.Do(context.Background(), job)
		}
		if got := names(tb); !slices.Equal(got, want) {
			t.Errorf("/%s: %v, want %v", word, got, want)
		}
	}
}

func TestScoresSortWithUnknownLast(t *testing.T) {
	tb := New()
	hs := columnHosts()
	tb.AppendHosts(hs)
	tb.Do(context.Background(), tb.SetSort(Sort{By: ZTA}))
	if jobs := tb.SetScores(map[string]int{hs[0].DeviceID: 80, hs[2].DeviceID: 12, "not-loaded": 1}); len(jobs) == 1 {
		tb.Do(context.Background(), jobs[0])
	} else {
		t.Fatalf("new scores under a sort by ZTA gave %d jobs, want the sort's", len(jobs))
	}
	if got := names(tb); !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Fatalf("ascending: %v, want b (12), c (80), a (unknown)", got)
	}
	tb.Do(context.Background(), tb.SetSort(Sort{By: ZTA, Desc: true}))
	if got := names(tb); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Fatalf("descending: %v, want c (80), b (12), a (unknown)", got)
	}
	if s, ok := tb.Score(tb.At(0)); !ok || s != 80 {
		t.Fatalf("score = %d, %v", s, ok)
	}
	// Scores outlive a reload (they are per device), not another tenant's list.
	tb.Reset()
	tb.AppendHosts(hs)
	if row, _ := tb.Find(hs[2].DeviceID); !tb.HasScore(row) {
		t.Fatal("a reload lost the scores")
	}
	tb.Clear()
	tb.AppendHosts(hs)
	if row, _ := tb.Find(hs[2].DeviceID); tb.HasScore(row) {
		t.Fatal("Clear kept the scores")
	}
	// A job made before new scores keeps reading the ones it was made with.
	job := tb.SetSort(Sort{By: ZTA})
	tb.SetScores(map[string]int{hs[1].DeviceID: 5})
	res := job.Run(context.Background())
	tb.Install(res)
	if got := tb.Shown(); got != 3 {
		t.Fatalf("%d rows after a stale sort", got)
	}
}

func TestFilterOnScores(t *testing.T) {
	tb := New()
	hs := columnHosts()
	tb.AppendHosts(hs)
	if job := tb.SetFilter("zta<50"); job != nil {
		tb.Do(context.Background(), job)
	}
	if tb.Shown() != 0 {
		t.Fatalf("%d rows pass zta<50 before any score is known", tb.Shown())
	}
	jobs := tb.SetScores(map[string]int{hs[0].DeviceID: 80, hs[1].DeviceID: 49, hs[2].DeviceID: 12})
	if len(jobs) != 1 {
		t.Fatalf("%d jobs for new scores under a score filter", len(jobs))
	}
	tb.Do(context.Background(), jobs[0])
	if got := names(tb); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("zta<50: %v", got)
	}
	for word, want := range map[string][]string{
		"zta<=49": {"a", "b"}, "zta>49": {"c"}, "zta>=12": {"a", "b", "c"}, "zta=12": {"b"},
		"zta<50 sn-1": {"a"},         // with a text word: both must hold
		"zta<x":       {}, "zta": {}, // not score words: text that no host holds
	} {
		if job := tb.SetFilter(word); job != nil {
			tb.Do(context.Background(), job)
		}
		if got := names(tb); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("/%s: %v, want %v", word, got, want)
		}
	}
	// One more letter of a score word is a new test, not a narrowing of the last one.
	for _, w := range []string{"zta<1", "zta<13"} {
		if job := tb.SetFilter(w); job != nil {
			tb.Do(context.Background(), job)
		}
	}
	if got := names(tb); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("zta<13 after zta<1: %v", got)
	}
}
