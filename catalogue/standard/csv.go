package standard

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readCSV reads a CSV file whose first line names the columns.
func (rd *reader) readCSV(text string) error {
	delim := sniffDelimiter(text)
	rd.res.Delimiter = string(delim)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%w : en-tête CSV illisible (%v)", ErrFormat, err)
	}
	names, err := rd.mapHeader(header, string(delim))
	if err != nil {
		return err
	}
	width := len(header)
	for index := 1; ; index++ {
		fields, err := r.Read()
		if err == io.EOF {
			return nil
		}
		line, _ := r.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			// With lazy quotes this is rare; the reader cannot resynchronise.
			rd.queueReject(Issue{Line: perr.StartLine, Record: index,
				Reason: "CSV illisible à partir d'ici (" + perr.Err.Error() + ", ligne " + strconv.Itoa(perr.Line) + ")"})
			return nil
		}
		if err != nil {
			return fmt.Errorf("lire le CSV : %w", err)
		}
		if allEmpty(fields) {
			index--
			continue
		}
		row := make(rawRow, len(names))
		extra := false
		for i, f := range fields {
			switch {
			case i >= width:
				extra = extra || strings.TrimSpace(f) != ""
			case names[i] != "":
				row[names[i]] = value{text: f}
			}
		}
		if col := swallowed(fields, width); col >= 0 {
			// A quote that never closes makes the lines after it one field.
			rd.queueReject(Issue{Line: line, Record: index, ID: strings.TrimSpace(row["id"].text), Field: names[col],
				Reason: fmt.Sprintf("guillemet non fermé ? les lignes %d à %d sont lues comme un seul enregistrement de %d colonnes au lieu de %d",
					line, line+strings.Count(strings.TrimRight(strings.Join(fields, ""), "\r\n"), "\n"), len(fields), width)})
			continue
		}
		if extra {
			rd.queueReject(Issue{Line: line, Record: index, ID: strings.TrimSpace(row["id"].text),
				Reason: fmt.Sprintf("%d colonnes au lieu de %d : un séparateur « %s » hors guillemets ?", len(fields), width, string(delim))})
			continue
		}
		if len(fields) >= width {
			rd.queue(line, index, row)
			continue
		}
		for i := len(fields); i < width; i++ {
			if names[i] != "" {
				row[names[i]] = value{}
			}
		}
		rd.queue(line, index, row, Issue{Line: line, Record: index,
			Reason: fmt.Sprintf("%d colonnes au lieu de %d : les dernières sont lues vides", len(fields), width)})
	}
}

// swallowed returns the column of a short record whose field runs over
// several lines, the sign of a quote that never closes; -1 if none.
func swallowed(fields []string, width int) int {
	if len(fields) >= width {
		return -1
	}
	for i, f := range fields {
		if strings.Contains(f, "\n") {
			return i
		}
	}
	return -1
}

// sniffDelimiter picks the delimiter that the header line uses most,
// outside quotes: comma, semicolon or tab.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == '\n':
			goto done
		case r == ',' || r == ';' || r == '\t':
			counts[r]++
		}
	}
done:
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func allEmpty(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
