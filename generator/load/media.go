package load

import (
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/themes"
)

// pageMedia renders the images and embeds of one page's Markdown through the media Processor, and
// sets the page's cover, gallery and videos.
type pageMedia struct {
	f    *file
	proc *media.Processor
	fsys fs.FS
	lang string
	// cover is set when the page shows its cover above the body (projects in the default theme): the
	// body's first image is then not the first one a reader sees.
	cover  bool
	videos map[string]videoMeta // front matter videos, by URL
}

// videoMeta is one entry of front matter's videos: what a video embed cannot know by itself.
type videoMeta struct {
	Title  string
	Poster string
}

var _ markdown.Media = (*pageMedia)(nil)

// warn records a problem that does not stop the build (an error with --strict).
func (f *file) warn(line int, format string, args ...any) {
	f.warnings = append(f.warnings, (&SourceError{File: f.path, Line: line, Msg: fmt.Sprintf(format, args...)}).Error())
}

// newPageMedia prepares the page's media: cover and front-matter videos, before the body is converted.
func newPageMedia(f *file, proc *media.Processor, fsys fs.FS, lang string) *pageMedia {
	m := &pageMedia{f: f, proc: proc, fsys: fsys, lang: lang, videos: map[string]videoMeta{}}
	p := f.page
	p.Cover, p.Gallery, p.Videos, p.Media = nil, nil, nil, nil
	cover := ""
	if len(p.Images) > 0 {
		cover = p.Images[0]
	} else if s, ok := p.Params["image"].(string); ok {
		cover = s // the name many Hugo themes give the cover
	}
	if cover != "" {
		if !m.exists(cover) {
			key := "images"
			if len(p.Images) == 0 {
				key = "image"
			}
			f.fail(f.doc.keyLine(key), "%s: %q, no such file: check its spelling; a name is a file beside the page, a name starting with / a file of static/", key, cover)
		} else if src, dir, ok := m.resolve(cover, true); ok && media.IsRaster(src) {
			if im, err := m.plan(src, dir); err == nil {
				alt, _ := p.Params["coverAlt"].(string)
				p.Cover = im.Picture(alt, "")
				if v, ok := p.Params["focus"]; ok {
					if p.Cover.Focus, err = Focus(v); err != nil {
						f.fail(f.doc.keyLine("focus"), "focus: %v", err)
					}
				}
				m.cover = p.Kind == model.KindProject
			} else {
				f.warn(f.doc.keyLine("images"), "images: %q is published as is: %v", cover, err)
			}
		}
	}
	if list, ok := p.Params["videos"].([]any); ok {
		for _, v := range list {
			e, _ := v.(map[string]any)
			u, _ := e["url"].(string)
			if u == "" {
				f.fail(f.doc.keyLine("videos"), "videos: each video needs a url")
				continue
			}
			title, _ := e["title"].(string)
			poster, _ := e["poster"].(string)
			m.videos[u] = videoMeta{Title: title, Poster: poster}
		}
	}
	return m
}

// plan plans a source image and records it as published by the page and read by its conversion.
func (m *pageMedia) plan(src, dir string) (*media.Image, error) {
	im, err := m.proc.Plan(src, dir)
	if err != nil {
		return nil, err
	}
	m.f.images = append(m.f.images, src)
	mf := model.MediaFile{Source: src, Dir: dir}
	if !slices.Contains(m.f.page.Media, mf) {
		m.f.page.Media = append(m.f.page.Media, mf)
	}
	return im, nil
}

// resolve finds the file a page's image or video refers to and the output folder it is published in:
// a relative name is a file beside the Markdown file (a bundle's resource is published beside the
// page), a name starting with / a file of static/ or content/. frontMatter names are relative to a
// bundle's folder, as Hugo's are.
func (m *pageMedia) resolve(dest string, frontMatter bool) (src, dir string, ok bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", "", false
	}
	var out string
	if strings.HasPrefix(u.Path, "/") {
		for _, root := range []string{"static", ContentDir} {
			src = path.Join(root, u.Path)
			if st, err := fs.Stat(m.fsys, src); err == nil && !st.IsDir() {
				out = strings.TrimPrefix(u.Path, "/")
				break
			}
		}
	} else {
		src = path.Join(path.Dir(m.f.path), u.Path)
		for _, r := range m.f.page.Resources {
			if r.Source == src {
				out = pageDir(m.f.page.URL) + r.Name
			}
		}
		if out == "" && !frontMatter || out == "" && !m.f.bundle {
			if st, err := fs.Stat(m.fsys, src); err == nil && !st.IsDir() && strings.HasPrefix(src, ContentDir+"/") {
				out = strings.TrimPrefix(src, ContentDir+"/")
			}
		}
	}
	if out == "" {
		return "", "", false
	}
	dir = path.Dir(out) + "/"
	if dir == "./" {
		dir = ""
	}
	return src, dir, true
}

