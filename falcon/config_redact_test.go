package falcon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestConfigNeverPrintsSecret(t *testing.T) {
	secret := "s3cr3t-" + strings.Repeat("x", 30) // a variable: callers set the field from one
	cfg := Config{ClientID: testClientID, ClientSecret: secret, Cloud: CloudUS2, MemberCID: testChild, ReadOnly: true}
	type wrapper struct{ Cfg Config }
	outputs := map[string]string{
		"%v":            fmt.Sprintf("%v", cfg),
		"%+v":           fmt.Sprintf("%+v", cfg),
		"%#v":           fmt.Sprintf("%#v", cfg),
		"%s":            fmt.Sprintf("%s", cfg),
		"%d":            fmt.Sprintf("%d", cfg),
		"%x":            fmt.Sprintf("%x", cfg),
		"%q":            fmt.Sprintf("%q", cfg),
		"pointer %+v":   fmt.Sprintf("%+v", &cfg),
		"pointer %#v":   fmt.Sprintf("%#v", &cfg),
		"in struct %+v": fmt.Sprintf("%+v", wrapper{cfg}),
		"in struct %#v": fmt.Sprintf("%#v", wrapper{cfg}),
		"Println":       fmt.Sprintln(cfg),
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("connect", "cfg", cfg, "ptr", &cfg)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("connect", "cfg", cfg, slog.Any("ptr", &cfg))
	outputs["slog text"], outputs["slog json"] = text.String(), js.String()
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs["json"] = string(b)
	for name, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, "s3cr3t") {
			t.Errorf("%s reveals the secret: %s", name, out)
		}
		if !strings.Contains(out, redacted) || !strings.Contains(out, testClientID) {
			t.Errorf("%s should name the client id and mark the secret redacted: %s", name, out)
		}
	}
	if !strings.Contains(outputs["%#v"], "falcon.Config{") || !strings.Contains(outputs["slog json"], `"client_secret":"[REDACTED]"`) {
		t.Errorf("unexpected shape: %s / %s", outputs["%#v"], outputs["slog json"])
	}
	if cfg.ClientSecret != secret {
		t.Fatal("the secret itself must stay usable")
	}
}

// A connected *Client printed whole would walk its unexported fields: the secret and the
// tenants' tokens must not appear.
func TestClientNeverPrintsSecretOrToken(t *testing.T) {
	c, _, _ := setup(t)
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("client", "c", c)
	for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c),
		fmt.Sprintf("%s", c), fmt.Sprintf("%+v", struct{ C *Client }{c}), text.String()} {
		if strings.Contains(out, testSecret) || strings.Contains(out, testToken) {
			t.Errorf("reveals a secret: %s", out)
		}
		if !strings.Contains(out, "falcon.Client{") {
			t.Errorf("unexpected description: %s", out)
		}
	}
}
