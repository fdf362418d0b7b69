package falcon

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The request log (docs/API.md §19): every HTTP exchange the client makes — API calls,
// token requests and revocations, each attempt of a retried call — becomes one CallRecord,
// kept in a bounded ring that a UI reads without ever blocking the client, and written as
// one line to Config.DebugLog. The line is formatted from the record, so the log file and
// the ring cannot disagree.
//
// Records are sanitised when they are made, not when they are shown: no Authorization
// header, access token, client secret or cookie ever enters one (see sanitizeHeader,
// sanitizeQuery, summarizeBody, redactSecrets). Text that came from the server (the error
// body, header values) is still untrusted and must be cleaned before display.

// DefaultCallLogSize is how many records Client.Calls keeps: the newest 2,000 exchanges.
// A record's variable parts are bounded (4 KB of error body, 2 KB of body summary, 4 KB of
// query, 2 KB of headers), so the ring stays under ~25 MB even when every call failed
// loudly; a typical record is well under 1 KB.
const DefaultCallLogSize = 2000

const (
	maxErrorBody   = 4 << 10 // bytes of a failed reply's body kept in its record
	maxBodySummary = 2 << 10 // bytes of the request body summary
	maxQueryBytes  = 4 << 10 // bytes of query values kept per record
	maxHeaderBytes = 2 << 10 // bytes of reply header values kept per record
	maxQueryValue  = 1024    // bytes per query value kept
	maxPathQuery   = 256     // bytes of the query shown in CallRecord.Path
)

// CallRecord is one HTTP exchange (one attempt). Retried calls leave one record per attempt;
// Attempt counts from 1. Copies handed out share Query and Header with the log: treat them
// as read-only.
type CallRecord struct {
	Seq      uint64        // 1, 2, 3 … in the order the records were made
	Time     time.Time     // when the request was sent
	CID      string        // the tenant (lower case); "" = the home tenant while its CID is unknown
	Method   string        // GET, POST, …
	Path     string        // URL path plus a short query with id lists elided: "/devices/entities/devices/v2?ids=…(3)"
	Status   int           // HTTP status; 0 when no reply arrived (see Err)
	Duration time.Duration // from sending to the end of the reply body
	BytesIn  int64         // reply body bytes read
	BytesOut int64         // request body bytes sent
	Attempt  int           // 1 = first try; Attempt-1 is the retries before this one
	Token    bool          // a token or revoke request (/oauth2/…), not an API call
	Probe    bool          // a scope probe (docs/API.md §9): its 400, 403 or 404 is an answer

	TraceID       string // X-Cs-Traceid
	RateRemaining int    // X-Ratelimit-Remaining after the call; -1 when absent
	RateLimit     int    // X-Ratelimit-Limit; -1 when absent
	RetryAfter    string // X-Ratelimit-Retryafter, as sent

	Query     url.Values  // the request's query (secret-named keys redacted, at most 4 KB of values)
	Body      string      // a summary of the request body: JSON with long id lists elided, or form keys
	Header    http.Header // the reply's headers without cookies or credentials
	ErrorBody string      // the first 4 KB of a non-2xx reply's body (untrusted text)
	Err       string      // why no usable reply arrived (transport error, cut-short body)
}

// Retries is how many attempts of the same call preceded this one.
func (r *CallRecord) Retries() int { return max(r.Attempt-1, 0) }

// Failed reports a record the UI should highlight: no reply, a 4xx or 5xx (429 included) —
// except a probe's refusal other than 429, which is the answer the probe asked for.
func (r *CallRecord) Failed() bool {
	if r.Probe && r.Status >= 400 && r.Status < 500 && r.Status != 429 && r.Err == "" {
		return false
	}
	return r.Status == 0 || r.Status >= 400 || r.Err != ""
}

