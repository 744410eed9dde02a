// Package render turns the site's pages into HTML with html/template layouts.
//
// Layouts live in layouts/ of the theme, and a site's own layouts/ overrides them file by file. A page's
// layout is looked up in this order, the first that exists wins:
//
//	regular page:  SECTION/LAYOUT.html, KIND/LAYOUT.html, _default/LAYOUT.html (when front matter
//	               sets layout), SECTION/single.html, KIND/single.html, _default/single.html
//	home:          index.html, _default/list.html
//	section:       SECTION/list.html, KIND/list.html, _default/list.html
//
// where KIND is the usual folder of the section's kind (posts, projects, events): a section agenda/
// whose pages are events uses events/single.html unless agenda/single.html exists.
//
//	taxonomy:      TAXONOMY/terms.html, _default/terms.html, _default/list.html
//	term:          TAXONOMY/term.html, _default/term.html, _default/list.html
//	404 page:      404.html
//
// A theme other than the default one falls back to the default theme (see themes.WithFallback): for a
// page, the candidates are looked up among the theme's and the site's layouts first, then among the
// default theme's; a partial or baseof the theme lacks is the default theme's.
//
// Every layout is parsed together with _default/baseof.html and the files of partials/. A layout that
// defines "main" is rendered through baseof; any other layout is a whole document by itself.
//
// Templates receive a Data: .Site, .Page and, on lists, .Pager. Words of the theme come from i18n/LANG.toml
// through the T function. On a multilingual site .Site is the site of the page's language, T speaks it,
// .Site.HomeURL is its home and .Page.Languages feeds a language switcher.
//
// Once parsed, every set of layouts is escaped by html/template and its escaped pipelines rewritten so
// that a page runs fewer functions through reflect, writing the same bytes (see optimize.go): a word of
// T becomes text, an escaper and the function before it one function.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Options are the inputs of a Renderer.
type Options struct {
	Site *model.Site
	// Theme is the theme's folder; SiteFS the site's root, whose layouts/ and i18n/ override the
	// theme's. SiteFS may be nil.
	Theme  fs.FS
	SiteFS fs.FS
	// Paginate is the number of items per list page.
	Paginate int
	// Now is the build's clock.
	Now time.Time
	// StyleURL is the stylesheet's URL, given to templates.
	StyleURL string
	// Preview marks a build with drafts: their pages get robots noindex.
	Preview bool
	// ThemeColor is the theme's browser-chrome colour.
	ThemeColor string
	// Words are the theme's words in the site's language, when the caller has read them already;
	// nil reads them from Theme and SiteFS.
	Words *Words
	// Body, when set, returns a page's body (its Content), which the build keeps elsewhere than in the
	// page; nil reads Content.
	Body func(*model.Page) (template.HTML, error)
	// LangWords are the words of the other languages of a multilingual site, by language, when the
	// caller has read them already; the missing ones are read from Theme and SiteFS.
	LangWords map[string]*Words
	// RelativeURLs makes the URLs of the HTML pages relative to each page (see output.RelativeURLs).
	RelativeURLs bool
}

// Renderer renders pages with parsed layouts. It is safe for concurrent use once built.
//
// On a multilingual site, each language other than the default one gets a variant: its site view, its
// words, and clones of the parsed layouts whose functions speak its language. Layouts are parsed once.
type Renderer struct {
	opts     Options
	sv       *SiteView
	layouts  map[string]*template.Template // by layout name, each a clone of the base set
	main     map[string]bool               // layouts rendered through baseof
	fallback map[string]bool               // layouts of the default theme the theme lacks
	i18n     *Words
	variants map[string]*variant // by language, the default one included; nil on a monolingual site
	only     variant             // the one variant of a monolingual site
	parts    *partials           // the default language's partial and partialCached
	crop     string              // [params] crop as a CSS aspect ratio, "" to keep photos whole
	home     []string            // [params] home: the blocks of the home page, in order
}

// variant is what renders the pages of one language.
type variant struct {
	sv      *SiteView
	i18n    *Words
	layouts map[string]*template.Template
	parts   *partials
}

const baseName = "_default/baseof.html"

