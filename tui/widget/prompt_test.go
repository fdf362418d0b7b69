package widget

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

func keyOf(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

func typeInto(t *testing.T, p *Prompt, s string) PromptEvent {
	t.Helper()
	var ev PromptEvent
	for _, r := range s {
		ev, _ = p.Key(keyOf(string(r)))
	}
	return ev
}

func TestPromptFilter(t *testing.T) {
	p := NewPrompt(theme.New(true))
	p.OpenFilter("hint", "we")
	if p.Mode() != PromptFilter || p.Value() != "we" || p.Lines() != 1 {
		t.Fatalf("opened: mode %d value %q lines %d", p.Mode(), p.Value(), p.Lines())
	}
	if ev := typeInto(t, &p, "b"); ev != PromptEdited || p.Value() != "web" {
		t.Fatalf("typing: %d %q", ev, p.Value())
	}
	if ev, _ := p.Key(keyOf("enter")); ev != PromptKept || p.Open() || p.Value() != "web" {
		t.Fatalf("enter: %d open %v value %q", ev, p.Open(), p.Value())
	}
	p.OpenFilter("hint", p.Value())
	if ev, _ := p.Key(keyOf("esc")); ev != PromptCleared || p.Open() || p.Value() != "" {
		t.Fatalf("esc: %d open %v value %q", ev, p.Open(), p.Value())
	}
	if p.Lines() != 0 || p.View(40) != "" {
		t.Fatal("a closed prompt takes room")
	}
}

// rejection is an API's refusal of a filter.
type rejection string

func (r rejection) Error() string        { return string(r) }
func (r rejection) Is(target error) bool { return target == falcon.ErrInvalidRequest }

func TestPromptFQLRoundTrip(t *testing.T) {
	p := NewPrompt(theme.New(true, theme.WithNoColor(true)))
	p.OpenFQL("hint")
	typeInto(t, &p, "a:1")
	if ev, _ := p.Key(keyOf("enter")); ev != PromptQuery || p.FQL() != "a:1" || !p.Pending() {
		t.Fatalf("enter: %d fql %q pending %v", ev, p.FQL(), p.Pending())
	}
	if ev, _ := p.Key(keyOf("enter")); ev != PromptBusy {
		t.Fatalf("enter while pending: %d", ev)
	}
	if !strings.Contains(ansi.Strip(p.View(40)), "querying…") {
		t.Fatalf("pending view %q", p.View(40))
	}
	if rejected, _ := p.Answer(nil); rejected || p.Open() || p.FQL() != "a:1" {
		t.Fatalf("accepted: rejected %v open %v fql %q", rejected, p.Open(), p.FQL())
	}

	// A refused filter keeps the prompt open with the server's words and restores the
	// filter in force before it.
	p.OpenFQL("hint")
	typeInto(t, &p, "+(")
	p.Key(keyOf("enter"))
	rejected, _ := p.Answer(fmt.Errorf("list: %w", rejection("400: unbalanced parenthesis")))
	if !rejected || !p.Open() || p.FQL() != "a:1" || p.Err() != "list: 400: unbalanced parenthesis" {
		t.Fatalf("rejected %v open %v fql %q err %q", rejected, p.Open(), p.FQL(), p.Err())
	}
	if p.Lines() != 2 || !strings.Contains(ansi.Strip(p.View(60)), "✗ list: 400") {
		t.Fatalf("lines %d view %q", p.Lines(), ansi.Strip(p.View(60)))
	}
	if ev, _ := p.Key(keyOf("esc")); ev != PromptDismissed || p.FQL() != "a:1" || p.Err() != "" {
		t.Fatalf("esc: %d fql %q err %q", ev, p.FQL(), p.Err())
	}

	// Another tenant: the FQL filter goes, an open local filter stays.
	p.OpenFilter("hint", "x")
	p.ResetFQL()
	if p.FQL() != "" || p.Mode() != PromptFilter {
		t.Fatalf("after ResetFQL: fql %q mode %d", p.FQL(), p.Mode())
	}
	p.OpenFQL("hint")
	p.ResetFQL()
	if p.Open() {
		t.Fatal("ResetFQL left the FQL prompt open")
	}
}