// exists reports whether an image or cover named dest is a file of the site, or not a file of the site
// at all (a URL of another site): false only for a name of the site that no file answers to, a
// misspelling. A name starting with / is a file of static/ or content/, or of the theme's static/.
func (m *pageMedia) exists(dest string) bool {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return true
	}
	isFile := func(fsys fs.FS, name string) bool {
		st, err := fs.Stat(fsys, name)
		return err == nil && !st.IsDir()
	}
	if !strings.HasPrefix(u.Path, "/") {
		name := path.Join(path.Dir(m.f.path), u.Path)
		if !isFile(m.fsys, name) {
			m.f.images = append(m.f.images, name) // the page is converted again when it appears
			return false
		}
		return true
	}
	rel := strings.TrimPrefix(path.Clean(u.Path), "/")
	for _, root := range []string{"static", ContentDir} {
		if isFile(m.fsys, path.Join(root, rel)) {
			return true
		}
	}
	if dirs, err := fs.Glob(m.fsys, "themes/*/static"); err == nil {
		for _, d := range dirs {
			if isFile(m.fsys, path.Join(d, rel)) {
				return true
			}
		}
	}
	for _, name := range themes.Names {
		if isFile(themes.Builtin(name), path.Join("static", rel)) {
			return true
		}
	}
	m.f.images = append(m.f.images, path.Join("static", rel), path.Join(ContentDir, rel))
	return false
}

// pageDir is the output folder of a page at url, without leading slash, with a trailing one.
func pageDir(u string) string {
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u
	}
	if d := path.Dir(u); d != "." {
		return d + "/"
	}
	return ""
}

// Image implements markdown.Media: a raster file of the site becomes a responsive <picture>.
func (m *pageMedia) Image(w io.Writer, img markdown.Image) bool {
	line := m.f.sourceLine(img.Line)
	if img.Alt == "" {
		m.f.warn(line, "image %q has no alt text: describe it between the brackets, ![what it shows](%s)", img.Dest, img.Dest)
	}
	src, dir, ok := m.resolve(img.Dest, false)
	if !ok && !m.exists(img.Dest) {
		// As a link to no page stops the build, so does an image of no file: never a broken <img>.
		m.f.fail(line, "image %q: no such file: check its spelling; a name is a file beside the page, a name starting with / a file of static/", img.Dest)
		return false
	}
	if !ok || !media.IsRaster(src) {
		return false
	}
	im, err := m.plan(src, dir)
	if err != nil {
		m.f.warn(line, "image %q is published as is: %v", img.Dest, err)
		return false
	}
	pic := media.HTML(im.Picture(img.Alt, ""), media.Attrs{Eager: img.First && !m.cover, Priority: img.First && !m.cover})
	if img.Figure {
		_, _ = io.WriteString(w, "<figure>"+string(pic)+"<figcaption>"+html.EscapeString(img.Title)+"</figcaption></figure>\n")
		return true
	}
	_, _ = io.WriteString(w, string(pic))
	return true
}

// Embed implements markdown.Media.
func (m *pageMedia) Embed(w io.Writer, e markdown.Embed) bool {
	meta, ok := m.videos[e.URL]
	if !ok {
		for u, v := range m.videos {
			if x, ok := markdown.ParseEmbed(u); ok && x.Kind == e.Kind && x.ID == e.ID && e.ID != "" {
				meta = v
			}
		}
	}
	title := e.Title
	if title == "" {
		title = meta.Title
	}
	if title == "" {
		title = m.f.page.Title
	}
	switch e.Kind {
	case markdown.EmbedYouTube, markdown.EmbedVimeo:
		return m.player(w, e, title, meta)
	case markdown.EmbedVideo:
		return m.videoFile(w, e, title)
	case markdown.EmbedTikTok, markdown.EmbedInstagram:
		network := map[string]string{markdown.EmbedTikTok: "TikTok", markdown.EmbedInstagram: "Instagram"}[e.Kind]
		text := e.Title
		if text == "" {
			text = e.URL
		}
		fmt.Fprintf(w, "<p class=\"link-card link-card-%s\"><a href=\"%s\"><span class=\"link-card-network\">%s</span> <span class=\"link-card-title\">%s</span></a></p>\n",
			e.Kind, html.EscapeString(e.URL), network, html.EscapeString(text))
		return true
	}
	return false
}

