package hostrows

import "github.com/falcon-tui/falcon-tui/falcon"

// A Reader reads the rows that were loaded when it was taken, from any goroutine: it holds
// a copy of the rows view (headers only), and nothing that view reaches is written again
// (see rows). An export takes one on the UI goroutine and writes the file elsewhere.
type Reader struct{ r rows }

// Reader returns a Reader of the rows loaded now.
func (t *Table) Reader() Reader { return Reader{t.s.r} }

// Len is the number of rows the Reader covers.
func (rd Reader) Len() int { return rd.r.n }

// Host returns a row as a falcon.Host with the list fields.
func (rd Reader) Host(row Row) falcon.Host { return rd.r.host(int(row)) }

// View returns the rows shown, in their order (the filter and the sort in force).
func (t *Table) View() []Row { return t.Window(make([]Row, 0, t.Shown()), 0, t.Shown()) }

// Score returns a row's ZTA overall score, and whether it is known, as it was when the
// Reader was taken.
func (rd Reader) Score(row Row) (int, bool) {
	v := rd.r.zta.at(rd.r.devnum(int(row)))
	return int(v) - 1, v != 0
}
