package server

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/pack"
)

// The Board's quarterly performance review packs: the list, one quarter's
// pack with its commentary forms and the issue button, the PDF; and the
// units' one-page posters.

type packsPageData struct {
	Quarter string
	Recent  []packLink
	Issued  []pack.Issue
}

type packLink struct {
	Quarter, Label string
	Issued         *pack.Issue
}

// recentQuarters is how many quarters the packs page offers, the last
// full one first.
const recentQuarters = 6

func (s *Server) packsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Board performance packs", "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance"}}
	status := http.StatusOK
	if raw := r.URL.Query().Get("quarter"); raw != "" {
		quarter, err := pack.ParseQuarter(raw)
		if err == nil {
			http.Redirect(w, r, "/performance/packs/"+quarter.Code(), http.StatusSeeOther)
			return
		}
		p.Errors, status = fault.As(err), http.StatusUnprocessableEntity
	}
	issued, err := s.db.PerformancePacks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byQuarter := map[string]*pack.Issue{}
	for i := range issued {
		byQuarter[issued[i].Quarter] = &issued[i]
	}
	data := packsPageData{Quarter: r.URL.Query().Get("quarter"), Issued: issued}
	q := pack.LastFullQuarter(s.db.Now())
	for range recentQuarters {
		data.Recent = append(data.Recent, packLink{Quarter: q.Code(), Label: q.String(), Issued: byQuarter[q.Code()]})
		q = q.Previous()
	}
	p.Data = data
	s.renderStatus(w, r, status, "performance-packs", p)
}

type packPageData struct {
	Review      pack.Review
	Rows        []packRow
	Exceptions  []packRow
	Others      []packRow // measures that are not exceptions, for the other commentary form
	Commented   []packRow // of those, the ones with commentary
	Form        url.Values
	OtherValue  string // the other commentary form's text, when it comes back with an error
	CanComment  bool
	CanIssue    bool
	Uncommented string // the exceptions still without commentary, in words
}

// packRow is a headline written out for the page.
type packRow struct {
	Code, Name, Value, Target, Average, Best, Status string
	RAG                                              measure.RAG
	Commentary                                       *pack.Commentary
	// Why says why an exception is one: outside tolerance, control
	// limits or both.
	Why string
}

func rowOf(h pack.Headline) packRow {
	row := packRow{Code: h.Code, Name: h.Name, Value: pack.FormatValue(h.Format, h.Value), Target: "None", Average: "-", Best: "-",
		Status: h.Status, RAG: h.RAG, Commentary: h.Commentary, Why: h.ExceptionReason()}
	if h.Target != nil {
		row.Target = pack.FormatValue(h.Format, &h.Target.Value)
	}
	if h.Average != nil {
		row.Average = pack.FormatValue(h.Format, h.Average)
	}
	if h.Best != nil {
		row.Best = pack.FormatValue(h.Format, h.Best)
	}
	return row
}

// pathQuarter reads the {quarter} of a path. Errors: Invalid.
func pathQuarter(r *http.Request) (measure.Period, error) {
	return pack.ParseQuarter(r.PathValue("quarter"))
}

