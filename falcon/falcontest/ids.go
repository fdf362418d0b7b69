package falcontest

import (
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
)

// splitmix64 is a bijective 64-bit mixer; it turns (seed, counter) pairs
// into well-spread values for ids and per-host derived attributes.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRand returns a deterministic PCG-backed generator for one stream of
// the dataset, so that adding data to one stream never shifts another.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), splitmix64(stream)))
}

// hex32 formats 128 bits as 32 lower-case hex digits (a Falcon AID/CID).
func hex32(hi, lo uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	return hex.EncodeToString(b[:])
}

// randHex32 draws a 32-hex id from r.
func randHex32(r *rand.Rand) string { return hex32(r.Uint64(), r.Uint64()) }

// deviceIDCodec maps (tenant, host index) to a random-looking 32-hex device
// id and back without any lookup table: the high half is a keyed Feistel
// permutation of the position, the low half a keyed check value. This keeps
// a million hosts cheap (no id strings, no id→host map).
type deviceIDCodec struct {
	keys  [4]uint32
	check uint64
}

func newDeviceIDCodec(seed int64) deviceIDCodec {
	var c deviceIDCodec
	x := splitmix64(uint64(seed) ^ 0xd1ce1d)
	for i := range c.keys {
		x = splitmix64(x)
		c.keys[i] = uint32(x)
	}
	c.check = splitmix64(x)
	return c
}

func feistelF(v, k uint32) uint32 {
	x := uint64(v)<<32 | uint64(k)
	return uint32(splitmix64(x))
}

func (c deviceIDCodec) permute(x uint64) uint64 {
	l, r := uint32(x>>32), uint32(x)
	for _, k := range c.keys {
		l, r = r, l^feistelF(r, k)
	}
	return uint64(l)<<32 | uint64(r)
}

func (c deviceIDCodec) unpermute(x uint64) uint64 {
	l, r := uint32(x>>32), uint32(x)
	for i := len(c.keys) - 1; i >= 0; i-- {
		l, r = r^feistelF(l, c.keys[i]), l
	}
	return uint64(l)<<32 | uint64(r)
}

// encode returns the device id of host i of tenant t.
func (c deviceIDCodec) encode(t, i int) string {
	hi := c.high(t, i)
	return hex32(hi, splitmix64(hi^c.check))
}

// high is the first half of the device id of host i of tenant t as a
// number: ids sort as these do (distinct hosts never share one).
func (c deviceIDCodec) high(t, i int) uint64 { return c.permute(uint64(t)<<32 | uint64(uint32(i))) }

// decode parses a device id; ok is false for anything that is not an id
// this codec made (wrong length, not hex, bad check value).
func (c deviceIDCodec) decode(id string) (t, i int, ok bool) {
	if len(id) != 32 {
		return 0, 0, false
	}
	var b [16]byte
	if _, err := hex.Decode(b[:], []byte(id)); err != nil {
		return 0, 0, false
	}
	hi := binary.BigEndian.Uint64(b[:8])
	if binary.BigEndian.Uint64(b[8:]) != splitmix64(hi^c.check) {
		return 0, 0, false
	}
	x := c.unpermute(hi)
	return int(x >> 32), int(uint32(x)), true
}
