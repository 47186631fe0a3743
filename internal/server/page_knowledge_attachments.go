package server

import (
	"io"
	"mime"
	"net/http"
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
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/knowledge/") && strings.HasSuffix(r.URL.Path, "/attachments")
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

func (s *Server) attachmentPageRoutes() []pageRoute {
	return []pageRoute{
		{"POST", "/knowledge/{id}/attachments", access.WriteKnowledge, s.attachForm},
		{"GET", "/knowledge/{id}/attachments/{attachment}", access.ReadKnowledge, s.attachmentDownload},
	}
}
