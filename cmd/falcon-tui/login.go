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
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile"
	localstore "github.com/falcon-tui/falcon-tui/falcon/store"
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

// loginOptions are login's own flags.
type loginOptions struct {
	clientID    string
	secretStdin bool
	me          string
}

func (a *app) loginCommand() *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Verify a profile's credentials, discover its cloud, store them (secret in the OS keyring)",
		Long: `Verify a profile's credentials, discover its cloud, store them (secret in the OS keyring).

Login gets a token with the credentials first (discovering the cloud when it is auto), then stores the secret in the OS keyring (service falcon-tui, user = profile name) and the rest in the profile settings. A wrong secret, a blocked IP, an unreachable cloud and a missing keyring each get their own message; on any failure nothing is stored.

On a terminal a form asks for the client id, the secret (hidden) and the cloud. In scripts pass --client-id and the secret on standard input with --secret-stdin; there is no flag for the secret itself. --cloud, --base-url and --member-cid given here are stored in the profile.

` + envSection("FALCON_TUI_PROFILE", "FALCON_CLOUD", "FALCON_MEMBER_CID", "XDG_CONFIG_HOME", "HTTPS_PROXY", "ACCESSIBLE"),
		Example: `# the form: client id, secret (hidden), cloud
falcon-tui login
falcon-tui login --profile eu-prod --cloud eu-1
# scripts: the secret on standard input, never on the command line
pass show falcon/ci | falcon-tui login --profile ci --client-id 0123abcd --secret-stdin`,
		Args:        noArgsHint(false, "the secret is never an argument (use the prompt, or --secret-stdin)"),
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLogin(cmd.Context(), a, cmd, o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.clientID, "client-id", "", "the API client's ID (prompted for on a terminal when omitted)")
	fs.BoolVar(&o.secretStdin, "secret-stdin", false, "read the client secret from standard input, for scripts (there is no flag for the secret itself)")
	fs.StringVar(&o.me, "me", "", "your Falcon console login (or user UUID), kept with the profile for \"assign to me\" in alert triage")
	return cmd
}

