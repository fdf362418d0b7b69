package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/profile/profiletest"
)

// encodeOne encodes h with values of its own: the row and the values it numbered.
func encodeOne(h *falcon.Host) (row []byte, values [][]byte) {
	e := newValueEncoder()
	return encodeRow(nil, e, h), e.addedV
}

// decodeOne decodes one row against values numbered from 1.
func decodeOne(id string, row []byte, values [][]byte) (falcon.Host, error) {
	d := newRowDecoder()
	var ids []int64
	var ends []uint32
	var data []byte
	for i, v := range values {
		data = append(data, v...)
		ids, ends = append(ids, int64(i+1)), append(ends, uint32(len(data)))
	}
	if err := d.tenant(ids, ends, data); err != nil {
		return falcon.Host{}, err
	}
	var h [1]falcon.Host
	if err := d.decode(&h[0], []byte(id), row); err != nil {
		return falcon.Host{}, err
	}
	d.finish(h[:])
	return h[0], nil
}

func TestRowRoundTrip(t *testing.T) {
	for _, h := range append(testHosts(cid(1), 3), falcon.Host{DeviceID: "bare"},
		falcon.Host{DeviceID: "odd", Hostname: strings.Repeat("é", 300), Tags: []string{""}, OU: []string{"a", ""},
			Policies: []falcon.Policy{{}}, LastSeen: time.Unix(-5, 0).UTC(), Modified: time.Unix(1<<40, 0).UTC()}) {
		h.CID = ""
		row, values := encodeOne(&h)
		got, err := decodeOne(h.DeviceID, row, values)
		if err != nil {
			t.Fatalf("%s: %v", h.DeviceID, err)
		}
		if !reflect.DeepEqual(got, h) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, h)
		}
	}
}

func TestDecodeRowRejectsDamage(t *testing.T) {
	h := testHosts(cid(1), 1)[0]
	row, values := encodeOne(&h)
	for n := range len(row) {
		if _, err := decodeOne("x", row[:n], values); !errors.Is(err, errBadRow) {
			t.Fatalf("a row cut to %d of %d bytes decodes: %v", n, len(row), err)
		}
	}
	if _, err := decodeOne("x", append(slices.Clone(row), 0), values); !errors.Is(err, errBadRow) {
		t.Fatalf("a row with a trailing byte decodes: %v", err)
	}
	bad := slices.Clone(row)
	bad[0] = rowVersion + 1
	if _, err := decodeOne("x", bad, values); !errors.Is(err, errBadRow) {
		t.Fatalf("a row of another version decodes: %v", err)
	}
	// A value missing, of the wrong kind, or damaged.
	if _, err := decodeOne("x", row, values[:len(values)-1]); !errors.Is(err, errBadRow) {
		t.Fatalf("a row whose value is missing decodes: %v", err)
	}
	swapped := slices.Clone(values)
	swapped[0], swapped[len(swapped)-1] = swapped[len(swapped)-1], swapped[0]
	if _, err := decodeOne("x", row, swapped); !errors.Is(err, errBadRow) {
		t.Fatalf("a row whose values are of the wrong kind decodes: %v", err)
	}
	cut := slices.Clone(values)
	last := cut[len(cut)-1]
	cut[len(cut)-1] = last[:len(last)-1]
	if _, err := decodeOne("x", row, cut); !errors.Is(err, errBadRow) {
		t.Fatalf("a row whose value is cut decodes: %v", err)
	}
}

// FuzzDecodeRow: any row and values either decode to a host that encodes back to the same
// host, or are an error; never a panic. values holds the values numbered from 1, each a
// length and its bytes.
func FuzzDecodeRow(f *testing.F) {
	add := func(row []byte, values [][]byte) {
		var vs []byte
		for _, v := range values {
			vs = appendString(vs, string(v))
		}
		f.Add(row, vs)
	}
	for _, h := range testHosts(cid(1), 2) {
		add(encodeOne(&h))
	}
	for _, h := range benchHosts(cid(1), 3) {
		row, values := encodeOne(&h)
		add(row, values)
		add(row[:len(row)/2], values)
	}
	f.Add([]byte{rowVersion}, []byte{})
	f.Fuzz(func(t *testing.T, row, vs []byte) {
		var values [][]byte
		r := reader{b: vs}
		for len(r.b) > 0 && !r.bad {
			values = append(values, r.bytes())
		}
		h, err := decodeOne("id", row, values)
		if err != nil {
			if !errors.Is(err, errBadRow) {
				t.Fatalf("error %v is not errBadRow", err)
			}
			return
		}
		row, values = encodeOne(&h)
		again, err := decodeOne("id", row, values)
		if err != nil || !reflect.DeepEqual(again, h) {
			t.Fatalf("re-encoded row differs: %+v, %v; was %+v", again, err, h)
		}
	})
}