// CallLog is the ring of the newest records. Its methods are safe for concurrent use and
// never wait on the network; adding a record never blocks on a reader.
//
// A UI follows it without polling: take Changed(), read Since(last), and wait on the
// channel (in a tea.Cmd) for the next batch:
//
//	ch := log.Changed()
//	recs, last, _ := log.Since(last)
//	<-ch // closed when a record newer than the read arrives
type CallLog struct {
	mu      sync.Mutex
	ring    []CallRecord
	start   int    // index of the oldest record in ring
	n       int    // records held
	seq     uint64 // Seq of the newest record
	changed chan struct{}
	debug   *debugLog
}

// NewCallLog returns an empty log that keeps the newest size records (size ≤ 0: the
// default); debug, when non-nil, receives one line per record (the --log file).
//
// A Client makes its own from Config.CallLogSize and Config.DebugLog. Config.CallLog hands
// it one made here instead, so that the clients of one session (a profile switch makes a
// new one) share one request log; DebugLog and CallLogSize are then unused.
func NewCallLog(size int, debug io.Writer) *CallLog {
	if size <= 0 {
		size = DefaultCallLogSize
	}
	return &CallLog{ring: make([]CallRecord, size), changed: make(chan struct{}), debug: newDebugLog(debug)}
}

// Cap is how many records the log keeps at most.
func (l *CallLog) Cap() int { return len(l.ring) }

// Len is how many records it holds now.
func (l *CallLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// Last is the Seq of the newest record (0 when none was ever made).
func (l *CallLog) Last() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// Changed returns a channel that is closed when the next record is added.
func (l *CallLog) Changed() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.changed
}

// Since returns the records with Seq > seq, oldest first, the newest Seq (pass it to the next
// call), and how many records after seq the ring had already dropped.
func (l *CallLog) Since(seq uint64) (recs []CallRecord, last uint64, dropped uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	oldest := l.seq - uint64(l.n) + 1 // Seq of ring[start] (when n > 0)
	if seq+1 < oldest {
		dropped = oldest - seq - 1
		seq = oldest - 1
	}
	for s := seq + 1; s <= l.seq; s++ {
		recs = append(recs, l.ring[(l.start+int(s-oldest))%len(l.ring)])
	}
	return recs, l.seq, dropped
}

// Snapshot returns every record held, newest first (the request log's order).
func (l *CallLog) Snapshot() []CallRecord {
	recs, _, _ := l.Since(0)
	slices.Reverse(recs)
	return recs
}

// add stamps r with the next Seq, keeps it (dropping the oldest when full), writes its
// debug line and wakes the readers.
func (l *CallLog) add(r CallRecord) {
	l.mu.Lock()
	l.seq++
	r.Seq = l.seq
	if l.n < len(l.ring) {
		l.ring[(l.start+l.n)%len(l.ring)] = r
		l.n++
	} else {
		l.ring[l.start] = r
		l.start = (l.start + 1) % len(l.ring)
	}
	ch := l.changed
	l.changed = make(chan struct{})
	l.mu.Unlock()
	close(ch)
	l.debug.record(&r)
}

// Calls is the client's request log.
func (c *Client) Calls() *CallLog { return c.calls }

// replyTap counts the bytes of a reply body as they are read and keeps the first
// maxErrorBody of a failed reply.
type replyTap struct {
	r    io.Reader
	n    int64
	keep *bytes.Buffer // nil: keep nothing (2xx replies may be megabytes of hosts)
}

func newReplyTap(r io.Reader, status int) *replyTap {
	t := &replyTap{r: r}
	if status/100 != 2 {
		t.keep = &bytes.Buffer{}
	}
	return t
}

func (t *replyTap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if t.keep != nil && t.keep.Len() < maxErrorBody {
		t.keep.Write(p[:min(n, maxErrorBody-t.keep.Len())])
	}
	return n, err
}

func (t *replyTap) errorBody() string {
	if t == nil || t.keep == nil {
		return ""
	}
	return redactSecrets(t.keep.String())
}

