package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// hosts --zta-below N lists exactly the hosts the assessments query puts below N, lowest
// score first, as hosts output; the score filter is the server's (one query, not a read
// of every host's assessment).
func TestHostsZTABelow(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(1), falcontest.WithHosts(300))
	t.Cleanup(srv.Close)
	cred := srv.Client("full")
	c, err := falcon.New(falcon.Config{ClientID: cred.ID, ClientSecret: cred.Secret, BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	want, err := c.ZTA.Below(context.Background(), srv.ParentCID(), 60)
	if err != nil || len(want) == 0 {
		t.Fatalf("Below: %d hosts, %v", len(want), err)
	}
	before := srv.Stats().ByOperation["GET /zero-trust-assessment/entities/assessments/v1"]

	var out bytes.Buffer
	code, errs := runHostsAs(t, srv, srv.URL, "full", &out, "--zta-below", "60", "--format", "ndjson")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var r hostRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not NDJSON: %q", sc.Text())
		}
		got = append(got, r.DeviceID)
	}
	if len(got) != len(want) {
		t.Fatalf("%d hosts listed, %d score below 60", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i].AID {
			t.Fatalf("host %d is %s, want %s (lowest score first)", i, got[i], want[i].AID)
		}
	}
	if n := srv.Stats().ByOperation["GET /zero-trust-assessment/entities/assessments/v1"]; n != before {
		t.Fatalf("--zta-below read %d assessments one by one", n-before)
	}

	for _, args := range [][]string{{"--zta-below", "101"}, {"--zta-below", "-2"}, {"--zta-below", "50", "--filter", "platform_name:'Linux'"}} {
		code, errs := runHostsAs(t, srv, srv.URL, "full", &out, args...)
		if code != exitUsage || !strings.Contains(errs, "--zta-below") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}

func TestExplorerFlagsAreChecked(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--zta-threshold", "120"}, "--zta-threshold 120"},
		{[]string{"--view", "no such/name"}, "--view"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"--demo"}, c.args...), &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--demo", "--view", "nosuch"}, &out, &errb)
	if code == exitOK || !strings.Contains(errb.String(), `--view "nosuch": there is no such view`) {
		t.Errorf("unknown view: exit %d, %q", code, errb.String())
	}
}
