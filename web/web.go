// Package web holds caseboard's page templates and static assets, embedded
// in the binary, and renders pages from them.
//
// Templates are parsed once at start-up: the layout and every component
// partial, then each page as its own clone of those, so a page that names a
// partial that does not exist fails at start-up, not when a user opens it.
// Static files are served at content-hashed URLs so browsers can cache them
// for a year and still see a new release at once.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed all:templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Views renders pages.
type Views struct {
	pages  map[string]*template.Template
	hashes map[string]string // static path -> short content hash
}

// NewViews parses and checks every template.
func NewViews() (*Views, error) {
	v := &Views{pages: map[string]*template.Template{}}
	var err error
	if v.hashes, err = hashStatic(); err != nil {
		return nil, err
	}
	funcs := Funcs()
	funcs["asset"] = v.AssetURL
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.gohtml", "templates/components/*.gohtml")
	if err != nil {
		return nil, fmt.Errorf("parse layout and components: %w", err)
	}
	pages, err := fs.Glob(templateFS, "templates/pages/*.gohtml")
	if err != nil {
		return nil, err
	}
	for _, file := range pages {
		name := strings.TrimSuffix(path.Base(file), ".gohtml")
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if v.pages[name], err = clone.ParseFS(templateFS, file); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		if v.pages[name].Lookup("content") == nil {
			return nil, fmt.Errorf("page %s defines no \"content\" block", name)
		}
	}
	return v, nil
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes a page. It renders into a buffer first, so a template error
// becomes a clean error page instead of half a page.
func (v *Views) Render(w io.Writer, page string, data any) error {
	t, ok := v.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); bufferPool.Put(buf) }()
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

func hashStatic() (map[string]string, error) {
	hashes := map[string]string{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hashes[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return hashes, err
}

// AssetURL returns the URL of a static file with its content hash, e.g.
// /static/app.js?v=0123456789ab.
func (v *Views) AssetURL(name string) string {
	if h, ok := v.hashes[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

// StaticHandler serves the embedded static files. A request carrying the
// file's current hash may be cached for a year; any other must revalidate.
func (v *Views) StaticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if strings.HasSuffix(name, "/") || name == "" {
			http.NotFound(w, r)
			return
		}
		if h, ok := v.hashes[name]; ok && r.URL.Query().Get("v") == h {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	}))
}
