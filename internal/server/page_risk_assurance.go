package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/pdfdoc"
	"caseboard/internal/risk"
)

// Quarterly assurance: the list of snapshots and the form that takes one,
// a snapshot with each unit's sign-off and the forms to sign off and to
// issue the certificate, and the certificate as a page and a PDF.

type assuranceListData struct {
	Snapshots []risk.Snapshot
	CanTake   bool
	Quarter   string
}

func (s *Server) riskAssurancePage(w http.ResponseWriter, r *http.Request) {
	s.showAssurance(w, r, http.StatusOK, nil)
}

func (s *Server) showAssurance(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	list, err := s.db.Snapshots(r.Context(), principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The quarter offered is the last one to have ended.
	start, _, _ := risk.ParseQuarter(risk.QuarterKey(today()))
	d := assuranceListData{Snapshots: list, CanTake: access.CanTakeSnapshot(principalOf(r)), Quarter: risk.QuarterKey(start.AddDate(0, -1, 0))}
	if q := r.PostFormValue("quarter"); q != "" {
		d.Quarter = q
	}
	p := s.newPage(r, "Quarterly assurance", "/risks")
	p.Breadcrumbs = []link{{"Risks", "/risks"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = d
	s.renderStatus(w, r, status, "risk-assurance", p)
}

func (s *Server) takeSnapshotForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the quarter is refused as missing
	snap, err := s.db.TakeSnapshot(r.Context(), principalOf(r), r.PostForm.Get("quarter"))
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.Forbidden {
			s.fail(w, r, err)
			return
		}
		s.showAssurance(w, r, statusFor(fe), fe)
		return
	}
	http.Redirect(w, r, "/risk-assurance/"+snap.Quarter+"?done="+url.QueryEscape("Snapshot taken"), http.StatusSeeOther)
}

// snapshotUnit is one unit's part of the snapshot page.
type snapshotUnit struct {
	risk.SnapshotUnit
	Risks   []riskRow
	CanSign bool
}

type snapshotPageData struct {
	Snapshot    risk.Snapshot
	Units       []snapshotUnit
	Outstanding int
	CanCertify  bool
	Form        url.Values
}

func (s *Server) snapshotPage(w http.ResponseWriter, r *http.Request) {
	s.showSnapshot(w, r, http.StatusOK, nil)
}

func (s *Server) showSnapshot(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	p := principalOf(r)
	snap, err := s.db.Snapshot(r.Context(), p, r.PathValue("quarter"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := snapshotPageData{Snapshot: snap, Outstanding: len(snap.Outstanding()), Form: r.PostForm}
	d.CanCertify = snap.Certificate == nil && d.Outstanding == 0 && access.CanIssueCertificate(p)
	for _, u := range snap.Units {
		d.Units = append(d.Units, snapshotUnit{SnapshotUnit: u, Risks: riskRows(snap.RisksOf(u.UnitID), scale, apps, true),
			CanSign: u.SignOff == nil && snap.Certificate == nil && access.CanSignOffUnit(p, u.UnitID)})
	}
	pg := s.newPage(r, "Risk assurance "+snap.Quarter, "/risks")
	pg.Breadcrumbs = []link{{"Risks", "/risks"}, {"Quarterly assurance", "/risk-assurance"}}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = d
	s.renderStatus(w, r, status, "risk-snapshot", pg)
}

func (s *Server) signOffForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	var v fault.Validation
	so := risk.SignOff{Comments: r.PostForm.Get("comments")}
	so.UnitID = formID(&v, r.PostForm, "unit_id", "Choose the unit you are signing off")
	err := v.Err("The sign-off could not be recorded")
	if err == nil {
		err = s.db.SignOffSnapshot(r.Context(), principalOf(r), r.PathValue("quarter"), &so)
	}
	s.afterSnapshotForm(w, r, err, "Unit signed off")
}

func (s *Server) issueCertificateForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the statement is refused as missing
	c := risk.AssuranceCertificate{Statement: r.PostForm.Get("statement")}
	err := s.db.IssueCertificate(r.Context(), principalOf(r), r.PathValue("quarter"), &c)
	s.afterSnapshotForm(w, r, err, "Certificate of assurance issued")
}

// afterSnapshotForm shows the snapshot again with the problem, or goes to
// it with the notice.
func (s *Server) afterSnapshotForm(w http.ResponseWriter, r *http.Request, err error, done string) {
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound || fe.Code == fault.Forbidden {
			s.fail(w, r, err)
			return
		}
		s.showSnapshot(w, r, statusFor(fe), fe)
		return
	}
	start, _, _ := risk.ParseQuarter(r.PathValue("quarter"))
	http.Redirect(w, r, "/risk-assurance/"+risk.QuarterKey(start)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// certificateData is the certificate page: the snapshot's figures by unit
// and band, each unit's sign-off, and the statement.
type certificateData struct {
	Snapshot risk.Snapshot
	Bands    []bandCount
	Above    int
	Division string
}

type bandCount struct {
	Band  risk.Band
	Count int
}

// issuedSnapshot reads a snapshot whose certificate has been issued.
func (s *Server) issuedSnapshot(r *http.Request) (certificateData, error) {
	snap, err := s.db.Snapshot(r.Context(), principalOf(r), r.PathValue("quarter"))
	if err != nil {
		return certificateData{}, err
	}
	if snap.Certificate == nil {
		return certificateData{}, fault.Errorf(fault.NotFound, "The certificate of assurance for %s has not been issued: %d of %d units have still to sign off, then the Head of Division issues it",
			snap.Quarter, len(snap.Outstanding()), len(snap.Units))
	}
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		return certificateData{}, err
	}
	d := certificateData{Snapshot: snap, Division: "the division"}
	if div, err := s.db.Division(r.Context()); err == nil {
		d.Division = div.Name
	}
	for _, b := range scale.Bands {
		n := 0
		for _, rk := range snap.Risks {
			if scale.Band(rk.Current.Score()).Name == b.Name {
				n++
			}
		}
		d.Bands = append(d.Bands, bandCount{Band: b, Count: n})
	}
	for _, rk := range snap.Risks {
		if risk.AboveAppetite(rk, apps) {
			d.Above++
		}
	}
	return d, nil
}

func (s *Server) certificatePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.issuedSnapshot(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "Certificate of assurance "+d.Snapshot.Quarter, "/risks")
	pg.Breadcrumbs = []link{{"Risks", "/risks"}, {"Quarterly assurance", "/risk-assurance"}, {d.Snapshot.Quarter, "/risk-assurance/" + d.Snapshot.Quarter}}
	pg.Data = d
	s.render(w, r, "risk-certificate", pg)
}

