package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// codedError is an error with the exit code it ends the process with. A nil err means the
// command has reported everything already (hosts' per-tenant lines): only the code is left.
type codedError struct {
	code int
	err  error
	cmd  *cobra.Command // for usage errors: whose --help to point at
}

func (e *codedError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *codedError) Unwrap() error { return e.err }

// usageErrorf is a usage error (exit 2) of cmd: a bad flag value, a stray argument.
func usageErrorf(cmd *cobra.Command, format string, a ...any) error {
	return &codedError{code: exitUsage, err: fmt.Errorf(format, a...), cmd: cmd}
}

// asUsage marks err as a usage error of cmd.
func asUsage(cmd *cobra.Command, err error) error {
	return &codedError{code: exitUsage, err: err, cmd: cmd}
}

// withExit gives err another exit code than the default 1.
func withExit(code int, err error) error { return &codedError{code: code, err: err} }

// reported is the exit code of a command that has printed its errors itself.
func reported(code int) error { return &codedError{code: code} }

// exitCode maps what the command tree returned to the process's exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *codedError
	if errors.As(err, &ce) {
		return ce.code
	}
	return exitError
}

// errorReporter prints errors to standard error: plain "falcon-tui CMD: message" lines when
// it is piped or redirected (logs, scripts), a styled block on a terminal. Error text can carry
// the server's own words (errors[].message, trace ids), which are untrusted: every line is
// stripped of terminal control sequences first.
type errorReporter struct {
	w        io.Writer
	terminal func() bool
	// cmd is the command that was running, or whose flags failed to parse: it names the
	// command in the message. Set by the command tree (root.go) as it runs.
	cmd *cobra.Command
}

// handle is fang's error handler: it gets every error the command tree returns, once. The
// writer fang passes wraps the same standard error and downsamples colours to what it takes
// (none when NO_COLOR is set); whether to style at all is decided on standard error itself.
func (r *errorReporter) handle(w io.Writer, _ fang.Styles, err error) {
	var ce *codedError
	if errors.As(err, &ce) && ce.err == nil {
		return // reported already
	}
	if errors.Is(err, context.Canceled) {
		err = errors.New("interrupted")
	}
	cmd, usage := r.cmd, false
	if errors.As(err, &ce) {
		usage = ce.code == exitUsage
		if ce.cmd != nil {
			cmd = ce.cmd
		}
	}
	r.print(w, err, usage, cmd)
}

// report prints one error while the command goes on (a tenant that failed among others).
func (r *errorReporter) report(err error) {
	r.print(colorprofile.NewWriter(r.w, os.Environ()), err, false, r.cmd)
}

func (r *errorReporter) print(w io.Writer, err error, usage bool, cmd *cobra.Command) {
	name := "falcon-tui"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = sanitize.Text(l) // line by line, so multi-line hints keep their layout
	}
	if !r.terminal() {
		fmt.Fprintf(w, "%s: %s\n", name, strings.Join(lines, "\n"))
		if usage {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", name)
		}
		return
	}
	st := newErrorStyles()
	fmt.Fprintf(w, "%s %s\n", st.badge.Render("ERROR"), st.command.Render(name))
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
	if usage {
		fmt.Fprintf(w, "  Try %s for usage.\n", st.flag.Render(name+" --help"))
	}
}

// errorStyles are fang's colours for errors (its handler's badge), so that an error reads
// like the help around it.
type errorStyles struct {
	badge, command, flag lipgloss.Style
}

func newErrorStyles() errorStyles {
	cs := fang.DefaultColorScheme(lipgloss.LightDark(true))
	return errorStyles{
		badge:   lipgloss.NewStyle().Foreground(cs.ErrorHeader[0]).Background(cs.ErrorHeader[1]).Bold(true).Padding(0, 1),
		command: lipgloss.NewStyle().Bold(true),
		flag:    lipgloss.NewStyle().Foreground(cs.Flag),
	}
}
