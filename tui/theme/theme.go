// Package theme holds the one Styles struct every pane renders with. Panes ask for semantic
// roles (muted text, a focused border, a critical severity) rather than colours, so that a
// light terminal, a dark terminal and NO_COLOR are one decision made here.
package theme

import (
	"image/color"
	"os"

	"charm.land/lipgloss/v2"
)

// Styles are the semantic roles of the interface.
type Styles struct {
	IsDark  bool
	NoColor bool

	// Text roles.
	Surface lipgloss.Style // ordinary text on the terminal background
	Muted   lipgloss.Style // secondary text: CIDs, hints, units
	Subtle  lipgloss.Style // tertiary text: separators, empty-state art
	Accent  lipgloss.Style // the one colour that says "this is interactive / current"
	Title   lipgloss.Style // a pane's title in its top border
	Key     lipgloss.Style // a key in help and hints
	KeyDesc lipgloss.Style // its description

	// Frames.
	FocusedBorder  lipgloss.Style // a bordered box with the focused colour
	BlurredBorder  lipgloss.Style
	FocusedColor   color.Color // raw colours for hand-drawn borders (nil under NO_COLOR)
	BlurredColor   color.Color
	AppHeader      lipgloss.Style // the top line: profile, cloud, tenant
	AppHeaderLabel lipgloss.Style
	StatusBar      lipgloss.Style // the bottom line
	Overlay        lipgloss.Style // help and prompt boxes drawn over the panes

	// Tables.
	Header         lipgloss.Style // column headings
	SortedHeader   lipgloss.Style // the column the rows are sorted by
	Selected       lipgloss.Style // the cursor row in a focused table
	SelectedBlur   lipgloss.Style // the cursor row in a table that is not focused
	Marked         lipgloss.Style // a row marked with space
	SelectedMarked lipgloss.Style // both at once
	MarkGlyph      lipgloss.Style // the ● in the mark column

	// Alert severities.
	Critical      lipgloss.Style
	High          lipgloss.Style
	Medium        lipgloss.Style
	Low           lipgloss.Style
	Informational lipgloss.Style

	// Host states.
	Online    lipgloss.Style
	Offline   lipgloss.Style
	Stale     lipgloss.Style
	Contained lipgloss.Style

	// Outcomes.
	OK    lipgloss.Style
	Warn  lipgloss.Style
	Error lipgloss.Style

	// Status-bar message levels.
	StatusInfo    lipgloss.Style
	StatusSuccess lipgloss.Style
	StatusWarn    lipgloss.Style
	StatusError   lipgloss.Style

	// Meters (rate limit, progress).
	BarFull  lipgloss.Style
	BarEmpty lipgloss.Style
	BarHot   lipgloss.Style // the filled part when the pool is nearly empty
	Spinner  lipgloss.Style
}

// Option adjusts how New builds the styles.
type Option func(*options)

type options struct{ noColor bool }

// WithNoColor forces colour off (true) or on (false), overriding the NO_COLOR environment.
func WithNoColor(on bool) Option { return func(o *options) { o.noColor = on } }

// NoColorEnv reports whether NO_COLOR asks for no colour. Per no-color.org any non-empty
// value counts, which is stricter than parsing it as a boolean.
func NoColorEnv() bool { return os.Getenv("NO_COLOR") != "" }

