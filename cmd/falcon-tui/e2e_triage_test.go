package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// simStats reads the simulator's counters.
func simStats(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestAlertTriageEndToEnd sets an alert's status on the real binary against `falcon-tui sim`
// and sees it on the server: the simulator counts the update, and a reload of the new alerts
// (a fresh read) has one fewer.
func TestAlertTriageEndToEnd(t *testing.T) {
	sim := startSim(t, "--tenants", "1", "--hosts", "200")
	s := startExplorerEnv(t, "e2e-triage", []string{
		"FALCON_CLIENT_ID=" + sim.id, "FALCON_CLIENT_SECRET=" + sim.secret}, "--base-url", sim.url)
	s.waitFor("start", "HOSTNAME", "hosts in")

	s.keys(":")
	s.text("alerts")
	s.keys("Enter")
	s.waitFor(":alerts", "Alerts(", "SEVERITY", "STATUS")
	s.keys("f")
	s.text("status:'new'")
	s.keys("Enter")
	count := regexp.MustCompile(`Alerts\([^)]*\)\[([\d,]+)\] fql status:'new'`)
	scr := s.waitFor("fql", "fql status:'new'")
	got := count.FindStringSubmatch(scr)
	if got == nil {
		t.Fatalf("no count of the new alerts:\n%s", scr)
	}
	before := atoi(strings.ReplaceAll(got[1], ",", ""))
	if before == 0 {
		t.Fatal("no new alert to triage")
	}
	if n := simStats(t, sim.url)["alerts_updated"].(float64); n != 0 {
		t.Fatalf("alerts_updated %v before the triage", n)
	}

	s.keys("e")
	s.waitFor("e", "Set the status of the alert")
	s.keys("4")
	s.waitFor("confirm", "Confirm: status → closed", "y (or enter) sends")
	s.keys("y")
	s.waitFor("report", "1 of 1 updated", "✓")
	if n := simStats(t, sim.url)["alerts_updated"].(float64); n != 1 {
		t.Fatalf("alerts_updated %v after the triage, want 1", n)
	}
	s.keys("Enter")
	s.waitFor("the row shows it", "closed")

	// A reload reads the server again: the alert is no longer new.
	s.keys("r")
	s.waitFor("reload", "["+thousands(strconv.Itoa(before-1))+"] fql status:'new'")
	s.quit()
}
