package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"charm.land/huh/v2"
	"golang.org/x/term"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
)

// Terminal seams: login reads the secret from standard input, and shows its form only when
// standard input is a terminal. Tests replace them.
var (
	loginStdin      io.Reader = os.Stdin
	stdinIsTerminal           = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }
	runLoginForm              = runHuhLoginForm
	readHiddenLine            = func(prompt io.Writer) (string, error) {
		fmt.Fprint(prompt, "Client secret (hidden): ")
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(prompt)
		return string(b), err
	}
)

// loginAnswers is what login needs from the user.
type loginAnswers struct {
	ClientID string
	Secret   string
	Cloud    string
}

const maxSecretBytes = 4096

func runLogin(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui login", stderr)
	g.register(fs)
	clientID := fs.String("client-id", "", "API client `ID` (prompted for on a terminal when omitted)")
	secretStdin := fs.Bool("secret-stdin", false, "read the client secret from standard input, for scripts (there is no flag for the secret itself)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: falcon-tui login [--profile NAME] [--client-id ID] [--secret-stdin] [--cloud CLOUD] [--base-url URL] [--member-cid CID]")
		fmt.Fprintln(stderr, "\nVerifies the credentials by getting a token (discovering the cloud), then stores the secret in the OS keyring\n"+
			"(service falcon-tui, user = profile name) and the rest in the profile settings. On any failure nothing is stored.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		// Not echoed: a stray argument to login may well be the secret.
		return usageError(stderr, "login takes no arguments; the secret is never an argument (use the prompt, or --secret-stdin)")
	}
	name := g.Profile
	if err := profile.ValidateName(name); err != nil {
		return usageError(stderr, err.Error())
	}
	if _, err := falcon.ParseCloud(g.Cloud); err != nil {
		return usageError(stderr, err.Error())
	}
	ans := loginAnswers{ClientID: strings.TrimSpace(*clientID), Cloud: g.Cloud}
	interactive := !*secretStdin
	if *secretStdin && ans.ClientID == "" {
		return usageError(stderr, "--secret-stdin needs --client-id ID")
	}
	if interactive && !stdinIsTerminal() {
		return usageError(stderr, "standard input is not a terminal, so there is nothing to prompt on: pass --client-id ID and the secret on standard input with --secret-stdin")
	}

	store, err := openProfileStore()
	if err != nil {
		return fail(stderr, err)
	}
	// Check the keyring before asking anything: a missing keyring is reported before the
	// user types a secret or the cloud sees a token request.
	pending, err := store.Prepare(ctx, name)
	if err != nil {
		return fail(stderr, fmt.Errorf("login: %w. Nothing was stored", err))
	}

	if interactive {
		if err := runLoginForm(ctx, &ans); err != nil {
			if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, context.Canceled) {
				return fail(stderr, errors.New("login cancelled: nothing was stored"))
			}
			return fail(stderr, fmt.Errorf("login form: %w", err))
		}
		ans.trim()
	} else {
		in := loginStdin
		if stdinIsTerminal() {
			// --secret-stdin typed at a terminal: do not echo it.
			line, err := readHiddenLine(stderr)
			if err != nil {
				return fail(stderr, fmt.Errorf("reading the secret: %w", err))
			}
			in = strings.NewReader(line)
		}
		s, err := readSecret(in)
		if err != nil {
			return usageError(stderr, err.Error())
		}
		ans.Secret = s
	}
	if err := validateClientID(ans.ClientID); err != nil {
		return usageError(stderr, err.Error())
	}
	cloud, err := falcon.ParseCloud(ans.Cloud)
	if err != nil {
		return usageError(stderr, err.Error())
	}

	cfg := falcon.Config{ClientID: ans.ClientID, ClientSecret: ans.Secret, Cloud: cloud, BaseURL: g.BaseURL,
		MemberCID: g.MemberCID, UserAgent: "falcon-tui/" + version,
		ReadOnly:   true, // login only reads
		MaxRetries: 2,    // a person is waiting: an unreachable cloud should be reported in about a second
	}
	if g.LogFile != "" {
		w, err := sharedLog(g.LogFile)
		if err != nil {
			return fail(stderr, err)
		}
		cfg.DebugLog = w
	}
	client, err := falcon.New(cfg)
	if err != nil {
		return fail(stderr, fmt.Errorf("login: %w. Nothing was stored", err))
	}
	defer closeClient(ctx, client)
	fmt.Fprintf(stderr, "Checking the credentials (getting a token)…\n")
	if err := client.Connect(ctx); err != nil {
		return fail(stderr, fmt.Errorf("login failed: %w. Nothing was stored", explainConnectError(err, cfg)))
	}

	// Connect has learnt the home CID already (Flight Control, the sensor CCID or a host
	// record, whichever the client may read); "" when none of them is allowed.
	p := profile.Profile{Name: name, ClientID: ans.ClientID, Cloud: string(client.Cloud()), BaseURL: g.BaseURL,
		MemberCID: g.MemberCID, TenantCID: client.HomeCID(), LoggedInAt: time.Now().UTC().Truncate(time.Second)}
	if p.Cloud == "" {
		p.Cloud = string(cloud)
	}
	_, errOld := store.Get(name)
	replaced := errOld == nil
	if err := pending.Commit(ctx, p, ans.Secret); err != nil {
		if errors.Is(err, profile.ErrKeyringUnavailable) {
			return fail(stderr, fmt.Errorf("login: the credentials work, but %w. Nothing was stored", err))
		}
		return fail(stderr, fmt.Errorf("login: %w", err))
	}
	secrets.forget(store, name)

	reportLogin(stdout, p, store.Path(), cloud == falcon.CloudAuto && p.BaseURL == "", replaced)
	warnEnvCredentials(stderr)
	return exitOK
}

