// Package domain holds what several panes know about Falcon and say alike: severity bands
// and names, relative times, tenant labels, why a write is off, and the announcements the
// group-edit overlay makes to every pane. Panes import it instead of each other (a pane
// package never imports another; see docs/TUI.md).
package domain
