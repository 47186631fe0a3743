package server

import (
	"cmp"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// importResult is what an import upload answers.
type importResult struct {
	Committed bool                  `json:"committed"`
	ImportID  int64                 `json:"import_id,omitempty"`
	Read      int                   `json:"read"`
	Added     int                   `json:"added"`
	Changed   int                   `json:"changed"`
	Unchanged int                   `json:"unchanged"`
	Rejected  int                   `json:"rejected"`
	Ignored   []string              `json:"ignored_columns"`
	Problems  []spreadsheet.Problem `json:"problems"`
	More      int                   `json:"more_problems"` // problems beyond those listed
}

func newImportResult(res exchange.Result) importResult {
	out := importResult{Committed: res.Committed, ImportID: res.Summary.ID, Read: res.Summary.Read, Added: res.Summary.Added,
		Changed: res.Summary.Changed, Unchanged: res.Summary.Unchanged, Rejected: res.Summary.Rejected,
		Ignored: nonNil(res.Ignored), Problems: []spreadsheet.Problem{}}
	if res.Problems != nil {
		out.Problems = nonNil(res.Problems.List())
		out.More = res.Problems.Len() - len(out.Problems)
	}
	return out
}

// spreadsheetTypes maps the media types an upload may carry to the file
// extension the reader chooses its format by.
var spreadsheetTypes = map[string]string{
	"text/csv": ".csv",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}

// importKind is one kind of spreadsheet the register imports.
type importKind struct {
	Name, Title string
	Intro       string // what a row is and which columns it has
	NoSkip      bool   // the import is whole or nothing, with no skipping of wrong rows
	section     link   // the part of the service it belongs to, for the navigation and breadcrumbs
	run         func(context.Context, *store.DB, *access.Principal, io.Reader, string, exchange.Options) (exchange.Result, error)
}

var (
	outcomesImport = importKind{Name: "outcomes", Title: "Import outcomes", run: exchange.ImportOutcomes,
		Intro: "One row per finalised defendant or requested person, as a CSV or XLSX file. The columns are case_urn, unit, location, court, " +
			"defendant_id, principal_offence, finalised_on, outcome, and optionally country."}
	findingsImport = importKind{Name: "findings", Title: "Import findings", NoSkip: true, section: link{"Inspections", "/plans"},
		run: func(ctx context.Context, db *store.DB, p *access.Principal, r io.Reader, name string, _ exchange.Options) (exchange.Result, error) {
			return exchange.ImportFindings(ctx, db, p, r, name)
		},
		Intro: "One row per recommendation, aspect for improvement or good practice, as a CSV or XLSX file: the columns of the findings export. " +
			"The columns are inspection (the report's title), finding (\"Recommendation 3\"), paragraph and text, and optionally criteria, " +
			"accountable_owner_email, and response, response_text and response_on together. A finding recorded before must come back with the same " +
			"words, and may take a response or accountable owner it lacks; importing the same file again changes nothing."}
	unitReturnsImport = importKind{Name: "unit-returns", Title: "Import units' monthly returns", run: exchange.ImportUnitReturns,
		Intro: "One row per unit and month, as a CSV or XLSX file. The columns are unit, month, working_days_lost, advocacy_sessions_in_house, " +
			"advocacy_sessions_counsel, crown_advocate_hours and crown_advocate_hours_available, and fte_<grade> for each grade the unit has. " +
			"A month the unit has a return for is corrected: a new version of the return."}
	casesImport = importKind{Name: "cases", Title: "Import cases", run: exchange.ImportCases,
		Intro: "One row per case, as a CSV or XLSX file. The columns are reference, kind, unit, location, status and opened_on, and " +
			"optionally title, sensitivity, lawyer and legal_manager (by email), and the fields of each kind of case. A reference already " +
			"in the register brings that case up to date; importing the same file again changes nothing."}
	risksImport = importKind{Name: "risks", Title: "Import a risk register", run: exchange.ImportRisks, NoSkip: true, section: link{"Risks", "/risks"},
		Intro: "One row per risk, as a CSV or XLSX file: the register's spreadsheet export has the same columns. The columns are title, cause, " +
			"event, consequence, category, unit, owner (by email), the inherent, current and target likelihood and impact (1 to 5), " +
			"review_months and next_review, and optionally reference, location, themes, target_date, proximity, treatment, status, " +
			"accepted_until, closed_on, parent, related, project and raised_on. A reference already in the register brings that risk " +
			"up to date, as a change on its page would (a new score is a point in its history); importing the same file again changes nothing."}
)

// apiImport takes a spreadsheet of the kind as the request body, streamed,
// with its media type saying which format it is.
func (s *Server) apiImport(kind importKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.apiImportKind(w, r, kind) }
}

func (s *Server) apiImportKind(w http.ResponseWriter, r *http.Request, kind importKind) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ext, ok := spreadsheetTypes[mediaType]
	if !ok {
		s.apiError(w, r, fault.Errorf(fault.Invalid, "Send the file as the body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "upload"
	}
	opts := exchange.Options{SkipInvalid: r.URL.Query().Get("skip_invalid") == "true", Limit: s.cfg.MaxUploadBytes}
	res, err := kind.run(r.Context(), s.db, principalOf(r), r.Body, name+ext, opts)
	if err != nil && !(res.Problems != nil && res.Problems.Len() > 0 && fault.CodeOf(err) == fault.Invalid) {
		s.apiError(w, r, uploadError(err))
		return
	}
	status := http.StatusCreated
	if !res.Committed {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, newImportResult(res))
}

// uploadError explains a body that crossed the upload limit.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fault.Errorf(fault.Invalid, "The file is larger than the %d MB an upload may be", tooBig.Limit>>20)
	}
	return err
}

