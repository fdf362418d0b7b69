package falcon

import (
	"context"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// Issue 11 item 4: a list of one tenant must say whether the children were hidden (no
// mssp:read) or there are none, so that the explorer can name the missing scope.
func TestTenantsListSaysWhenChildrenAreHidden(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithTenants(3), falcontest.WithHosts(10))
	t.Cleanup(srv.Close)
	ctx := context.Background()

	partial, err := simClient(t, srv, "partial").Tenants.List(ctx)
	if err != nil || len(partial) != 1 || !partial[0].ChildrenHidden {
		t.Fatalf("without mssp:read: %+v, %v; want the home tenant marked ChildrenHidden", partial, err)
	}
	full, err := simClient(t, srv, "full").Tenants.List(ctx)
	if err != nil || len(full) != 4 || full[0].ChildrenHidden {
		t.Fatalf("with mssp:read: %+v, %v", full, err)
	}

	alone := falcontest.NewServer(falcontest.WithTenants(0), falcontest.WithHosts(5))
	t.Cleanup(alone.Close)
	none, err := simClient(t, alone, "full").Tenants.List(ctx)
	if err != nil || len(none) != 1 || none[0].ChildrenHidden {
		t.Fatalf("no children: %+v, %v; want one tenant, not marked hidden", none, err)
	}
}
