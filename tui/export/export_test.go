package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCSVCellNeutralisesFormulasAndControls(t *testing.T) {
	for in, want := range map[string]string{
		"web-01":                   "web-01",
		"=HYPERLINK(\"x\")":        "'=HYPERLINK(\"x\")",
		"+1":                       "'+1",
		"-2":                       "'-2",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "' =1",
		"\r=1":                     "' =1",
		"a\x1b]52;c;ZXZpbA==\x07b": "ab",
		"\x1b[31m=1":               "'=1",
		"":                         "",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterFormats(t *testing.T) {
	cols := []string{"device_id", "hostname"}
	rows := [][]string{{"0123", "=cmd|' /C calc'!A0"}, {"4567", "bad\x1b[2Jname\u202e"}}
	for _, f := range []Format{CSV, JSON, NDJSON} {
		var b bytes.Buffer
		w, err := NewWriter(&b, f, cols)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\u202e") {
			t.Fatalf("%s: control characters reached the file: %q", f, out)
		}
		switch f {
		case CSV:
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(recs) != 3 || recs[1][1] != "'=cmd|' /C calc'!A0" || recs[2][1] != "badname\uFFFD" { // the bidi override is marked (docs/API.md: untrusted text)
				t.Fatalf("csv %q: %v %v", out, recs, err)
			}
		case JSON:
			var got []map[string]string
			if err := json.Unmarshal(b.Bytes(), &got); err != nil || len(got) != 2 || got[1]["hostname"] != rows[1][1] {
				t.Fatalf("json %q: %v %v", out, got, err)
			}
			if !strings.HasPrefix(out, `[`+"\n"+`{"device_id":"0123","hostname"`) {
				t.Fatalf("json keys not in column order: %q", out)
			}
		case NDJSON:
			lines := strings.Split(strings.TrimSpace(out), "\n")
			var got map[string]string
			if len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &got) != nil || got["hostname"] != rows[1][1] {
				t.Fatalf("ndjson %q", out)
			}
		}
	}
}

func TestFileNameAndCreate(t *testing.T) {
	at := time.Date(2026, 12, 4, 15, 30, 12, 0, time.UTC)
	if got := FileName("hosts", "Acme Corp/../x", at, CSV); got != "hosts-acme-corp-x-20261204-153012.csv" {
		t.Fatalf("FileName = %q", got)
	}
	if got := FileName("scopes", "", at, JSON); got != "scopes-20261204-153012.json" {
		t.Fatalf("FileName = %q", got)
	}
	dir := filepath.Join(t.TempDir(), "exports")
	p := filepath.Join(dir, "a.csv")
	f, got, err := Create(p, true)
	if err != nil || got != p {
		t.Fatal(got, err)
	}
	f.Close()
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
	}
	f, got, err = Create(p, true)
	if err != nil || got != filepath.Join(dir, "a-2.csv") {
		t.Fatalf("second default export: %q %v", got, err)
	}
	f.Close()
	if _, _, err := Create(p, false); !errors.Is(err, ErrExists) {
		t.Fatalf("a given path that exists: %v, want ErrExists", err)
	}
}

func TestDefaultDirFollowsXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	if d, _ := DefaultDir(); d != "/data/falcon-tui/exports" {
		t.Fatalf("DefaultDir = %q", d)
	}
	t.Setenv("XDG_DATA_HOME", "relative")
	home := t.TempDir()
	t.Setenv("HOME", home)
	if d, _ := DefaultDir(); d != filepath.Join(home, ".local", "share", "falcon-tui", "exports") {
		t.Fatalf("DefaultDir = %q", d)
	}
}
