package markdown

import (
	"bytes"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// Media renders a page's images and embeds in its own way (responsive pictures, click-to-load video
// players). Convert calls it from the goroutine that called Convert only. When a method returns false,
// or without a Media, images are written as plain <img> elements, figures as <figure> with the title as
// caption, and embeds as the links they were written as.
type Media interface {
	// Image writes one image.
	Image(w io.Writer, img Image) bool
	// Embed writes one embed.
	Embed(w io.Writer, e Embed) bool
}

// Image is a Markdown image: ![Alt](Dest "Title").
type Image struct {
	Dest  string // destination, backslash escapes and character references resolved
	Alt   string // plain text of the description
	Title string
	// Figure is set for an image alone in its paragraph with a title: it stands as a figure, its
	// title as the caption.
	Figure bool
	// First is set for the first image of the page: the one a reader likely sees first.
	First bool
	Line  int // 1-based line in the converted source
}

// Embed kinds.
const (
	EmbedYouTube   = "youtube"
	EmbedVimeo     = "vimeo"
	EmbedTikTok    = "tiktok"
	EmbedInstagram = "instagram"
	EmbedVideo     = "video" // a video file of the site
)

// Embed is a video or a social-network post shown in the page, from a link alone in its paragraph
// ("https://youtu.be/ID", "[Title](https://vimeo.com/ID)", "[Title](clip.mp4)") or an image whose
// destination is a video file. Shortcodes make them too: see [NewEmbed].
type Embed struct {
	Kind  string // EmbedYouTube, …
	ID    string // the video or post id at its network, "" for a file
	URL   string // as written
	Title string // the link's text or title, "" when the link is a bare URL
	Line  int
}

var (
	youtubeID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	digits    = regexp.MustCompile(`^[0-9]{3,25}$`)
)

// ParseEmbed recognizes the URL of a YouTube or Vimeo video, a TikTok video or an Instagram post, or a
// relative path to a video file (.mp4, .webm, .m4v, .mov).
func ParseEmbed(raw string) (Embed, bool) {
	e := Embed{URL: raw}
	u, err := url.Parse(raw)
	if err != nil {
		return e, false
	}
	if u.Scheme == "" && u.Host == "" {
		switch strings.ToLower(path.Ext(u.Path)) {
		case ".mp4", ".webm", ".m4v", ".mov":
			e.Kind = EmbedVideo
			return e, true
		}
		return e, false
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return e, false
	}
	host := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(u.Host), "www."), "m.")
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch host {
	case "youtube.com", "youtube-nocookie.com":
		switch {
		case u.Path == "/watch":
			e.ID = u.Query().Get("v")
		case len(segs) == 2 && (segs[0] == "shorts" || segs[0] == "embed" || segs[0] == "live"):
			e.ID = segs[1]
		}
		e.Kind = EmbedYouTube
		return e, youtubeID.MatchString(e.ID)
	case "youtu.be":
		e.Kind, e.ID = EmbedYouTube, segs[0]
		return e, len(segs) == 1 && youtubeID.MatchString(e.ID)
	case "vimeo.com", "player.vimeo.com":
		e.Kind, e.ID = EmbedVimeo, segs[len(segs)-1]
		return e, digits.MatchString(e.ID)
	case "tiktok.com":
		if len(segs) == 3 && strings.HasPrefix(segs[0], "@") && segs[1] == "video" && digits.MatchString(segs[2]) {
			e.Kind, e.ID = EmbedTikTok, segs[2]
			return e, true
		}
	case "instagram.com":
		if len(segs) == 2 && (segs[0] == "p" || segs[0] == "reel" || segs[0] == "tv") && youtubeID.MatchString(segs[1]) {
			e.Kind, e.ID = EmbedInstagram, segs[1]
			return e, true
		}
	}
	return e, false
}

// KindEmbed and KindFigure are the kinds of the block nodes [NewEmbed] and Convert make.
var (
	KindEmbed  = ast.NewNodeKind("VitrineEmbed")
	KindFigure = ast.NewNodeKind("VitrineFigure")
)

// EmbedNode is a block that renders an Embed through the page's Media.
type EmbedNode struct {
	ast.BaseBlock
	Embed Embed
}

// NewEmbed returns a block node for e, to put in a document in place of a paragraph.
func NewEmbed(e Embed) *EmbedNode { return &EmbedNode{Embed: e} }

// Kind implements ast.Node.
func (n *EmbedNode) Kind() ast.NodeKind { return KindEmbed }

// Dump implements ast.Node.
func (n *EmbedNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// FigureNode is a block that renders an image with its caption through the page's Media.
type FigureNode struct {
	ast.BaseBlock
	Image Image
}

// NewFigure returns a block node for an image shown as a figure.
func NewFigure(img Image) *FigureNode {
	img.Figure = true
	return &FigureNode{Image: img}
}

// Kind implements ast.Node.
func (n *FigureNode) Kind() ast.NodeKind { return KindFigure }

// Dump implements ast.Node.
func (n *FigureNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// mediaBlocks replaces each paragraph holding only an embeddable link, or only a titled image, by an
// EmbedNode or a FigureNode, and numbers the page's images so that the first is known.
func mediaBlocks(doc ast.Node, src []byte) {
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if p, ok := n.(*ast.Paragraph); ok && p.ChildCount() == 1 {
			switch p.FirstChild().Kind() {
			case ast.KindLink, ast.KindAutoLink, ast.KindImage:
				paras = append(paras, p)
			}
		}
		return skipInlines(n), nil
	})
	for _, p := range paras {
		var repl ast.Node
		line := 0
		if p.Lines().Len() > 0 {
			line = lineOf(src, p.Lines().At(0).Start)
		}
		switch c := p.FirstChild().(type) {
		case *ast.Link:
			if e, ok := ParseEmbed(destination(c.Destination)); ok {
				e.Title = plainText(c, src)
				if e.Title == "" || e.Title == e.URL {
					e.Title = string(c.Title)
				}
				e.Line = line
				repl = NewEmbed(e)
			}
		case *ast.AutoLink:
			if e, ok := ParseEmbed(string(c.URL(src))); ok {
				e.Line = line
				repl = NewEmbed(e)
			}
		case *ast.Image:
			img := imageOf(c, src)
			img.Line = line
			if e, ok := ParseEmbed(img.Dest); ok && e.Kind == EmbedVideo {
				e.Title, e.Line = cmpOr(img.Title, img.Alt), line
				repl = NewEmbed(e)
			} else if img.Title != "" {
				repl = NewFigure(img)
			}
		}
		if repl != nil {
			p.Parent().ReplaceChild(p.Parent(), p, repl)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// destination resolves backslash escapes and character references in a link destination.
func destination(dest []byte) string {
	if bytes.IndexByte(dest, '\\') >= 0 || bytes.IndexByte(dest, '&') >= 0 {
		dest = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
	}
	return string(dest)
}

func imageOf(n *ast.Image, src []byte) Image {
	return Image{Dest: destination(n.Destination), Alt: plainText(n, src), Title: string(n.Title)}
}

// mediaState is the per-call part of rendering images: the page's Media and whether an image was
// written already.
type mediaState struct {
	media  Media
	images int
	unsafe bool
	asked  bool // media was asked for an image or an embed
}

func (r *nodeRenderer) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	img := imageOf(node.(*ast.Image), src)
	img.Line = lineOf(src, imageOffset(node, src))
	r.writeImage(w, img)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderFigure(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	img := node.(*FigureNode).Image
	if m := r.state(w); m == nil || m.media == nil || !m.image(w, r.first(w, img)) {
		_, _ = w.WriteString("<figure>")
		r.defaultImage(w, img)
		_, _ = w.WriteString("<figcaption>")
		_, _ = w.Write(util.EscapeHTML([]byte(img.Title)))
		_, _ = w.WriteString("</figcaption></figure>\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderEmbed(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	e := node.(*EmbedNode).Embed
	if m := r.state(w); m != nil && m.media != nil && m.embed(w, e) {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<p><a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(e.URL), true)))
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(util.EscapeHTML([]byte(cmpOr(e.Title, e.URL))))
	_, _ = w.WriteString("</a></p>\n")
	return ast.WalkSkipChildren, nil
}

// image asks the page's Media to write an image; see Converter.convert's asked.
func (m *mediaState) image(w io.Writer, img Image) bool {
	m.asked = true
	return m.media.Image(w, img)
}

// embed asks the page's Media to write an embed.
func (m *mediaState) embed(w io.Writer, e Embed) bool {
	m.asked = true
	return m.media.Embed(w, e)
}

func (r *nodeRenderer) state(w util.BufWriter) *mediaState {
	if s, ok := w.(*sink); ok {
		return &s.media
	}
	return nil
}

// first marks the page's first image.
func (r *nodeRenderer) first(w util.BufWriter, img Image) Image {
	if m := r.state(w); m != nil {
		img.First = m.images == 0
		m.images++
	}
	return img
}

func (r *nodeRenderer) writeImage(w util.BufWriter, img Image) {
	img = r.first(w, img)
	if m := r.state(w); m != nil && m.media != nil && m.image(w, img) {
		return
	}
	r.defaultImage(w, img)
}

// defaultImage writes an image as goldmark does.
func (r *nodeRenderer) defaultImage(w util.BufWriter, img Image) {
	_, _ = w.WriteString(`<img src="`)
	if (r.unsafe || !html.IsDangerousURL([]byte(img.Dest))) && safeurl.Image(img.Dest) {
		_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(img.Dest), true)))
	}
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(img.Alt)))
	_ = w.WriteByte('"')
	if img.Title != "" {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML([]byte(img.Title)))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
}

// imageOffset returns a byte offset on the line where an image starts.
func imageOffset(n ast.Node, src []byte) int {
	if off, ok := firstOffset(n); ok {
		return off
	}
	for b := n.Parent(); b != nil; b = b.Parent() {
		if b.Type() != ast.TypeInline && b.Lines().Len() > 0 {
			return b.Lines().At(0).Start
		}
	}
	return 0
}