// New builds the styles for a dark or light terminal. NO_COLOR is honoured unless an option
// says otherwise; without colour, emphasis falls back to bold, underline and reverse video so
// that the cursor row and severities stay distinguishable.
func New(isDark bool, opts ...Option) *Styles {
	o := options{noColor: NoColorEnv()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.noColor {
		return monochrome(isDark)
	}
	return coloured(isDark)
}

// palette is the handful of colours the roles are built from.
type palette struct {
	fg, muted, subtle, accent, border, selBg, markFg, headerBg color.Color
	critical, high, medium, low, info                          color.Color
	ok, warn, err                                              color.Color
}

func pick(isDark bool) palette {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	return palette{
		fg:       ld(c("#1F2328"), c("#D8DEE9")),
		muted:    ld(c("#656D76"), c("#8B949E")),
		subtle:   ld(c("#AFB8C1"), c("#484F58")),
		accent:   ld(c("#B3261E"), c("#FF6B5B")), // Falcon red, softened on dark
		border:   ld(c("#D0D7DE"), c("#3A414A")),
		selBg:    ld(c("#DDE7F5"), c("#263447")),
		markFg:   ld(c("#8250DF"), c("#D2A8FF")),
		headerBg: ld(c("#F3F4F6"), c("#161B22")),
		critical: ld(c("#A40E26"), c("#FF4D6A")),
		high:     ld(c("#BC4C00"), c("#FF9E44")),
		medium:   ld(c("#9A6700"), c("#E3C34A")),
		low:      ld(c("#0969DA"), c("#6CB6FF")),
		info:     ld(c("#656D76"), c("#8B949E")),
		ok:       ld(c("#1A7F37"), c("#56D364")),
		warn:     ld(c("#9A6700"), c("#E3C34A")),
		err:      ld(c("#CF222E"), c("#FF7B72")),
	}
}

func coloured(isDark bool) *Styles {
	p := pick(isDark)
	n := lipgloss.NewStyle
	s := &Styles{IsDark: isDark}
	s.Surface = n().Foreground(p.fg)
	s.Muted = n().Foreground(p.muted)
	s.Subtle = n().Foreground(p.subtle)
	s.Accent = n().Foreground(p.accent)
	s.Title = n().Foreground(p.accent).Bold(true)
	s.Key = n().Foreground(p.accent).Bold(true)
	s.KeyDesc = n().Foreground(p.muted)

	s.FocusedColor, s.BlurredColor = p.accent, p.border
	s.FocusedBorder = n().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent)
	s.BlurredBorder = n().Border(lipgloss.RoundedBorder()).BorderForeground(p.border)
	s.AppHeader = n().Foreground(p.fg)
	s.AppHeaderLabel = n().Foreground(p.muted)
	s.StatusBar = n().Foreground(p.muted)
	s.Overlay = n().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(0, 1)

	s.Header = n().Foreground(p.muted).Bold(true)
	s.SortedHeader = n().Foreground(p.accent).Bold(true)
	s.Selected = n().Background(p.selBg).Foreground(p.fg).Bold(true)
	s.SelectedBlur = n().Background(p.selBg).Foreground(p.muted)
	s.Marked = n().Foreground(p.markFg)
	s.SelectedMarked = n().Background(p.selBg).Foreground(p.markFg).Bold(true)
	s.MarkGlyph = n().Foreground(p.markFg).Bold(true)

	s.Critical = n().Foreground(p.critical).Bold(true)
	s.High = n().Foreground(p.high)
	s.Medium = n().Foreground(p.medium)
	s.Low = n().Foreground(p.low)
	s.Informational = n().Foreground(p.info)

	s.Online = n().Foreground(p.ok)
	s.Offline = n().Foreground(p.muted)
	s.Stale = n().Foreground(p.warn)
	s.Contained = n().Foreground(p.critical).Bold(true)

	s.OK = n().Foreground(p.ok)
	s.Warn = n().Foreground(p.warn)
	s.Error = n().Foreground(p.err)

	s.StatusInfo = n().Foreground(p.fg)
	s.StatusSuccess = n().Foreground(p.ok)
	s.StatusWarn = n().Foreground(p.warn).Bold(true)
	s.StatusError = n().Foreground(p.err).Bold(true)

	s.BarFull = n().Foreground(p.ok)
	s.BarEmpty = n().Foreground(p.subtle)
	s.BarHot = n().Foreground(p.err)
	s.Spinner = n().Foreground(p.accent)
	return s
}

// monochrome keeps every distinction the coloured theme makes, with attributes only.
// Underline is avoided in anything drawn per cell: lipgloss underlines rune by rune, which
// multiplies the escape codes of a frame.
func monochrome(isDark bool) *Styles {
	n := lipgloss.NewStyle
	s := &Styles{IsDark: isDark, NoColor: true}
	s.Surface, s.Muted, s.Subtle = n(), n().Faint(true), n().Faint(true)
	s.Accent, s.Title, s.Key, s.KeyDesc = n().Bold(true), n().Bold(true), n().Bold(true), n()
	s.FocusedBorder = n().Border(lipgloss.ThickBorder())
	s.BlurredBorder = n().Border(lipgloss.RoundedBorder())
	s.AppHeader, s.AppHeaderLabel, s.StatusBar = n(), n().Faint(true), n()
	s.Overlay = n().Border(lipgloss.ThickBorder()).Padding(0, 1)
	s.Header, s.SortedHeader = n().Bold(true), n().Bold(true).Italic(true)
	s.Selected, s.SelectedBlur = n().Reverse(true), n().Reverse(true).Faint(true)
	s.Marked, s.SelectedMarked, s.MarkGlyph = n().Bold(true), n().Reverse(true).Bold(true), n().Bold(true)
	s.Critical, s.High, s.Medium = n().Bold(true).Reverse(true), n().Bold(true), n().Italic(true)
	s.Low, s.Informational = n(), n().Faint(true)
	s.Online, s.Offline, s.Stale, s.Contained = n(), n().Faint(true), n().Italic(true), n().Bold(true).Reverse(true)
	s.OK, s.Warn, s.Error = n(), n().Bold(true), n().Bold(true).Reverse(true)
	s.StatusInfo, s.StatusSuccess, s.StatusWarn, s.StatusError = n(), n(), n().Bold(true), n().Bold(true).Reverse(true)
	s.BarFull, s.BarEmpty, s.BarHot, s.Spinner = n(), n().Faint(true), n().Bold(true), n()
	return s
}

// Border returns the frame style for a pane that is or is not focused.
func (s *Styles) Border(focused bool) lipgloss.Style {
	if focused {
		return s.FocusedBorder
	}
	return s.BlurredBorder
}

// BorderColor is the raw colour of a focused or blurred frame; nil without colour.
func (s *Styles) BorderColor(focused bool) color.Color {
	if focused {
		return s.FocusedColor
	}
	return s.BlurredColor
}
