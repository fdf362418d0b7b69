package domain

import (
	"charm.land/lipgloss/v2"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// Severity is the band of an alert's 1–100 score. The bands are Falcon's own: 90+ critical,
// 70+ high, 50+ medium, 20+ low, below that informational.
type Severity uint8

const (
	Informational Severity = iota
	Low
	Medium
	High
	Critical
)

// SeverityOf is the band of a score.
func SeverityOf(score int) Severity {
	switch {
	case score >= 90:
		return Critical
	case score >= 70:
		return High
	case score >= 50:
		return Medium
	case score >= 20:
		return Low
	}
	return Informational
}

// String is the band's name as the explorer writes it when the API gave none ("Info" is
// short enough for every column).
func (s Severity) String() string {
	switch s {
	case Critical:
		return "Critical"
	case High:
		return "High"
	case Medium:
		return "Medium"
	case Low:
		return "Low"
	}
	return "Info"
}

// Style points at the theme's style for the band (a pointer, so a table cell allocates
// nothing).
func (s Severity) Style(st *theme.Styles) *lipgloss.Style {
	switch s {
	case Critical:
		return &st.Critical
	case High:
		return &st.High
	case Medium:
		return &st.Medium
	case Low:
		return &st.Low
	}
	return &st.Informational
}

// SeverityName is an alert's severity name: the API's own (untrusted: sanitise it before
// the screen), or its score's band when the API left it out.
func SeverityName(a falcon.Alert) string {
	if a.SeverityName != "" {
		return a.SeverityName
	}
	return SeverityOf(a.Severity).String()
}
