package hostrows

import (
	"encoding/binary"
	"unsafe"
)

// An arena keeps per-row text (host names, the odd local IP) in large pointer-free pages
// instead of one Go string per row: a string header is 16 bytes plus a heap object the
// collector has to visit, an arena entry is a 4-byte reference plus the bytes. Pages are
// append-only and a written byte never changes, so a job may read entries that existed when
// it started while the UI goroutine keeps writing new ones further on.
//
// An entry holds the text's search key (lower-case, sanitised) and, when it differs, the
// text as received:
//
//	uvarint(len(key)) key uvarint(0)                   raw == key
//	uvarint(len(key)) key uvarint(len(raw)+1) raw
//
// A reference is page<<16 | offset. An entry longer than a page gets a page of its own (at
// offset 0), so offsets always fit in 16 bits.
type arena struct {
	pages [][]byte // each at its full length; never re-sliced once added
	fill  int      // bytes used in the last page
	size  int      // bytes of pages allocated
}

const pageSize = 1 << 16

// emptyRef is the reference of the empty text; every arena starts with that entry.
const emptyRef = 0

func newArena() *arena {
	a := &arena{}
	a.put("", "")
	return a
}

// put appends an entry and returns its reference.
func (a *arena) put(key, raw string) uint32 {
	if key == "" && raw == "" && len(a.pages) > 0 {
		return emptyRef
	}
	rawTag := uint64(0)
	if raw != key {
		rawTag = uint64(len(raw)) + 1
	}
	need := uvarintLen(uint64(len(key))) + len(key) + uvarintLen(rawTag)
	if rawTag != 0 {
		need += len(raw)
	}
	if len(a.pages) == 0 || a.fill+need > len(a.pages[len(a.pages)-1]) {
		if len(a.pages) >= 1<<16 {
			panic("hostrows: text arena full (4 GB)")
		}
		a.pages = append(a.pages, make([]byte, max(pageSize, need)))
		a.size += max(pageSize, need)
		a.fill = 0
	}
	p := a.pages[len(a.pages)-1]
	ref := uint32(len(a.pages)-1)<<16 | uint32(a.fill)
	o := a.fill
	o += binary.PutUvarint(p[o:], uint64(len(key)))
	o += copy(p[o:], key)
	o += binary.PutUvarint(p[o:], rawTag)
	if rawTag != 0 {
		o += copy(p[o:], raw)
	}
	a.fill = o
	return ref
}

// view is what a reader keeps of an arena: the pages that existed when it was taken.
func (a *arena) view() arenaView { return arenaView{a.pages} }

type arenaView struct{ pages [][]byte }

// key returns the entry's search key. The string shares the page's memory (it is never
// written again), so reading costs no allocation.
func (v arenaView) key(ref uint32) string {
	p := v.pages[ref>>16][ref&0xffff:]
	if n := p[0]; n < 0x80 { // the usual one-byte length
		return bytesString(p[1 : 1+int(n)])
	}
	n, w := binary.Uvarint(p)
	return bytesString(p[w : w+int(n)])
}

// raw returns the text as received.
func (v arenaView) raw(ref uint32) string {
	p := v.pages[ref>>16][ref&0xffff:]
	n, w := binary.Uvarint(p)
	key := p[w : w+int(n)]
	p = p[w+int(n):]
	tag, w := binary.Uvarint(p)
	if tag == 0 {
		return bytesString(key)
	}
	return bytesString(p[w : w+int(tag-1)])
}

func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}
