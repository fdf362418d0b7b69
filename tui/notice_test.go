package tui

import (
	"strings"
	"testing"
)

// Options.Notice is said once, in the status bar, when the first connect succeeds.
func TestStartNoticeShownOnce(t *testing.T) {
	const note = "the local store is busy: access tokens are not kept this run"
	a := start(t, 120, 35, true, Options{Notice: note})
	if s := a.screen(); !strings.Contains(s, note) {
		t.Fatalf("the notice is not in the status bar:\n%s", s)
	}
	if a.m.opts.Notice != "" {
		t.Error("the notice would be said again after :profile")
	}
}
