package letters

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// PDFInfo labels a letter's PDF.
type PDFInfo struct {
	Title     string // the letter's subject
	Firm      string
	Reference string
	Created   time.Time // fixes the document's dates, so the same letter gives the same bytes
}

// PDF typesets a rendered letter on A4 in Helvetica (the PDF core font, so
// nothing is embedded), with the firm's name at the head of each page and
// the reference and page number at its foot. The text layer is left
// uncompressed so the letter's words stay searchable by plain tools.
// Characters outside Windows-1252 are shown as "?": the core fonts carry
// no others.
func PDF(text string, info PDFInfo) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.SetCreationDate(info.Created.UTC())
	pdf.SetModificationDate(info.Created.UTC())
	pdf.SetCreator("caredesk", true)
	pdf.SetTitle(info.Title, true)
	pdf.SetAuthor(info.Firm, true)
	pdf.SetSubject(info.Reference, true)
	pdf.SetMargins(22, 20, 22)
	pdf.SetAutoPageBreak(true, 22)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, tr(info.Firm), "", 1, "R", false, 0, "")
		pdf.Ln(4)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s - page %d of {nb}", info.Reference, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AliasNbPages("{nb}")
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	// Headings are looked for only between the salutation and the
	// sign-off, so names and addresses stay in the plain face.
	inBody := false
	for _, para := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.TrimSpace(para) == "" {
			pdf.Ln(3)
			continue
		}
		switch {
		case strings.HasPrefix(para, "Dear "):
			inBody = true
		case strings.HasPrefix(para, "Yours "):
			inBody = false
		}
		pdf.SetFont("Helvetica", "", 11)
		if inBody && heading(para) {
			pdf.SetFont("Helvetica", "B", 11)
		}
		pdf.MultiCell(0, 5.5, tr(para), "", "L", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("letter pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// heading reports whether a line is a section heading of the built-in
// templates: short, capitalised, without closing punctuation.
func heading(line string) bool {
	line = strings.TrimSpace(line)
	if len(line) == 0 || len(line) > 60 || strings.ContainsAny(line[len(line)-1:], ".,:;)!?") {
		return false
	}
	first := line[0]
	return first >= 'A' && first <= 'Z' && !strings.Contains(line, "@") && !strings.ContainsAny(line, "0123456789")
}

// PDFText extracts the words of a PDF made by PDF, line by line, for tests
// and for checking a kept letter against its text: it reads the
// uncompressed text operators, not arbitrary PDFs.
func PDFText(pdf []byte) string {
	var out []string
	for _, line := range strings.Split(string(pdf), "\n") {
		i := strings.Index(line, "(")
		j := strings.LastIndex(line, ")Tj")
		if i < 0 || j <= i || !strings.Contains(line, "BT ") {
			continue
		}
		s := line[i+1 : j]
		s = strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(s)
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}
