package hostrows

import (
	"encoding/binary"
	"slices"
	"strings"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
)

// A dict interns one kind of repeated value (platform, OS, sensor version, tenant, domain,
// site…): rows store a 4-byte index, and every per-value computation — the search key,
// whether the filter matches it, its rank in a sort — is done once per distinct value
// instead of once per row. A million hosts typically carry a few dozen platforms and OS
// versions, some hundreds of sensor versions and a few thousand domains and sites.
//
// Index 0 is always the empty string. The value slices only grow and a stored value never
// changes, so a job may read indexes that existed when it started.
type dict struct {
	index map[string]uint32
	vals  []string // as received
	keys  []string // lower-case sanitised: what the filter searches
	odd   []bool   // the value breaks the per-field filter shortcut (see oddText)
}

func newDict() *dict {
	d := &dict{index: map[string]uint32{}}
	d.intern("")
	return d
}

func (d *dict) intern(s string) uint32 {
	if id, ok := d.index[s]; ok {
		return id
	}
	s = strings.Clone(s) // never pin the batch the value came in
	id := uint32(len(d.vals))
	d.index[s] = id
	d.vals = append(d.vals, s)
	key := searchKey(s)
	d.keys = append(d.keys, key)
	d.odd = append(d.odd, oddText(s))
	return id
}

func (d *dict) view() dictView { return dictView{vals: d.vals, keys: d.keys, odd: d.odd} }

// dictView is a reader's copy of a dict's slices.
type dictView struct {
	vals, keys []string
	odd        []bool
}

// A setDict interns lists of values (tags, host-group IDs): hosts of one estate share a
// small number of distinct tag sets and group memberships. Rows store the list's index;
// the list itself is kept once, both as the strings a falcon.Host carries and as indexes
// into the element dict, which is what the filter tests.
type setDict struct {
	index map[string]uint32 // length-prefixed concatenation of the items
	lists [][]string
	elems [][]uint32
	elem  *dict
	key   []byte // scratch for lookups
	// the previous list and its index: the client's decoder shares equal lists, and
	// consecutive hosts often carry the same one
	last   []string
	lastID uint32
}

func newSetDict() *setDict {
	s := &setDict{index: map[string]uint32{}, elem: newDict()}
	s.index[""] = 0
	s.lists = append(s.lists, nil)
	s.elems = append(s.elems, nil)
	return s
}

func (s *setDict) intern(items []string) uint32 {
	if len(items) == 0 {
		return 0
	}
	if len(items) == len(s.last) && (&items[0] == &s.last[0] || slices.Equal(items, s.last)) {
		return s.lastID
	}
	id := s.lookup(items)
	s.last, s.lastID = items, id
	return id
}

func (s *setDict) lookup(items []string) uint32 {
	s.key = s.key[:0]
	for _, it := range items {
		s.key = binary.AppendUvarint(s.key, uint64(len(it)))
		s.key = append(s.key, it...)
	}
	if id, ok := s.index[string(s.key)]; ok { // no allocation for the lookup
		return id
	}
	list := make([]string, len(items))
	ids := make([]uint32, len(items))
	for i, it := range items {
		ids[i] = s.elem.intern(it)
		list[i] = s.elem.vals[ids[i]]
	}
	id := uint32(len(s.lists))
	s.index[string(s.key)] = id
	s.lists = append(s.lists, list)
	s.elems = append(s.elems, ids)
	return id
}

func (s *setDict) view() setView {
	return setView{lists: s.lists, elems: s.elems, elem: s.elem.view()}
}

type setView struct {
	lists [][]string
	elems [][]uint32
	elem  dictView
}

// searchKey is what the local filter compares a value with: sanitised, then lower-cased,
// exactly as the hosts pane builds its haystack.
func searchKey(s string) string { return strings.ToLower(sanitize.Text(s)) }

// oddText reports whether s holds an escape sequence introducer (ESC, or a UTF-8-encoded
// C1 control). The pane's filter sanitises the host's fields joined into one string; for
// any other text sanitising field by field and joining gives the very same result, so the
// engine can match each interned value once. An escape sequence, though, may swallow the
// separator and part of the next field, so a row with such a value is matched against its
// full haystack, built as the pane built it.
func oddText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x1b:
			return true
		case 0xc2:
			if i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
				return true
			}
		}
	}
	return false
}
