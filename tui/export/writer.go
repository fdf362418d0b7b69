package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/falcon-tui/falcon-tui/falcon/untrusted"
)

// Format is an export's file format.
type Format string

const (
	CSV    Format = "csv"    // a header row, then one row a line
	JSON   Format = "json"   // one array of objects
	NDJSON Format = "ndjson" // one object a line
)

// Formats are the formats, the default first, with what each is for (completion).
var Formats = []struct {
	Format Format
	Desc   string
}{
	{CSV, "spreadsheet: a header row, then one row a line"},
	{JSON, "one JSON array of objects"},
	{NDJSON, "one JSON object a line, for jq and log pipelines"},
}

// ParseFormat reads a format name (any case); ok is false for anything else.
func ParseFormat(s string) (Format, bool) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, x := range Formats {
		if x.Format == f {
			return f, true
		}
	}
	return "", false
}

// CSVCell makes an API string safe for a spreadsheet: control characters and escape
// sequences removed (untrusted.Text), and a cell that would start with = + - @, a tab or a
// carriage return gets a leading quote, so that a crafted host name or tag cannot run as a
// formula.
func CSVCell(v string) string {
	if v == "" {
		return v
	}
	lead := v[0]
	v = untrusted.Text(v)
	if v != "" && strings.ContainsRune("=+-@", rune(v[0])) || lead == '\t' || lead == '\r' {
		v = formulaGuard + v
	}
	return v
}

// formulaGuard is the leading quote spreadsheets read as "this cell is text".
const formulaGuard = "'"

// Writer writes rows of string cells under a header of column names: CSV cells through
// CSVCell, JSON objects keyed by the column names (in column order) through the
// terminal-safe encoding of AppendSafeJSON.
type Writer struct {
	w       *bufio.Writer
	format  Format
	columns []string
	keys    [][]byte // each column name, JSON-encoded
	csv     *csv.Writer
	cells   []string
	line    []byte
	n       int
}

// NewWriter returns a writer of format f with these columns.
func NewWriter(w io.Writer, f Format, columns []string) (*Writer, error) {
	if _, ok := ParseFormat(string(f)); !ok {
		return nil, fmt.Errorf("export format %q: want csv, json or ndjson", f)
	}
	x := &Writer{w: bufio.NewWriterSize(w, 64<<10), format: f, columns: columns}
	switch f {
	case CSV:
		x.csv = csv.NewWriter(x.w)
		head := make([]string, len(columns))
		for i, c := range columns {
			head[i] = CSVCell(c)
		}
		if err := x.csv.Write(head); err != nil {
			return nil, err
		}
	default:
		for _, c := range columns {
			k, err := json.Marshal(c)
			if err != nil {
				return nil, err
			}
			x.keys = append(x.keys, AppendSafeJSON(nil, k))
		}
	}
	return x, nil
}

// Write writes one row: a cell per column (missing cells are empty).
func (x *Writer) Write(row []string) error {
	cell := func(i int) string {
		if i < len(row) {
			return row[i]
		}
		return ""
	}
	defer func() { x.n++ }()
	if x.csv != nil {
		x.cells = x.cells[:0]
		for i := range x.columns {
			x.cells = append(x.cells, CSVCell(cell(i)))
		}
		return x.csv.Write(x.cells)
	}
	x.line = x.line[:0]
	if x.format == JSON {
		if x.n == 0 {
			x.line = append(x.line, "[\n"...)
		} else {
			x.line = append(x.line, ",\n"...)
		}
	}
	x.line = append(x.line, '{')
	for i, k := range x.keys {
		if i > 0 {
			x.line = append(x.line, ',')
		}
		x.line = append(x.line, k...)
		x.line = append(x.line, ':')
		v, err := json.Marshal(cell(i))
		if err != nil {
			return err
		}
		x.line = AppendSafeJSON(x.line, v)
	}
	x.line = append(x.line, '}')
	if x.format == NDJSON {
		x.line = append(x.line, '\n')
	}
	_, err := x.w.Write(x.line)
	return err
}

// Rows is how many rows were written.
func (x *Writer) Rows() int { return x.n }

// Close ends the document (a JSON array's bracket) and flushes it; it does not close the
// underlying writer.
func (x *Writer) Close() error {
	switch x.format {
	case CSV:
		x.csv.Flush()
		if err := x.csv.Error(); err != nil {
			return err
		}
	case JSON:
		end := "\n]\n"
		if x.n == 0 {
			end = "[]\n"
		}
		if _, err := x.w.WriteString(end); err != nil {
			return err
		}
	}
	return x.w.Flush()
}
