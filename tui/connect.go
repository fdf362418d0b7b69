package tui

import (
	"context"
	"errors"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// connectErr is a connect failure put in the user's terms.
type connectErr struct {
	title   string
	hints   []string
	generic bool // no sentinel matched: the title is the error's own text
}

// connectError maps the client's sentinel errors to what went wrong and what to do.
func connectError(err error) connectErr {
	switch {
	case errors.Is(err, falcon.ErrInvalidCredentials):
		return connectErr{title: "The API client ID or secret was rejected", hints: []string{
			"Check FALCON_CLIENT_ID and FALCON_CLIENT_SECRET, or store the profile again with falcon-tui login.",
			"A secret is shown only once when the API client is created; reset it in the console if it is lost."}}
	case errors.Is(err, falcon.ErrIPBlocked):
		return connectErr{title: "This machine's IP address is not allowed to use the API client", hints: []string{
			"Ask a Falcon administrator to add it to the API client's IP allowlist (Support and resources › API clients and keys)."}}
	case errors.Is(err, falcon.ErrNotChild):
		return connectErr{title: "The member CID is not a Flight Control child of this API client's tenant", hints: []string{
			"Check --member-cid or FALCON_MEMBER_CID; falcon-tui tenants are listed with :tenants once connected without it."}}
	case errors.Is(err, falcon.ErrUnreachable):
		return connectErr{title: "The Falcon cloud could not be reached", hints: []string{
			"Check the network, any proxy (HTTPS_PROXY), and --cloud or --base-url."}}
	case errors.Is(err, falcon.ErrRateLimited):
		return connectErr{title: "Rate limited while signing in", hints: []string{"Wait a minute before retrying."}}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return connectErr{title: "Connecting was interrupted", hints: nil}
	}
	return connectErr{title: "Could not connect: " + widget.ErrorText(err), generic: true}
}

// profileFailure is the one status line for a `:profile NAME` that could not be opened:
// the client's sentinel errors in the user's terms, anything else in its own words (the
// command already puts those in a line), always naming the profile.
func profileFailure(name string, err error) string {
	text := widget.ErrorText(err)
	if ce := connectError(err); !ce.generic {
		text = ce.title
	}
	if !strings.HasPrefix(text, "profile ") {
		text = "profile " + name + ": " + text
	}
	return text
}

// connErrorView is the full-screen message shown when connecting failed.
func (m Model) connErrorView() string {
	w, h := m.paneSize()
	ce := connectError(m.connErr)
	hints := append(ce.hints, "", "r retries · q quits")
	return m.frame("Not connected", widget.Message(m.st, w, h, m.st.Error, "✗ "+ce.title, hints...))
}

// ConnectErr is why connecting failed (nil when it did not), for the command's exit status.
func (m Model) ConnectErr() error { return m.connErr }