// reportLogin prints what login stored (never the secret).
func reportLogin(stdout io.Writer, p profile.Profile, settings string, autoCloud, replaced bool) {
	name := p.Name
	discovered := ""
	if autoCloud {
		discovered = " (discovered)"
	}
	tenant := p.TenantCID
	if tenant == "" {
		tenant = "unknown (this API client may not read it)"
	}
	if replaced {
		fmt.Fprintf(stdout, "Logged in: profile %q (its previous credentials are replaced)\n", name)
	} else {
		fmt.Fprintf(stdout, "Logged in: profile %q\n", name)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  client id\t%s\n", p.ClientID)
	fmt.Fprintf(tw, "  cloud\t%s%s\n", p.Cloud, discovered)
	if p.BaseURL != "" {
		fmt.Fprintf(tw, "  base URL\t%s\n", p.BaseURL)
	}
	if p.MemberCID != "" {
		fmt.Fprintf(tw, "  member CID\t%s\n", p.MemberCID)
	}
	fmt.Fprintf(tw, "  tenant\t%s\n", tenant)
	fmt.Fprintf(tw, "  secret\tin the OS keyring (service %s, user %s)\n", profile.Service, name)
	fmt.Fprintf(tw, "  settings\t%s\n", settings)
	tw.Flush()
}

// readSecret reads one line from r: the secret, without its line ending or surrounding blanks.
func readSecret(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSecretBytes+1))
	if err != nil {
		return "", fmt.Errorf("reading the secret from standard input: %w", err)
	}
	if len(b) > maxSecretBytes {
		return "", fmt.Errorf("standard input holds more than %d bytes: not a client secret", maxSecretBytes)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", errors.New("--secret-stdin: standard input held no secret")
	}
	if strings.ContainsAny(s, "\r\n") {
		return "", errors.New("--secret-stdin: standard input holds more than one line; pass only the secret")
	}
	return s, nil
}

