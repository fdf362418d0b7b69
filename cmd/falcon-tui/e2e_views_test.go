package main

import (
	"regexp"
	"strings"
	"testing"
)

// frameLines are the hosts frame's title line and info line, with the load's timing
// ("995 hosts in 0.2s") cut: the rest must be equal when a view is restored.
func frameLines(t *testing.T, scr string) (title, info string) {
	t.Helper()
	lines := strings.Split(scr, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Hosts(") && i+1 < len(lines) {
			timing := regexp.MustCompile(`[\d,]+ hosts in [\d.]+s`)
			return strings.TrimSpace(l), strings.TrimSpace(timing.ReplaceAllString(lines[i+1], ""))
		}
	}
	t.Fatalf("no hosts frame on screen:\n%s", scr)
	return "", ""
}

// TestZTAAndSavedViewsEndToEnd: `:zta 75` marks hosts below 75 and says how many would be
// refused; a view saved with a filter and a sort comes back, after a restart with
// --view, as the same screen.
func TestZTAAndSavedViewsEndToEnd(t *testing.T) {
	cfg := t.TempDir()
	env := []string{"XDG_CONFIG_HOME=" + cfg}
	s := startExplorerEnv(t, "views", env, "--demo")
	s.waitFor("start", "Hosts(", "HOSTNAME", "hosts in")

	s.keys(":")
	s.text("zta 75")
	s.keys("Enter")
	scr := s.waitFor(":zta 75", "ZTA<75 ▼", "│  ▼ ", "would be refused")
	if !regexp.MustCompile(`ZTA threshold 75: [\d,]+ hosts of .* score below it`).MatchString(scr) {
		t.Fatalf("no count of the hosts refused:\n%s", scr)
	}
	s.keys(":")
	s.text("zta off")
	s.keys("Enter")
	s.waitGone(":zta off", "ZTA<75")

	// A filter and a sort, kept as a view.
	s.keys("/")
	s.text("api")
	s.keys("Enter", "s", "S")
	scr = s.waitFor("filter and sort", "/api", "sort platform ▼")
	title, info := frameLines(t, scr)
	s.keys(":")
	s.text("save e2e-api")
	s.keys("Enter")
	s.waitFor(":save", "view e2e-api saved")
	s.quit()

	r := startExplorerEnv(t, "views2", env, "--demo", "--view", "e2e-api")
	scr = r.waitFor("--view", "/api", "sort platform ▼", "hosts in")
	gotTitle, gotInfo := frameLines(t, scr)
	if gotTitle != title || gotInfo != info {
		t.Fatalf("--view shows\n%q\n%q\nwant\n%q\n%q", gotTitle, gotInfo, title, info)
	}
	r.keys(":")
	r.text("views")
	r.keys("Enter")
	r.waitFor(":views", "Views[1]", "e2e-api")
	r.quit()
}