func runLogin(ctx context.Context, a *app, cmd *cobra.Command, o loginOptions) error {
	g, stdout, stderr := a.g, a.stdout, a.stderr
	name := g.Profile
	if err := profile.ValidateName(name); err != nil {
		return asUsage(cmd, err)
	}
	if _, err := falcon.ParseCloud(g.Cloud); err != nil {
		return asUsage(cmd, err)
	}
	ans := loginAnswers{ClientID: strings.TrimSpace(o.clientID), Cloud: g.Cloud}
	interactive := !o.secretStdin
	if o.secretStdin && ans.ClientID == "" {
		return usageErrorf(cmd, "--secret-stdin needs --client-id ID")
	}
	if interactive && !stdinIsTerminal() {
		return usageErrorf(cmd, "standard input is not a terminal, so there is nothing to prompt on: pass --client-id ID and the secret on standard input with --secret-stdin")
	}

	store, err := openProfileStore()
	if err != nil {
		return err
	}
	// Ask the keyring before anything else, so that someone about to type a secret hears
	// first that it cannot be kept. Its verdict is given after the credentials are checked,
	// though: a wrong secret or an unreachable cloud is reported as what it is, whether or
	// not the secret could have been stored.
	pending, keyringErr := store.Prepare(ctx, name)
	switch {
	case keyringErr == nil:
	case errors.Is(keyringErr, profile.ErrKeyringUnavailable):
		if interactive {
			fmt.Fprintln(stderr, "Note: the OS keyring cannot be used (the reason follows the check): the credentials will be checked, but not stored.")
		}
	default:
		return fmt.Errorf("login: %w. Nothing was stored", keyringErr)
	}

	if interactive {
		if err := runLoginForm(ctx, &ans); err != nil {
			if errors.Is(err, huh.ErrUserAborted) || errors.Is(err, context.Canceled) {
				return errors.New("login cancelled: nothing was stored")
			}
			return fmt.Errorf("login form: %w", err)
		}
		ans.trim()
	} else {
		in := loginStdin
		if stdinIsTerminal() {
			// --secret-stdin typed at a terminal: do not echo it.
			line, err := readHiddenLine(stderr)
			if err != nil {
				return fmt.Errorf("reading the secret: %w", err)
			}
			in = strings.NewReader(line)
		}
		s, err := readSecret(in)
		if err != nil {
			return asUsage(cmd, err)
		}
		ans.Secret = s
	}
	if err := validateClientID(ans.ClientID); err != nil {
		return asUsage(cmd, err)
	}
	cloud, err := falcon.ParseCloud(ans.Cloud)
	if err != nil {
		return asUsage(cmd, err)
	}

	cfg := falcon.Config{ClientID: ans.ClientID, ClientSecret: ans.Secret, Cloud: cloud, BaseURL: g.BaseURL,
		MemberCID: g.MemberCID, UserAgent: "falcon-tui/" + version,
		ReadOnly:   true, // login only reads
		MaxRetries: 2,    // a person is waiting: an unreachable cloud should be reported in about a second
	}
	if g.LogFile != "" {
		w, err := sharedLog(g.LogFile)
		if err != nil {
			return err
		}
		cfg.DebugLog = w
	}
	client, err := falcon.New(cfg)
	if err != nil {
		return fmt.Errorf("login: %w. Nothing was stored", err)
	}
	defer closeClient(ctx, client)
	fmt.Fprintf(stderr, "Checking the credentials (getting a token)…\n")
	if err := client.Connect(ctx); err != nil {
		return fmt.Errorf("login failed: %w. Nothing was stored", explainConnectError(err, cfg))
	}
	if keyringErr != nil {
		return fmt.Errorf("login: the credentials work, but %w. Nothing was stored", keyringErr)
	}

	// Connect has learnt the home CID already (Flight Control, the sensor CCID or a host
	// record, whichever the client may read); "" when none of them is allowed.
	p := profile.Profile{Name: name, ClientID: ans.ClientID, Cloud: string(client.Cloud()), BaseURL: g.BaseURL,
		MemberCID: g.MemberCID, TenantCID: client.HomeCID(), LoggedInAt: time.Now().UTC().Truncate(time.Second)}
	if p.Cloud == "" {
		p.Cloud = string(cloud)
	}
	p.Me = strings.TrimSpace(o.me)
	old, errOld := store.Get(name)
	replaced := errOld == nil
	if p.Me == "" && replaced {
		p.Me = old.Me // logging in again keeps who "me" is
	}
	// --no-store given to login is kept with the profile (--no-store=false turns the store
	// back on); logging in again without it keeps the profile's setting.
	p.NoStore = g.NoStore
	if !cmd.Flags().Changed("no-store") && replaced {
		p.NoStore = old.NoStore
	}
	if err := pending.Commit(ctx, p, ans.Secret); err != nil {
		if errors.Is(err, profile.ErrKeyringUnavailable) {
			return fmt.Errorf("login: the credentials work, but %w. Nothing was stored", err)
		}
		return fmt.Errorf("login: %w", err)
	}
	secrets.forget(store, name)

	reportLogin(stdout, p, store.Path(), cloud == falcon.CloudAuto && p.BaseURL == "", replaced)
	warnEnvCredentials(stderr)
	return nil
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

func (a *app) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Delete a profile, its keyring secret and its local store",
		Long: `Delete a profile: its secret in the OS keyring and its settings, then its encrypted local store and the store's key. Running it twice is harmless.

` + envSection("FALCON_TUI_PROFILE", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"),
		Example:     "falcon-tui logout --profile eu-prod",
		Args:        noArgsHint(true, "name the profile with --profile"),
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLogout(cmd.Context(), a, cmd)
		},
	}
}

