package falcon

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// fakeClouds serves every Falcon host name from one TLS test server: the client dials the
// real names (api.crowdstrike.com, ...) and a test transport routes them here.
type fakeClouds struct {
	srv *httptest.Server
	mu  sync.Mutex
	log []string // "HOST METHOD PATH" in order
	// token answers POST /oauth2/token for a host.
	token func(w http.ResponseWriter, r *http.Request)
}

func newFakeClouds(t *testing.T) (*fakeClouds, *http.Client) {
	f := &fakeClouds{}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.log = append(f.log, r.Host+" "+r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		switch r.URL.Path {
		case "/oauth2/token":
			f.token(w, r)
		case "/oauth2/revoke":
			writeEnvelope(w, 200, nil)
		default:
			w.Header().Set("X-Cs-Region", "us-2")
			writeEnvelopeMeta(w, 200, `{"pagination":{"total":3}}`, []string{})
		}
	}))
	t.Cleanup(f.srv.Close)
	tr := f.srv.Client().Transport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // test certificate, routed names
	addr := f.srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return f, &http.Client{Transport: tr}
}

func (f *fakeClouds) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.log...)
}

// learnHome is what Connect asks a cloud that reveals the home CID nowhere (every list
// is empty): children, the CCID, a host.
func learnHome(host string) []string {
	return []string{
		host + " GET /mssp/queries/children/v1",
		host + " GET /sensors/queries/installers/ccid/v1",
		host + " GET /devices/queries/devices/v1",
	}
}

func issueToken(w http.ResponseWriter, region string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Cs-Region", region)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprint(w, `{"access_token":"tok","token_type":"bearer","expires_in":1799}`)
}

func TestDiscoveryFollows308(t *testing.T) {
	f, hc := newFakeClouds(t)
	f.token = func(w http.ResponseWriter, r *http.Request) {
		if r.Host == CloudUS1.Host() {
			w.Header().Set("Location", "https://"+CloudUS2.Host()+"/oauth2/token")
			w.Header().Set("X-Cs-Region", "us-2")
			w.WriteHeader(http.StatusPermanentRedirect)
			return
		}
		_ = r.ParseForm()
		if r.PostForm.Get("client_secret") != testSecret {
			w.WriteHeader(400) // the 308 must replay the body
			return
		}
		issueToken(w, "us-2")
	}
	c, err := New(Config{ClientID: testClientID, ClientSecret: testSecret, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.Cloud() != CloudUS2 || c.BaseURL() != "https://api.us-2.crowdstrike.com" {
		t.Errorf("after discovery: cloud %s, base %s", c.Cloud(), c.BaseURL())
	}
	if _, err := c.Hosts.Count(context.Background(), "", ""); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"api.crowdstrike.com POST /oauth2/token",
		"api.us-2.crowdstrike.com POST /oauth2/token",
	}
	want = append(want, learnHome("api.us-2.crowdstrike.com")...)
	want = append(want, "api.us-2.crowdstrike.com GET /devices/queries/devices/v1")
	if got := f.requests(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests:\n got %v\nwant %v", got, want)
	}
}

// Without a redirect, a token from us-1 naming another region is returned and a new one
// fetched where the API lives.
func TestDiscoveryByRegionHeader(t *testing.T) {
	f, hc := newFakeClouds(t)
	f.token = func(w http.ResponseWriter, r *http.Request) { issueToken(w, "eu-1") }
	c, _ := New(Config{ClientID: testClientID, ClientSecret: testSecret, HTTPClient: hc})
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.Cloud() != CloudEU1 {
		t.Errorf("cloud = %s", c.Cloud())
	}
	want := []string{
		"api.crowdstrike.com POST /oauth2/token",
		"api.crowdstrike.com POST /oauth2/revoke",
		"api.eu-1.crowdstrike.com POST /oauth2/token",
	}
	want = append(want, learnHome("api.eu-1.crowdstrike.com")...)
	if got := f.requests(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests:\n got %v\nwant %v", got, want)
	}
}

// A redirect to a host that is not a Falcon cloud is not followed: the secret in the
// replayed body must not go there.
func TestRedirectToForeignHostRefused(t *testing.T) {
	f, hc := newFakeClouds(t)
	f.token = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://attacker.example.com/oauth2/token")
		w.WriteHeader(http.StatusPermanentRedirect)
	}
	c, _ := New(Config{ClientID: testClientID, ClientSecret: testSecret, HTTPClient: hc})
	err := c.Connect(context.Background())
	if err == nil {
		t.Fatal("Connect succeeded")
	}
	for _, r := range f.requests() {
		if r != "api.crowdstrike.com POST /oauth2/token" {
			t.Errorf("unexpected request %s", r)
		}
	}
	// API calls are never redirected either.
	if redirectAllowed(mustURL("https://api.crowdstrike.com"), mustURL("http://api.us-2.crowdstrike.com")) {
		t.Errorf("a downgrade to http was allowed")
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
