package falcontest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest"
)

func postForm(t *testing.T, u string, form url.Values, basicUser, basicPass string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(basicUser+":"+basicPass)))
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := result{status: resp.StatusCode, header: resp.Header, body: b}
	if len(b) > 0 {
		_ = json.Unmarshal(b, &r.env)
	}
	return r
}

type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

func TestTokenFlow(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(2), falcontest.WithHosts(10), falcontest.WithRegion("us-2"))
	full := s.Client("full")
	tokenURL := s.URL + "/oauth2/token"

	t.Run("form credentials", func(t *testing.T) {
		r := postForm(t, tokenURL, url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}}, "", "").want(t, 201)
		r.conforms(t, "POST /oauth2/token")
		var tr tokenReply
		if err := json.Unmarshal(r.body, &tr); err != nil {
			t.Fatal(err)
		}
		if tr.TokenType != "bearer" || tr.ExpiresIn != 1799 || strings.Count(tr.AccessToken, ".") != 2 {
			t.Errorf("token reply %+v", tr)
		}
		if r.header.Get("X-Cs-Region") != "us-2" || r.header.Get("X-Ratelimit-Limit") != "300" {
			t.Errorf("headers %v", r.header)
		}
		// The token works, and a bad one does not.
		c := &client{t: t, srv: s, http: http.DefaultClient, tok: tr.AccessToken}
		c.get("/devices/queries/devices/v1").want(t, 200)
	})
	t.Run("basic credentials", func(t *testing.T) {
		postForm(t, tokenURL, url.Values{}, full.ID, full.Secret).want(t, 201)
	})
	t.Run("bad secret", func(t *testing.T) {
		r := postForm(t, tokenURL, url.Values{"client_id": {full.ID}, "client_secret": {"wrong"}}, "", "").want(t, 403)
		r.conforms(t, "POST /oauth2/token")
		if r.env.Meta.PoweredBy != "csam" || len(r.env.Errors) != 1 ||
			!strings.HasPrefix(r.env.Errors[0].Message, "Failed to issue access token - Client authentication failed") {
			t.Errorf("bad secret reply: %s", r.body)
		}
	})
	t.Run("unknown client", func(t *testing.T) {
		r := postForm(t, tokenURL, url.Values{"client_id": {strings.Repeat("0", 32)}, "client_secret": {"x"}}, "", "").want(t, 403)
		if !strings.HasPrefix(r.env.Errors[0].Message, "Failed to issue access token") {
			t.Errorf("unknown client reply: %s", r.body)
		}
	})
	t.Run("missing credentials", func(t *testing.T) {
		postForm(t, tokenURL, url.Values{}, "", "").want(t, 400)
	})
	t.Run("member_cid child", func(t *testing.T) {
		child := s.Tenants()[2].CID
		r := postForm(t, tokenURL, url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}, "member_cid": {strings.ToUpper(child)}}, "", "").want(t, 201)
		var tr tokenReply
		_ = json.Unmarshal(r.body, &tr)
		c := &client{t: t, srv: s, http: http.DefaultClient, tok: tr.AccessToken}
		ids := c.get("/devices/queries/devices/v1"+q("limit", "100")).want(t, 200).ids(t)
		want := map[string]bool{}
		for _, id := range s.HostIDs(child) {
			want[id] = true
		}
		for _, id := range ids {
			if !want[id] {
				t.Fatalf("child token saw host %s of another tenant", id)
			}
		}
	})
	t.Run("member_cid not a child", func(t *testing.T) {
		for _, cid := range []string{s.ParentCID(), strings.Repeat("a", 32), "garbage"} {
			r := postForm(t, tokenURL, url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}, "member_cid": {cid}}, "", "").want(t, 400)
			if r.env.Meta.TraceID != "--" || !strings.HasPrefix(r.env.Errors[0].Message, "Failed to generate access token for clientID=") {
				t.Errorf("member_cid %s: %s", cid, r.body)
			}
		}
	})
	t.Run("revoke", func(t *testing.T) {
		c := login(t, s, "full", "")
		postForm(t, s.URL+"/oauth2/revoke", url.Values{"token": {c.tok}}, full.ID, full.Secret).want(t, 200).conforms(t, "POST /oauth2/revoke")
		c.get("/devices/queries/devices/v1").want(t, 401)
		postForm(t, s.URL+"/oauth2/revoke", url.Values{"token": {c.tok}}, full.ID, "bad").want(t, 403)
		postForm(t, s.URL+"/oauth2/revoke", url.Values{}, full.ID, full.Secret).want(t, 400)
	})
	t.Run("invalid bearer", func(t *testing.T) {
		c := &client{t: t, srv: s, http: http.DefaultClient, tok: "nope"}
		r := c.get("/devices/queries/devices/v1").want(t, 401)
		if r.header.Get("X-Ratelimit-Limit") != "15" || r.env.Meta.PoweredBy != "crowdstrike-api-gateway" ||
			r.env.Errors[0].Message != "access denied, invalid bearer token" {
			t.Errorf("401 reply: %v %s", r.header, r.body)
		}
		(&client{t: t, srv: s, http: http.DefaultClient}).get("/devices/queries/devices/v1").want(t, 401)
	})
}

