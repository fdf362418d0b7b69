package hostrows

import "encoding/binary"

// devIndex finds the device number of a 16-byte device ID: open addressing with linear
// probing over 8-byte slots, each holding the low 32 bits of the ID's hash and the device
// number (+1, 0 is empty); the IDs themselves live in the rows' ids column. Falcon IDs are
// random, but the hash does not count on it: all 16 bytes are mixed (a multiply-xorshift
// finaliser), so that IDs that differ in a few bytes only — sequential ones, as some
// tools and test estates make — still spread over the slots instead of piling up in one
// probe run.
//
// The stored hash bits matter at a million devices, where the slot array no longer fits in
// cache: a probe that meets another device's slot is told apart by the hash bits in the
// slot, not by reading that device's ID (a second miss to memory), and a rehash never reads
// an ID at all. At half load it takes 16–32 bytes per device, against some 40 for a Go map
// with [16]byte keys.
type devIndex struct {
	slots []uint64 // hash<<32 | device number+1
	n     int
}

func (x *devIndex) hash(id [16]byte) uint32 {
	h := binary.LittleEndian.Uint64(id[:8])*0x9e3779b97f4a7c15 ^ binary.LittleEndian.Uint64(id[8:])
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	h ^= h >> 32
	return uint32(h)
}

// find returns the slot holding id, or the empty slot where it would go.
func (x *devIndex) find(ids *column[[16]byte], id [16]byte, h uint32) int {
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 || (uint32(s>>32) == h && ids.at(int(uint32(s)-1)) == id) {
			return i
		}
	}
}

func (x *devIndex) lookup(ids *column[[16]byte], id [16]byte) (uint32, bool) {
	if x.n == 0 {
		return 0, false
	}
	s := x.slots[x.find(ids, id, x.hash(id))]
	return uint32(s) - 1, s != 0
}

// intern returns the device number of id, calling add to record a new one (add stores the
// ID in ids and returns its number).
func (x *devIndex) intern(ids *column[[16]byte], id [16]byte, add func() uint32) uint32 {
	if 2*(x.n+1) > len(x.slots) {
		x.rehash(max(1024, 2*len(x.slots)))
	}
	h := x.hash(id)
	i := x.find(ids, id, h)
	if s := x.slots[i]; s != 0 {
		return uint32(s) - 1
	}
	n := add()
	x.slots[i] = uint64(h)<<32 | uint64(n+1)
	x.n++
	return n
}

func (x *devIndex) rehash(size int) {
	old := x.slots
	x.slots = make([]uint64, size)
	mask := size - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(s>>32) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}
