package falcon

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// hostile is server text that tries to write the clipboard (OSC 52), clear the screen
// (CSI 2J), reverse the line (U+202E), hide text (U+200B) and ring the bell.
const hostile = "bad\x1b]52;c;cm0gLXJmIH4=\x07 filter\x1b[2J\u202ereversed\u202c\u200b\x07 \u2066iso\u2069\u009b31m!\u009d0;title\u009c\x00end"

func assertClean(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x202e || r == 0x202c || r == 0x200b || r == 0x2066 || r == 0x2069 {
			t.Errorf("%s keeps %U: %q", what, r, s)
		}
	}
	for _, stub := range []string{"52;c", "cm0gLXJm", "[2J", "31m", "0;title"} {
		if strings.Contains(s, stub) {
			t.Errorf("%s keeps the remains of an escape sequence %q: %q", what, stub, s)
		}
	}
}

func TestCleanText(t *testing.T) {
	// Invisible characters leave a placeholder (untrusted.Placeholder), escapes nothing.
	if got, want := cleanText(hostile), "bad filter\ufffdreversed\ufffd \ufffdiso\ufffd!end"; got != want {
		t.Errorf("cleanText = %q, want %q", got, want)
	}
	for _, s := range []string{"", "plain ASCII: ids 0123 [x]", "Grüße, 東京 é"} {
		if got := cleanText(s); got != s {
			t.Errorf("cleanText(%q) = %q, want it unchanged", s, got)
		}
	}
	if got := cleanText("a\tb\nc\r\nd"); got != "a b c  d" {
		t.Errorf("line breaks: %q", got)
	}
	if got := cleanText("x\xff\x9by"); got != "x\ufffd\ufffdy" {
		t.Errorf("invalid UTF-8 and raw C1 bytes: %q", got)
	}
	if got := cleanText("a\x1b(Bb\x1b7c\x1bP1;2|data\x1b\\d\x1b]8;;http://x\x1b\\e"); got != "abcde" {
		t.Errorf("other escape forms: %q", got)
	}
}

func TestAPIErrorCleansServerText(t *testing.T) {
	e := &APIError{StatusCode: 400, Method: "GET", Path: "/devices/queries/devices/v1",
		TraceID: "t-1\x1b[2J\u202e", Errors: []ErrorItem{{Code: 400, Message: hostile}, {Code: 400, Message: "\x1b[2J"}}}
	assertClean(t, "Message()", e.Message())
	assertClean(t, "Error()", e.Error())
	if !strings.Contains(e.Error(), "bad filter\ufffdreversed") || !strings.Contains(e.Error(), "[trace t-1\ufffd]") {
		t.Errorf("Error() lost the readable text: %q", e.Error())
	}
	if e.Message() != "bad filter\ufffdreversed\ufffd \ufffdiso\ufffd!end" {
		t.Errorf("an error with nothing left once cleaned should not add a separator: %q", e.Message())
	}
}

// Through the client: a hostile 400 body and a hostile token refusal both come back clean.
func TestServerTextCleanedEndToEnd(t *testing.T) {
	c, ts, _ := setup(t)
	ts.mux.HandleFunc("GET /devices/queries/devices/v1", func(w http.ResponseWriter, r *http.Request) {
		msg, _ := json.Marshal(hostile)
		w.Header().Set("X-Cs-Traceid", "tr\u202eace") // a header cannot carry ESC; bidi it can
		writeEnvelopeMeta(w, http.StatusBadRequest, `{"trace_id":"tr\u001b]52;c;eA==\u0007ace"}`, nil, `{"code":400,"message":`+string(msg)+`}`)
	})
	_, err := c.Hosts.Count(context.Background(), "", "hostname:'x'")
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	assertClean(t, "APIError", err.Error())
	if !strings.Contains(err.Error(), "[trace tr\ufffdace]") {
		t.Errorf("trace id not kept in readable form: %q", err.Error())
	}

	c2, ts2, _ := setup(t)
	ts2.setToken(func(w http.ResponseWriter, r *http.Request) {
		msg, _ := json.Marshal(hostile)
		writeEnvelopeMeta(w, http.StatusUnauthorized, `{"trace_id":"id\u202e\u001b[2J"}`, nil, `{"code":401,"message":`+string(msg)+`}`)
	})
	err = c2.Connect(context.Background())
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	assertClean(t, "AuthError", err.Error())
	assertClean(t, "AuthError.Message", authErr.Message)
	assertClean(t, "AuthError.TraceID", authErr.TraceID)
	// Error() cleans whatever the fields hold, even set by hand.
	raw := &AuthError{StatusCode: 403, Message: hostile, TraceID: "x\x1b[2J"}
	assertClean(t, "AuthError built by hand", raw.Error())
}