// New parses the layouts and the theme's words.
func New(opts Options) (*Renderer, error) {
	if opts.Paginate <= 0 {
		opts.Paginate = 10
	}
	r := &Renderer{
		layouts:  map[string]*template.Template{},
		main:     map[string]bool{},
		fallback: map[string]bool{},
		parts:    newPartials(),
	}
	var err error
	if r.crop, err = cropRatio(opts.Site.Params); err != nil {
		return nil, err
	}
	if r.home, err = readHomeSections(opts.Site.Params); err != nil {
		return nil, err
	}
	if r.i18n = opts.Words; r.i18n == nil {
		r.i18n, err = LoadWords(opts.Site.Language, opts.Theme, opts.SiteFS)
	}
	if err != nil {
		return nil, err
	}
	files, err := layoutFiles(opts.Theme, opts.SiteFS)
	if err != nil {
		return nil, err
	}
	base := template.New("").Funcs(r.funcs(r.i18n, r.parts))
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if name == baseName || strings.HasPrefix(name, "partials/") {
			if _, err := base.New(name).Parse(files[name].text); err != nil {
				errs = append(errs, parseError(files[name].path, err))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	r.parts.set = base
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if name == baseName || strings.HasPrefix(name, "partials/") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.New(name).Parse(files[name].text); err != nil {
			errs = append(errs, parseError(files[name].path, err))
			continue
		}
		r.layouts[name] = t
		if files[name].fallback {
			r.fallback[name] = true
		}
		r.main[name] = strings.Contains(files[name].text, `define "main"`) && t.Lookup(baseName) != nil
	}
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	if len(opts.Site.Languages) > 1 {
		r.variants = map[string]*variant{}
		for i, l := range opts.Site.Languages {
			if i == 0 {
				r.variants[l.Code] = &variant{i18n: r.i18n, layouts: r.layouts, parts: r.parts}
				continue
			}
			words := opts.LangWords[l.Code]
			if words == nil {
				if words, err = LoadLangWords(l.Code, opts.Site.Languages[0].Code, opts.Theme, opts.SiteFS); err != nil {
					return nil, err
				}
			}
			v := &variant{i18n: words, layouts: make(map[string]*template.Template, len(r.layouts)), parts: newPartials()}
			funcs := r.funcs(words, v.parts)
			for name, t := range r.layouts {
				c, err := t.Clone()
				if err != nil {
					return nil, err
				}
				v.layouts[name] = c.Funcs(funcs)
			}
			set, err := base.Clone()
			if err != nil {
				return nil, err
			}
			v.parts.set = set.Funcs(funcs)
			r.variants[l.Code] = v
		}
	}
	r.optimize()
	r.Reuse(opts)
	return r, nil
}

// optimize escapes and rewrites every set of layouts (see optimize), once they are all cloned:
// html/template clones no template it has escaped.
func (r *Renderer) optimize() {
	var names []string
	for _, t := range r.parts.set.Templates() {
		if strings.HasPrefix(t.Name(), "partials/") {
			names = append(names, t.Name())
		}
	}
	slices.Sort(names)
	sets := func(words *Words, layouts map[string]*template.Template, parts *partials) {
		for name, t := range layouts {
			entry := name
			if r.main[name] {
				entry = baseName
			}
			optimize(t, []string{entry}, words)
		}
		optimize(parts.set, names, words)
	}
	if r.variants == nil {
		sets(r.i18n, r.layouts, r.parts)
		return
	}
	for _, v := range r.variants {
		sets(v.i18n, v.layouts, v.parts)
	}
}

// variant returns what renders pages of a language.
func (r *Renderer) variant(lang string) *variant {
	if v := r.variants[lang]; v != nil {
		return v
	}
	return &r.only
}

// Words returns the words of each language the renderer speaks, the default language first.
func (r *Renderer) Words() []*Words {
	if r.variants == nil {
		return []*Words{r.i18n}
	}
	var out []*Words
	for _, l := range r.opts.Site.Languages {
		out = append(out, r.variants[l.Code].i18n)
	}
	return out
}

// Reuse points r at another build of the same site, described by opts: the layouts and words that New
// parsed are kept, so the site's configuration, layouts and words must be those New was given. It must
// not be called while r renders.
func (r *Renderer) Reuse(opts Options) {
	if opts.Paginate <= 0 {
		opts.Paginate = 10
	}
	r.opts = opts
	r.sv = newSiteView(opts.Site, opts.StyleURL, opts.Now)
	r.sv.Preview, r.sv.ThemeColor, r.sv.body = opts.Preview, opts.ThemeColor, opts.Body
	r.only = variant{sv: r.sv, i18n: r.i18n, layouts: r.layouts, parts: r.parts}
	langs := map[string]*SiteView{}
	for _, l := range opts.Site.Languages {
		if v := r.variants[l.Code]; v != nil {
			v.sv = newSiteView(l.Site, opts.StyleURL, opts.Now)
			v.sv.Preview, v.sv.ThemeColor, v.sv.body = opts.Preview, opts.ThemeColor, opts.Body
			if l.Code == opts.Site.Languages[0].Code {
				r.sv = v.sv
			}
			langs[l.Code] = v.sv
		}
	}
	if len(langs) > 0 {
		linkLanguages(langs)
	}
}

type layoutFile struct {
	path string // for messages: "themes/default/layouts/…" or "layouts/…"
	text string
	// fallback marks a layout of the default theme under a theme that lacks it (themes.WithFallback).
	fallback bool
}

// layoutFiles merges the theme's and the site's layouts/, the site's winning. A theme over the default
// one (one with Layers, see themes.WithFallback) brings the default theme's layouts under its own.
func layoutFiles(theme, site fs.FS) (map[string]layoutFile, error) {
	files := map[string]layoutFile{}
	layers := []fs.FS{theme, site}
	base := -1 // the index of the default theme under the theme, if any
	if l, ok := theme.(interface{ Layers() []fs.FS }); ok {
		layers, base = append(l.Layers(), site), 0
	}
	for i, fsys := range layers {
		if fsys == nil {
			continue
		}
		own := i < len(layers)-1 // the theme's (or the default theme's), not the site's
		err := fs.WalkDir(fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == "layouts" {
				return fs.SkipDir
			}
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			shown := p
			if own {
				shown = "theme:" + p
			}
			files[strings.TrimPrefix(p, "layouts/")] = layoutFile{path: shown, text: string(data), fallback: i == base}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// candidates lists the layouts that may render a page, best first. Sections named otherwise than the
// kind's usual folder (agenda/ for events, portfolio/ for projects) fall back on that folder's layouts.
func candidates(p *model.Page) []string {
	kindDir := kindFolders[model.KindForSection(p.Section)]
	if kindDir == p.Section {
		kindDir = ""
	}
	var c []string
	add := func(dir, name string) {
		if dir != "" {
			c = append(c, dir+"/"+name)
		}
	}
	switch p.Kind {
	case model.KindHome:
		return []string{"index.html", "_default/list.html"}
	case model.KindSection:
		add(p.Section, "list.html")
		add(kindDir, "list.html")
		return append(c, "_default/list.html")
	case model.KindTaxonomy:
		return []string{p.Taxonomy.Name + "/terms.html", "_default/terms.html", "_default/list.html"}
	case model.KindTerm:
		return []string{p.Taxonomy.Name + "/term.html", "_default/term.html", "_default/list.html"}
	}
	// The layouts of lists cannot render a regular page: a layout named like one (Hugo themes give
	// layout: list to pages that list others) is one of the site's old theme, left for single.
	if p.Layout != "" && !listLayouts[p.Layout] {
		add(p.Section, p.Layout+".html")
		add(kindDir, p.Layout+".html")
		c = append(c, "_default/"+p.Layout+".html")
	}
	add(p.Section, "single.html")
	add(kindDir, "single.html")
	return append(c, "_default/single.html")
}

// listLayouts are the names of the layouts of list pages.
var listLayouts = map[string]bool{"list": true, "terms": true, "term": true, "index": true, "baseof": true, "404": true}

// kindFolders are the usual folders of each kind of page, whose layouts serve sections of that kind.
var kindFolders = map[model.Kind]string{
	model.KindArticle: "posts",
	model.KindProject: "projects",
	model.KindEvent:   "events",
}

func (r *Renderer) layoutFor(p *model.Page) (string, error) {
	c := candidates(p)
	// The theme's and the site's layouts first, then the default theme's under a theme that lacks
	// them all: a theme's _default/list.html renders its home rather than the default theme's
	// index.html.
	for _, fallback := range []bool{false, true} {
		for _, name := range c {
			if r.layouts[name] != nil && r.fallback[name] == fallback {
				return name, nil
			}
		}
	}
	where := p.Source
	if where == "" {
		where = "page " + p.URL
	}
	return "", fmt.Errorf("%s: no layout found: add one of layouts/%s", where, strings.Join(c, ", layouts/"))
}

// Job is one file to render: a page, or one page of a paginated list.
type Job struct {
	Out    string // output path, "posts/a/index.html"
	Layout string
	Data   *Data

	v *variant // the language's
}

// Jobs lists every file to render: each page, each page of each paginated list, and the 404 page. Each
// job's Data has a SiteView of its own, which records the site-wide lists its layouts ask for (see
// SiteView.Calls).
func (r *Renderer) Jobs() ([]*Job, error) {
	var jobs []*Job
	var errs []error
	data := func(v *variant, pv *PageView, pg *Pager) *Data {
		sv := *v.sv
		sv.calls = new([]Call)
		return &Data{Site: &sv, Page: pv, Pager: pg}
	}
	for _, p := range r.opts.Site.Pages {
		layout, err := r.layoutFor(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		v := r.variant(p.Lang)
		pv := v.sv.view(p)
		if !p.Kind.IsList() {
			jobs = append(jobs, &Job{Out: model.OutputPath(p.URL), Layout: layout, Data: data(v, pv, nil), v: v})
			continue
		}
		items, size := p.Children, r.opts.Paginate
		switch {
		case p.Kind == model.KindTaxonomy:
			items = nil // a taxonomy lists terms, not pages
		case p.Kind == model.KindSection && model.KindForSection(p.Section) == model.KindEvent:
			// Events are shown as upcoming and past on one page: an association has dozens, not
			// thousands, and cutting the two lists into pages would repeat them.
			size = max(1, len(items))
		}
		for _, pg := range paginate(v.sv, p.URL, items, size) {
			jobs = append(jobs, &Job{Out: model.OutputPath(pg.URL), Layout: layout, Data: data(v, pv, pg), v: v})
		}
	}
	if r.layouts["404.html"] != nil {
		// The default language's at the root, where hosts look for it; each other language's in its
		// folder, for hosts that look there first.
		langs := r.opts.Site.Languages
		if len(langs) == 0 {
			langs = []model.Language{{Code: r.opts.Site.Language, Site: r.opts.Site}}
		}
		for i, l := range langs {
			v := r.variant(l.Code)
			url := "/404.html"
			if i > 0 {
				url = l.Home + "404.html"
			}
			urls := []string{url}
			if i == 0 && l.Home != "/" && r.opts.Site.HugoURLs {
				urls = append(urls, l.Home+"404.html") // Hugo's, in the default language's folder
			}
			for _, url := range urls {
				nf := &model.Page{Kind: model.KindPage, URL: url, Title: v.i18n.T("notFoundTitle"), Parent: l.Site.Home, Params: map[string]any{"notFound": true}, Lang: l.Code}
				jobs = append(jobs, &Job{Out: model.OutputPath(url), Layout: "404.html", Data: data(v, v.sv.view(nf), nil), v: v})
			}
		}
	}
	return jobs, errors.Join(errs...)
}

// Result counts what was rendered.
type Result struct {
	Pages   int // HTML files of pages, list pages included
	Aliases int
}

// Render renders every page to w, on all cores, and the redirect pages of aliases.
func (r *Renderer) Render(ctx context.Context, w output.Writer) (Result, error) {
	jobs, err := r.Jobs()
	if err != nil {
		return Result{}, err
	}
	if err := r.RenderJobs(ctx, w, jobs); err != nil {
		return Result{}, err
	}
	n, err := r.Aliases(w)
	return Result{Pages: len(jobs), Aliases: n}, err
}

// RenderJobs renders the given jobs to w, on all cores. The outputs of partialCached live as long as
// one call: pages may have changed since the last.
func (r *Renderer) RenderJobs(ctx context.Context, w output.Writer, jobs []*Job) error {
	r.parts.reset()
	for _, v := range r.variants {
		v.parts.reset()
	}
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	base := r.opts.Site.BasePath()
	return parallel.Do(ctx, len(jobs), func(i int) error {
		buf := pool.Get().(*bytes.Buffer)
		defer pool.Put(buf)
		buf.Reset()
		if err := r.execute(buf, jobs[i]); err != nil {
			return err
		}
		data := buf.Bytes()
		if base != "/" {
			data = output.PrefixURLs(data, base)
		}
		// Not 404.html: the server shows it at any path, where only root-relative links work.
		if r.opts.RelativeURLs && strings.HasSuffix(jobs[i].Out, ".html") && jobs[i].Out != "404.html" {
			data = output.RelativeURLs(data, base+jobs[i].Out)
		}
		if err := w.WriteFile(jobs[i].Out, data); err != nil {
			return fmt.Errorf("write %s: %w", jobs[i].Out, err)
		}
		return nil
	})
}

func (r *Renderer) execute(buf *bytes.Buffer, j *Job) error {
	layouts := r.layouts
	if j.v != nil {
		layouts = j.v.layouts
	}
	t := layouts[j.Layout]
	name := j.Layout
	if r.main[j.Layout] {
		name = baseName
	}
	*j.Data.Site.calls = (*j.Data.Site.calls)[:0]
	j.Data.head = nil // a job rendered again, its page changed since
	err := t.ExecuteTemplate(buf, name, j.Data)
	j.Data.head = nil // made for this execution only: ten thousand heads kept would weigh a hundred MB
	if err != nil {
		where := j.Data.Page.Source
		if where == "" {
			where = j.Data.Page.URL
		}
		return fmt.Errorf("render %s with layouts/%s: %w", where, j.Layout, err)
	}
	return nil
}

// Aliases writes a redirect page at each alias and returns how many. A multilingual site whose default
// language lives in its folder too (defaultContentLanguageInSubdir) gets one at its root, to that
// language's home.
func (r *Renderer) Aliases(w output.Writer) (int, error) {
	n := 0
	site := r.opts.Site
	if langs := site.Languages; len(langs) > 1 && langs[0].Home != "/" {
		if err := w.WriteFile("index.html", redirect(langs[0].Code, site.AbsURL(langs[0].Home))); err != nil {
			return n, err
		}
		n++
	}
	if site.HugoURLs && len(site.Languages) > 1 && site.Languages[0].Home == "/" {
		// Hugo sends /LANG/ of the default language, served at the root, to the root.
		if err := w.WriteFile(site.Languages[0].Code+"/index.html", redirect(site.Languages[0].Code, site.AbsURL("/"))); err != nil {
			return n, err
		}
		n++
	}
	for _, p := range site.Pages {
		lang := p.Lang
		if lang == "" {
			lang = site.Language
		}
		if site.HugoURLs && p.Kind.IsList() {
			// Hugo writes LIST/page/1/, sending to the list, for every list it paginates
			// (LIST/page/1.html for a list published as LIST.html).
			first := p.URL + "page/1/"
			if ugly, ok := strings.CutSuffix(p.URL, ".html"); ok {
				first = ugly + "/page/1.html"
			}
			if err := w.WriteFile(model.OutputPath(first), redirect(lang, site.AbsURL(p.URL))); err != nil {
				return n, err
			}
			n++
		}
		for _, a := range p.Aliases {
			if err := w.WriteFile(model.OutputPath(a), redirect(lang, site.AbsURL(p.URL))); err != nil {
				return n, fmt.Errorf("%s: alias %s: %w", p.Source, a, err)
			}
			n++
		}
	}
	return n, nil
}

// redirect is a page that sends browsers and search engines to target, an absolute URL.
func redirect(lang, target string) []byte {
	target = template.HTMLEscapeString(target)
	return []byte(`<!DOCTYPE html><html lang="` + template.HTMLEscapeString(lang) + `"><head><meta charset="utf-8">` +
		`<title>` + target + `</title><link rel="canonical" href="` + target + `">` +
		`<meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=` + target + `">` +
		`</head><body><p><a href="` + target + `">` + target + `</a></p></body></html>` + "\n")
}

// funcs are the functions templates may call besides html/template's own.
func (r *Renderer) funcs(words *Words, parts *partials) template.FuncMap {
	funcs := template.FuncMap{
		"partial":            parts.run,
		"partialCached":      parts.cached,
		"partialCachedRange": parts.cachedRange,
		"T":                  func(key string, args ...any) string { return words.T(key, args...) },
		"date":               func(t time.Time) string { return words.Date(t) },
		"longDate":           func(t time.Time) string { return words.LongDate(t) },
		"clock":              func(t time.Time) string { return words.Clock(t) },
		"iso":                func(t time.Time) string { return t.Format(time.RFC3339) },
		"isoDate":            func(t time.Time) string { return t.Format("2006-01-02") },
		"absURL":             func(u string) string { return r.opts.Site.AbsURL(u) },
		"sameDay":            func(a, b time.Time) bool { return a.Format("20060102") == b.Format("20060102") },
		"hasPrefix": func(s, prefix string) bool {
			return prefix != "/" && strings.HasPrefix(s, prefix) || s == prefix
		},
		"add": func(a, b int) int { return a + b },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict needs key and value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not text", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"base": path.Base,
		// justify lays a gallery or a list of pages out in rows of equal height (see justify.go).
		"justify": justify,
		// crop is the aspect ratio the site asks photos of lists and galleries to be cut to, "" when
		// they are shown whole.
		"crop": func() string { return r.crop },
		// scheme is the colour scheme the site forces ([params] scheme = "light" or "dark"), "" when
		// the theme's own applies.
		"scheme": func() string {
			if s, _ := r.opts.Site.Params["scheme"].(string); s == "light" || s == "dark" {
				return s
			}
			return ""
		},
		// homeSections are the blocks of the home page in the site's order ([params] home).
		"homeSections": func() []string { return r.home },
		// picture writes a responsive <picture> of an image the build published in several widths.
		// Options: "class:NAME", "sizes:prose|cover|gallery|card|full", "share:FRACTION" for a photo
		// of a justified row that takes that part of a list as wide as the page's column (with "wide",
		// of a list as wide as the screen), "eager" for
		// an image in the first screen, "priority" for the first one a reader sees, "decorative" for an
		// empty alt, "cropped" to cut it to the site's crop ratio around its focus.
		"picture": func(p *model.Picture, opts ...string) template.HTML {
			if p == nil {
				return ""
			}
			var a media.Attrs
			share, wide := "", false
			for _, o := range opts {
				switch k, v, _ := strings.Cut(o, ":"); k {
				case "class":
					a.Class = v
				case "sizes":
					a.Sizes = map[string]string{"prose": media.SizesProse, "cover": media.SizesCover,
						"gallery": media.SizesGallery, "card": media.SizesCard, "full": "100vw"}[v]
				case "eager":
					a.Eager = true
				case "priority":
					a.Eager, a.Priority = true, true
				case "decorative":
					a.Decorative = true
				case "share":
					if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f <= 1 {
						share = v
					}
				case "wide":
					wide = true
				case "cropped":
					a.Crop = r.crop
				}
			}
			switch {
			case share != "" && wide:
				a.Sizes = "(min-width: 40rem) calc(100vw * " + share + "), 100vw"
			case share != "":
				a.Sizes = "(min-width: 74rem) calc(70rem * " + share + "), (min-width: 40rem) calc(100vw * " + share + "), 100vw"
			}
			return media.HTML(p, a)
		},
	}
	maps.Copy(funcs, escapingFuncs(words))
	return funcs
}

var templateLine = regexp.MustCompile(`^template: [^:]+:(\d+):(?:\d+:)? ?`)

// parseError names a layout's file and line in a parse error of html/template, which gives the
// template's name ("template: _default/single.html:3: …") where the writer needs the file's path.
func parseError(file string, err error) error {
	msg := err.Error()
	if m := templateLine.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", file, m[1], msg[len(m[0]):])
	}
	return fmt.Errorf("%s: %w", file, err)
}
