package main

// The hosts command's progress line on a terminal's standard error.

import (
	"fmt"
	"io"
	"time"
)

// progress is the "hosts: N" line on a terminal's standard error, redrawn at most a few
// times a second.
type progress struct {
	extra func() string // more to say, if anything
	w     io.Writer
	on    bool
	n     int
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, on bool) *progress {
	return &progress{w: w, on: on, start: time.Now()}
}

func (p *progress) add(n int) {
	p.n += n
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	more := ""
	if p.extra != nil {
		more = p.extra()
	}
	fmt.Fprintf(p.w, "\r\x1b[2Kloading hosts… %d (%.1fs)%s", p.n, time.Since(p.start).Seconds(), more)
	p.shown = true
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.shown = false
	}
}
