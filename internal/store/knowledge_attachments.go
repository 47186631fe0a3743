package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/pdftext"
)

// withAttachmentText is what an article's search_extra column holds: its
// tags, country and case references, and the text of its attachments.
func withAttachmentText(ctx context.Context, tx *Tx, a *knowledge.Article) (string, error) {
	rows, err := tx.query(ctx, `SELECT text FROM article_attachments WHERE article_id = ? ORDER BY id`, a.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	parts := []string{searchExtra(a)}
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return "", err
		}
		parts = append(parts, text)
	}
	return strings.TrimSpace(strings.Join(parts, "\n")), rows.Err()
}

// AddAttachment keeps a file with an article, once its content is shown to
// be the PDF, DOCX or XLSX its name says, and adds its text to what the
// article is found by. A PDF's text is read in a separate process with
// time and memory limits (internal/pdftext), before the transaction; a PDF
// whose text cannot be read is kept without text, and the audit trail says
// why. Errors: NotFound, Forbidden, Invalid, Conflict.
func (db *DB) AddAttachment(ctx context.Context, p *access.Principal, articleID int64, name string, data []byte) (knowledge.Attachment, error) {
	contentType, text, err := knowledge.CheckAttachment(name, data)
	if err != nil {
		return knowledge.Attachment{}, err
	}
	unread := ""
	if contentType == "application/pdf" {
		// Reading a PDF costs up to its time limit: only for someone who
		// may attach (checked again in the transaction).
		a, err := db.Article(ctx, p, articleID)
		if err != nil {
			return knowledge.Attachment{}, err
		}
		if !knowledge.CanEdit(db.Clearances, p, &a) {
			return knowledge.Attachment{}, fault.Errorf(fault.Forbidden, "Only the article's authors may attach files to it")
		}
		pdf, err := pdftext.Extract(ctx, data)
		if err != nil {
			unread = err.Error()
		}
		text = knowledge.AttachmentText(pdf)
	}
	sum := sha256.Sum256(data)
	att := knowledge.Attachment{ArticleID: articleID, Name: strings.TrimSpace(name), ContentType: contentType, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), UploadedByID: p.PersonID, UploadedByName: p.Name, TextChars: len([]rune(text))}
	err = db.inTx(ctx, func(tx *Tx) error {
		a, err := db.articleForWrite(ctx, tx, p, articleID)
		if err != nil {
			return err
		}
		if !knowledge.CanEdit(db.Clearances, p, &a) {
			return fault.Errorf(fault.Forbidden, "Only the article's authors may attach files to it")
		}
		var count int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM article_attachments WHERE article_id = ?`, articleID).Scan(&count); err != nil {
			return err
		}
		if count >= knowledge.MaxAttachments {
			return fault.Errorf(fault.Conflict, "The article already has %d attachments, the most it may have", count)
		}
		att.UploadedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO article_attachments (article_id, name, content_type, size, sha256, data, text, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, articleID, att.Name, att.ContentType, att.Size, att.SHA256, data, text, p.PersonID, tx.now)
		if err != nil {
			return tx.dialect.translate(err)
		}
		att.ID = id
		extra, err := withAttachmentText(ctx, tx, &a)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE articles SET search_extra = ?, revision = revision + 1, updated_at = ? WHERE id = ?`, extra, tx.now, articleID); err != nil {
			return err
		}
		fields := map[string]any{"attachment": att.Name, "sha256": att.SHA256, "size": att.Size}
		if unread != "" {
			fields["text_not_read"] = unread
		}
		return tx.record(ctx, "attach", "article", articleID, audit.Fields(fields))
	})
	return att, err
}

// Attachments lists the files kept with an article the principal may read.
// Errors: NotFound.
func (db *DB) Attachments(ctx context.Context, p *access.Principal, articleID int64) ([]knowledge.Attachment, error) {
	if _, err := db.Article(ctx, p, articleID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT t.id, t.article_id, t.name, t.content_type, t.size, t.sha256, t.uploaded_by, COALESCE(pe.name, ''), t.uploaded_at,
		LENGTH(t.text) FROM article_attachments t LEFT JOIN people pe ON pe.id = t.uploaded_by WHERE t.article_id = ? ORDER BY t.id`, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []knowledge.Attachment{}
	for rows.Next() {
		var a knowledge.Attachment
		if err := rows.Scan(&a.ID, &a.ArticleID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.UploadedByID, &a.UploadedByName, &a.UploadedAt, &a.TextChars); err != nil {
			return nil, err
		}
		a.UploadedAt = a.UploadedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentFile returns an attachment and its bytes, for download by
// someone who may read its article. Errors: NotFound.
func (db *DB) AttachmentFile(ctx context.Context, p *access.Principal, articleID, id int64) (knowledge.Attachment, []byte, error) {
	if _, err := db.Article(ctx, p, articleID); err != nil {
		return knowledge.Attachment{}, nil, err
	}
	var a knowledge.Attachment
	var data []byte
	err := db.queryRow(ctx, `SELECT id, article_id, name, content_type, size, sha256, data FROM article_attachments WHERE id = ? AND article_id = ?`,
		id, articleID).Scan(&a.ID, &a.ArticleID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, fault.Errorf(fault.NotFound, "Article %d has no attachment %d", articleID, id)
	}
	return a, data, err
}
