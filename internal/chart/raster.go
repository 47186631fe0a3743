package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Raster is a canvas that draws into an image, for the PNG versions of
// printed documents: shapes through an anti-aliasing rasteriser, text in
// the Go fonts, which are bundled with the binary and free to use.
type Raster struct {
	img           *image.RGBA
	width, height float64 // mm
	pxPerMM       float64
	faces         map[faceKey]font.Face
}

type faceKey struct {
	px   float64
	bold bool
}

// NewRaster starts a white page of the size in millimetres at the
// resolution in dots per inch.
func NewRaster(width, height, dpi float64) *Raster {
	pxPerMM := dpi / 25.4
	img := image.NewRGBA(image.Rect(0, 0, int(math.Round(width*pxPerMM)), int(math.Round(height*pxPerMM))))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	return &Raster{img: img, width: width, height: height, pxPerMM: pxPerMM, faces: map[faceKey]font.Face{}}
}

// Image is the page as drawn so far.
func (r *Raster) Image() image.Image { return r.img }

// PNG encodes the page.
func (r *Raster) PNG() ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, r.img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Size is the page's size in millimetres.
func (r *Raster) Size() (float64, float64) { return r.width, r.height }

// Line draws a line as a filled quadrilateral (or, dashed, as several).
func (r *Raster) Line(x1, y1, x2, y2, width float64, c Colour, dash float64) {
	length := math.Hypot(x2-x1, y2-y1)
	if length == 0 {
		return
	}
	if dash <= 0 {
		r.segment(x1, y1, x2, y2, width, c)
		return
	}
	ux, uy := (x2-x1)/length, (y2-y1)/length
	for at := 0.0; at < length; at += 2 * dash {
		end := math.Min(at+dash, length)
		r.segment(x1+ux*at, y1+uy*at, x1+ux*end, y1+uy*end, width, c)
	}
}

func (r *Raster) segment(x1, y1, x2, y2, width float64, c Colour) {
	length := math.Hypot(x2-x1, y2-y1)
	// At least one pixel wide, so hairlines still show.
	half := math.Max(width*r.pxPerMM, 1) / 2
	nx, ny := -(y2-y1)/length*half, (x2-x1)/length*half
	ax, ay, bx, by := x1*r.pxPerMM, y1*r.pxPerMM, x2*r.pxPerMM, y2*r.pxPerMM
	r.fill(c, [][2]float64{{ax + nx, ay + ny}, {bx + nx, by + ny}, {bx - nx, by - ny}, {ax - nx, ay - ny}})
}

// Dot fills a circle, as a polygon fine enough not to show its sides.
func (r *Raster) Dot(x, y, radius float64, c Colour) {
	const sides = 24
	px, py, pr := x*r.pxPerMM, y*r.pxPerMM, math.Max(radius*r.pxPerMM, 1)
	points := make([][2]float64, sides)
	for i := range points {
		a := 2 * math.Pi * float64(i) / sides
		points[i] = [2]float64{px + pr*math.Cos(a), py + pr*math.Sin(a)}
	}
	r.fill(c, points)
}

// fill rasterises a polygon in pixels over its bounding box only, so a
// small shape costs little on a large page.
func (r *Raster) fill(c Colour, points [][2]float64) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range points {
		minX, minY, maxX, maxY = math.Min(minX, p[0]), math.Min(minY, p[1]), math.Max(maxX, p[0]), math.Max(maxY, p[1])
	}
	box := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(r.img.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	for i, p := range points {
		x, y := float32(p[0]-float64(box.Min.X)), float32(p[1]-float64(box.Min.Y))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
	z.Draw(r.img, box, image.NewUniform(rgba(c)), image.Point{})
}

// Text writes a line of text, vertically centred in its box.
func (r *Raster) Text(x, y, width, size float64, bold bool, c Colour, align Align, s string) {
	face := r.face(size, bold)
	advance := font.MeasureString(face, s)
	left := x * r.pxPerMM
	switch align {
	case Centre:
		left += (width*r.pxPerMM - float64(advance)/64) / 2
	case Right:
		left += width*r.pxPerMM - float64(advance)/64
	}
	m := face.Metrics()
	box := LineHeight(size) * r.pxPerMM
	baseline := y*r.pxPerMM + (box+float64(m.Ascent-m.Descent)/64)/2
	d := font.Drawer{Dst: r.img, Src: image.NewUniform(rgba(c)), Face: face,
		Dot: fixed.Point26_6{X: fixed.Int26_6(left * 64), Y: fixed.Int26_6(baseline * 64)}}
	d.DrawString(s)
}

// TextWidth is the text's advance in millimetres.
func (r *Raster) TextWidth(size float64, bold bool, s string) float64 {
	return float64(font.MeasureString(r.face(size, bold), s)) / 64 / r.pxPerMM
}

func (r *Raster) face(size float64, bold bool) font.Face {
	px := size * pointMM * r.pxPerMM
	key := faceKey{px, bold}
	if f, ok := r.faces[key]; ok {
		return f
	}
	f, err := opentype.NewFace(goFont(bold), &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// The bundled fonts parse; a face of a valid size cannot fail.
		panic(fmt.Sprintf("chart: font face of %.1f px: %v", px, err))
	}
	r.faces[key] = f
	return f
}

var (
	fontsOnce             sync.Once
	regularFont, boldFont *opentype.Font
)

// goFont is the Go font, regular or bold, parsed once.
func goFont(bold bool) *opentype.Font {
	fontsOnce.Do(func() {
		var err error
		if regularFont, err = opentype.Parse(goregular.TTF); err != nil {
			panic(fmt.Sprintf("chart: the bundled Go Regular font: %v", err))
		}
		if boldFont, err = opentype.Parse(gobold.TTF); err != nil {
			panic(fmt.Sprintf("chart: the bundled Go Bold font: %v", err))
		}
	})
	if bold {
		return boldFont
	}
	return regularFont
}

func rgba(c Colour) color.RGBA {
	return color.RGBA{R: uint8(c.R), G: uint8(c.G), B: uint8(c.B), A: 255}
}