func validateClientID(id string) error {
	if id == "" {
		return errors.New("no client id: pass --client-id ID")
	}
	if len(id) > 128 || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
		return errors.New("the client id must be up to 128 printable characters without spaces")
	}
	return nil
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "falcon-tui: %s\n", msg)
	return exitUsage
}

func closeClient(ctx context.Context, c *falcon.Client) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = c.Close(ctx) // revokes the token: best effort
}

// warnEnvCredentials reminds that environment credentials shadow every profile.
func warnEnvCredentials(stderr io.Writer) {
	if os.Getenv("FALCON_CLIENT_ID") != "" && os.Getenv("FALCON_CLIENT_SECRET") != "" {
		fmt.Fprintln(stderr, "Note: FALCON_CLIENT_ID and FALCON_CLIENT_SECRET are set: they take precedence over every profile until unset.")
	}
}

// runHuhLoginForm asks for the client id, the secret (hidden) and the cloud on the terminal.
func runHuhLoginForm(ctx context.Context, ans *loginAnswers) error {
	out := io.Writer(os.Stderr) // the form is UI: keep standard output for the result
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		out = os.Stdout
	}
	return newLoginForm(ans).WithOutput(out).WithAccessible(os.Getenv("ACCESSIBLE") != "").RunWithContext(ctx)
}

// newLoginForm builds the form; the secret field never echoes what is typed.
func newLoginForm(ans *loginAnswers) *huh.Form {
	if _, err := falcon.ParseCloud(ans.Cloud); err != nil || ans.Cloud == "" {
		ans.Cloud = string(falcon.CloudAuto)
	} else {
		c, _ := falcon.ParseCloud(ans.Cloud)
		ans.Cloud = string(c)
	}
	clouds := []huh.Option[string]{huh.NewOption("auto — discover it from the token reply", string(falcon.CloudAuto))}
	for _, c := range falcon.Clouds {
		clouds = append(clouds, huh.NewOption(string(c)+" — "+c.Host(), string(c)))
	}
	notBlank := func(what string) func(string) error {
		return func(s string) error {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("enter the %s", what)
			}
			return nil
		}
	}
	return huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("API client ID").
			Description("Falcon console > Support and resources > API clients and keys").
			Value(&ans.ClientID).Validate(func(s string) error { return validateClientID(strings.TrimSpace(s)) }),
		huh.NewInput().Title("Client secret").Description("hidden; stored only in the OS keyring").
			EchoMode(huh.EchoModePassword).Value(&ans.Secret).Validate(notBlank("client secret")),
		huh.NewSelect[string]().Title("Cloud").Options(clouds...).Value(&ans.Cloud),
	))
}

// trim cleans what the form returned (pasted values often carry blanks).
func (a *loginAnswers) trim() {
	a.ClientID, a.Secret = strings.TrimSpace(a.ClientID), strings.TrimSpace(a.Secret)
}

func runLogout(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui logout", stderr)
	g.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: falcon-tui logout [--profile NAME]\n\nDeletes the profile's secret from the OS keyring and its settings. Running it twice is harmless.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("logout takes no arguments (got %q); name the profile with --profile", fs.Arg(0)))
	}
	name := g.Profile
	if err := profile.ValidateName(name); err != nil {
		return usageError(stderr, err.Error())
	}
	store, err := openProfileStore()
	if err != nil {
		return fail(stderr, err)
	}
	r, err := store.Remove(ctx, name)
	secrets.forget(store, name)
	if err != nil {
		if errors.Is(err, profile.ErrKeyringUnavailable) {
			return fail(stderr, fmt.Errorf("logout: %w. Nothing was removed", err))
		}
		return fail(stderr, fmt.Errorf("logout: %w", err))
	}
	switch {
	case r.Settings && r.Secret:
		fmt.Fprintf(stdout, "Logged out of profile %q: removed its settings and its secret from the OS keyring.\n", name)
	case r.Settings:
		fmt.Fprintf(stdout, "Logged out of profile %q: removed its settings (the OS keyring held no secret for it).\n", name)
	case r.Secret:
		fmt.Fprintf(stdout, "Logged out of profile %q: removed its secret from the OS keyring (it had no settings).\n", name)
	default:
		fmt.Fprintf(stdout, "Profile %q is not logged in: nothing to remove.\n", name)
	}
	if os.Getenv("FALCON_CLIENT_ID") != "" && os.Getenv("FALCON_CLIENT_SECRET") != "" {
		fmt.Fprintln(stderr, "Note: FALCON_CLIENT_ID and FALCON_CLIENT_SECRET are still set in the environment, and still used.")
	}
	return exitOK
}

