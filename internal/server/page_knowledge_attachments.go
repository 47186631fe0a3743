package server

import (
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// Attachments: an article's authors attach PDF, DOCX and XLSX files from
// the article page; anyone who may read the article downloads them.

// isAttachmentUpload reports whether a request uploads an attachment, which
// may be larger than an ordinary form.
func isAttachmentUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, "/knowledge/") || strings.HasPrefix(r.URL.Path, "/api/v1/articles/")) &&
		strings.HasSuffix(r.URL.Path, "/attachments")
}

func (s *Server) attachForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, data, err := uploadedFile(r)
	if err == nil {
		_, err = s.db.AddAttachment(r.Context(), principalOf(r), id, name, data)
	}
	s.afterArticleForm(w, r, id, "attach", err, "File attached")
}

// uploadedFile reads the "file" part of a multipart form, refusing one
// larger than an attachment may be without reading the rest.
func uploadedFile(r *http.Request) (string, []byte, error) {
	noFile := &fault.Error{Code: fault.Invalid, Message: "The file could not be attached",
		Fields: []fault.FieldError{{Field: "file", Message: "Choose a PDF, DOCX or XLSX file to attach"}}}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, noFile
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, noFile
		}
		if err != nil {
			return "", nil, fault.As(uploadError(err))
		}
		if part.FormName() != "file" || part.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, knowledge.MaxAttachmentBytes+1))
		if err != nil {
			return "", nil, fault.As(uploadError(err))
		}
		return part.FileName(), data, nil
	}
}

func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	attID, err := pathID(r, "attachment")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	att, data, err := s.db.AttachmentFile(r.Context(), principalOf(r), id, attID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Served as a download of the type its content was checked to be,
	// never shown inline, so no upload can run in caseboard's origin.
	w.Header().Set("Content-Type", att.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (s *Server) apiAttachments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	list_, err := s.db.Attachments(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.Attachment]{Items: list_})
}

// apiAttach takes the file as the request body, named by ?name=; what it
// is, is decided by its content.
func (s *Server) apiAttach(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, knowledge.MaxAttachmentBytes+1))
	if err != nil {
		s.apiError(w, r, uploadError(err))
		return
	}
	att, err := s.db.AddAttachment(r.Context(), principalOf(r), id, r.URL.Query().Get("name"), data)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, att)
}

func (s *Server) attachmentAPIRoutes() []apiRoute {
	return []apiRoute{
		{Method: "GET", Path: "/api/v1/articles/{id}/attachments", ID: "listAttachments", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary: "The files kept with an article; each downloads from /knowledge/{id}/attachments/{attachment}", Response: reflect.TypeFor[list[knowledge.Attachment]](),
			Handler: s.apiAttachments},
		{Method: "POST", Path: "/api/v1/articles/{id}/attachments", ID: "attachFile", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary:  "Attach a PDF, DOCX or XLSX sent as the body, named by ?name=; refused unless its content is what its name says",
			Response: reflect.TypeFor[knowledge.Attachment](), Status: http.StatusCreated, Handler: s.apiAttach,
			Query: []param{{Name: "name", Type: "string", Description: "The file's name, e.g. assurance.docx."}}},
	}
}

func (s *Server) attachmentPageRoutes() []pageRoute {
	return []pageRoute{
		{"POST", "/knowledge/{id}/attachments", access.WriteKnowledge, s.attachForm},
		{"GET", "/knowledge/{id}/attachments/{attachment}", access.ReadKnowledge, s.attachmentDownload},
	}
}