func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request) {
	d, err := s.issuedSnapshot(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeDocument(w, r, certificateDocument(d), "certificate-of-assurance-"+d.Snapshot.Quarter)
}

// certificateDocument lays the certificate out for print.
func certificateDocument(d certificateData) *pdfdoc.Document {
	snap, c := d.Snapshot, d.Snapshot.Certificate
	doc := pdfdoc.New(pdfdoc.Options{Title: "Divisional certificate of assurance", Generated: c.IssuedAt,
		Subtitle: fmt.Sprintf("%s: the risk register at the end of %s (%s)", d.Division, snap.Quarter, snap.AsAt.Format("2 January 2006"))})
	doc.Paragraph(c.Statement)
	doc.Facts([][2]string{
		{"Issued by", c.IssuedName}, {"Issued on", c.IssuedAt.Format("2 January 2006")},
		{"Snapshot taken", snap.TakenAt.Format("2 January 2006") + " by " + snap.TakenByName},
		{"Live risks", strconv.Itoa(len(snap.Risks))}, {"Above appetite", strconv.Itoa(d.Above)},
	})
	doc.Heading("Risks by band")
	bands := pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Band", Width: 2}, {Header: "Scores", Width: 1}, {Header: "Risks", Width: 1, Right: true}}}
	for _, b := range d.Bands {
		bands.Rows = append(bands.Rows, []string{b.Band.Name, fmt.Sprintf("%d to %d", b.Band.Min, b.Band.Max), strconv.Itoa(b.Count)})
	}
	bands.Fill = func(row, col int) (pdfdoc.Colour, bool) {
		if col != 0 {
			return pdfdoc.Colour{}, false
		}
		return hexColour(d.Bands[row].Band.Fill)
	}
	doc.Table(bands)
	doc.Heading("Sign-off by unit")
	units := pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Unit", Width: 2}, {Header: "Risks", Width: 1, Right: true},
		{Header: "Signed off by", Width: 2}, {Header: "On", Width: 1.3}, {Header: "Comments", Width: 5}}}
	for _, u := range snap.Units {
		so := u.SignOff
		units.Rows = append(units.Rows, []string{u.UnitName, strconv.Itoa(u.Risks), so.SignedName, so.SignedAt.Format("2 Jan 2006"), so.Comments})
	}
	doc.Table(units)
	return doc
}

// hexColour reads a band's "#rrggbb" colour for a PDF cell.
func hexColour(s string) (pdfdoc.Colour, bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 {
		return pdfdoc.Colour{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return pdfdoc.Colour{}, false
	}
	return pdfdoc.Colour{R: int(v >> 16 & 0xff), G: int(v >> 8 & 0xff), B: int(v & 0xff)}, true
}

// writeDocument sends a document to be saved as name.pdf.
func (s *Server) writeDocument(w http.ResponseWriter, r *http.Request, doc *pdfdoc.Document, name string) {
	body, err := doc.Bytes()
	if err != nil {
		s.fail(w, r, fmt.Errorf("write %s.pdf: %w", name, err))
		return
	}
	writePDF(w, name+".pdf", body)
}
