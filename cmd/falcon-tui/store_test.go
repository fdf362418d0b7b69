package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
	"github.com/falcon-tui/falcon-tui/falcon/store"
)

// fillStore puts a tenant with n hosts and a token in profile name's store.
func fillStore(t *testing.T, kr *profiletest.Keyring, name string, n int) string {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, name, kr, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cid := strings.Repeat("ab", 16)
	at := time.Now().Add(-14 * time.Minute)
	if err := s.PutTenants(ctx, []store.Tenant{{CID: cid, Name: "Acme Child", Hosts: n, Groups: -1, Alerts: -1}}, at); err != nil {
		t.Fatal(err)
	}
	hs := make([]falcon.Host, n)
	for i := range hs {
		hs[i] = falcon.Host{DeviceID: fmt.Sprintf("%032x", i+1), Hostname: fmt.Sprintf("host-%d", i)}
	}
	if err := s.PutHosts(ctx, cid, hs, at); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "client-id", cid, store.Token{Value: "tok-SECRET-VALUE", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return s.Path()
}

func storeJSONOf(t *testing.T, args ...string) storeJSON {
	t.Helper()
	code, out, errOut := cli(t, "", append([]string{"store", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("store --json: exit %d, %s", code, errOut)
	}
	var v storeJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	return v
}

func TestStoreCommandShowsAndClears(t *testing.T) {
	kr, _ := fakeProfiles(t)
	code, out, _ := cli(t, "", "store")
	if code != 0 || !strings.Contains(out, "has no local store yet") {
		t.Fatalf("store with none: exit %d, %q", code, out)
	}
	if kr.Len() != 0 {
		t.Fatal("looking at the store created a key")
	}
	path := fillStore(t, kr, "default", 25)
	if want := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "falcon-tui", "default.db"); path != want {
		t.Fatalf("store at %s, want %s", path, want)
	}

	code, out, _ = cli(t, "", "store")
	for _, want := range []string{path, "user store:default", "1 tenant, 25 hosts", "Acme Child", "14 min ago"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("store: exit %d, no %q in:\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "SECRET") {
		t.Fatal("store printed a token")
	}
	v := storeJSONOf(t)
	if !v.Exists || v.Hosts != 25 || v.Tokens != 1 || len(v.Tenants) != 1 || v.Tenants[0].Hosts != 25 || v.Bytes == 0 || v.Path != path {
		t.Fatalf("store --json = %+v", v)
	}

	code, out, _ = cli(t, "", "store", "clear")
	if code != 0 || !strings.Contains(out, "Cleared the local store") {
		t.Fatalf("store clear: exit %d, %q", code, out)
	}
	if v := storeJSONOf(t); v.Hosts != 0 || v.Tokens != 0 || len(v.Tenants) != 0 || !v.Exists {
		t.Fatalf("after clear: %+v", v)
	}
	if _, ok := kr.Peek(profile.Service, store.KeyUser("default")); !ok {
		t.Fatal("clear removed the key")
	}
	if code, _, errOut := cli(t, "", "store", "extra"); code != exitUsage {
		t.Fatalf("store extra: exit %d %s", code, errOut)
	}
}

func TestStoreWithoutKeyringSaysSo(t *testing.T) {
	kr, _ := fakeProfiles(t)
	fillStore(t, kr, "default", 1)
	kr.Fail("", fmt.Errorf("The name org.freedesktop.secrets was not provided by any .service files"))
	code, _, errOut := cli(t, "", "store")
	if code != 1 || !strings.Contains(errOut, "keyring") {
		t.Fatalf("store without a keyring: exit %d, %q", code, errOut)
	}
}

func TestLogoutLeavesNoStoreAndNoKey(t *testing.T) {
	kr, _ := fakeProfiles(t)
	srv := newSim(t)
	c := srv.Client("full")
	if code, _, errOut := cli(t, c.Secret+"\n", loginArgs(srv, "default", c.ID)...); code != 0 {
		t.Fatalf("login: %d %s", code, errOut)
	}
	path := fillStore(t, kr, "default", 10)
	if kr.Len() != 2 {
		t.Fatalf("keyring holds %d items, want the secret and the store key", kr.Len())
	}
	code, out, errOut := cli(t, "", "logout")
	if code != 0 || !strings.Contains(out, "local store") {
		t.Fatalf("logout: exit %d, %q %q", code, out, errOut)
	}
	if left, _ := filepath.Glob(path + "*"); len(left) != 0 {
		t.Fatalf("files left after logout: %v", left)
	}
	if kr.Len() != 0 {
		t.Fatalf("the keyring still holds %d items", kr.Len())
	}
	if code, _, _ := cli(t, "", "logout"); code != 0 {
		t.Fatal("a second logout failed")
	}
}

func TestNoStoreFlagAndProfileSetting(t *testing.T) {
	kr, _ := fakeProfiles(t)
	a := newApp(new(strings.Builder), new(strings.Builder))
	a.g.NoStore = true
	if s, err := a.openLocalStore(context.Background()); s != nil || err != nil {
		t.Fatalf("--no-store opened %v, %v", s, err)
	}
	if kr.Len() != 0 {
		t.Fatal("--no-store created a key")
	}

	srv := newSim(t)
	c := srv.Client("full")
	if code, _, errOut := cli(t, c.Secret+"\n", append(loginArgs(srv, "nostore", c.ID), "--no-store")...); code != 0 {
		t.Fatalf("login --no-store: %d %s", code, errOut)
	}
	if v := storeJSONOf(t, "--profile", "nostore"); !strings.Contains(v.Off, "no_store") {
		t.Fatalf("profile setting not reported: %+v", v)
	}
	a = newApp(new(strings.Builder), new(strings.Builder))
	a.g.Profile = "nostore"
	if s, err := a.openLocalStore(context.Background()); s != nil || err != nil {
		t.Fatalf("no_store profile opened %v, %v", s, err)
	}
	// Logging in again without the flag keeps the setting; --no-store=false clears it.
	if code, _, _ := cli(t, c.Secret+"\n", loginArgs(srv, "nostore", c.ID)...); code != 0 {
		t.Fatal("login again")
	}
	if a.storeOff() == "" {
		t.Fatal("logging in again dropped no_store")
	}
	if code, _, _ := cli(t, c.Secret+"\n", append(loginArgs(srv, "nostore", c.ID), "--no-store=false")...); code != 0 {
		t.Fatal("login --no-store=false")
	}
	if why := a.storeOff(); why != "" {
		t.Fatalf("still off: %s", why)
	}
	s, err := a.openLocalStore(context.Background())
	if err != nil || s == nil {
		t.Fatalf("store on again: %v, %v", s, err)
	}
	_ = s.Close()
}

func TestHostsCachedExportsFromTheStore(t *testing.T) {
	kr, _ := fakeProfiles(t)
	// No store yet: an error, nothing on standard output.
	if code, out, errOut := cli(t, "", "hosts", "--cached"); code != 1 || out != "" || !strings.Contains(errOut, "no local store") {
		t.Fatalf("no store: exit %d, %q, %q", code, out, errOut)
	}
	fillStore(t, kr, "default", 30)
	code, out, errOut := cli(t, "", "hosts", "--cached", "--format", "ndjson")
	if code != 0 {
		t.Fatalf("hosts --cached: exit %d, %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 30 {
		t.Fatalf("%d records, want 30:\n%s", len(lines), out)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec["cid"] != strings.Repeat("ab", 16) || rec["hostname"] == nil {
		t.Fatalf("first record %v (%v)", rec, err)
	}
	if _, ok := rec["first_seen"]; ok {
		t.Fatal("a field the store does not keep was printed")
	}
	if !strings.Contains(errOut, "Acme Child") || !strings.Contains(errOut, "30 hosts from the local store, as of 14 min ago") {
		t.Fatalf("no age on stderr: %q", errOut)
	}
	code, out, _ = cli(t, "", "hosts", "--cached", "--all-tenants", "--format", "csv", "--fields", "hostname")
	if code != 0 || len(strings.Split(strings.TrimSpace(out), "\n")) != 31 || !strings.HasPrefix(out, "cid,device_id,hostname\n") {
		t.Fatalf("csv: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"--filter", "hostname:'x'"}, {"--sort", "hostname.asc"}, {"--fields", "first_seen"}, {"--no-store"}} {
		if code, _, errOut := cli(t, "", append([]string{"hosts", "--cached"}, bad...)...); code != exitUsage {
			t.Errorf("%v: exit %d, %s", bad, code, errOut)
		}
	}
}