// recordAPICall makes the record of one API attempt (transport.go). h is nil and status 0
// when no reply arrived; tap is nil then too.
func (c *Client) recordAPICall(start time.Time, key string, cl *call, u *url.URL, status int, h http.Header,
	tap *replyTap, attempt int, err error) {
	r := CallRecord{
		Time: start, CID: c.displayCID(key), Method: cl.method, Status: status,
		Duration: c.clk.Now().Sub(start), BytesOut: int64(len(cl.body)), Attempt: attempt, Probe: cl.probe,
		Query: sanitizeQuery(u.Query()), Body: summarizeBody(cl.body), Header: sanitizeHeader(h),
	}
	r.Path = elidedTarget(u.EscapedPath(), r.Query)
	if tap != nil {
		r.BytesIn, r.ErrorBody = tap.n, tap.errorBody()
	}
	if err != nil {
		r.Err = redactSecrets(stripURL(err).Error())
	}
	r.setRate(h)
	c.calls.add(r)
}

// recordTokenCall makes the record of a token or revoke request (debuglog.go's transport).
// Only the form keys client_id, member_cid and grant_type keep their values; the secret and
// the token are replaced, whatever the request carried.
func (c *Client) recordTokenCall(start time.Time, req *http.Request, resp *http.Response, err error) {
	info, _ := req.Context().Value(logInfoKey{}).(logInfo)
	r := CallRecord{
		Time: start, CID: info.cid, Method: req.Method, Path: req.URL.EscapedPath(), Token: true,
		Duration: c.clk.Now().Sub(start), Attempt: max(info.attempt, 1), BytesOut: max(req.ContentLength, 0),
		Query: url.Values{},
	}
	if req.GetBody != nil {
		if b, gerr := req.GetBody(); gerr == nil {
			raw, _ := io.ReadAll(io.LimitReader(b, 64<<10))
			_ = b.Close()
			r.Body = summarizeForm(string(raw))
		}
	}
	if resp != nil {
		r.Status, r.Header = resp.StatusCode, sanitizeHeader(resp.Header)
		r.BytesIn = max(resp.ContentLength, 0)
		if resp.StatusCode/100 != 2 && resp.Body != nil {
			// Keep the start of a refusal (never of a 2xx: that body holds the token) and
			// hand the caller the whole body still.
			head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
			r.ErrorBody = redactSecrets(string(head))
			if resp.ContentLength < 0 {
				r.BytesIn = int64(len(head))
			}
		}
		r.setRate(resp.Header)
	}
	if err != nil {
		r.Err = redactSecrets(stripURL(err).Error())
	}
	c.calls.add(r)
}

func (r *CallRecord) setRate(h http.Header) {
	r.RateRemaining, r.RateLimit = -1, -1
	if h == nil {
		return
	}
	r.TraceID = h.Get("X-Cs-Traceid")
	r.RetryAfter = h.Get("X-Ratelimit-Retryafter")
	if v, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Remaining"))); err == nil {
		r.RateRemaining = v
	}
	if v, err := strconv.Atoi(strings.TrimSpace(h.Get("X-Ratelimit-Limit"))); err == nil {
		r.RateLimit = v
	}
}

// secretName matches query keys, header names, form keys and JSON keys whose values are
// credentials.
var secretName = regexp.MustCompile(`(?i)(authorization|secret|token|password|passwd|cookie|api[-_]?key|bearer|credential)`)

// idKeys are the parameters whose values are entity ids; CallRecord.Path shows only their count.
var idKeys = map[string]bool{
	"ids": true, "composite_ids": true, "device_ids": true, "aids": true,
	"cid_group_ids": true, "user_group_ids": true, "user_uuids": true,
}

