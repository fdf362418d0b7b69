package hostrows

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
)

var allColumns = []Column{Hostname, Tenant, Platform, OS, Sensor, LastSeen, State, LocalIP, Groups}

// engineView lists the view's rows in order.
func engineView(t *Table) []int {
	out := make([]int, 0, t.Shown())
	for _, r := range t.Window(nil, 0, t.Shown()) {
		out = append(out, int(r))
	}
	return out
}

func nastyLabels() ([]string, map[string]string) {
	tenants := []string{"c1", "c2", "c3", "c4", "c5"}
	return tenants, map[string]string{"c1": "Acme", "c2": "acme", "c3": "Zeta\x1b]0;", "c4": "Beta"} // c5: no label
}

// feed appends hosts in random batch sizes, running the compaction jobs Append hands out —
// some at once, some only after more batches came in, as a slow job would.
func feed(t *testing.T, tb *Table, hosts []falcon.Host, r *rand.Rand) {
	t.Helper()
	var held *Result
	for len(hosts) > 0 {
		n := min(len(hosts), 1+r.IntN(400))
		if job := tb.AppendHosts(hosts[:n]); job != nil {
			res := job.Run(context.Background())
			if r.IntN(2) == 0 {
				tb.Install(res)
			} else {
				held = res
			}
		}
		hosts = hosts[n:]
		if held != nil && r.IntN(3) == 0 {
			tb.Install(held)
			held = nil
		}
	}
	if held != nil {
		tb.Install(held)
	}
}

func TestSortMatchesPane(t *testing.T) {
	// Heavy and independent of the other tests: let it use the other core.
	t.Parallel()
	tenants, labels := nastyLabels()
	for seed := range uint64(3) {
		hosts := nastyHosts(3000, seed, tenants)
		for _, col := range allColumns {
			for _, desc := range []bool{false, true} {
				t.Run(fmt.Sprintf("seed%d/%s/desc=%v", seed, col, desc), func(t *testing.T) {
					o := &oracle{tenants: labels, sortBy: col, desc: desc, now: fixedNow}
					for i := 0; i < len(hosts); i += 500 {
						o.add(hosts[i:min(i+500, len(hosts))])
					}
					tb := New()
					tb.SetTenants(labels)
					tb.Do(context.Background(), tb.SetSort(Sort{By: col, Desc: desc, Now: fixedNow}))
					feed(t, tb, hosts, rand.New(rand.NewPCG(seed, uint64(col))))
					checkView(t, tb, o, "after feeding")
					// and sorted again from scratch, by a job over every row
					tb.Do(context.Background(), tb.SetSort(Sort{By: col, Desc: !desc, Now: fixedNow}))
					tb.Do(context.Background(), tb.SetSort(Sort{By: col, Desc: desc, Now: fixedNow}))
					checkView(t, tb, o, "after a re-sort")
				})
			}
		}
	}
}

func TestFilterMatchesPane(t *testing.T) {
	// Heavy and independent of the other tests: let it use the other core.
	t.Parallel()
	tenants, labels := nastyLabels()
	hosts := nastyHosts(4000, 7, tenants)
	filters := []string{"", "web", "WEB-0", "web -0", "  web   01 ", "1", "10.0.0.1", "10.0.0.", ".0.", "0.0.0", "0001",
		"acme", "zeta", "beta", "pci", "dmz", "ä", "é", "i̇stanbul", "istanbul", "サ", "red", "[31m", "31m", "0;t",
		"t", "x", "windows", "ubuntu 22", "rhel 9.1", "7.1", "abc", "dev-", "fe80", "::", "0000000000000000000000000000001",
		"ab", "zürich", "s", "carol", "corp", "berlin web", "a b", "no-such-host", "web-01.corp.example.com.long",
	}
	o := &oracle{tenants: labels, now: fixedNow}
	o.add(hosts)
	tb := New()
	tb.SetTenants(labels)
	feed(t, tb, hosts, rand.New(rand.NewPCG(1, 2)))
	for _, col := range []Column{Hostname, LocalIP} {
		o.sortBy = col
		o.resort()
		tb.Do(context.Background(), tb.SetSort(Sort{By: col, Now: fixedNow}))
		for _, f := range filters {
			o.setFilter(f)
			if job := tb.SetFilter(f); job != nil {
				tb.Do(context.Background(), job)
			}
			checkView(t, tb, o, fmt.Sprintf("filter %q", f))
		}
		// typing a filter one key at a time, and deleting it again, goes through the word
		// cache's refinements
		for _, f := range []string{"web-01.corp", "10.0.0.1 web", "acme pci 1"} {
			for i := 1; i <= len(f); i++ {
				typeFilter(t, tb, o, f[:i])
			}
			for i := len(f) - 1; i >= 0; i-- {
				typeFilter(t, tb, o, f[:i])
			}
		}
	}
}

func typeFilter(t *testing.T, tb *Table, o *oracle, f string) {
	t.Helper()
	o.setFilter(f)
	if job := tb.SetFilter(f); job != nil {
		tb.Do(context.Background(), job)
	}
	checkView(t, tb, o, fmt.Sprintf("typed %q", f))
}