func (s *Server) packPage(w http.ResponseWriter, r *http.Request) {
	s.renderPack(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPack(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	review, err := s.db.PerformancePack(r.Context(), principalOf(r), quarter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := principalOf(r)
	data := packPageData{Review: review, Form: form, Uncommented: strings.Join(review.Uncommented(), ", "),
		CanComment: review.Issued == nil && access.Allows(pr, access.WritePerformanceCommentary),
		CanIssue:   review.Issued == nil && access.Allows(pr, access.IssuePerformancePacks)}
	if data.Form == nil {
		data.Form = url.Values{}
	}
	for _, h := range review.Measures {
		row := rowOf(h)
		data.Rows = append(data.Rows, row)
		if h.Exception() {
			data.Exceptions = append(data.Exceptions, row)
			continue
		}
		data.Others = append(data.Others, row)
		if h.Commentary != nil {
			data.Commented = append(data.Commented, row)
		}
	}
	if data.Form.Get("form") == "other" {
		data.OtherValue = data.Form.Get("commentary")
	}
	p := s.newPage(r, review.Title(), "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance"}, {"Board performance packs", "/performance/packs"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = data
	s.renderStatus(w, r, status, "performance-pack", p)
}

func (s *Server) packPDF(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf, _, err := s.db.PerformancePackPDF(r.Context(), principalOf(r), quarter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePDF(w, "performance-pack-"+quarter.Code()+".pdf", pdf)
}

// writePDF answers with a PDF the browser shows, named for saving.
func writePDF(w http.ResponseWriter, name string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(pdf)
}

func (s *Server) packCommentaryForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	quarter, err := pathQuarter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PostForm.Get("measure")
	err = s.db.SetPackCommentary(r.Context(), principalOf(r), quarter, code, r.PostForm.Get("commentary"))
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		// Each exception has its own form: say the problem at that one.
		fe = fault.As(fault.RenameFields(fe, func(field string) string { return field + "-" + r.PostForm.Get("form") }))
		s.renderPack(w, r, statusFor(fe), r.PostForm, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/performance/packs/"+quarter.Code()+"?done="+url.QueryEscape("Commentary saved"), http.StatusSeeOther)
}

func (s *Server) issuePackForm(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.db.IssuePerformancePack(r.Context(), principalOf(r), quarter)
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		s.renderPack(w, r, statusFor(fe), nil, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/performance/packs/"+quarter.Code()+"?done="+url.QueryEscape("Pack issued to the Board"), http.StatusSeeOther)
}

type posterPageData struct {
	Unit, Quarter string
	Units         []org.Unit
	Poster        *pack.Poster
	Rows          []packRow
	// Downloads are the poster's PDF and PNG at A4 and A3.
	Downloads []link
	Narrative string
	CanWrite  bool
}

// posterQuery reads ?unit= and ?quarter= (default the last full quarter).
func (s *Server) posterQuery(r *http.Request, values url.Values) (string, measure.Period, error) {
	unit := strings.TrimSpace(values.Get("unit"))
	raw := strings.TrimSpace(values.Get("quarter"))
	if raw == "" {
		raw = pack.LastFullQuarter(s.db.Now()).Code()
	}
	quarter, err := pack.ParseQuarter(raw)
	return unit, quarter, err
}

func (s *Server) posterPage(w http.ResponseWriter, r *http.Request) {
	s.renderPoster(w, r, http.StatusOK, r.URL.Query(), nil)
}

func (s *Server) renderPoster(w http.ResponseWriter, r *http.Request, status int, values url.Values, formErr *fault.Error) {
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "Performance poster", "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance"}}
	data := posterPageData{Unit: values.Get("unit"), Quarter: values.Get("quarter"), Units: units, Narrative: values.Get("narrative")}
	unit, quarter, err := s.posterQuery(r, values)
	if data.Quarter == "" && err == nil {
		data.Quarter = quarter.Code()
	}
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		p.Errors, status = fe, http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Errors = cmp.Or(formErr, p.Errors)
	if err == nil && unit != "" {
		poster, err := s.db.PerformancePoster(r.Context(), principalOf(r), unit, quarter)
		if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
			p.Errors, status = fe, http.StatusUnprocessableEntity
		} else if err != nil {
			s.fail(w, r, err)
			return
		} else {
			data.Poster = &poster
			p.Title = poster.UnitName + ": performance poster, " + poster.QuarterLabel
			for _, h := range poster.Measures {
				data.Rows = append(data.Rows, rowOf(h))
			}
			for _, d := range []struct{ format, size string }{{"pdf", "A4"}, {"pdf", "A3"}, {"png", "A4"}, {"png", "A3"}} {
				data.Downloads = append(data.Downloads, link{strings.ToUpper(d.format) + ", " + d.size,
					"/performance/poster." + d.format + "?" + url.Values{"unit": {unit}, "quarter": {quarter.Code()}, "size": {d.size}}.Encode()})
			}
			for _, u := range units {
				if u.Code == unit {
					data.CanWrite = access.CanWritePosterNarrative(principalOf(r), u.ID)
				}
			}
			if data.Narrative == "" && poster.Narrative != nil {
				data.Narrative = poster.Narrative.Text
			}
		}
	}
	p.Notice = r.URL.Query().Get("done")
	p.Data = data
	s.renderStatus(w, r, status, "performance-poster", p)
}

func (s *Server) posterPDF(w http.ResponseWriter, r *http.Request) {
	s.posterFile(w, r, "pdf")
}

func (s *Server) posterPNG(w http.ResponseWriter, r *http.Request) {
	s.posterFile(w, r, "png")
}

// posterFile writes a unit's poster for a quarter as a PDF or PNG, at the
// ?size= asked for (A4, the default, or A3).
func (s *Server) posterFile(w http.ResponseWriter, r *http.Request, format string) {
	unit, quarter, err := s.posterQuery(r, r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	size, err := pack.ParseSize(r.URL.Query().Get("size"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	poster, err := s.db.PerformancePoster(r.Context(), principalOf(r), unit, quarter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "performance-poster-" + unit + "-" + quarter.Code() + "-" + strings.ToLower(size) + "." + format
	if format == "png" {
		image, err := poster.PNG(size)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(image)
		return
	}
	pdf, err := poster.PDF(size)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePDF(w, name, pdf)
}

func (s *Server) posterNarrativeForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	unit, quarter, err := s.posterQuery(r, r.PostForm)
	if err == nil {
		err = s.db.SetPosterNarrative(r.Context(), principalOf(r), unit, quarter, r.PostForm.Get("narrative"))
	}
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		s.renderPoster(w, r, statusFor(fe), r.PostForm, fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/performance/poster?"+url.Values{"unit": {unit}, "quarter": {quarter.Code()}, "done": {"Narrative saved"}}.Encode(), http.StatusSeeOther)
}
