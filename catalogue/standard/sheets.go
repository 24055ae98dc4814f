package standard

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Spreadsheets: the first sheet of an XLSX workbook (through excelize) or
// of an ODS one (its content.xml, read with encoding/xml: no maintained
// Go library reads ODS), read as a CSV file would be, its first non-empty
// row naming the columns.

// isZip reports whether data is a ZIP archive, as XLSX and ODS files are.
func isZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// readWorkbook reads an XLSX or ODS file.
func (rd *reader) readWorkbook(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w : archive ZIP illisible (%v)", ErrFormat, err)
	}
	var rows [][]string
	switch {
	case zipHas(zr, "xl/workbook.xml"):
		rd.res.Format = FormatXLSX
		rows, err = xlsxRows(data)
	case zipHas(zr, "content.xml"):
		rd.res.Format = FormatODS
		rows, err = odsRows(zr)
	default:
		return fmt.Errorf("%w : archive ZIP qui n'est ni un classeur XLSX ni un classeur ODS", ErrFormat)
	}
	if err != nil {
		return err
	}
	return rd.readTable(rows)
}

func zipHas(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// xlsxRows returns the cells of the first sheet, as stored: numbers
// unformatted, dates as the spreadsheet's serial day (parseDate reads
// them).
func xlsxRows(data []byte) ([][]string, error) {
	// A decompressed workbook is capped, against ZIP bombs.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, fmt.Errorf("%w : classeur XLSX illisible (%v)", ErrFormat, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%w : classeur XLSX sans feuille", ErrFormat)
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w : feuille « %s » illisible (%v)", ErrFormat, sheets[0], err)
	}
	return rows, nil
}

// maxRepeat caps the repetitions of an ODS cell or row: spreadsheets pad
// a sheet with a row repeated a million times. maxCells and maxRows cap
// a sheet as spreadsheets do, so that repetitions cannot blow it up.
const (
	maxRepeat = 1000
	maxCells  = 16384
	maxRows   = 1 << 20
)

// odsRows returns the cells of the first table of an ODS file: the value
// of numbers and dates, the text of the others, paragraphs joined by
// line breaks.
func odsRows(zr *zip.Reader) ([][]string, error) {
	f, err := zr.Open("content.xml")
	if err != nil {
		return nil, fmt.Errorf("%w : classeur ODS illisible (%v)", ErrFormat, err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var (
		rows               [][]string
		row                []string
		cell               strings.Builder
		inTable, inCell    bool
		paragraphs         int
		rowRepeat, cellRep int
		value              string
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w : classeur ODS illisible (%v)", ErrFormat, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "table":
				inTable = true
			case "table-row":
				row, rowRepeat = nil, repeat(t, "number-rows-repeated")
			case "table-cell", "covered-table-cell":
				inCell, paragraphs, value = true, 0, ""
				cell.Reset()
				cellRep = repeat(t, "number-columns-repeated")
				for _, a := range t.Attr {
					if a.Name.Local == "value" || a.Name.Local == "date-value" {
						value = a.Value
					}
				}
			case "p":
				if inCell && paragraphs > 0 {
					cell.WriteByte('\n')
				}
				paragraphs++
			case "s":
				if inCell {
					cell.WriteString(strings.Repeat(" ", repeat(t, "c")))
				}
			case "tab":
				if inCell {
					cell.WriteByte('\t')
				}
			case "line-break":
				if inCell {
					cell.WriteByte('\n')
				}
			}
		case xml.CharData:
			if inCell {
				cell.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "table-cell", "covered-table-cell":
				text := cell.String()
				if value != "" {
					text = value // a number or a date as stored, not as shown
				}
				for range cellRep {
					if len(row) < maxCells {
						row = append(row, text)
					}
				}
				inCell = false
			case "table-row":
				for len(row) > 0 && row[len(row)-1] == "" {
					row = row[:len(row)-1]
				}
				switch {
				case len(rows) >= maxRows:
					return nil, fmt.Errorf("%w : feuille de plus de %d lignes", ErrFormat, maxRows)
				case len(row) > 0:
					for range rowRepeat {
						rows = append(rows, row)
					}
				default:
					rows = append(rows, nil)
				}
			case "table":
				if inTable {
					return rows, nil // the first table only
				}
			}
		}
	}
	return rows, nil
}

func repeat(t xml.StartElement, attr string) int {
	for _, a := range t.Attr {
		if a.Name.Local == attr {
			if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
				return min(n, maxRepeat)
			}
		}
	}
	return 1
}

// readTable reads the rows of a sheet: the first non-empty one names the
// columns.
func (rd *reader) readTable(rows [][]string) error {
	start := 0
	for start < len(rows) && allEmpty(rows[start]) {
		start++
	}
	if start == len(rows) {
		return fmt.Errorf("%w : feuille vide", ErrFormat)
	}
	header := rows[start]
	names, err := rd.mapHeader(header, " | ")
	if err != nil {
		return err
	}
	index := 0
	for i := start + 1; i < len(rows); i++ {
		cells := rows[i]
		if allEmpty(cells) {
			continue
		}
		index++
		row := make(rawRow, len(names))
		for j, name := range names {
			if name == "" {
				continue
			}
			v := ""
			if j < len(cells) {
				v = cells[j]
			}
			row[name] = value{text: v}
		}
		rd.queue(i+1, index, row)
	}
	return nil
}