func runLogout(ctx context.Context, a *app, cmd *cobra.Command) error {
	stdout, stderr := a.stdout, a.stderr
	name := a.g.Profile
	if err := profile.ValidateName(name); err != nil {
		return asUsage(cmd, err)
	}
	store, err := openProfileStore()
	if err != nil {
		return err
	}
	r, err := store.Remove(ctx, name)
	secrets.forget(store, name)
	if err != nil {
		if errors.Is(err, profile.ErrKeyringUnavailable) {
			return fmt.Errorf("logout: %w. Nothing was removed", err)
		}
		return fmt.Errorf("logout: %w", err)
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
	// The store goes too, with its key: what it holds is the profile's, and without the key
	// nobody can read what is left. It is removed whether or not the profile had settings
	// (environment credentials use a store under the profile name in force).
	sr, err := localstore.Remove(ctx, name, store.Keyring(), localStoreDir)
	if sr.Files > 0 || sr.Key {
		fmt.Fprintf(stdout, "Removed the profile's local store (%d files) and its key.\n", sr.Files)
	}
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	if os.Getenv("FALCON_CLIENT_ID") != "" && os.Getenv("FALCON_CLIENT_SECRET") != "" {
		fmt.Fprintln(stderr, "Note: FALCON_CLIENT_ID and FALCON_CLIENT_SECRET are still set in the environment, and still used.")
	}
	return nil
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

// profilesOptions are the profiles command's own flags.
type profilesOptions struct {
	json  bool
	check bool
}

func (a *app) profilesCommand() *cobra.Command {
	var o profilesOptions
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List profiles (never secrets)",
		Long: `List the profiles, never a secret. '*' marks the default profile (FALCON_TUI_PROFILE, else "default").

Without --check the keyring is not touched: SECRET says where login stored it.

` + envSection("FALCON_TUI_PROFILE", "XDG_CONFIG_HOME"),
		Example: `falcon-tui profiles
falcon-tui profiles --json
falcon-tui profiles --check`,
		Args:        noArgs,
		Annotations: uses(globalsChecked),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProfiles(cmd.Context(), a, o)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&o.json, "json", false, "print a JSON array instead of a table")
	fs.BoolVar(&o.check, "check", false, "ask the OS keyring whether each secret is still there (may prompt to unlock it); secrets are never printed")
	return cmd
}

func runProfiles(ctx context.Context, a *app, o profilesOptions) error {
	stdout, stderr := a.stdout, a.stderr
	store, err := openProfileStore()
	if err != nil {
		return err
	}
	list, err := store.List()
	if err != nil {
		return err
	}
	def := envOr("FALCON_TUI_PROFILE", profile.DefaultName)
	rows := make([]profileRow, 0, len(list))
	code := exitOK
	var checkErr error
	for _, p := range list {
		r := profileRow{Name: p.Name, Default: p.Name == def, ClientID: p.ClientID, Cloud: p.Cloud, BaseURL: p.BaseURL,
			MemberCID: p.MemberCID, TenantCID: p.TenantCID, LoggedIn: p.LoggedInAt, Secret: "keyring"}
		if o.check {
			_, err := store.Secret(ctx, p.Name)
			switch {
			case err == nil:
				r.Secret = "present"
			case errors.Is(err, profile.ErrNoSecret):
				r.Secret = "missing"
			default:
				r.Secret = "unavailable"
				code = exitError
				if checkErr == nil {
					checkErr = err
				}
			}
		}
		rows = append(rows, r)
	}
	if checkErr != nil {
		a.errs.report(checkErr) // "falcon-tui profiles: cannot read the secret of profile …"
	}
	warnEnvCredentials(stderr)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
		return exitWith(code)
	}
	if len(rows) == 0 {
		fmt.Fprintf(stdout, "No profiles yet: run 'falcon-tui login' (settings go to %s).\n", store.Path())
		return exitWith(code)
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
	return exitWith(code)
}

// exitWith is nil for exitOK, else the exit code of errors reported already.
func exitWith(code int) error {
	if code == exitOK {
		return nil
	}
	return reported(code)
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
