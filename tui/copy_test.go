package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
	"github.com/falcon-tui/falcon-tui/tui/domain"
)

// clipboardType is the type of tea.SetClipboard's message (unexported in Bubble Tea).
var clipboardType = reflect.TypeOf(tea.SetClipboard("")())

// copied presses key and returns what it put on the clipboard and the status it showed.
func (a *app) copied(key string) (string, string) {
	a.t.Helper()
	a.r.Seen = nil
	a.press(key)
	var got []string
	for _, msg := range a.r.Seen {
		if reflect.TypeOf(msg) == clipboardType {
			got = append(got, reflect.ValueOf(msg).String())
		}
	}
	if len(got) != 1 {
		a.t.Fatalf("%s set the clipboard %d times (%q); status %q", key, len(got), got, a.r.LastStatus())
	}
	return got[0], a.r.LastStatus()
}

func TestCopyPutsTheIdUnderTheCursorOnTheClipboard(t *testing.T) {
	a := start(t, 120, 35, true, Options{})

	// Hosts: y the device id, Y name, id, tenant and CID.
	a.press("down", "down")
	h, ok := a.hostsPane().Selected()
	if !ok {
		t.Fatal("no host selected")
	}
	text, st := a.copied("y")
	if text != h.DeviceID {
		t.Fatalf("y copied %q, want the device id %q", text, h.DeviceID)
	}
	if want := "copied device id " + domain.ShortID(h.DeviceID); st != want || strings.Contains(st, h.DeviceID) {
		t.Fatalf("status %q, want %q (shortened)", st, want)
	}
	text, st = a.copied("Y")
	if want := strings.Join([]string{h.Hostname, h.DeviceID, "Home tenant", h.CID}, "\t"); text != want {
		t.Fatalf("Y copied %q, want %q", text, want)
	}
	if !strings.HasPrefix(st, "copied host "+h.Hostname) || strings.Contains(st, h.DeviceID) {
		t.Fatalf("Y status %q", st)
	}
	// With an FQL filter in force, Y carries it.
	a.press("f")
	a.r.TypeText("platform_name:'Linux'")
	a.press("enter")
	if h, ok = a.hostsPane().Selected(); !ok {
		t.Fatal("no Linux host")
	}
	if text, _ = a.copied("Y"); !strings.HasSuffix(text, "\tfql platform_name:'Linux'") || !strings.Contains(text, h.DeviceID) {
		t.Fatalf("Y with an FQL filter copied %q", text)
	}

	// Host detail.
	a.press("enter")
	if text, _ = a.copied("y"); text != h.DeviceID {
		t.Fatalf("y in the host detail copied %q, want %q", text, h.DeviceID)
	}
	a.press("esc")

	// Groups: the group id; a group's members: the device id.
	a.command("groups")
	gid, st := a.copied("y")
	if !hex32(gid) || st != "copied group id "+domain.ShortID(gid) {
		t.Fatalf("y in groups copied %q (%q), want a group id", gid, st)
	}
	text, _ = a.copied("Y")
	name, rest, _ := strings.Cut(text, "\t")
	if !strings.HasPrefix(rest, gid+"\t") || name == "" || !strings.Contains(a.screen(), name) {
		t.Fatalf("Y in groups copied %q, want the name on screen and %s", text, gid)
	}
	a.press("enter") // the group's members
	if text, st = a.copied("y"); !hex32(text) || st != "copied device id "+domain.ShortID(text) {
		t.Fatalf("y in a group's members copied %q (%q)", text, st)
	}
	if full, _ := a.copied("Y"); !strings.Contains(full, "\t"+text+"\t"+name+"\t"+gid) {
		t.Fatalf("Y in a group's members copied %q, want the device id, then the group", full)
	}
	a.press("esc")

	// Alerts: the composite id.
	a.command("alerts")
	al, ok := a.alertsPane().Selected()
	if !ok {
		t.Fatal("no alert selected")
	}
	if text, _ = a.copied("y"); text != al.CompositeID {
		t.Fatalf("y in alerts copied %q, want %q", text, al.CompositeID)
	}
	a.press("enter") // the alert in full
	if text, _ = a.copied("y"); text != al.CompositeID {
		t.Fatalf("y in the alert detail copied %q, want %q", text, al.CompositeID)
	}
	a.press("esc")

	// Tenants: the CID.
	a.command("tenants")
	tn, _ := a.tenantsPane().Selected()
	if text, _ = a.copied("y"); text != tn.CID {
		t.Fatalf("y in tenants copied %q, want %q", text, tn.CID)
	}

	// Scopes: the scope id, and Y its permissions.
	a.command("scopes")
	if text, _ = a.copied("y"); text == "" || strings.ContainsAny(text, " \t") {
		t.Fatalf("y in scopes copied %q", text)
	}
	id := text
	if text, _ = a.copied("Y"); !strings.Contains(text, "\t"+id+"\t"+id+":read") {
		t.Fatalf("Y in scopes copied %q", text)
	}
}

// Names from the API are cleaned before they reach the clipboard: a hostile host name's
// escape sequences (an OSC 52 of its own, a title change) are not pasted into a terminal.
func TestCopyCleansNamesFromTheAPI(t *testing.T) {
	a := start(t, 120, 35, true, Options{}, falcontest.WithHostile(true))
	n, _ := a.hostsPane().Count()
	dirty := 0
	for i := 0; i < n; i++ {
		h, _ := a.hostsPane().Selected()
		text, _ := a.copied("Y")
		if strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 }) {
			t.Fatalf("Y copied control characters: %q", text)
		}
		if !strings.Contains(text, h.DeviceID) {
			t.Fatalf("Y lost the device id: %q", text)
		}
		if strings.ContainsAny(h.Hostname, "\x1b\x07\u009b") {
			dirty++
		}
		a.press("down")
	}
	if dirty == 0 {
		t.Fatal("the hostile simulator gave no host name with an escape sequence: the test proves nothing")
	}
}

// A key that copies in one view says why it does nothing in a view without rows.
func TestCopyWithNothingUnderTheCursorSaysSo(t *testing.T) {
	a := start(t, 120, 35, true, Options{})
	a.press("f")
	a.r.TypeText("hostname:'no-such-host'")
	a.press("enter")
	a.r.Seen = nil
	a.press("y")
	if st := a.r.LastStatus(); st != "nothing to copy: no row under the cursor" {
		t.Fatalf("y on an empty list said %q", st)
	}
}

func hex32(s string) bool {
	return len(s) == 32 && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}
