package tenants

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func setup(t *testing.T, dark bool, w, h int, opts ...falcontest.Option) (*Model, *tuitest.Runner, tuitest.Cloud) {
	t.Helper()
	cloud := tuitest.Start(t, append([]falcontest.Option{falcontest.WithTenants(3), falcontest.WithHosts(60)}, opts...)...)
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(dark, theme.WithNoColor(false))})
	m.SetSize(w, h)
	m.Focus()
	return &m, tuitest.Drive(t, &m), cloud
}

func TestLoadListsTenantsWithSummaries(t *testing.T) {
	m, r, cloud := setup(t, true, 120, 20)
	r.Run(m.Load())
	listed := tuitest.Sent[pane.TenantsListedMsg](r)
	if len(listed) != 1 || len(listed[0].Tenants) != 4 {
		t.Fatalf("listed = %+v", listed)
	}
	if len(m.Tenants()) != 4 || m.Tenants()[0].IsChild() {
		t.Fatal("the home tenant does not come first")
	}
	if done, total, loading := m.Loading(); loading || done != total {
		t.Fatalf("summaries %d/%d, loading %v", done, total, loading)
	}
	for _, tn := range m.Tenants() {
		want, err := cloud.Client.Tenants.Summary(context.Background(), tn.CID)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := m.Summary(tn.CID)
		if !ok || got != want {
			t.Fatalf("summary of %s = %+v, want %+v", tn.Name, got, want)
		}
	}
}

func TestEnterSelectsAndFilterNarrows(t *testing.T) {
	m, r, _ := setup(t, true, 120, 20)
	r.Run(m.Load())
	r.Press("down", "down", "enter")
	sel := tuitest.Sent[pane.SwitchTenantMsg](r)
	if len(sel) != 1 || sel[0].CID != m.Tenants()[2].CID {
		t.Fatalf("selected %+v, want %s", sel, m.Tenants()[2].CID)
	}
	child := m.Tenants()[3].Name
	r.Press("/")
	if !m.Capturing() {
		t.Fatal("filter prompt not capturing")
	}
	r.TypeText(strings.ToLower(child[:5]))
	r.Press("enter")
	if got, ok := m.Selected(); !ok || got.Name != child || len(m.view) != 1 {
		t.Fatalf("filter %q left %d rows", child[:5], len(m.view))
	}
	r.Press("esc")
	if len(m.view) != 4 {
		t.Fatal("esc did not clear the filter")
	}
}

func TestCurrentTenantIsMarked(t *testing.T) {
	m, r, _ := setup(t, true, 120, 20)
	r.Run(m.Load())
	m.SetCurrent(m.Tenants()[1].CID)
	if got, _ := m.Selected(); got.CID != m.Tenants()[1].CID {
		t.Fatal("SetCurrent did not move the cursor")
	}
	for _, line := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(line, m.Tenants()[1].Name) && !strings.HasPrefix(line, "●") {
			t.Fatalf("current tenant not marked: %q", line)
		}
	}
}

func TestWithoutMSSPScopeOnlyHome(t *testing.T) {
	cloud := tuitest.StartAs(t, "partial", false, falcontest.WithTenants(2), falcontest.WithHosts(20))
	m := New(pane.Deps{Client: cloud.Client, Styles: theme.New(true)})
	m.SetSize(100, 10)
	r := tuitest.Drive(t, &m)
	r.Run(m.Load())
	if ts := m.Tenants(); len(ts) != 1 || ts[0].IsChild() {
		t.Fatalf("partial client lists %+v", ts)
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range tuitest.Sizes {
		for _, th := range tuitest.Themes {
			t.Run(fmt.Sprintf("%dx%d/%s", sz.W, sz.H, th.Name), func(t *testing.T) {
				m, r, _ := setup(t, th.Dark, sz.W, sz.H)
				r.Run(m.Load())
				m.SetCurrent(m.Tenants()[0].CID)
				r.Press("down")
				out := m.View()
				tuitest.AssertSize(t, out, sz.W, sz.H)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
	t.Run("loading", func(t *testing.T) {
		m, _, _ := setup(t, true, 100, 12)
		_ = m.Load() // not run: the list is still on its way
		golden.RequireEqual(t, []byte(m.View()))
	})
}

// Issue 11 item 22: a kept filter was shown only as "[1/4]" in the title; it is on the
// info line, as in Hosts.
func TestKeptFilterIsShown(t *testing.T) {
	m, r, _ := setup(t, true, 120, 20)
	r.Run(m.Load())
	name := m.Tenants()[1].Name
	r.Press("/")
	r.TypeText(strings.ToLower(name[:4]))
	r.Press("enter")
	if m.Capturing() || m.Title() == fmt.Sprintf("Tenants[%d]", len(m.Tenants())) {
		t.Fatalf("filter not kept: title %q", m.Title())
	}
	if first := strings.Split(ansi.Strip(m.View()), "\n")[0]; !strings.HasPrefix(first, "/"+strings.ToLower(name[:4])) {
		t.Fatalf("kept filter not shown: first line %q", first)
	}
}

// Also noticed in issue 11: the counts are a snapshot taken once; each tenant's age is
// shown, and r counts again.
func TestCountsShowTheirAge(t *testing.T) {
	now := tuitest.Now
	m, r, _ := setup(t, true, 140, 20)
	m.now = func() time.Time { return now }
	r.Run(m.Load())
	if v := ansi.Strip(m.View()); !strings.Contains(v, "counts just now · r recounts") || !strings.Contains(v, "COUNTED") {
		t.Fatalf("fresh counts:\n%s", v)
	}
	now = now.Add(3 * time.Minute)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "counts 3m ago") || strings.Count(v, "3m ago") != 1+len(m.Tenants()) {
		t.Fatalf("counts 3 minutes later:\n%s", v)
	}
	r.Press("r")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "counts just now") {
		t.Fatalf("after r:\n%s", v)
	}
}
