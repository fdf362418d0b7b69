package hosts

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

var sizes = []struct{ w, h int }{{100, 30}, {140, 40}}

// TestGolden renders the pane in its typical states at two sizes, dark and light.
func TestGolden(t *testing.T) {
	states := map[string]func(Model) Model{
		"loaded": func(m Model) Model {
			for _, k := range []string{"down", "down", "space", "space", "down"} {
				m, _ = m.Update(tuitest.Key(k))
			}
			return m
		},
		"sorted": func(m Model) Model {
			for _, k := range []string{"s", "s", "s", "s", "S"} { // last seen, newest first
				m, _ = m.Update(tuitest.Key(k))
			}
			return m
		},
		"filtering": func(m Model) Model {
			m, _ = m.Update(tuitest.Key("/"))
			for _, k := range tuitest.Type("web win") {
				m, _ = m.Update(k)
			}
			return m
		},
		"loading": func(m Model) Model {
			m.loading, m.complete = true, false
			m.counts["c1"] = 1000
			return m
		},
		"fql-rejected": func(m Model) Model {
			m, _ = m.Update(tuitest.Key("f"))
			for _, k := range tuitest.Type("platform_name:'Windows") {
				m, _ = m.Update(k)
			}
			m.prompt.Answer(refusal("400: invalid filter: unterminated string at offset 14"))
			m.resize()
			return m
		},
		"columns": func(m Model) Model {
			for _, k := range []string{"C", "j", "space", "j", "J"} {
				m, _ = m.Update(tuitest.Key(k))
			}
			return m
		},
		"scope-denied": func(m Model) Model {
			m.rows.Reset()
			m.table.SetRows(0)
			m.err = fmt.Errorf("list: %w", &falcon.APIError{StatusCode: 403, Scope: "devices:read"})
			m.err = errors.Join(m.err, falcon.ErrScopeDenied)
			m.loading, m.complete = false, false
			return m
		},
	}
	for name, set := range states {
		for _, sz := range sizes {
			for _, dark := range []bool{true, false} {
				mode := "light"
				if dark {
					mode = "dark"
				}
				t.Run(fmt.Sprintf("%s/%dx%d/%s", name, sz.w, sz.h, mode), func(t *testing.T) {
					st := theme.New(dark, theme.WithNoColor(false))
					m := set(fakeModel(300, sz.w, sz.h, st))
					out := m.View()
					assertSize(t, out, sz.w, sz.h)
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}

// assertSize checks the pane contract: exactly width × height cells.
func assertSize(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := splitLines(out)
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// refusal is a server's rejection of an FQL filter, in its own words.
type refusal string

func (r refusal) Error() string        { return string(r) }
func (r refusal) Is(target error) bool { return target == falcon.ErrInvalidRequest }
