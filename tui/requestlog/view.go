package requestlog

import (
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/tui/vtable"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/widget"
)

// Columns, in the order Cell numbers them. PATH and STATUS never give way; the trace id,
// the tenant and the rate pool go first on narrow screens (enter shows them all).
const (
	colTime = iota
	colTenant
	colMethod
	colPath
	colStatus
	colDuration
	colBytes
	colRetries
	colTrace
	colRate
)

var columns = []vtable.Column{
	colTime:     {Title: "TIME", Width: 8},
	colTenant:   {Title: "TENANT", Min: 10, Flex: 1, Drop: 3},
	colMethod:   {Title: "METHOD", Width: 6},
	colPath:     {Title: "PATH", Min: 36, Flex: 3},
	colStatus:   {Title: "STATUS", Width: 7},
	colDuration: {Title: "TOOK", Width: 7, Right: true},
	colBytes:    {Title: "BYTES", Width: 7, Right: true, Drop: 4},
	colRetries:  {Title: "RETRY", Width: 5, Right: true, Drop: 5},
	colTrace:    {Title: "TRACE ID", Width: 36, Drop: 2},
	colRate:     {Title: "LEFT/LIMIT", Width: 11, Right: true, Drop: 1},
}

// Title says how many calls are shown and what the ring keeps.
func (m Model) Title() string {
	if m.detail {
		return fmt.Sprintf("Request log › call #%d", m.shown.Seq)
	}
	count := widget.Int(len(m.recs))
	if len(m.view) != len(m.recs) {
		count = widget.Int(len(m.view)) + "/" + count
	}
	t := "Request log[" + count + "]"
	if m.calls != nil {
		t += " newest " + widget.Int(m.calls.Cap()) + " kept"
	}
	if n := m.droppedTotal(); n > 0 && len(m.recs) > 0 {
		t += ", " + widget.Int(int(n)) + " older dropped (kept since " + m.recs[0].Time.In(m.loc).Format("15:04:05") + ")"
	}
	if m.filter != "" {
		t += " /" + sanitize.Line(m.filter, 20)
	}
	return t
}

// View implements the pane contract.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.detail {
		lines := m.detailLines()
		end := min(len(lines), m.offset+m.height)
		return widget.Fit(strings.Join(lines[m.offset:end], "\n"), m.width, m.height)
	}
	th := m.table.Height()
	var body string
	switch {
	case m.calls == nil:
		body = widget.Message(m.st, m.width, th, m.st.Muted, "Not connected: no call yet")
	case len(m.view) == 0 && m.filter != "":
		body = widget.Message(m.st, m.width, th, m.st.Muted, "No call matches /"+m.filter, "esc clears the filter")
	case len(m.view) == 0:
		body = widget.Message(m.st, m.width, th, m.st.Muted, "No API call yet",
			"every call of this session shows here as it is made (the newest "+widget.Int(m.calls.Cap())+")")
	default:
		body = m.table.View(m.st, cells{m: &m})
	}
	if p := m.prompt.View(m.width); p != "" {
		body += "\n" + p
	}
	return widget.Fit(body, m.width, m.height)
}

type cells struct{ m *Model }

func (c cells) Marked(int) bool { return false }

func (c cells) Cell(row, col int) (string, *lipgloss.Style) {
	m := c.m
	r := &m.recs[m.view[row]]
	switch col {
	case colTime:
		return r.Time.In(m.loc).Format("15:04:05"), &m.st.Muted
	case colTenant:
		return m.tenantLabel(r.CID), &m.st.Muted
	case colMethod:
		return r.Method, nil
	case colPath:
		return r.Path, nil
	case colStatus:
		return statusCell(r), m.statusStyle(r)
	case colDuration:
		return duration(r.Duration), nil
	case colBytes:
		return size(r.BytesIn), &m.st.Muted
	case colRetries:
		if r.Retries() == 0 {
			return "", nil
		}
		return strconv.Itoa(r.Retries()), &m.st.Warn
	case colTrace:
		return r.TraceID, &m.st.Muted
	case colRate:
		if r.RateRemaining < 0 || r.RateLimit < 0 {
			return "", nil
		}
		return strconv.Itoa(r.RateRemaining) + "/" + strconv.Itoa(r.RateLimit), &m.st.Muted
	}
	return "", nil
}

// tooManyRequests is the status of a call the rate limit refused.
const tooManyRequests = 429

// glyph marks a call that did not succeed, so that the list reads without colour too:
// ▲ rate limited (429), ! refused (other 4xx), ✗ a server error or no reply.
func glyph(r *falcon.CallRecord) string {
	switch {
	case !r.Failed() && r.Probe:
		return "?" // a scope probe's answer, not a failure
	case r.Status == tooManyRequests:
		return "▲"
	case r.Status >= 400 && r.Status < 500:
		return "!"
	case r.Status >= 500, r.Status == 0, r.Err != "":
		return "✗"
	}
	return " "
}

