package falcon

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

// WriteAccess reads the probe's reply by ClassifyProbe's rules: a 404 that never reached a
// service is "not provisioned", never "granted".
func TestWriteAccessAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reply   func(w http.ResponseWriter)
		want    ScopeState
		wantErr error // nil = no error
	}{
		{"400 from the service: granted", func(w http.ResponseWriter) {
			writeEnvelope(w, http.StatusBadRequest, nil, `{"code":400,"message":"resources must not be empty"}`)
		}, ScopeGranted, nil},
		{"403 from the gateway: denied", func(w http.ResponseWriter) {
			writeEnvelopeMeta(w, http.StatusForbidden, `{"powered_by":"crowdstrike-api-gateway"}`, nil,
				`{"code":403,"message":"access denied, scope not permitted"}`)
		}, ScopeDenied, nil},
		{"404 without a region: not provisioned", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"meta":{},"resources":[],"errors":[{"code":404,"message":"Not Found"}]}`)
		}, ScopeNotProvisioned, nil},
		{"404 from the service: open", func(w http.ResponseWriter) {
			writeEnvelope(w, http.StatusNotFound, nil, `{"code":404,"message":"Not Found"}`)
		}, ScopeError, ErrNotFound},
		{"503 after retries: open", func(w http.ResponseWriter) {
			writeEnvelope(w, http.StatusServiceUnavailable, nil, `{"code":503,"message":"unavailable"}`)
		}, ScopeError, &APIError{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts, _ := setup(t, func(cfg *Config) { cfg.MaxRetries = 1 })
			var body atomic.Value
			ts.mux.HandleFunc("PATCH /devices/entities/host-groups/v1", func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				body.Store(string(b))
				tc.reply(w)
			})
			st, err := c.HostGroups.WriteAccess(context.Background(), "")
			if st != tc.want {
				t.Errorf("state = %v, want %v (err %v)", st, tc.want, err)
			}
			var ae *APIError
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("err = %v, want none", err)
			case tc.wantErr == nil:
			case errors.As(tc.wantErr, &ae):
				if !errors.As(err, &ae) {
					t.Errorf("err = %v, want an *APIError", err)
				}
			case !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if got := body.Load(); got != `{"resources":[]}` {
				t.Errorf("probe body = %v, want an empty resources list", got)
			}
		})
	}
}

// Against the simulator: the answer agrees with what each client holds, and with the
// tenant's products.
func TestSimWriteAccess(t *testing.T) {
	srv := falcontest.NewServer(falcontest.WithHosts(10), falcontest.WithTenants(1),
		falcontest.WithUnprovisioned(1, "host-group"))
	defer srv.Close()
	ctx := context.Background()
	child := srv.Tenants()[1].CID
	for _, tc := range []struct {
		client, cid string
		want        ScopeState
	}{
		{"full", "", ScopeGranted},
		{"partial", "", ScopeDenied},
		{"full", child, ScopeNotProvisioned},
	} {
		c := simClient(t, srv, tc.client)
		if st, err := c.HostGroups.WriteAccess(ctx, tc.cid); st != tc.want || err != nil {
			t.Errorf("%s in %q: %v, %v; want %v", tc.client, tc.cid, st, err, tc.want)
		}
	}
	if st := srv.Stats(); st.Writes != 0 {
		t.Errorf("the write check applied %d writes", st.Writes)
	}
}
