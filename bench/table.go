package main

import (
	"strings"
	"unicode/utf8"
)

// table is a Markdown table; cells are escaped when rendered.
type table struct {
	header []string
	right  []bool // right-align this column (numbers)
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// markdown renders t with padded columns, so it reads well as plain text
// on a terminal and as a table on a forge. A row shorter than the header
// is padded with empty cells.
func (t *table) markdown() string {
	w := make([]int, len(t.header))
	cell := func(row []string, i int) string {
		if i < len(row) {
			return escapeCell(row[i])
		}
		return ""
	}
	for i := range t.header {
		w[i] = max(3, utf8.RuneCountInString(escapeCell(t.header[i])))
		for _, r := range t.rows {
			w[i] = max(w[i], utf8.RuneCountInString(cell(r, i)))
		}
	}
	var b strings.Builder
	line := func(row []string) {
		b.WriteString("|")
		for i := range t.header {
			c := cell(row, i)
			pad := strings.Repeat(" ", w[i]-utf8.RuneCountInString(c))
			if i < len(t.right) && t.right[i] {
				b.WriteString(" " + pad + c + " |")
			} else {
				b.WriteString(" " + c + pad + " |")
			}
		}
		b.WriteString("\n")
	}
	line(t.header)
	b.WriteString("|")
	for i := range t.header {
		dash := strings.Repeat("-", w[i])
		if i < len(t.right) && t.right[i] {
			dash = dash[1:] + ":"
		}
		b.WriteString(" " + dash + " |")
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		line(r)
	}
	return b.String()
}

// escapeCell keeps a cell on one line and its pipes out of the table's.
func escapeCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