func statusCell(r *falcon.CallRecord) string {
	if r.Status == 0 {
		return glyph(r) + " none"
	}
	return glyph(r) + " " + strconv.Itoa(r.Status)
}

// statusWord is what the filter finds a call's status by: "429", "5xx" style classes and
// "failed" for every highlighted call.
func statusWord(r falcon.CallRecord) string {
	w := strconv.Itoa(r.Status) + " " + strconv.Itoa(r.Status/100) + "xx"
	if r.Failed() {
		w += " failed"
	}
	if r.Probe {
		w += " probe"
	}
	return w
}

func (m Model) statusStyle(r *falcon.CallRecord) *lipgloss.Style {
	switch {
	case r.Probe && !r.Failed():
		return &m.st.Muted
	case r.Status == tooManyRequests, r.Status >= 400 && r.Status < 500:
		return &m.st.Warn
	case r.Failed():
		return &m.st.Error
	}
	return &m.st.OK
}

func duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	return d.Round(time.Second).String()
}

func size(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + "B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + "K"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "M"
}

const labelWidth = 22

// detailLines is one call in full. Every value passes through sanitize: the record holds
// no credential (falcon redacted it), but the server's words are still untrusted text.
func (m Model) detailLines() []string {
	if !m.detail || m.width <= 0 {
		return nil
	}
	r, st, w := m.shown, m.st, m.width
	var out []string
	kv := func(label, value string, style ...lipgloss.Style) {
		if value == "" {
			return
		}
		parts := widget.WrapCells(sanitize.Text(value), max(1, w-labelWidth-3))
		for i, p := range parts {
			if len(style) > 0 {
				p = style[0].Render(p)
			}
			l := strings.Repeat(" ", labelWidth+3)
			if i == 0 {
				l = "  " + st.Muted.Render(widget.FitLine(label, labelWidth)) + " "
			}
			out = append(out, l+p)
		}
	}
	head := func(title string) { out = append(out, "", st.Title.Render(title)) }
	status := sanitize.Line(statusCell(&r), 40)
	out = append(out, m.statusStyle(&r).Render(status)+"  "+
		st.Accent.Render(sanitize.Line(r.Method+" "+r.Path, max(1, w-ansi.StringWidth(status)-2))))
	head("CALL")
	kv("Request", r.Method+" "+r.Path) // in full, wrapped: the line above is cut to the width
	kv("Sequence", "#"+strconv.FormatUint(r.Seq, 10))
	kv("Sent", r.Time.In(m.loc).Format("2006-01-02 15:04:05.000 MST"))
	tenant := m.tenantLabel(r.CID)
	if r.CID != "" {
		tenant += "  (" + r.CID + ")"
	}
	kv("Tenant", tenant)
	kv("Took", duration(r.Duration))
	kv("Bytes", size(r.BytesIn)+" received, "+size(r.BytesOut)+" sent")
	attempt := strconv.Itoa(r.Attempt)
	if r.Retries() > 0 {
		attempt += fmt.Sprintf(" (%d retries before it)", r.Retries())
	}
	kv("Attempt", attempt)
	if r.Token {
		kv("Kind", "token request (OAuth2)")
	}
	if r.Probe {
		kv("Kind", "scope probe: a request invalid on purpose, whose refusal (400 granted, 403 denied, 404 not provisioned) is the answer")
	}
	kv("Trace ID", r.TraceID, st.Accent)
	if r.RateRemaining >= 0 || r.RateLimit >= 0 {
		kv("Rate pool", fmt.Sprintf("%d left of %d", r.RateRemaining, r.RateLimit))
	}
	kv("Retry after", r.RetryAfter)
	kv("Error", r.Err, st.Error)
	if len(r.Query) > 0 {
		head("REQUEST PARAMETERS")
		for _, k := range slices.Sorted(maps.Keys(r.Query)) {
			kv(k, strings.Join(r.Query[k], ", "))
		}
	}
	if r.Body != "" {
		head("REQUEST BODY (summary)")
		for _, l := range widget.WrapCells(sanitize.Text(r.Body), max(1, w-4)) {
			out = append(out, "  "+l)
		}
	}
	if len(r.Header) > 0 {
		head("RESPONSE HEADERS")
		for _, k := range slices.Sorted(maps.Keys(r.Header)) {
			kv(k, strings.Join(r.Header[k], ", "))
		}
	}
	if r.ErrorBody != "" {
		head("ERROR BODY")
		for _, l := range widget.WrapCells(sanitize.Text(r.ErrorBody), max(1, w-4)) {
			out = append(out, "  "+l)
		}
	}
	out = append(out, "", st.Muted.Render(widget.FitLine("Credentials are never recorded: no Authorization header, token or secret is kept.", w)))
	return out
}

// wrapHard cuts sanitised text into lines of width cells (JSON and ids have few spaces).
