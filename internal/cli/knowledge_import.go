package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/knowledge"
	"caseboard/internal/pdftext"
)

// runImportKnowledge brings a folder of existing documents into the
// repository: every Markdown, text, DOCX and PDF file becomes a draft article
// of the person named, in their unit, for its authors to check, tag and
// submit for review. Each file is recognised by its content; what cannot
// be read is listed with the reason and the rest still imported.
func runImportKnowledge(ctx context.Context, env Env, args []string) error {
	flags := newFlags(env, "import knowledge", "import knowledge DIR --as EMAIL [--kind KIND] [--unit CODE]")
	load := config.Register(flags, env.Getenv, "db")
	as := flags.String("as", "", "email of the author the drafts are written for (they must be allowed to write knowledge)")
	kind := flags.String("kind", string(knowledge.Guidance), "kind of article the documents become")
	unit := flags.String("unit", "", "unit code of the drafts (default the author's own unit)")
	if err := parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return usagef("import knowledge needs one folder: caseboard import knowledge DIR --as EMAIL")
	}
	if !knowledge.Kind(*kind).Valid() {
		return usagef("import knowledge: %q is not a kind of article", *kind)
	}
	cfg, err := load()
	if err != nil {
		return usagef("import: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = audit.WithActor(ctx, commandLineAs(p))
	unitID := int64(0)
	if len(p.Units) > 0 {
		unitID = p.Units[0]
	}
	if *unit != "" {
		units, err := db.Units(ctx)
		if err != nil {
			return err
		}
		unitID = -1
		for _, u := range units {
			if u.Code == *unit {
				unitID = u.ID
			}
		}
		if unitID < 0 {
			return usagef("import knowledge: there is no unit %q", *unit)
		}
	}
	root := flags.Arg(0)
	imported, skipped := 0, 0
	// A PDF is read by a child process, killed if it takes too long.
	readPDF := func(data []byte) (string, error) { return pdftext.Extract(ctx, data) }
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > knowledge.MaxDocumentBytes {
			skipped++
			fmt.Fprintf(env.Stdout, "skipped  %s: larger than %d MiB\n", rel, knowledge.MaxDocumentBytes>>20)
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, err := knowledge.ReadDocument(rel, data, readPDF)
		if err == nil {
			a := knowledge.Article{Kind: knowledge.Kind(*kind), Title: doc.Title, Summary: doc.Summary, Body: doc.Body, UnitID: unitID,
				Tags: []string{"imported"}}
			if err = db.CreateArticle(ctx, p, &a); err == nil {
				imported++
				fmt.Fprintf(env.Stdout, "imported %s as draft article %d (%s): %s\n", rel, a.ID, doc.Type, a.Title)
				return nil
			}
		}
		skipped++
		fmt.Fprintf(env.Stdout, "skipped  %s: %v\n", rel, err)
		return nil
	})
	if err != nil {
		return fmt.Errorf("import knowledge from %s: %w", root, err)
	}
	fmt.Fprintf(env.Stdout, "%d imported as drafts, %d skipped\n", imported, skipped)
	if imported == 0 && skipped > 0 {
		return fmt.Errorf("nothing in %s could be imported", root)
	}
	return nil
}
