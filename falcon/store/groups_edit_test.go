package store

import (
	"context"
	"slices"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// TestEditMembers: confirmed additions and removals change only the hosts named.
func TestEditMembers(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "default", profiletest.New(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := cid(1)
	if err := s.PutMembers(ctx, c, "g1", []string{"a", "b"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.EditMembers(ctx, c, "g1", true, []string{"c", "a"}); err != nil {
		t.Fatal(err)
	}
	if err := s.EditMembers(ctx, c, "g1", false, []string{"b", "zz"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Members(ctx, c, "g1")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("members %v, want [a c]", got)
	}
}
