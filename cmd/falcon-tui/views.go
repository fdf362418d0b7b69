package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/falcon-tui/falcon-tui/falcon/profile"
	"github.com/falcon-tui/falcon-tui/tui"
	"github.com/falcon-tui/falcon-tui/tui/savedview"
)

// exploreOptions are the explorer's own flags (falcon-tui with no command).
type exploreOptions struct {
	view         string // --view NAME: start in a saved view
	ztaThreshold int    // --zta-threshold N: mark hosts scoring below N
}

func (o *exploreOptions) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.view, "view", "", "start in the saved view NAME (:save NAME keeps one, :views lists them)")
	fs.IntVar(&o.ztaThreshold, "zta-threshold", 0, "mark the hosts whose Zero Trust Assessment score is below N (0-100), as :zta N does")
}

// check reports flags the explorer cannot use (a usage error).
func (o *exploreOptions) check() error {
	if o.ztaThreshold < 0 || o.ztaThreshold > 100 {
		return fmt.Errorf("--zta-threshold %d: want a score from 0 to 100", o.ztaThreshold)
	}
	if o.view != "" {
		if err := savedview.ValidateName(o.view); err != nil {
			return fmt.Errorf("--view: %w", err)
		}
	}
	return nil
}

// exploreSettings fills in the options the explorer keeps between sessions: the saved
// views file (and the view to start in), the profile's column choice. The settings are
// plain files; a file that cannot be read costs the feature, not the session — except
// --view, which the user asked for by name.
func exploreSettings(opts *tui.Options, o *exploreOptions, g *globalOptions) error {
	opts.ZTAThreshold = o.ztaThreshold
	dir, err := profile.DefaultDir()
	if err != nil {
		if o.view != "" {
			return err
		}
		return nil
	}
	views := savedview.Open(dir)
	opts.Views = views
	if o.view != "" {
		v, err := views.Get(o.view)
		if errors.Is(err, savedview.ErrNotFound) {
			names := views.Names()
			hint := "no view is saved yet (:save NAME in the explorer keeps one)"
			if len(names) > 0 {
				hint = "saved views: " + strings.Join(names, ", ")
			}
			return fmt.Errorf("--view %q: there is no such view; %s", o.view, hint)
		}
		if err != nil {
			return err
		}
		opts.StartView = &v
		if strings.TrimSpace(g.MemberCID) == "" && v.Tenant != "" {
			opts.StartCID = v.Tenant
		}
	}
	if store, err := openProfileStore(); err == nil {
		if ds, err := store.Displays(); err == nil {
			opts.HostColumns = map[string][]string{}
			for name, d := range ds {
				opts.HostColumns[name] = d.HostColumns
			}
		}
		opts.SaveHostColumns = func(name string, cols []string) error {
			return store.SetDisplay(name, profile.Display{HostColumns: cols})
		}
	}
	return nil
}
