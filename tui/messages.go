package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/internal/stream"
)

// connectedMsg ends the connect step (first token, cloud discovery).
type connectedMsg struct {
	client *falcon.Client
	err    error
}

// profileOpenedMsg ends `:profile NAME`: a new client, connected, or why not.
type profileOpenedMsg struct {
	name   string
	client *falcon.Client
	err    error
}

// clockMsg is the 1 s tick that keeps relative times and the rate-limit countdown current.
// It is re-armed only when it lands, so there is never more than one in flight.
type clockMsg struct{}

// spinMsg advances the background-task spinner; armed only while something is loading.
type spinMsg struct{}

// rateMsg is one rate-limit state change from the client's subscription; gen tells the
// current client's subscription from one a `:profile` replaced.
type rateMsg struct {
	gen  int
	item stream.Item[falcon.RateState]
}

func connect(ctx context.Context, c *falcon.Client) tea.Cmd {
	return func() tea.Msg {
		return connectedMsg{client: c, err: c.Connect(ctx)}
	}
}

func openProfile(ctx context.Context, open func(context.Context, string) (*falcon.Client, error), name string) tea.Cmd {
	return func() tea.Msg {
		c, err := open(ctx, name)
		if err != nil {
			return profileOpenedMsg{name: name, err: err}
		}
		if err := c.Connect(ctx); err != nil {
			_ = closeClient(ctx, c)()
			return profileOpenedMsg{name: name, err: err}
		}
		return profileOpenedMsg{name: name, client: c}
	}
}

// closeTimeout bounds revoking a replaced client's tokens: a stalled revoke must not hold
// anything up (the tokens expire on their own within 30 minutes).
const closeTimeout = 3 * time.Second

// closeClient revokes c's tokens in the background, whether or not ctx has ended.
func closeClient(ctx context.Context, c *falcon.Client) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
		defer cancel()
		_ = c.Close(ctx)
		return nil
	}
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

func spinTick() tea.Cmd {
	return tea.Tick(120*time.Millisecond, func(time.Time) tea.Msg { return spinMsg{} })
}

// followRates reads the client's rate-limit states as they change, one per message.
func followRates(ch <-chan falcon.RateState, gen int) tea.Cmd {
	return stream.Chan(ch, func(it stream.Item[falcon.RateState]) tea.Msg { return rateMsg{gen: gen, item: it} })
}
