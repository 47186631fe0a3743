package knowledge

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Articles are written in Markdown (CommonMark with GitHub's tables and
// strikethrough) and rendered by goldmark, which is kept up to date, follows
// the CommonMark specification to the letter and passes no raw HTML unless
// told to (it is not). On top of goldmark's own safety, caseboard:
//
//   - shows raw HTML, inline or as a block, as the text it is, so a
//     <script> in an article is stored as written and read as words;
//   - allows in links only http, https and mailto URLs and links within
//     the site; any other link (javascript:, data:, vbscript:, an unknown
//     scheme, or one that hides its scheme behind entities or control
//     characters) is shown as its text alone;
//   - shows images as a link to the image, never an <img>, so an article
//     cannot load anything from elsewhere when it is read;
//   - gives the elements GOV.UK Frontend's classes, and moves headings one
//     level down (an article's "#" is the page's h2: the page's h1 is the
//     title).
//
// FuzzRender checks that no output ever carries a script element, an event
// handler attribute or a script URL.

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(govukClasses{}, 100))),
	goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(safeRenderer{}, 100)),
	),
)

// Render turns an article's Markdown into HTML that is safe to put in a
// page as it is.
func Render(source string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(source), &buf); err != nil {
		// goldmark fails only when its writer does; a bytes.Buffer does
		// not. Were it ever to, the text is shown escaped, not lost.
		return "<pre>" + escape(source) + "</pre>"
	}
	return buf.String()
}

func escape(s string) string { return string(util.EscapeHTML([]byte(s))) }

// SafeURL reports whether a link destination may be followed from an
// article: http, https or mailto, or a path within the site. It decides on
// the URL as a browser would read it, so "JaVaScRiPt:", "java\tscript:"
// and entity-encoded schemes (decoded by the parser before this) are all
// refused.
func SafeURL(dest string) bool {
	if dest == "" {
		return false
	}
	for _, r := range dest {
		if r < 0x20 || r == 0x7f {
			return false // browsers drop these from schemes: no way to know what is meant
		}
	}
	trimmed := strings.TrimSpace(dest)
	if strings.HasPrefix(trimmed, "//") || strings.HasPrefix(trimmed, `\`) || strings.HasPrefix(trimmed, `/\`) {
		return false // another host, without saying which scheme
	}
	u, err := url.Parse(trimmed)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	case "":
		// A path, query or fragment within the site. A colon before any
		// slash would make a browser read a scheme that url.Parse did not.
		before, _, _ := strings.Cut(trimmed, "/")
		return !strings.Contains(before, ":")
	}
	return false
}

// govukClasses gives the document's elements GOV.UK Frontend's classes and
// moves headings one level down.
type govukClasses struct{}

func (govukClasses) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			n.Level = min(n.Level+1, 6)
			class := map[int]string{2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s"}[n.Level]
			if class == "" {
				class = "govuk-heading-s"
			}
			n.SetAttributeString("class", []byte(class))
		case *ast.Paragraph:
			if _, inList := n.Parent().(*ast.ListItem); !inList {
				n.SetAttributeString("class", []byte("govuk-body"))
			}
		case *ast.List:
			class := "govuk-list govuk-list--bullet"
			if n.IsOrdered() {
				class = "govuk-list govuk-list--number"
			}
			n.SetAttributeString("class", []byte(class))
		case *ast.Blockquote:
			n.SetAttributeString("class", []byte("govuk-inset-text"))
		case *ast.ThematicBreak:
			n.SetAttributeString("class", []byte("govuk-section-break govuk-section-break--m govuk-section-break--visible"))
		case *extast.Table:
			n.SetAttributeString("class", []byte("govuk-table"))
		case *extast.TableHeader:
			n.SetAttributeString("class", []byte("govuk-table__head"))
		case *extast.TableRow:
			n.SetAttributeString("class", []byte("govuk-table__row"))
		case *extast.TableCell:
			class := "govuk-table__cell"
			if _, head := n.Parent().(*extast.TableHeader); head {
				class = "govuk-table__header"
			}
			n.SetAttributeString("class", []byte(class))
		}
		return ast.WalkContinue, nil
	})
}

// safeRenderer replaces goldmark's renderers for the nodes that could carry
// markup or URLs from the author.
type safeRenderer struct{}

func (safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !SafeURL(string(n.Destination)) {
		return ast.WalkContinue, nil // the link's text alone
	}
	if entering {
		w.WriteString(`<a class="govuk-link" href="`)
		w.Write(util.EscapeHTML(util.URLEscape(n.Destination, true)))
		w.WriteString(`"`)
		if n.Title != nil {
			w.WriteString(` title="`)
			html.DefaultWriter.Write(w, n.Title) // unescapes, then escapes for HTML
			w.WriteString(`"`)
		}
		w.WriteString(`>`)
	} else {
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest, label := n.URL(source), n.Label(source)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	if !SafeURL(string(dest)) {
		w.Write(util.EscapeHTML(label))
		return ast.WalkContinue, nil
	}
	w.WriteString(`<a class="govuk-link" href="`)
	w.Write(util.EscapeHTML(util.URLEscape(dest, false)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML(label))
	w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}

// renderImage shows an image as a link to it, labelled with its
// description, so reading an article fetches nothing.
func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	if !entering {
		return ast.WalkContinue, nil
	}
	alt := nodeText(n, source)
	if alt == "" {
		alt = "image"
	}
	if !SafeURL(string(n.Destination)) {
		w.WriteString("[Image: ")
		w.Write(util.EscapeHTML([]byte(alt)))
		w.WriteString("]")
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<a class="govuk-link" href="`)
	w.Write(util.EscapeHTML(util.URLEscape(n.Destination, true)))
	w.WriteString(`">Image: `)
	w.Write(util.EscapeHTML([]byte(alt)))
	w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}

func nodeText(n ast.Node, source []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		if s, ok := c.(*ast.String); ok && entering {
			b.Write(s.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// renderRawHTML shows inline HTML as the text it is.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock shows a block of HTML as preformatted text.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		w.WriteString(`<pre class="app-raw-html">`)
		for i := range n.Lines().Len() {
			line := n.Lines().At(i)
			w.Write(util.EscapeHTML(line.Value(source)))
		}
	} else {
		if n.HasClosure() {
			w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
		}
		w.WriteString("</pre>\n")
	}
	return ast.WalkContinue, nil
}