func TestReadHosts(t *testing.T) {
	s := openTest(t, t.TempDir(), profiletest.New())
	ctx := context.Background()
	want := map[string][]falcon.Host{cid(1): benchHosts(cid(1), 2500), cid(2): testHosts(cid(2), 7)}
	for c, hs := range want {
		if err := s.PutHosts(ctx, c, hs, t0); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(hs, func(a, b falcon.Host) int { return strings.Compare(a.DeviceID, b.DeviceID) })
	}
	if err := s.PutTenants(ctx, []Tenant{{CID: cid(3), Name: "empty"}}, t0); err != nil {
		t.Fatal(err)
	}

	var batches []HostBatch
	err := s.ReadHosts(ctx, []string{cid(2), cid(3), cid(9), cid(1)}, 1000, func(b HostBatch) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	got := map[string][]falcon.Host{}
	for _, b := range batches {
		sizes = append(sizes, len(b.Hosts))
		got[b.CID] = append(got[b.CID], b.Hosts...)
	}
	// Tenants in the order asked for; none for a tenant without hosts or an unknown one.
	if !slices.Equal(sizes, []int{7, 1000, 1000, 500}) || batches[0].CID != cid(2) || batches[1].CID != cid(1) {
		t.Fatalf("batches of %v hosts", sizes)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("read hosts differ from the written ones")
	}
	// Values that repeat are shared between hosts and batches.
	a := batches[1].Hosts[1]
	i := slices.IndexFunc(batches[3].Hosts, func(h falcon.Host) bool {
		return h.Platform == a.Platform && slices.Equal(h.Tags, a.Tags) && reflect.DeepEqual(h.Policies, a.Policies)
	})
	if len(a.Tags) == 0 || i < 0 {
		t.Fatal("no two hosts alike to compare")
	}
	b := batches[3].Hosts[i]
	if unsafe.StringData(a.Platform) != unsafe.StringData(b.Platform) || unsafe.SliceData(a.Tags) != unsafe.SliceData(b.Tags) ||
		unsafe.SliceData(a.Policies) != unsafe.SliceData(b.Policies) {
		t.Fatal("repeated values are not shared")
	}

	// An error from fn stops the read and is returned; so does a context that ends.
	stop := errors.New("enough")
	n := 0
	err = s.ReadHosts(ctx, []string{cid(1), cid(2)}, 100, func(HostBatch) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("after fn's error: %v, %d batches", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = s.ReadHosts(cctx, []string{cid(1), cid(2)}, 100, func(HostBatch) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Fatalf("after cancel: %v, %d batches", err, n)
	}
	// The connections went back to the pool usable (no transaction left open).
	for range 8 {
		if err := s.PutHosts(ctx, cid(2), want[cid(2)][:1], t0); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadHostsReportsDamage: a row that does not decode is an error of the read, not a panic
// or a wrong host.
func TestReadHostsReportsDamage(t *testing.T) {
	s := openTest(t, t.TempDir(), profiletest.New())
	ctx := context.Background()
	if err := s.PutHosts(ctx, cid(1), testHosts(cid(1), 3), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE hosts SET row=x'0105' WHERE device_id=?`, testHosts(cid(1), 2)[1].DeviceID); err != nil {
		t.Fatal(err)
	}
	err := s.ReadHosts(ctx, []string{cid(1)}, 10, func(HostBatch) error { return nil })
	if !errors.Is(err, errBadRow) {
		t.Fatalf("ReadHosts over a damaged row: %v", err)
	}
}