// checkView compares the engine's view with the pane's, and checks the engine's position,
// window and row reads against each other.
func checkView(t *testing.T, tb *Table, o *oracle, what string) {
	t.Helper()
	got := engineView(tb)
	if !slices.Equal(got, o.view) && !(len(got) == 0 && len(o.view) == 0) {
		i := 0
		for i < min(len(got), len(o.view)) && got[i] == o.view[i] {
			i++
		}
		t.Fatalf("%s: view differs at %d of %d/%d: got row %v, want %v", what, i, len(got), len(o.view),
			at(got, i, o), at(o.view, i, o))
	}
	for p, r := range got {
		if tb.At(p) != Row(r) {
			t.Fatalf("%s: At(%d) = %d, window says %d", what, p, tb.At(p), r)
		}
		if tb.Position(Row(r)) != p {
			t.Fatalf("%s: Position(%d) = %d, want %d", what, r, tb.Position(Row(r)), p)
		}
	}
	shown := map[int]bool{}
	for _, r := range got {
		shown[r] = true
	}
	for r := range tb.Len() {
		if !shown[r] && tb.Position(Row(r)) != -1 {
			t.Fatalf("%s: hidden row %d has position %d", what, r, tb.Position(Row(r)))
		}
	}
}

func at(v []int, i int, o *oracle) string {
	if i >= len(v) {
		return "none"
	}
	h := o.hosts[v[i]]
	return fmt.Sprintf("%d %q %q ip=%q os=%q seen=%v", v[i], h.Hostname, h.DeviceID, h.LocalIP, h.OSVersion, h.LastSeen)
}

func TestHostRoundTrip(t *testing.T) {
	tenants, _ := nastyLabels()
	hosts := append(nastyHosts(2000, 3, tenants), newFakeEstate(3, 1).hosts(2000)...)
	tb := New()
	tb.AppendHosts(hosts)
	for i, want := range hosts {
		got := tb.Host(Row(i))
		want := listFields(want)
		if !hostEqual(got, want) {
			t.Fatalf("row %d: got %+v\nwant %+v", i, got, want)
		}
		if tb.Hostname(Row(i)) != want.Hostname || tb.LocalIP(Row(i)) != want.LocalIP || tb.DeviceID(Row(i)) != want.DeviceID ||
			tb.GroupCount(Row(i)) != len(want.Groups) || tb.State(Row(i), fixedNow) != want.State(fixedNow) {
			t.Fatalf("row %d: field reads differ", i)
		}
		if r, ok := tb.Find(want.DeviceID); !ok || tb.DeviceID(r) != want.DeviceID {
			t.Fatalf("Find(%q) = %d, %v", want.DeviceID, r, ok)
		}
	}
	if _, ok := tb.Find("ffffffffffffffffffffffffffffffff"); ok {
		t.Fatal("Find found a device never loaded")
	}
}

// listFields is the part of a host the engine keeps.
func listFields(h falcon.Host) falcon.Host {
	return falcon.Host{DeviceID: h.DeviceID, CID: h.CID, Hostname: h.Hostname, Platform: h.Platform,
		OSVersion: h.OSVersion, OSProductName: h.OSProductName, AgentVersion: h.AgentVersion,
		Containment: h.Containment, LastSeen: h.LastSeen, LocalIP: h.LocalIP, ExternalIP: h.ExternalIP,
		MachineDomain: h.MachineDomain, SiteName: h.SiteName, LastLoginUser: h.LastLoginUser,
		Tags: h.Tags, Groups: h.Groups}
}

func hostEqual(a, b falcon.Host) bool {
	ta, tb := a.LastSeen, b.LastSeen
	a.LastSeen, b.LastSeen = ta.UTC(), tb.UTC()
	return ta.Equal(tb) && ta.IsZero() == tb.IsZero() &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Groups, b.Groups) &&
		fmt.Sprint(withoutLists(a)) == fmt.Sprint(withoutLists(b))
}

func withoutLists(h falcon.Host) falcon.Host {
	h.Tags, h.Groups, h.LastSeen = nil, nil, h.LastSeen.UTC()
	return h
}

// FuzzFilterMatchesPane checks the per-field filter (and its whole-haystack fallback for
// escape sequences) against the pane's haystack on arbitrary text in the fields.
func FuzzFilterMatchesPane(f *testing.F) {
	f.Add("web-01", "pci", "Acme", "Ubuntu 22.04", "10.0.0.1", "web")
	f.Add("a\x1b]0;", "x", "T\x1b[", "os", "", "0;")
	f.Add("e\u0301\u0302\u0303\u0304", "\xc2\x9bx", "İ", "\xff", "fe80::1", "i̇")
	f.Add("z\u009b1m", "t\x1b", "", "RHEL 9.10", "010.0.0.1", "1m t")
	f.Fuzz(func(t *testing.T, name, tag, label, osv, ip, filter string) {
		hosts := []falcon.Host{
			{DeviceID: fmt.Sprintf("%032x", 1), CID: "c1", Hostname: name, OSVersion: osv, LocalIP: ip, Tags: []string{tag}},
			{DeviceID: "ABC", CID: "c2", Hostname: tag, OSVersion: name, LocalIP: osv, Tags: []string{ip, label}},
			{DeviceID: fmt.Sprintf("%032x", 0xabc), CID: "c1", Hostname: "plain", LocalIP: "10.1.2.3"},
		}
		labels := map[string]string{"c1": label, "c2": "other"}
		o := &oracle{tenants: labels, now: fixedNow}
		o.add(hosts)
		o.setFilter(filter)
		tb := New()
		tb.SetTenants(labels)
		tb.AppendHosts(hosts)
		if job := tb.SetFilter(filter); job != nil {
			tb.Do(context.Background(), job)
		}
		checkView(t, tb, o, fmt.Sprintf("filter %q", filter))
	})
}
