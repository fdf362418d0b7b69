package hosts

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// fixedNow is the clock of every test in this package.
var fixedNow = tuitest.Now

// fakeHosts builds n deterministic hosts in tenant cid.
func fakeHosts(cid string, n int, seed uint64) []falcon.Host {
	r := rand.New(rand.NewPCG(seed, 7))
	plats := []string{"Windows", "Linux", "Mac"}
	oss := map[string][]string{
		"Windows": {"Windows 11", "Windows 10", "Windows Server 2022"},
		"Linux":   {"Ubuntu 22.04", "RHEL 9.3", "Debian 12"},
		"Mac":     {"macOS 14.4", "macOS 15.1"},
	}
	out := make([]falcon.Host, n)
	for i := range out {
		p := plats[r.IntN(len(plats))]
		h := falcon.Host{
			DeviceID:     fmt.Sprintf("%032x", seed*1_000_000+uint64(i)),
			CID:          cid,
			Hostname:     fmt.Sprintf("%s-%05d", []string{"web", "db", "ws", "dc", "app"}[r.IntN(5)], i),
			Platform:     p,
			OSVersion:    oss[p][r.IntN(len(oss[p]))],
			AgentVersion: fmt.Sprintf("7.%d.%d", 10+r.IntN(10), 17000+r.IntN(2000)),
			LocalIP:      fmt.Sprintf("10.%d.%d.%d", r.IntN(4), r.IntN(256), 1+r.IntN(254)),
			LastSeen:     fixedNow.Add(-time.Duration(r.IntN(20*24*3600)) * time.Second),
		}
		if r.IntN(20) == 0 {
			h.Containment = "contained"
		}
		for g := 0; g < r.IntN(4); g++ {
			h.Groups = append(h.Groups, fmt.Sprintf("g%d", g))
		}
		out[i] = h
	}
	return out
}

// fakeModel is a pane holding n fake hosts, as if a load had finished, at the given size.
func fakeModel(n, width, height int, st *theme.Styles) Model {
	m := New(pane.Deps{Styles: st, Now: tuitest.Clock})
	m.SetSize(width, height)
	m.Focus()
	m.gen, m.loading = 1, true
	m.started = fixedNow.Add(-1500 * time.Millisecond)
	m.counts["c1"] = n
	for i := 0; i < n; i += 5000 {
		m, _ = m.Update(hostsLoadedMsg{gen: 1, item: stream.Item[[]falcon.Host]{Value: fakeHosts("c1", min(5000, n-i), uint64(i+1))}})
	}
	m, _ = m.Update(hostsLoadedMsg{gen: 1, item: stream.Item[[]falcon.Host]{Done: true}})
	return m
}

// viewHosts is the list as shown: every row of the view, in order.
func viewHosts(m Model) []falcon.Host {
	out := make([]falcon.Host, m.rows.Shown())
	for i := range out {
		out[i] = m.rows.Host(m.rows.At(i))
	}
	return out
}

// haystack is what the local filter promises to search (docs/CLI.md §10): the visible
// columns plus the IDs and tags an analyst is likely to paste, lower-case and sanitised.
func haystack(h *falcon.Host, tenant string) string {
	parts := []string{h.Hostname, h.Platform, h.OSVersion, h.OSProductName, h.AgentVersion,
		h.LocalIP, h.ExternalIP, h.DeviceID, h.MachineDomain, h.SiteName, h.LastLoginUser, tenant}
	parts = append(parts, h.Tags...)
	return strings.ToLower(sanitize.Text(strings.Join(parts, "\t")))
}