// player writes a YouTube or Vimeo video as its poster and a play button, a link to the player at the
// network's privacy-enhanced address: nothing is loaded from the network before the reader clicks.
func (m *pageMedia) player(w io.Writer, e markdown.Embed, title string, meta videoMeta) bool {
	var embed, watch, network string
	switch e.Kind {
	case markdown.EmbedYouTube:
		network = "YouTube"
		embed = "https://www.youtube-nocookie.com/embed/" + e.ID + "?autoplay=1"
		watch = "https://www.youtube.com/watch?v=" + e.ID
	default:
		network = "Vimeo"
		embed = "https://player.vimeo.com/video/" + e.ID + "?autoplay=1&dnt=1"
		watch = "https://vimeo.com/" + e.ID
	}
	v := model.Video{Title: title, URL: watch, EmbedURL: embed}
	var poster string
	if meta.Poster != "" {
		if src, dir, ok := m.resolve(meta.Poster, true); ok && media.IsRaster(src) {
			if im, err := m.plan(src, dir); err == nil {
				pic := im.Picture("", "")
				v.Thumbnail = "/" + im.Nearest(1280).Name
				poster = string(media.HTML(pic, media.Attrs{Decorative: true}))
			}
		}
		if poster == "" {
			m.f.fail(m.f.doc.keyLine("videos"), "videos: poster %q is not an image beside the page", meta.Poster)
		}
	}
	if poster == "" {
		v.Thumbnail = "/" + pageDir(m.f.page.URL) + "video-" + e.ID + ".png"
		v.Poster = true
		poster = fmt.Sprintf(`<img loading="lazy" decoding="async" src="%s" alt="" width="%d" height="%d">`, v.Thumbnail, PosterWidth, PosterHeight)
	}
	m.f.page.Videos = append(m.f.page.Videos, v)
	fmt.Fprintf(w, "<figure class=\"video-embed\"><a class=\"video-play\" href=\"%s\">%s<span class=\"video-button\" aria-hidden=\"true\"></span><span class=\"video-title\">%s <span class=\"video-network\">· %s</span></span></a></figure>\n",
		html.EscapeString(embed), poster, html.EscapeString(title), network)
	return true
}

// Size of the poster drawn for a video given without one.
const (
	PosterWidth  = 1280
	PosterHeight = 720
)

// videoFile writes a video of the site: a <video> that loads nothing before it is played, its poster
// the image of the same name beside it, its captions the .vtt files of the same name.
func (m *pageMedia) videoFile(w io.Writer, e markdown.Embed, title string) bool {
	src, dir, ok := m.resolve(e.URL, false)
	if !ok {
		return false
	}
	url := "/" + dir + path.Base(src)
	stem := strings.TrimSuffix(src, path.Ext(src))
	v := model.Video{Title: title, URL: url, ContentURL: url}
	var attrs string
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".webp"} {
		if _, err := fs.Stat(m.fsys, stem+ext); err != nil {
			continue
		}
		if im, err := m.plan(stem+ext, dir); err == nil {
			p := im.Nearest(1280)
			v.Thumbnail = "/" + p.Name
			attrs = fmt.Sprintf(` poster="/%s" width="%d" height="%d"`, p.Name, p.Width, p.Height)
		}
		break
	}
	typ := map[string]string{".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime"}[strings.ToLower(path.Ext(src))]
	var b strings.Builder
	fmt.Fprintf(&b, "<figure class=\"video-file\"><video controls preload=\"none\"%s><source src=\"%s\" type=\"%s\">", attrs, html.EscapeString(url), typ)
	tracks, _ := fs.Glob(m.fsys, globEscape(stem)+"*.vtt")
	for i, t := range tracks {
		lang := strings.TrimPrefix(strings.TrimSuffix(strings.TrimPrefix(t, stem), ".vtt"), ".")
		if lang == "" {
			lang = m.lang
		}
		def := ""
		if i == 0 {
			def = " default"
		}
		fmt.Fprintf(&b, "<track kind=\"captions\" src=\"%s\" srclang=\"%s\" label=\"%s\"%s>",
			html.EscapeString("/"+dir+path.Base(t)), html.EscapeString(lang), html.EscapeString(languageName(lang)), def)
	}
	fmt.Fprintf(&b, "<a href=\"%s\">%s</a></video><figcaption>%s</figcaption></figure>\n", html.EscapeString(url), html.EscapeString(title), html.EscapeString(title))
	_, _ = io.WriteString(w, b.String())
	m.f.page.Videos = append(m.f.page.Videos, v)
	return true
}

