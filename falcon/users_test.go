package falcon

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// The assignment picker's list: every console user of the tenant with a name and login,
// through the query and the (mimicked) entities POST; read-only mode allows it, since it
// is a read.
func TestSimUsersListGetLookup(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(21), falcontest.WithHosts(20), falcontest.WithTenants(2), falcontest.WithHostile(true))
	defer srv.Close()
	c := simClient(t, srv, "analyst", func(c *Config) { c.ReadOnly = true })
	ctx := context.Background()
	us, err := c.Users.List(ctx, "", "")
	if err != nil || len(us) < 8 {
		t.Fatalf("users: %d, %v", len(us), err)
	}
	hostile := false
	for i, u := range us {
		if u.UUID == "" || !strings.Contains(u.UID, "@") || u.CID == "" || u.Status == "" || u.Created.IsZero() {
			t.Errorf("user %d incomplete: %+v", i, u)
		}
		if i > 0 && us[i-1].UID > u.UID {
			t.Errorf("not in login order at %d", i)
		}
		if strings.ContainsAny(u.Name(), "\x1b\u202e\u200b") {
			hostile = true
		}
	}
	if !hostile {
		t.Error("WithHostile gave no hostile user names")
	}
	// Another tenant has its own users.
	child := srv.Tenants()[1].CID
	cus, err := c.Users.List(ctx, child, "")
	if err != nil || len(cus) == 0 || cus[0].CID != child {
		t.Fatalf("child users: %+v, %v", cus, err)
	}
	// Get keeps the order given and skips unknown UUIDs.
	got, err := c.Users.Get(ctx, "", us[2].UUID, "00000000-0000-4000-8000-000000000000", us[0].UUID)
	if err != nil || len(got) != 2 || got[0].UUID != us[2].UUID || got[1].UUID != us[0].UUID {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if got, err := c.Users.Get(ctx, "", "00000000-0000-4000-8000-000000000000"); err != nil || len(got) != 0 {
		t.Fatalf("get unknown: %+v, %v", got, err)
	}
	// "Me" is a configured login or UUID.
	for _, who := range []string{us[1].UID, strings.ToUpper(us[1].UID), us[1].UUID, strings.ToUpper(us[1].UUID)} {
		if u, err := c.Users.Lookup(ctx, "", who); err != nil || u.UUID != us[1].UUID {
			t.Errorf("lookup %q: %+v, %v", who, u, err)
		}
	}
	if _, err := c.Users.Lookup(ctx, "", "nobody@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("lookup of a stranger: %v", err)
	}
	active, err := c.Users.List(ctx, "", "status:'active'")
	if err != nil || len(active) == 0 || len(active) > len(us) {
		t.Fatalf("active users: %d, %v", len(active), err)
	}
	for _, u := range active {
		if u.Status != "active" {
			t.Errorf("filter let %+v through", u)
		}
	}
	if s := ScopeFor("POST", pathUsersEntities); s != "usermgmt:read" {
		t.Errorf("ScopeFor(users entities) = %q", s)
	}
}

// Without usermgmt:read the gateway refuses both calls, and the error names the scope.
func TestSimUsersScopeDenied(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithSeed(22), falcontest.WithHosts(10), falcontest.WithTenants(1),
		falcontest.WithClient("nousers", "devices:read", "alerts:read", "alerts:write"))
	defer srv.Close()
	c := simClient(t, srv, "nousers")
	_, err := c.Users.List(context.Background(), "", "")
	var ae *APIError
	if !errors.Is(err, ErrScopeDenied) || !errors.As(err, &ae) || ae.Scope != "usermgmt:read" {
		t.Fatalf("users without the scope: %v", err)
	}
}