func TestTokenExpiry(t *testing.T) {
	clk := newFakeClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithTokenLifetime(30*time.Second), falcontest.WithHosts(5))
	c := login(t, s, "analyst", "")
	c.get("/devices/queries/devices/v1").want(t, 200)
	clk.Advance(29 * time.Second)
	c.get("/devices/queries/devices/v1").want(t, 200)
	clk.Advance(time.Second)
	c.get("/devices/queries/devices/v1").want(t, 401)
}

func TestBlockedClient(t *testing.T) {
	s := newServer(t, falcontest.WithBlockedClient("partial"), falcontest.WithHosts(5))
	p := s.Client("partial")
	r := postForm(t, s.URL+"/oauth2/token", url.Values{"client_id": {p.ID}, "client_secret": {p.Secret}}, "", "").want(t, 403)
	if r.env.Errors[0].Message != "access denied, authorization failed" {
		t.Errorf("blocked: %s", r.body)
	}
	login(t, s, "full", "") // others are fine
}

func TestRedirectToOtherCloud(t *testing.T) {
	right := newServer(t, falcontest.WithRegion("us-2"), falcontest.WithHosts(5))
	wrong := newServer(t, falcontest.WithRedirectTo(right.URL), falcontest.WithHosts(5))
	full := right.Client("full")
	r := postForm(t, wrong.URL+"/oauth2/token", url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}}, "", "")
	if r.status != http.StatusPermanentRedirect || r.header.Get("Location") != right.URL+"/oauth2/token" || len(r.body) != 0 {
		t.Fatalf("redirect: %d %v %q", r.status, r.header, r.body)
	}
	checkHeaders(t, r)
	// Go's client follows a 308 with method and body: the token comes from the right cloud.
	resp, err := http.PostForm(wrong.URL+"/oauth2/token", url.Values{"client_id": {full.ID}, "client_secret": {full.Secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 || resp.Header.Get("X-Cs-Region") != "us-2" {
		t.Errorf("followed redirect: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestDeterministicData(t *testing.T) {
	a := falcontest.NewUnstartedServer(falcontest.WithSeed(42), falcontest.WithHosts(50))
	b := falcontest.NewUnstartedServer(falcontest.WithSeed(42), falcontest.WithHosts(50))
	other := falcontest.NewUnstartedServer(falcontest.WithSeed(43), falcontest.WithHosts(50))
	ja, _ := json.Marshal([]any{a.Tenants(), a.Clients(), a.HostIDs(a.ParentCID()), a.HostGroups(a.ParentCID())})
	jb, _ := json.Marshal([]any{b.Tenants(), b.Clients(), b.HostIDs(b.ParentCID()), b.HostGroups(b.ParentCID())})
	jo, _ := json.Marshal([]any{other.Tenants(), other.Clients()})
	if string(ja) != string(jb) {
		t.Error("same seed, different data")
	}
	if string(ja[:200]) == string(jo[:200]) {
		t.Error("different seeds, same data")
	}
	if len(a.Tenants()) != 4 || a.Tenants()[0].Parent != "" || a.Tenants()[1].Parent != a.ParentCID() {
		t.Errorf("tenants: %+v", a.Tenants())
	}
	for _, c := range a.Clients() {
		if len(c.ID) != 32 || len(c.Secret) != 40 {
			t.Errorf("client %+v", c)
		}
	}
}

func TestEmptyServer(t *testing.T) {
	s := newServer(t, falcontest.WithTenants(0), falcontest.WithHosts(0))
	c := login(t, s, "full", "")
	if ids := c.get("/devices/queries/devices-scroll/v1").want(t, 200).ids(t); len(ids) != 0 {
		t.Errorf("hosts %v", ids)
	}
	c.get("/alerts/queries/alerts/v2").want(t, 200)
	c.get("/mssp/queries/children/v1").want(t, 200)
	c.get("/devices/combined/host-groups/v1").want(t, 200)
	c.get("/zero-trust-assessment/entities/audit/v1").want(t, 200)
	if tn := s.Tenants(); len(tn) != 1 || tn[0].Hosts != 0 || tn[0].Alerts != 0 {
		t.Errorf("tenants %+v", tn)
	}
}

// The token endpoint's own budget: token and revoke calls together, per IP
// and sliding minute, told in the rate headers, refused with 429 and
// Retryafter when spent, on the server's clock.
func TestTokenRateLimit(t *testing.T) {
	start := time.Date(2025, 3, 1, 12, 0, 0, 250e6, time.UTC)
	clk := newFakeClock(start)
	s := newServer(t, falcontest.WithClock(clk.Now), falcontest.WithHosts(5), falcontest.WithTokenRateLimit(4))
	cl := s.Client("full")
	token := func() result {
		return postForm(t, s.URL+"/oauth2/token", url.Values{"client_id": {cl.ID}, "client_secret": {cl.Secret}}, "", "")
	}
	rates := func(r result) string {
		return r.header.Get("X-Ratelimit-Limit") + "/" + r.header.Get("X-Ratelimit-Remaining")
	}
	var tr tokenReply
	for i := range 3 {
		r := token()
		if r.status != http.StatusCreated || rates(r) != "4/"+strconv.Itoa(3-i) {
			t.Fatalf("token %d: %d, limit/remaining %s", i, r.status, rates(r))
		}
		_ = json.Unmarshal(r.body, &tr)
		clk.Advance(time.Second)
	}
	// A revoke spends the same budget.
	r := postForm(t, s.URL+"/oauth2/revoke", url.Values{"token": {tr.AccessToken}}, cl.ID, cl.Secret)
	if r.status != http.StatusOK || rates(r) != "4/0" {
		t.Fatalf("revoke: %d, limit/remaining %s", r.status, rates(r))
	}
	r = token()
	// The first call (at start) leaves the window at start+60 s, rounded up to the second.
	retry := strconv.FormatInt(start.Add(time.Minute).Unix()+1, 10)
	if r.status != http.StatusTooManyRequests || rates(r) != "4/0" || r.header.Get("X-Ratelimit-Retryafter") != retry ||
		len(r.env.Errors) != 1 || r.env.Errors[0].Code != 429 {
		t.Fatalf("over budget: %d, %s, Retryafter %q (want %s), %s", r.status, rates(r), r.header.Get("X-Ratelimit-Retryafter"), retry, r.body)
	}
	if r := postForm(t, s.URL+"/oauth2/revoke", url.Values{"token": {tr.AccessToken}}, cl.ID, cl.Secret); r.status != http.StatusTooManyRequests {
		t.Fatalf("revoke over budget: %d", r.status)
	}
	clk.Advance(time.Unix(start.Add(time.Minute).Unix()+1, 0).Sub(clk.Now()))
	if r := token(); r.status != http.StatusCreated || rates(r) != "4/0" {
		t.Fatalf("at Retryafter: %d, %s (one slot freed)", r.status, rates(r))
	}
	if st := s.Stats(); st.Throttled429 != 2 || st.ByOperation["POST /oauth2/token"] != 5 || st.ByOperation["POST /oauth2/revoke"] != 2 {
		t.Errorf("stats %+v", st)
	}
}
