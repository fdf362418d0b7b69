package falcon

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// redacted stands in for the client secret wherever a Config is printed or logged.
const redacted = "[REDACTED]"

// String describes the configuration with the client secret redacted, so that a Config (or a
// *Config) printed with %v or %+v, or by any verb through Format, never shows it.
func (c Config) String() string { return c.describe("falcon.Config") }

// GoString is %#v: the same redaction.
func (c Config) GoString() string { return c.describe("falcon.Config") }

// Format covers every verb, not just %v: without it %d or %x on the struct would print its
// string fields, the secret among them.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue keeps the secret out of log/slog records: the JSON handler would otherwise
// marshal the struct field by field.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", c.secretMark()),
		slog.String("cloud", string(c.Cloud)),
		slog.String("base_url", c.BaseURL),
		slog.String("member_cid", c.MemberCID),
		slog.Bool("read_only", c.ReadOnly),
		slog.Int("max_retries", c.MaxRetries),
	)
}

// MarshalJSON keeps the secret out of encoding/json too (a Config dumped for debugging);
// Config is not meant to be stored, so there is no matching UnmarshalJSON.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Cloud        Cloud  `json:"cloud,omitempty"`
		BaseURL      string `json:"base_url,omitempty"`
		MemberCID    string `json:"member_cid,omitempty"`
		ReadOnly     bool   `json:"read_only,omitempty"`
		MaxRetries   int    `json:"max_retries,omitempty"`
	}{c.ClientID, c.secretMark(), c.Cloud, c.BaseURL, c.MemberCID, c.ReadOnly, c.MaxRetries})
}

func (c Config) secretMark() string {
	if c.ClientSecret == "" {
		return ""
	}
	return redacted
}

func (c Config) describe(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s{ClientID: %q, ClientSecret: %q, Cloud: %q, BaseURL: %q, MemberCID: %q",
		name, c.ClientID, c.secretMark(), string(c.Cloud), c.BaseURL, c.MemberCID)
	fmt.Fprintf(&b, ", HTTPClient set: %t, UserAgent: %q, ReadOnly: %t, DebugLog set: %t, MaxRetries: %d}",
		c.HTTPClient != nil, c.UserAgent, c.ReadOnly, c.DebugLog != nil, c.MaxRetries)
	return b.String()
}

// String describes the client without its configuration's secret or any token: printing a
// *Client with %+v would otherwise walk its unexported fields, the secret and tokens among
// them, since fmt cannot call methods on unexported fields.
func (c *Client) String() string {
	if c == nil {
		return "falcon.Client(nil)"
	}
	c.mu.RLock()
	cloud, home := c.cloud, c.homeCID
	c.mu.RUnlock()
	return fmt.Sprintf("falcon.Client{ClientID: %q, Cloud: %q, HomeCID: %q, ReadOnly: %t}",
		c.cfg.ClientID, string(cloud), home, c.cfg.ReadOnly)
}

// GoString is %#v of a *Client: the same description.
func (c *Client) GoString() string { return c.String() }

// Format covers every verb for a *Client, as for Config.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }
