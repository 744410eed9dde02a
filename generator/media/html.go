package media

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Sizes for the default theme: the text column (47rem at most), a cover that overflows it on wide
// screens, a gallery cell.
const (
	SizesProse   = "(min-width: 48rem) 47rem, 100vw"
	SizesCover   = "(min-width: 60rem) 55rem, 100vw"
	SizesGallery = "(min-width: 48rem) 23rem, 50vw"
	SizesCard    = "(min-width: 48rem) 24rem, 100vw"
)

// Picture describes the image for templates and Markdown, with its alt text and caption (plain text).
func (im *Image) Picture(alt, caption string) *model.Picture {
	srcset := func(vs []Variant) string {
		var b strings.Builder
		for i, v := range vs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("/" + v.Name + " " + strconv.Itoa(v.Width) + "w")
		}
		return b.String()
	}
	top := im.Largest()
	return &model.Picture{
		Src: "/" + im.Nearest(960).Name, Width: top.Width, Height: top.Height,
		Type: "image/" + im.Format, Srcset: srcset(im.Fallback), WebPSrcset: srcset(im.WebP),
		Full: "/" + top.Name, Alt: alt, Caption: caption,
	}
}

// Attrs are what an <img> of a picture says beyond its files.
type Attrs struct {
	Class string
	Sizes string // the sizes attribute; SizesProse when empty
	// Eager images are fetched at once, others when they near the viewport. Priority marks the image
	// the reader sees first (the largest contentful paint): eager, and fetched before the others.
	Eager, Priority bool
	// Decorative writes an empty alt when the picture has none: the image repeats what the text
	// around it says (a cover under the title).
	Decorative bool
	// Crop is a CSS aspect ratio ("4 / 3") the image is cut to, around its Focus; empty to show the
	// whole photo.
	Crop string
}

// HTML writes a <picture>: WebP first, the fallback format in the <img>, with width and height so
// that browsers reserve the space before the file arrives. An empty alt is left out unless the
// picture is decorative, for vitrine check and HTML checkers to report.
func HTML(p *model.Picture, a Attrs) template.HTML {
	if a.Sizes == "" {
		a.Sizes = SizesProse
	}
	var b strings.Builder
	b.WriteString(`<picture><source type="image/webp" srcset="`)
	b.WriteString(html.EscapeString(p.WebPSrcset))
	b.WriteString(`" sizes="` + a.Sizes + `"><img`)
	if a.Priority {
		b.WriteString(` fetchpriority="high"`)
	} else if !a.Eager {
		b.WriteString(` loading="lazy"`)
	}
	b.WriteString(` decoding="async" src="`)
	b.WriteString(html.EscapeString(p.Src))
	b.WriteString(`" srcset="` + html.EscapeString(p.Srcset) + `" sizes="` + a.Sizes + `"`)
	if p.Alt != "" || a.Decorative {
		b.WriteString(` alt="` + html.EscapeString(p.Alt) + `"`)
	}
	if a.Class != "" {
		b.WriteString(` class="` + html.EscapeString(a.Class) + `"`)
	}
	if a.Crop != "" {
		b.WriteString(` style="aspect-ratio: ` + html.EscapeString(a.Crop) + `; object-fit: cover`)
		if p.Focus != "" {
			b.WriteString(`; object-position: ` + html.EscapeString(p.Focus))
		}
		b.WriteString(`"`)
	}
	b.WriteString(` width="` + strconv.Itoa(p.Width) + `" height="` + strconv.Itoa(p.Height) + `"></picture>`)
	return template.HTML(b.String())
}