func globEscape(s string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(s)
}

// languageName names a captions track's language in itself.
func languageName(code string) string {
	switch code {
	case "fr":
		return "Français"
	case "en":
		return "English"
	case "de":
		return "Deutsch"
	case "es":
		return "Español"
	case "it":
		return "Italiano"
	}
	return code
}

// gallery sets the page's gallery from front matter: a list of files, or of {src, alt, caption}, or
// true for every image of the bundle but the cover.
func (m *pageMedia) gallery() {
	v, ok := m.f.page.Params["gallery"]
	if !ok {
		return
	}
	line := m.f.doc.keyLine("gallery")
	type item struct {
		src, alt, caption string
		focus             any
	}
	var items []item
	switch v := v.(type) {
	case bool:
		if !v {
			return
		}
		cover := ""
		if len(m.f.page.Images) > 0 {
			cover = m.f.page.Images[0]
		}
		for _, r := range m.f.page.Resources {
			if media.IsRaster(r.Name) && r.Name != cover {
				items = append(items, item{src: r.Name})
			}
		}
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				items = append(items, item{src: e})
			case map[string]any:
				var it item
				it.src, _ = e["src"].(string)
				it.alt, _ = e["alt"].(string)
				it.caption, _ = e["caption"].(string)
				it.focus = e["focus"]
				items = append(items, it)
			default:
				m.f.fail(line, "gallery: each entry is a file name or {src, alt, caption, focus}")
			}
		}
	default:
		m.f.fail(line, "gallery: give a list of images (src, alt, caption) or true for every image of the bundle")
		return
	}
	for _, it := range items {
		src, dir, ok := m.resolve(it.src, true)
		if !ok || !media.IsRaster(src) {
			m.f.fail(line, "gallery: %q is not a JPEG, PNG or WebP file beside the page", it.src)
			continue
		}
		im, err := m.plan(src, dir)
		if err != nil {
			m.f.fail(line, "gallery: %v", err)
			continue
		}
		if it.alt == "" {
			m.f.warn(line, "gallery image %q has no alt text: give it an alt", it.src)
		}
		pic := im.Picture(it.alt, it.caption)
		if it.focus != nil {
			if pic.Focus, err = Focus(it.focus); err != nil {
				m.f.fail(line, "gallery: %q: focus: %v", it.src, err)
			}
		}
		m.f.page.Gallery = append(m.f.page.Gallery, pic)
	}
}

// Focus turns the focus of front matter or of a gallery entry into a CSS object-position: a word
// (center, top, bottom, left, right, or two of them: "top left") or two percentages of the width and
// height ("30%,20%", "30% 20%"), the point of the photo a cropping layout keeps in view.
func Focus(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("give a position like top, \"top left\" or \"30%%,20%%\", not %v", v)
	}
	words := map[string][2]string{
		"center": {"50%", "50%"}, "centre": {"50%", "50%"}, "top": {"", "0%"}, "bottom": {"", "100%"},
		"left": {"0%", ""}, "right": {"100%", ""},
	}
	fields := strings.FieldsFunc(strings.ToLower(strings.TrimSpace(s)), func(r rune) bool { return r == ',' || r == ' ' })
	if len(fields) == 0 || len(fields) > 2 {
		return "", fmt.Errorf("%q: give a position like top, \"top left\" or \"30%%,20%%\"", s)
	}
	var x, y string
	if strings.HasSuffix(fields[0], "%") {
		if len(fields) != 2 {
			return "", fmt.Errorf("%q: give two percentages, across then down: \"30%%,20%%\"", s)
		}
		for i, f := range fields {
			n, err := strconv.ParseFloat(strings.TrimSuffix(f, "%"), 64)
			if err != nil || n < 0 || n > 100 || !strings.HasSuffix(f, "%") {
				return "", fmt.Errorf("%q: %q is not a percentage from 0%% to 100%%", s, f)
			}
			if i == 0 {
				x = strconv.FormatFloat(n, 'f', -1, 64) + "%"
			} else {
				y = strconv.FormatFloat(n, 'f', -1, 64) + "%"
			}
		}
		return x + " " + y, nil
	}
	for _, f := range fields {
		w, ok := words[f]
		if !ok {
			return "", fmt.Errorf("%q: %q is not one of center, top, bottom, left, right or a percentage", s, f)
		}
		if w[0] != "" && w[0] != "50%" {
			x = w[0]
		}
		if w[1] != "" && w[1] != "50%" {
			y = w[1]
		}
	}
	if x == "" {
		x = "50%"
	}
	if y == "" {
		y = "50%"
	}
	return x + " " + y, nil
}
