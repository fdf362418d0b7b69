package tui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/tui/pane"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
	"github.com/falcon-tui/falcon-tui/tui/viewlist"
)

// title is the hosts pane's frame title as drawn.
func (a *app) hostsTitle() string { return a.hostsPane().Title() }

func TestZTACommandMarksHostsAndCountsThoseRefused(t *testing.T) {
	a := start(t, 140, 35, true, Options{})
	a.command("zta 75")
	if got := a.hostsPane().ZTAThreshold(); got != 75 {
		t.Fatalf("threshold = %d", got)
	}
	a.mustShow("ZTA<75 ▼", "▼ ")
	want, err := a.cloud.Client.ZTA.CountBelow(t.Context(), a.m.cid, 75)
	if err != nil {
		t.Fatal(err)
	}
	if last := a.r.LastStatus(); !strings.Contains(last, "would be refused") || !strings.Contains(last, " "+strconv.Itoa(want)+" hosts") {
		t.Fatalf("status %q does not say %d hosts would be refused", last, want)
	}
	// The scopes readiness says it on the NetBird line.
	a.command("scopes")
	a.mustShow("NetBird EDR (Falcon)", "at ZTA 75: "+strconv.Itoa(want)+" hosts of Home tenant refused")
	a.command("hosts")
	a.command("zta 101")
	a.mustShow("give a score from 0 to 100")
	if got := a.hostsPane().ZTAThreshold(); got != 75 {
		t.Fatalf("a bad value changed the threshold to %d", got)
	}
	a.command("zta off")
	if strings.Contains(a.screen(), "ZTA<") || a.hostsPane().ZTAThreshold() != 0 {
		t.Fatal(":zta off left the marks")
	}
}

func TestZTAThresholdOption(t *testing.T) {
	a := start(t, 140, 35, true, Options{ZTAThreshold: 60})
	a.mustShow("Hosts(Home tenant)[", "ZTA<60 ▼")
	a.command("scopes")
	a.mustShow("at ZTA 60: ")
}

func TestSaveViewAndRestoreIt(t *testing.T) {
	dir := t.TempDir()
	store := savedview.Open(dir)
	a := start(t, 120, 35, true, Options{Views: store})
	child := a.m.tenants[2]
	a.command("ctx " + child.Name)
	a.press("t") // all tenants
	a.press("/")
	a.r.TypeText("web")
	a.press("enter", "s", "S")
	before := a.hostsTitle()
	info := strings.Split(a.screen(), "\n")[3]
	a.command("save web-all")
	a.mustShow("view web-all saved")
	fi, err := os.Stat(filepath.Join(dir, savedview.FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("views file: %v, mode %v", err, fi.Mode().Perm())
	}
	b, _ := os.ReadFile(filepath.Join(dir, savedview.FileName))
	for _, secret := range []string{"secret", "token", "Bearer"} {
		if strings.Contains(strings.ToLower(string(b)), strings.ToLower(secret)) {
			t.Fatalf("views file mentions %q:\n%s", secret, b)
		}
	}

	// Back home, another filter and sort; :view brings the saved one back.
	a.command("ctx " + a.cloud.Server.ParentCID())
	a.press("t", "esc", "s")
	a.press(":")
	a.r.TypeText("view w")
	if !slices.ContainsFunc(a.m.cmd.match, func(s suggestion) bool { return s.text == "view web-all" }) {
		t.Fatalf("no completion for the view name: %+v", a.m.cmd.match)
	}
	a.press("tab", "enter")
	if a.m.cid != child.CID {
		t.Fatalf("tenant %s after :view, want %s", a.m.cid, child.CID)
	}
	if got := a.hostsTitle(); got != before {
		t.Fatalf("title %q after :view, want %q", got, before)
	}
	if got := strings.Split(a.screen(), "\n")[3]; got != info {
		t.Fatalf("info line after :view:\n%q\nwant\n%q", got, info)
	}

	// A fresh explorer started in the view shows the same.
	v, err := store.Get("web-all")
	if err != nil {
		t.Fatal(err)
	}
	b2 := start(t, 120, 35, true, Options{Views: store, StartView: &v, StartCID: v.Tenant})
	if got := b2.hostsTitle(); got != before {
		t.Fatalf("started in the view: title %q, want %q", got, before)
	}
	if got := strings.Split(b2.screen(), "\n")[3]; got != info {
		t.Fatalf("started in the view: info line\n%q\nwant\n%q", got, info)
	}

	a.command("view nosuch")
	a.mustShow(`no such view "nosuch"`)
	a.command("save")
	a.mustShow(":save NAME keeps this view")
	a.command("save bad/name")
	a.mustShow(`"bad/name" is not a view name`)
}

func TestViewsPaneListsAndDeletes(t *testing.T) {
	store := savedview.Open(t.TempDir())
	for _, n := range []string{"one", "two"} {
		if err := store.Save(savedview.View{Name: n, Pane: pane.Hosts, State: pane.ViewState{Filter: n}}); err != nil {
			t.Fatal(err)
		}
	}
	a := start(t, 120, 35, true, Options{Views: store})
	a.command("views")
	if a.m.top() != viewlist.Kind {
		t.Fatalf("top is %v after :views", a.m.top())
	}
	a.mustShow("Views[2]", "one", "/two")
	a.press("d")
	a.mustShow("view one deleted", "Views[1]")
	if names := store.Names(); !slices.Equal(names, []string{"two"}) {
		t.Fatalf("file holds %v", names)
	}
	a.press("enter")
	if a.m.top() != pane.Hosts {
		t.Fatalf("enter on a view left %v on top", a.m.top())
	}
	a.mustShow("/two")
}

func TestColumnChoiceIsKeptAndRestored(t *testing.T) {
	var kept [][]string
	save := func(profile string, c []string) error {
		if profile != "demo" {
			t.Errorf("kept for profile %q", profile)
		}
		kept = append(kept, c)
		return nil
	}
	a := start(t, 120, 35, true, Options{HostColumns: map[string][]string{"demo": {"hostname", "zta"}, "other": {"os"}}, SaveHostColumns: save})
	a.mustShow("HOSTNAME", "ZTA")
	if strings.Contains(a.screen(), "PLATFORM") {
		t.Fatal("the kept choice was not restored")
	}
	a.press("C", "j", "j", "space", "enter") // show the third column, platform
	if len(kept) != 1 || !slices.Equal(kept[0], []string{"hostname", "zta", "platform"}) {
		t.Fatalf("kept %v", kept)
	}
	a.mustShow("PLATFORM")
}

func TestProfileSwitchTakesThatProfilesColumns(t *testing.T) {
	_, open, _ := otherProfile(t, 20)
	a := start(t, 120, 35, true, Options{OpenProfile: open,
		HostColumns: map[string][]string{"demo": {"hostname", "zta"}, "work": {"hostname", "serial"}}})
	a.mustShow("ZTA")
	a.command("profile work")
	a.mustShow("profile work", "SERIAL")
	if strings.Contains(a.screen(), " ZTA") {
		t.Fatal("the first profile's columns stayed after :profile")
	}
	// A threshold set with :zta outlives the switch too.
	a.command("zta 40")
	a.command("profile work")
	a.mustShow("ZTA<40 ▼")
}