// sanitizeQuery copies q with secret-named keys redacted and long values cut, keeping at
// most maxQueryBytes of values; what does not fit is counted, "…(n more)".
func sanitizeQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	budget := maxQueryBytes
	for _, k := range slices.Sorted(maps.Keys(q)) {
		vs := q[k]
		if secretName.MatchString(k) {
			out[k] = []string{redacted}
			continue
		}
		cp := make([]string, 0, len(vs))
		for i, v := range vs {
			v = cut(v, maxQueryValue)
			if len(v) > budget {
				cp = append(cp, "…("+strconv.Itoa(len(vs)-i)+" more)")
				break
			}
			budget -= len(v)
			cp = append(cp, v)
		}
		out[k] = cp
	}
	return out
}

// elidedTarget is the path plus a short query for the log's one-line view: id lists become
// "…(n)", values are shown as they read (an FQL filter stays legible: groups:'…', not
// groups%3A%27…%27; only the & and = that would blur where a value ends are escaped), and
// the whole query is cut at maxPathQuery bytes.
func elidedTarget(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		if idKeys[k] {
			b.WriteString("…(" + strconv.Itoa(len(q[k])) + ")")
			continue
		}
		for i, v := range q[k] {
			if i > 0 {
				b.WriteString("&" + url.QueryEscape(k) + "=")
			}
			b.WriteString(legibleValue.Replace(v))
		}
	}
	return path + "?" + cut(b.String(), maxPathQuery)
}

// legibleValue escapes what would make a query value ambiguous in the one-line view.
var legibleValue = strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D")

// summarizeBody describes a JSON request body: id lists of more than three become
// "…(n ids)", secret-named keys are redacted, long strings are cut, and the whole is at
// most maxBodySummary bytes. A body that is not JSON is described by its size only.
func summarizeBody(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return strconv.Itoa(len(b)) + " bytes (not JSON)"
	}
	out, err := json.Marshal(summarizeValue("", v))
	if err != nil {
		return strconv.Itoa(len(b)) + " bytes"
	}
	return cut(string(out), maxBodySummary)
}

func summarizeValue(key string, v any) any {
	if key != "" && secretName.MatchString(key) {
		return redacted
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = summarizeValue(k, e)
		}
		return out
	case []any:
		if idKeys[key] && len(x) > 3 {
			return "…(" + strconv.Itoa(len(x)) + " ids)"
		}
		out := make([]any, 0, min(len(x), 20))
		for i, e := range x {
			if i == 20 {
				out = append(out, "…("+strconv.Itoa(len(x)-20)+" more)")
				break
			}
			out = append(out, summarizeValue("", e))
		}
		return out
	case string:
		return cut(x, 256)
	}
	return v
}

// summarizeForm describes an OAuth2 form body by an allow-list: only client_id, member_cid
// and grant_type keep their values.
func summarizeForm(raw string) string {
	f, err := url.ParseQuery(raw)
	if err != nil {
		return "form (unparsable)"
	}
	keys := slices.Sorted(maps.Keys(f))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := redacted
		switch k {
		case "client_id", "member_cid", "grant_type":
			v = cut(f.Get(k), 64)
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, " ")
}

// sanitizeHeader copies the reply headers without cookies and credential-bearing ones.
func sanitizeHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	budget := maxHeaderBytes
	for _, k := range slices.Sorted(maps.Keys(h)) {
		if secretName.MatchString(k) || strings.EqualFold(k, "Set-Cookie") || strings.EqualFold(k, "Www-Authenticate") {
			continue
		}
		for _, v := range h[k] {
			v = cut(v, 256)
			if len(k)+len(v) > budget {
				return out
			}
			budget -= len(k) + len(v)
			out[k] = append(out[k], v)
		}
	}
	return out
}

// secretInText finds credentials a server might echo back: bearer tokens, and JSON or form
// fields named like secrets.
var secretInText = regexp.MustCompile(`(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+|("?(?:access_token|refresh_token|id_token|client_secret|token)"?\s*[:=]\s*"?)[^"&\s,}]+`)

// redactSecrets replaces credentials inside free text (error bodies, error messages).
func redactSecrets(s string) string {
	return secretInText.ReplaceAllString(s, "${1}${2}"+redacted)
}

// cut shortens s to at most n bytes (on a rune boundary) and marks the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
