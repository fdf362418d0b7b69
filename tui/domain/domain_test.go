package domain

import (
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func TestSeverityBands(t *testing.T) {
	for _, tc := range []struct {
		score int
		want  Severity
		name  string
	}{
		{100, Critical, "Critical"}, {90, Critical, "Critical"}, {89, High, "High"}, {70, High, "High"},
		{69, Medium, "Medium"}, {50, Medium, "Medium"}, {49, Low, "Low"}, {20, Low, "Low"},
		{19, Informational, "Info"}, {0, Informational, "Info"},
	} {
		if got := SeverityOf(tc.score); got != tc.want || got.String() != tc.name {
			t.Errorf("score %d: %v %q, want %v %q", tc.score, got, got.String(), tc.want, tc.name)
		}
	}
}

func TestSeverityStylesAreTheThemesRoles(t *testing.T) {
	st := theme.New(true)
	if SeverityOf(95).Style(st) != &st.Critical || SeverityOf(10).Style(st) != &st.Informational {
		t.Fatal("severity bands do not point at the theme's roles")
	}
	if SeverityOf(95).Style(st).Render("x") != st.Critical.Render("x") {
		t.Fatal("severity style renders differently from the critical role")
	}
}

func TestSeverityNamePrefersTheAPIs(t *testing.T) {
	if got := SeverityName(falcon.Alert{Severity: 95, SeverityName: "Informational"}); got != "Informational" {
		t.Fatalf("API name replaced: %q", got)
	}
	if got := SeverityName(falcon.Alert{Severity: 72}); got != "High" {
		t.Fatalf("derived name %q", got)
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "just now"}, {42 * time.Second, "42s ago"}, {5 * time.Minute, "5m ago"},
		{47 * time.Hour, "47h ago"}, {3 * 24 * time.Hour, "3d ago"}, {90 * 24 * time.Hour, "3mo ago"},
		{3 * 365 * 24 * time.Hour, "3y ago"},
	} {
		if got := Ago(now, now.Add(-tc.d)); got != tc.want {
			t.Errorf("%v ago: %q, want %q", tc.d, got, tc.want)
		}
	}
	if got := Ago(now, time.Time{}); got != "never" {
		t.Errorf("zero time: %q", got)
	}
}

func TestTenantLabelsAndNames(t *testing.T) {
	home := falcon.Tenant{CID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
	child := falcon.Tenant{CID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", ParentCID: home.CID}
	named := falcon.Tenant{CID: "cccccccccccccccccccccccccccccccc", ParentCID: home.CID, Name: "Acme\x1b[31m"}
	if got := TenantLabel(home); got != "Home tenant" {
		t.Errorf("home: %q", got)
	}
	if got := TenantLabel(child); got != "bbbbbbbb…bbbb" {
		t.Errorf("unnamed child: %q", got)
	}
	names := TenantNames([]falcon.Tenant{home, child, named})
	if got := names(named.CID); got != "Acme" {
		t.Errorf("names are not sanitised: %q", got)
	}
	if got := names("dddddddddddddddddddddddddddddddd"); got != "" {
		t.Errorf("unknown tenant: %q", got)
	}
}

func TestTenantTitle(t *testing.T) {
	for _, c := range []struct{ name, cid, want string }{
		{"Acme", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Acme"},
		{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "aaaaaaaa…aaaa"},
		{"", "", "Home tenant"},
	} {
		if got := TenantTitle(c.name, c.cid); got != c.want {
			t.Errorf("TenantTitle(%q, %q) = %q, want %q", c.name, c.cid, got, c.want)
		}
	}
}
