package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRequestLogEndToEnd browses on the real binary, opens `:log` and finds the calls with
// their trace ids, and the same records in the --log file: the pane and the file are fed by
// one request log.
func TestRequestLogEndToEnd(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "calls.log")
	s := startExplorer(t, "e2e-log", "--demo", "--log", logFile)
	s.waitFor("start", "Hosts(", "HOSTNAME", "hosts in")

	// Browse: the groups of the home tenant.
	s.keys(":")
	s.text("groups")
	s.keys("Enter")
	s.waitFor(":groups", "Linux Production", "enter members")

	s.keys(":")
	s.text("log")
	s.keys("Enter")
	s.waitFor(":log", "Request log[", "TRACE ID", "/devices/")
	s.keys("/")
	s.text("host-groups")
	s.keys("Enter")
	scr := s.waitFor("/host-groups", "/devices/combined/host-groups/v1", "/host-groups")
	trace := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`).FindString(scr)
	if trace == "" {
		t.Fatalf("no trace id on the request log:\n%s", scr)
	}
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), trace) {
		t.Fatalf("trace id %s is on screen but not in the --log file", trace)
	}

	// The first calls of the session are kept too: the token request, found by the filter.
	s.keys("/", "C-u")
	s.text("oauth2")
	s.keys("Enter")
	s.waitFor("/oauth2", "/oauth2/token", "/oauth2")

	// The call in full, and back.
	s.keys("Enter")
	s.waitFor("enter", "Request log › call #", "RESPONSE HEADERS", "X-Cs-Traceid")
	s.keys("Escape")
	s.waitFor("esc", "Request log[")

	// L from another pane shows it again.
	s.keys(":")
	s.text("hosts")
	s.keys("Enter")
	s.waitFor(":hosts", "HOSTNAME")
	s.keys("L")
	s.waitFor("L", "Request log[", "TRACE ID")
	s.quit()
}