type importPageData struct {
	Kind       importKind
	Result     *importResult
	Action     string
	FileName   string
	ProgressID string // names this upload's run for the page's progress
}

func (s *Server) importPage(kind importKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.renderImport(w, r, kind, http.StatusOK, nil, "", nil) }
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, kind importKind, status int, res *importResult, fileName string, formErr *fault.Error) {
	section := cmp.Or(kind.section, link{"Cases", "/cases"})
	p := s.newPage(r, kind.Title, section.Href)
	p.Breadcrumbs = []link{section}
	p.Errors = formErr
	action := "/imports/" + kind.Name
	if p.CSRF != "" {
		action += "?csrf_token=" + p.CSRF
	}
	p.Data = importPageData{Kind: kind, Result: res, Action: action, FileName: fileName, ProgressID: newProgressID()}
	s.renderStatus(w, r, status, "import", p)
}

// importForm takes a spreadsheet from the upload form, streaming the file
// part straight into the import.
func (s *Server) importForm(kind importKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.importUpload(w, r, kind) }
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, kind importKind) {
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderImport(w, r, kind, http.StatusUnprocessableEntity, nil, "", fieldFault("file", "Choose a CSV or XLSX file to import"))
		return
	}
	opts := exchange.Options{Limit: s.cfg.MaxUploadBytes}
	var progressID string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.renderImport(w, r, kind, http.StatusUnprocessableEntity, nil, "", fault.As(uploadError(err)))
			return
		}
		switch part.FormName() {
		case "progress":
			id, _ := io.ReadAll(io.LimitReader(part, 80))
			progressID = s.followImport(r, string(id), &opts)
		case "skip_invalid":
			value, _ := io.ReadAll(io.LimitReader(part, 16))
			opts.SkipInvalid = string(value) == "yes"
		case "file":
			s.runImportUpload(w, r, kind, part.FileName(), part, opts)
			s.imports.finish(progressID, time.Now())
			return
		}
	}
	s.renderImport(w, r, kind, http.StatusUnprocessableEntity, nil, "", fieldFault("file", "Choose a CSV or XLSX file to import"))
}

func (s *Server) runImportUpload(w http.ResponseWriter, r *http.Request, kind importKind, name string, file io.Reader, opts exchange.Options) {
	if name == "" {
		s.renderImport(w, r, kind, http.StatusUnprocessableEntity, nil, "", fieldFault("file", "Choose a CSV or XLSX file to import"))
		return
	}
	res, err := kind.run(r.Context(), s.db, principalOf(r), file, name, opts)
	view := newImportResult(res)
	if err != nil {
		fe := fault.As(uploadError(err))
		if fe == nil || fe.Code != fault.Invalid {
			s.fail(w, r, err)
			return
		}
		s.renderImport(w, r, kind, http.StatusUnprocessableEntity, &view, name, &fault.Error{Code: fault.Invalid, Message: fe.Message,
			Fields: []fault.FieldError{{Field: "file", Message: fe.Message}}})
		return
	}
	s.renderImport(w, r, kind, http.StatusCreated, &view, name, nil)
}

// followImport reports the rows read under id as the import goes, for the
// upload page to poll (import_progress.go); it returns the id followed, or
// "" when the id is not one the page made.
func (s *Server) followImport(r *http.Request, id string, opts *exchange.Options) string {
	if !s.imports.start(id, principalOf(r).PersonID, time.Now()) {
		return ""
	}
	opts.Progress = func(rows int) { s.imports.update(id, rows, time.Now()) }
	return id
}

func fieldFault(field, msg string) *fault.Error {
	return &fault.Error{Code: fault.Invalid, Message: msg, Fields: []fault.FieldError{{Field: field, Message: msg}}}
}

// apiImportActions adds the new actions of an action-plan spreadsheet sent
// as the body, all or nothing.
func (s *Server) apiImportActions(w http.ResponseWriter, r *http.Request) {
	s.apiImportPlans(w, r, exchange.ImportActions)
}

// apiImportFindings records the findings of a spreadsheet sent as the
// body, all or nothing.
func (s *Server) apiImportFindings(w http.ResponseWriter, r *http.Request) {
	s.apiImportPlans(w, r, exchange.ImportFindings)
}

// apiImportPlans runs an import of the action plans on a spreadsheet sent
// as the body.
func (s *Server) apiImportPlans(w http.ResponseWriter, r *http.Request,
	run func(context.Context, *store.DB, *access.Principal, io.Reader, string) (exchange.Result, error)) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ext, ok := spreadsheetTypes[mediaType]
	if !ok {
		s.apiError(w, r, fault.Errorf(fault.Invalid, "Send the file as the body with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
		return
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "upload"
	}
	res, err := run(r.Context(), s.db, principalOf(r), http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes), name+ext)
	if err != nil && !(res.Problems != nil && res.Problems.Len() > 0 && fault.CodeOf(err) == fault.Invalid) {
		s.apiError(w, r, uploadError(err))
		return
	}
	status := http.StatusCreated
	if !res.Committed {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, newImportResult(res))
}
