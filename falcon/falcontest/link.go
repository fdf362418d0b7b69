package falcontest

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// link is the one network link every API reply crosses when WithBandwidth
// is set — a WAN uplink shared by all connections, so ten parallel
// requests share the rate instead of getting it ten times.
//
// It paces with a virtual clock: free is when the link will have sent
// everything booked so far. A chunk of n bytes is booked after that
// (or now, if the link has been idle) and written to the socket when its
// last byte would have crossed the link, so a reply of B bytes arrives
// B/rate after it started, and concurrent replies interleave chunk by
// chunk. Bookings never overlap, so no load is ever faster than its
// bytes/rate. A booking made shortly after the link went idle continues
// back to back instead — within linkSlack for a new reply, within
// linkCatchUp for the next chunk of a reply being sent — so the time a
// writer oversleeps its timer or waits for a busy CPU is not lost, and the
// rate holds on a loaded machine.
type link struct {
	mu      sync.Mutex
	perByte float64 // nanoseconds per byte
	chunk   int     // bytes per booking: about 1 ms of the link
	free    time.Time
}

const (
	linkSlack   = 2 * time.Millisecond
	linkCatchUp = 250 * time.Millisecond
)

func newLink(bytesPerSecond int64) *link {
	return &link{
		perByte: 1e9 / float64(bytesPerSecond),
		chunk:   int(min(max(bytesPerSecond/1000, 4<<10), 256<<10)),
	}
}

// book reserves n bytes of the link and returns when their last byte has
// crossed it; more says they continue a reply already on the link.
func (l *link) book(n int, more bool) time.Time {
	now := time.Now()
	slack := linkSlack
	if more {
		slack = linkCatchUp
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	start := l.free
	if start.Before(now.Add(-slack)) {
		start = now
	}
	l.free = start.Add(time.Duration(float64(n) * l.perByte))
	return l.free
}

// cross books n bytes and waits until they have crossed the link; false
// when ctx ends first (the client went away).
func (l *link) cross(ctx context.Context, n int, more bool) bool {
	return sleepCtx(ctx, time.Until(l.book(n, more)))
}

// ParseBandwidth parses a link rate for WithBandwidth and returns it in
// bytes per second. The unit says bits or bytes in full:
//
//	100Mbit, 1Gbit, 512kbit, 100Mbps   bits per second (k/M/G = 10³/10⁶/10⁹)
//	10MB, 1.5GB, 800kB, 64KiB, 2MiB    bytes per second (KiB/MiB/GiB = 2¹⁰/2²⁰/2³⁰)
//
// An optional "/s" may follow ("100Mbit/s", "10MB/s"). The prefix letter is
// case-insensitive; a unit that does not say bit or B ("100M", "10Mb") is
// an error, since bits and bytes differ eightfold. "" and "0" mean no link
// model (0).
func ParseBandwidth(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	end := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if end <= 0 {
		return 0, fmt.Errorf("bandwidth %q: want a number and a unit, e.g. 100Mbit or 10MB", s)
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("bandwidth %q: %q is not a positive number", s, s[:end])
	}
	unit := strings.TrimSuffix(strings.TrimSpace(s[end:]), "/s")
	var prefix string
	bits := false
	switch lower := strings.ToLower(unit); {
	case strings.HasSuffix(lower, "bit"):
		prefix, bits = unit[:len(unit)-3], true
	case strings.HasSuffix(unit, "bps"):
		prefix, bits = unit[:len(unit)-3], true
	case strings.HasSuffix(unit, "B"):
		prefix = unit[:len(unit)-1]
	default:
		return 0, fmt.Errorf("bandwidth %q: unit %q says neither bits nor bytes; write e.g. Mbit (bits) or MB (bytes)", s, unit)
	}
	mult, ok := map[string]float64{
		"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12,
		"ki": 1 << 10, "mi": 1 << 20, "gi": 1 << 30, "ti": 1 << 40,
	}[strings.ToLower(prefix)]
	if !ok {
		return 0, fmt.Errorf("bandwidth %q: unknown unit %q (want bit, kbit, Mbit, Gbit, B, kB, MB, GB, KiB, MiB or GiB)", s, unit)
	}
	v *= mult
	if bits {
		v /= 8
	}
	if v < 1 || v > math.MaxInt64/2 {
		return 0, fmt.Errorf("bandwidth %q: out of range (1 byte per second and up)", s)
	}
	return int64(math.Round(v)), nil
}
