package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExportEndToEnd: ctrl+s on a filtered hosts view of the real binary writes a CSV, in
// $XDG_DATA_HOME/falcon-tui/exports, whose data rows are as many as the title counts, and
// the status bar names the file.
func TestExportEndToEnd(t *testing.T) {
	sim := startSim(t, "--tenants", "1", "--hosts", "3000")
	data := t.TempDir()
	s := startExplorerEnv(t, "e2e-export", []string{
		"FALCON_CLIENT_ID=" + sim.id, "FALCON_CLIENT_SECRET=" + sim.secret, "XDG_DATA_HOME=" + data},
		"--base-url", sim.url)
	title := regexp.MustCompile(`Hosts\([^)]*\)\[([\d,]+)/([\d,]+)\]`)

	s.waitFor("hosts loaded", "HOSTNAME", "hosts in")
	s.keys("/")
	s.text("windows")
	s.keys("Enter")
	// The filter applies at each typed letter: wait until the title has settled on the
	// whole word's count.
	var m []string
	scr := ""
	for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); {
		scr = s.screen()
		now := title.FindStringSubmatch(scr)
		if now != nil && m != nil && now[0] == m[0] && strings.Contains(scr, "│/windows") {
			break
		}
		m = now
		time.Sleep(300 * time.Millisecond)
	}
	if m == nil {
		t.Fatalf("no filtered count in the title:\n%s", scr)
	}
	shown := atoi(strings.ReplaceAll(m[1], ",", ""))
	if shown == 0 || m[1] == m[2] {
		t.Fatalf("the filter shows %s of %s hosts", m[1], m[2])
	}

	s.keys("C-s")
	s.waitFor("export notice", "exported "+m[1]+" hosts to")
	files, err := filepath.Glob(filepath.Join(data, "falcon-tui", "exports", "hosts-*.csv"))
	if err != nil || len(files) != 1 {
		t.Fatalf("exports: %v %v", files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != shown {
		t.Fatalf("%s holds %d data rows, the title says %d", files[0], len(recs)-1, shown)
	}
	for _, r := range recs[1:] {
		if r[2] != "Windows" {
			t.Fatalf("a %s host in the export of the Windows filter", r[2])
		}
	}
	if fi, _ := f.Stat(); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	s.quit()
}
