package alertdetail

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func firstAlert(t *testing.T, opts ...falcontest.Option) falcon.Alert {
	t.Helper()
	cloud := tuitest.Start(t, append([]falcontest.Option{falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(40)}, opts...)...)
	as, err := cloud.Client.Alerts.List(context.Background(), cloud.Server.ParentCID(), falcon.AlertQuery{Limit: 40})
	if err != nil || len(as) == 0 {
		t.Fatalf("alerts: %v", err)
	}
	for _, a := range as {
		if a.CommandLine != "" && a.Description != "" {
			return a
		}
	}
	return as[0]
}

func TestEveryFieldAndScrolling(t *testing.T) {
	a := firstAlert(t)
	m := New(pane.Deps{Styles: theme.New(true), Now: tuitest.Clock})
	m.SetSize(200, 12)
	m.SetAlert(a)
	all := ansi.Strip(strings.Join(m.lines(), "\n"))
	for _, want := range []string{a.CompositeID, a.Hostname, a.Tactic, a.Technique, a.Status} {
		if want != "" && !strings.Contains(all, strings.ReplaceAll(want, "_", " ")) {
			t.Errorf("detail lacks %q", want)
		}
	}
	m.SetSize(60, 12)
	if !strings.Contains(ansi.Strip(strings.Join(m.lines(), "\n")), a.CompositeID[len(a.CompositeID)-10:]) {
		t.Error("a long ID lost its end instead of wrapping")
	}
	m, _ = m.Update(tuitest.Key("G"))
	if m.offset == 0 || m.offset != len(m.lines())-12 {
		t.Fatalf("G scrolled to %d of %d lines", m.offset, len(m.lines()))
	}
	m, _ = m.Update(tuitest.Key("pgup"))
	m, _ = m.Update(tuitest.Key("home"))
	if m.offset != 0 {
		t.Fatal("home did not return to the top")
	}
}

func TestHostileFieldsAreSanitised(t *testing.T) {
	cloud := tuitest.Start(t, falcontest.WithTenants(1), falcontest.WithHosts(40), falcontest.WithAlerts(120), falcontest.WithHostile(true))
	as, err := cloud.Client.Alerts.List(context.Background(), cloud.Server.ParentCID(), falcon.AlertQuery{Limit: 120})
	if err != nil {
		t.Fatal(err)
	}
	m := New(pane.Deps{Styles: theme.New(true, theme.WithNoColor(true)), Now: tuitest.Clock})
	m.SetSize(100, 60)
	for _, a := range as {
		m.SetAlert(a)
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.ContainsAny(l, "\x1b\x07\x00\u202e") {
				t.Fatalf("control character reached the view: %q", l)
			}
			if w := ansi.StringWidth(l); w != 100 {
				t.Fatalf("line is %d cells: %q", w, l)
			}
		}
	}
}

func TestGolden(t *testing.T) {
	a := firstAlert(t)
	for _, sz := range tuitest.Sizes {
		for _, th := range tuitest.Themes {
			t.Run(fmt.Sprintf("%dx%d/%s", sz.W, sz.H, th.Name), func(t *testing.T) {
				m := New(pane.Deps{Styles: theme.New(th.Dark, theme.WithNoColor(false)), Now: tuitest.Clock})
				m.SetSize(sz.W, sz.H)
				m.SetAlert(a)
				out := m.View()
				tuitest.AssertSize(t, out, sz.W, sz.H)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
}
