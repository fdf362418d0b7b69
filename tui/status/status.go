// Package status carries app-wide notices and errors to the status bar. Any pane returns one
// of the helpers' commands; the root's Model shows the newest message until its TTL ends.
package status

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Level orders messages by how much the user needs to see them.
type Level int

const (
	LevelInfo Level = iota
	LevelSuccess
	LevelWarn
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelSuccess:
		return "ok"
	case LevelWarn:
		return "warn"
	case LevelError:
		return "error"
	}
	return "info"
}

// Default lifetimes: errors stay long enough to be read twice.
const (
	DefaultTTL = 4 * time.Second
	ErrorTTL   = 10 * time.Second
)

// Msg asks the status bar to show Text at Level for TTL (0 = the level's default).
type Msg struct {
	Level Level
	Text  string
	TTL   time.Duration
}

// Send returns a command delivering m.
func Send(m Msg) tea.Cmd { return func() tea.Msg { return m } }

// Info, Success and Warn return commands that show a notice.
func Info(format string, a ...any) tea.Cmd {
	return Send(Msg{Level: LevelInfo, Text: fmt.Sprintf(format, a...)})
}
func Success(format string, a ...any) tea.Cmd {
	return Send(Msg{Level: LevelSuccess, Text: fmt.Sprintf(format, a...)})
}
func Warn(format string, a ...any) tea.Cmd {
	return Send(Msg{Level: LevelWarn, Text: fmt.Sprintf(format, a...)})
}

// Error returns a command that shows err; nil gives nil.
func Error(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return Send(Msg{Level: LevelError, Text: err.Error()})
}

// Errorf returns a command that shows a formatted error.
func Errorf(format string, a ...any) tea.Cmd {
	return Send(Msg{Level: LevelError, Text: fmt.Sprintf(format, a...)})
}

// ttl is m's lifetime after defaults.
func (m Msg) ttl() time.Duration {
	switch {
	case m.TTL > 0:
		return m.TTL
	case m.Level == LevelError:
		return ErrorTTL
	}
	return DefaultTTL
}

// expiredMsg is tagged with the id of the message it ends, so that an older message's timer
// cannot clear a newer message.
type expiredMsg struct{ id int }

// Model is the status bar's current message. The zero value is ready to use.
type Model struct {
	cur Msg
	id  int
}

// Push shows m and returns the timer that will clear it.
func (s *Model) Push(m Msg) tea.Cmd {
	s.id++
	s.cur = m
	id := s.id
	return tea.Tick(m.ttl(), func(time.Time) tea.Msg { return expiredMsg{id: id} })
}

// Update clears the message when its own timer fires. It reports whether msg was a status
// timer, so the root can stop routing it.
func (s *Model) Update(msg tea.Msg) bool {
	e, ok := msg.(expiredMsg)
	if !ok {
		return false
	}
	if e.id == s.id {
		s.cur = Msg{}
	}
	return true
}

// Current is the message to show; ok is false when there is none.
func (s Model) Current() (Msg, bool) { return s.cur, s.cur.Text != "" }

// Clear removes the message at once (the user pressed esc, say).
func (s *Model) Clear() { s.cur = Msg{} }
