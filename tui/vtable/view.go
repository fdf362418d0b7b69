package vtable

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/falcon-tui/falcon-tui/tui/sanitize"
	"github.com/falcon-tui/falcon-tui/tui/theme"
)

// View draws the header and the rows in the window: exactly Width × Height cells. Only the
// visible rows are asked for, so the cost does not depend on the row count.
func (m Model) View(st *theme.Styles, cells Cells) string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(m.header(st))
	page := m.PageSize()
	blank := strings.Repeat(" ", m.width)
	for y := 0; y < page; y++ {
		b.WriteByte('\n')
		row := m.offset + y
		if row >= m.n {
			b.WriteString(blank)
			continue
		}
		b.WriteString(m.row(st, cells, row))
	}
	return b.String()
}

func (m Model) header(st *theme.Styles) string {
	var b strings.Builder
	used := 0
	if m.gutter {
		b.WriteString("  ")
		used = 2
	}
	first := true
	for i, c := range m.cols {
		w := m.widths[i]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
			used++
		}
		first = false
		title := c.Title
		style := st.Header
		if i == m.sortCol {
			arrow := "▲"
			if m.sortDesc {
				arrow = "▼"
			}
			// The arrow must survive a narrow column: the title gives way instead.
			title = ansi.Truncate(title, max(0, w-1), "") + arrow
			style = st.SortedHeader
		}
		b.WriteString(styleTrimmed(style, fit(title, w, c.Right)))
		used += w
	}
	if used < m.width {
		b.WriteString(strings.Repeat(" ", m.width-used))
	}
	return b.String()
}

func (m Model) row(st *theme.Styles, cells Cells, row int) string {
	selected := row == m.cursor
	marked := m.gutter && cells.Marked(row)
	var rowStyle lipgloss.Style
	hasRow := true
	switch {
	case selected && marked && m.focused:
		rowStyle = st.SelectedMarked
	case selected && m.focused:
		rowStyle = st.Selected
	case selected:
		rowStyle = st.SelectedBlur
	case marked:
		rowStyle = st.Marked
	default:
		hasRow = false
	}
	var b strings.Builder
	used := 0
	gap := " "
	if hasRow {
		gap = rowStyle.Render(" ")
	}
	if m.gutter {
		g := "  "
		if marked {
			g = "● "
		}
		switch {
		case hasRow:
			b.WriteString(st.MarkGlyph.Inherit(rowStyle).Render(g))
		case marked:
			b.WriteString(st.MarkGlyph.Render(g))
		default:
			b.WriteString(g)
		}
		used = 2
	}
	first := true
	for i, c := range m.cols {
		w := m.widths[i]
		if w == 0 {
			continue
		}
		if !first {
			b.WriteString(gap)
			used++
		}
		first = false
		text, style := cells.Cell(row, i)
		text = fit(sanitize.Text(text), w, c.Right)
		// Unstyled cells skip lipgloss: Render is the dominant cost of a frame.
		switch {
		case style != nil && hasRow:
			b.WriteString(style.Inherit(rowStyle).Render(text))
		case style != nil:
			b.WriteString(style.Render(text))
		case hasRow:
			b.WriteString(rowStyle.Render(text))
		default:
			b.WriteString(text)
		}
		used += w
	}
	if used < m.width {
		pad := strings.Repeat(" ", m.width-used)
		if hasRow {
			pad = rowStyle.Render(pad)
		}
		b.WriteString(pad)
	}
	return b.String()
}

// fit truncates text (already sanitised) to w cells with an ellipsis and pads it to exactly
// w cells, on the left for right-aligned columns.
func fit(text string, w int, right bool) string {
	tw := ansi.StringWidth(text)
	if tw > w {
		text = ansi.Truncate(text, w, "…")
		tw = ansi.StringWidth(text)
	}
	if tw == w {
		return text
	}
	pad := strings.Repeat(" ", w-tw)
	if right {
		return pad + text
	}
	return text + pad
}

// styleTrimmed styles the text of a padded cell but not its padding, which keeps escape codes
// off blank cells.
func styleTrimmed(style lipgloss.Style, cell string) string {
	core := strings.TrimRight(cell, " ")
	lead := len(core) - len(strings.TrimLeft(core, " "))
	if core == "" {
		return cell
	}
	return core[:lead] + style.Render(core[lead:]) + cell[len(core):]
}