// profileRow is one line of `profiles`, and its JSON form. It has no field for a secret.
type profileRow struct {
	Name      string    `json:"name"`
	Default   bool      `json:"default"`
	ClientID  string    `json:"client_id"`
	Cloud     string    `json:"cloud"`
	BaseURL   string    `json:"base_url,omitempty"`
	MemberCID string    `json:"member_cid,omitempty"`
	TenantCID string    `json:"tenant_cid,omitempty"`
	LoggedIn  time.Time `json:"logged_in_at,omitzero"`
	// Secret is where the secret is: "keyring" (stored there at login, not checked) or,
	// with --check, "present", "missing" or "unavailable".
	Secret string `json:"secret"`
}

func runProfiles(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("falcon-tui profiles", stderr)
	g.register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	check := fs.Bool("check", false, "ask the OS keyring whether each secret is still there (may prompt to unlock it); secrets are never printed")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: falcon-tui profiles [--json] [--check]\n\nLists the profiles, never a secret. '*' marks the default profile\n"+
			"(FALCON_TUI_PROFILE, else \"default\"). Without --check the keyring is not touched: SECRET says where login stored it.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("profiles takes no arguments (got %q)", fs.Arg(0)))
	}
	store, err := openProfileStore()
	if err != nil {
		return fail(stderr, err)
	}
	list, err := store.List()
	if err != nil {
		return fail(stderr, err)
	}
	def := envOr("FALCON_TUI_PROFILE", profile.DefaultName)
	rows := make([]profileRow, 0, len(list))
	code := exitOK
	var reported error
	for _, p := range list {
		r := profileRow{Name: p.Name, Default: p.Name == def, ClientID: p.ClientID, Cloud: p.Cloud, BaseURL: p.BaseURL,
			MemberCID: p.MemberCID, TenantCID: p.TenantCID, LoggedIn: p.LoggedInAt, Secret: "keyring"}
		if *check {
			_, err := store.Secret(ctx, p.Name)
			switch {
			case err == nil:
				r.Secret = "present"
			case errors.Is(err, profile.ErrNoSecret):
				r.Secret = "missing"
			default:
				r.Secret = "unavailable"
				code = exitError
				if reported == nil {
					reported = err
				}
			}
		}
		rows = append(rows, r)
	}
	if reported != nil {
		fmt.Fprintf(stderr, "falcon-tui: profiles --check: %v\n", reported)
	}
	warnEnvCredentials(stderr)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return fail(stderr, err)
		}
		return code
	}
	if len(rows) == 0 {
		fmt.Fprintf(stdout, "No profiles yet: run 'falcon-tui login' (settings go to %s).\n", store.Path())
		return code
	}
	w := bufio.NewWriter(stdout)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tCLIENT ID\tCLOUD\tBASE URL\tMEMBER CID\tTENANT\tSECRET")
	for _, r := range rows {
		mark := " "
		if r.Default {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, cell(r.Name), cell(r.ClientID), cell(r.Cloud),
			cell(r.BaseURL), cell(r.MemberCID), cell(r.TenantCID), r.Secret)
	}
	tw.Flush()
	w.Flush()
	return code
}

// cell makes a settings value safe for a terminal table: a hand-edited file could hold
// control sequences or tabs.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
}
