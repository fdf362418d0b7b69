package tui

import (
	"bytes"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/hosts"
	"github.com/falcon-tui/falcon-tui/tui/internal/tuitest"
	"github.com/falcon-tui/falcon-tui/tui/pane"
)

// terminal is what a program wrote: the raw bytes a terminal would receive.
type terminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *terminal) since(off int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()[off:]
}

func (t *terminal) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Len()
}

// selectedSpy wraps the explorer and reports the device id under the cursor when y is
// pressed, read on the program's own goroutine.
type selectedSpy struct {
	Model
	ids chan string
}

func (s selectedSpy) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "y" {
		if h, ok := pane.As[*hosts.Model](s.pane(pane.Hosts)); ok {
			if sel, ok := h.Selected(); ok {
				s.ids <- sel.DeviceID
			}
		}
	}
	next, cmd := s.Model.Update(msg)
	s.Model = next.(Model)
	return s, cmd
}

// The real program, its output captured raw: y writes the OSC 52 sequence carrying the
// base64 of the device id, and the id itself reaches the terminal nowhere else (the status
// bar shows it shortened).
func TestCopyWritesOSC52ToTheTerminal(t *testing.T) {
	a := newApp(t, Options{})
	spy := selectedSpy{Model: a.m, ids: make(chan string, 1)}
	spy.noTimers = false
	out := &terminal{}
	p := tea.NewProgram(spy, tea.WithOutput(out), tea.WithInput(nil), tea.WithWindowSize(120, 35),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	t.Cleanup(func() {
		p.Kill()
		<-done
	})

	// Wait until the hosts are on screen and the output has settled.
	waitOutput(t, out, 0, func(s string) bool { return strings.Contains(ansi.Strip(s), "hosts in") })
	quiet(out)

	off := out.len()
	p.Send(tuitest.Key("y"))
	var id string
	select {
	case id = <-spy.ids:
	case <-time.After(10 * time.Second):
		t.Fatal("y never reached the explorer")
	}
	seq := ansi.SetSystemClipboard(id) // ESC ] 52 ; c ; base64(id) BEL
	if !strings.HasPrefix(seq, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(id))) {
		t.Fatalf("unexpected OSC 52 form %q", seq)
	}
	waitOutput(t, out, off, func(s string) bool { return strings.Contains(s, seq) })
	quiet(out)
	chunk := out.since(off)
	if n := strings.Count(chunk, "\x1b]52;"); n != 1 {
		t.Fatalf("%d OSC 52 sequences after y, want 1:\n%q", n, chunk)
	}
	if strings.Contains(chunk, id) {
		t.Fatalf("the device id %s reached the terminal raw:\n%q", id, chunk)
	}
	rest := strings.Replace(chunk, seq, "", 1)
	if strings.Contains(rest, "\x1b]") {
		t.Fatalf("another OSC sequence after y:\n%q", rest)
	}
	if !strings.Contains(ansi.Strip(rest), "copied device id") {
		t.Fatalf("the status bar did not say what was copied:\n%q", ansi.Strip(rest))
	}
}

// waitOutput waits until what was written since off satisfies ok.
func waitOutput(t *testing.T, out *terminal, off int, ok func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok(out.since(off)) {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed what was expected; it got:\n%q", ansi.Strip(out.since(off)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quiet waits until nothing has been written for a while.
func quiet(out *terminal) {
	n := out.len()
	for i := 0; i < 100; i++ {
		time.Sleep(100 * time.Millisecond)
		m := out.len()
		if m == n {
			return
		}
		n = m
	}
}
