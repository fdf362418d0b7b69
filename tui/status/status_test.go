package status

import (
	"errors"
	"testing"
	"time"
)

func TestPushExpire(t *testing.T) {
	var m Model
	if m.Push(Msg{Level: LevelInfo, Text: "one"}) == nil || m.Push(Msg{Level: LevelError, Text: "two"}) == nil {
		t.Fatal("Push returned no timer")
	}
	// The first timer must not clear the second message. The timers' messages are built
	// directly: running the commands would wait out the TTLs.
	if !m.Update(expiredMsg{id: 1}) {
		t.Fatal("expiry not recognised")
	}
	if cur, ok := m.Current(); !ok || cur.Text != "two" {
		t.Fatalf("current = %+v, %v; want two", cur, ok)
	}
	m.Update(expiredMsg{id: 2})
	if _, ok := m.Current(); ok {
		t.Fatal("message survived its own timer")
	}
	if m.Update("other") {
		t.Fatal("foreign message claimed")
	}
}

func TestHelpers(t *testing.T) {
	if Error(nil) != nil {
		t.Fatal("Error(nil) should be nil")
	}
	got := Error(errors.New("boom"))().(Msg)
	if got.Level != LevelError || got.Text != "boom" || got.ttl() != ErrorTTL {
		t.Fatalf("Error = %+v", got)
	}
	if w := Warn("x %d", 1)().(Msg); w.Text != "x 1" || w.Level != LevelWarn || w.ttl() != DefaultTTL {
		t.Fatalf("Warn = %+v", w)
	}
	if m := (Msg{TTL: time.Second}); m.ttl() != time.Second {
		t.Fatal("explicit TTL ignored")
	}
}
