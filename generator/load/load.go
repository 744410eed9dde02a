// Package load reads a site's content/ folder through an fs.FS and builds the model.Site: it splits and
// decodes front matter, works out each page's URL, converts Markdown, and assembles sections, taxonomies
// and the home page.
//
// On a multilingual site, files are sorted into languages by their folder or their name (see
// languages), each language is assembled into its own site, and pages of different languages with the
// same translation key are linked as translations.
//
// Every problem found is reported, not only the first one, each naming its file and line.
package load

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/safeurl"
	"github.com/vitrine-ssg/vitrine/generator/shortcode"
)

// ContentDir is the folder of Markdown files at the site root.
const ContentDir = "content"

// Options are the inputs of Site besides the files.
type Options struct {
	Config     config.Config
	Visibility model.Visibility
	Markdown   *markdown.Converter
	// Body, when set, is given each page's body as soon as it is converted, instead of the page's
	// Content, from many goroutines at once: a build that streams bodies to disk keeps them there, so
	// that ten thousand bodies are never all in memory. html is valid during the call only. Body returns
	// false when it did not keep the body, which then goes to Content. Not used when a Loader patches
	// pages (see Patch).
	Body func(p *model.Page, html []byte) bool
	// Media publishes the images pages show in several widths; nil leaves them as written.
	Media *media.Processor
	// Markdowns are the converters of each language of a multilingual site, whose typography differs;
	// a language without one uses Markdown.
	Markdowns map[string]*markdown.Converter
	// Fronts, when set, keeps decoded front matter from one load to the next (see FrontCache).
	Fronts FrontCache
}

// FrontCache keeps the front matter of content files from one build to the next, by a hash of the whole
// file: a file found there is neither checked (UTF-8, NUL bytes) nor decoded again. It is used by many
// goroutines at once.
type FrontCache interface {
	// Load returns the front matter stored under key, in a map of its own the caller may change.
	Load(key FrontKey) (map[string]any, bool)
	// Store keeps the front matter of a file that passed every check, decoded. It copies what it keeps,
	// and may keep nothing.
	Store(key FrontKey, meta map[string]any)
}

// FrontKey identifies a content file: a 128-bit hash of its bytes.
type FrontKey [16]byte

// file is one content file on its way to becoming a page.
type file struct {
	path string // in fsys, "content/posts/a.md"
	rel  string // its path on the site: under content/ or its language's folder, "posts/a.md"
	lang string // the language it is written in
	// explicit is set when the file says its language, by its folder or its name (about.en.md).
	explicit bool
	key      string // its translation key: rel without extension, "posts/a"
	bundle   bool   // index.md (index.LANG.md) of a leaf bundle
	html     bool   // a .html content file with front matter: its body is HTML, published as it is
	list     bool   // _index.md of a section or the home
	doc      document
	page     *model.Page
	errs     []error // reading and front matter; the file is left out of the site

	// Hugo's front matter beyond the page's fields: build options, headless, menus.
	noRender  bool // render: never (or link), headless: the page is not built
	unlisted  bool // list: never, headless: the page is in no list
	listLocal bool // list: local: the page is in its section's list only
	menus     []pageMenu
	summary   string            // the summary of the front matter, Markdown
	exp       *shortcode.Result // the body's shortcodes, while it is converted
	// frontNotices are what front matter says that the page reads as Hugo does, with a warning.
	frontNotices []model.Notice

	// Set by readFront and convert, kept by a Loader between loads.
	read      bool
	version   uint64 // see Loader.Version
	converted bool
	convErrs  []error           // conversion: bad links and Markdown
	links     map[string]string // each Markdown file a link asked for → the URL it got, "" for none
	images    []string          // the image files whose size the conversion read
	warnings  []string          // problems that do not stop the build, "file:line: message"
	resources []model.Resource  // the bundle's files when converted
}

// MaxFileSize is the largest Markdown file read. A real page is a few dozen kilobytes; past this size the
// file is almost surely a mistake (a log, a dump) that would hold the build and its memory.
const MaxFileSize = 10 << 20

// MaxTerms is the most tags (or categories) a page may have: each is a page and feeds listing the
// page with all its terms, so that the output grows with the square of their number.
const MaxTerms = 200

// readAtMost reads the file name of fsys, up to one byte past limit: a file that grows, or whose size the
// system does not tell, is not read past it either.
func readAtMost(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(512)
	if info, err := f.Stat(); err == nil && info.Size() > 0 && info.Size() <= limit {
		size = info.Size() + 1
	}
	var buf bytes.Buffer
	buf.Grow(int(size))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	return buf.Bytes(), err
}

// Site loads the site in fsys (its root holds content/).
func Site(ctx context.Context, fsys fs.FS, opts Options) (*model.Site, error) {
	return NewLoader(fsys, opts).Load(ctx, nil)
}

func newSite(cfg config.Config, def string) *model.Site {
	site := &model.Site{
		BaseURL:         cfg.BaseURL,
		Title:           cfg.Title,
		Description:     cfg.Description,
		Language:        cfg.Language,
		DefaultLanguage: def,
		Location:        cfg.Location(),
		Copyright:       cfg.Copyright,
		Author:          model.Author(cfg.Author),
		Params:          cfg.Params,
		Menus:           map[string][]model.MenuEntry{},
		Sections:        map[string]*model.Page{},
		Taxonomies:      map[string]*model.Taxonomy{},
		HugoURLs:        cfg.HugoCompat,
		FoldAccents:     cfg.RemovePathAccents,
		RSSName:         cfg.Feeds.RSSName,
	}
	prefix := ""
	if cfg.Language != def || cfg.DefaultContentLanguageInSubdir && cfg.Multilingual() {
		prefix = "/" + cfg.Language
	}
	notice, privacy, thanks := config.LegalSlugs(cfg.Language)
	if l := cfg.Legal; l.Set() {
		h := l.HostInfo()
		site.Legal = &model.Legal{Status: l.Status, Name: l.Name, Address: l.Address, SIRET: l.SIRET, SIREN: l.SIREN,
			RCS: l.RCS, RNA: l.RNA, Capital: l.Capital, Form: l.Form, VAT: l.VAT, VATExempt: l.VATExempt,
			Publisher: l.Publisher, Email: l.Email, Phone: l.Phone,
			HostName: h.Name, HostAddress: h.Address, HostPhone: h.Phone, HostURL: h.URL,
			NoticeURL: prefix + "/" + notice + "/", PrivacyURL: prefix + "/" + privacy + "/"}
	}
	if a := cfg.Analytics; a.Provider != "" {
		site.Analytics = &model.Analytics{Provider: a.Provider, Code: a.Code, URL: strings.TrimSuffix(a.URL, "/")}
		if u, err := url.Parse(cfg.BaseURL); err == nil {
			site.Analytics.Domain = u.Hostname()
		}
	}
	if raw, ok := cfg.Params["helloasso"]; ok {
		// A site-wide HelloAsso button, in the footer; [params] is checked by config.Parse, a
		// language's params are not: an address that is not HelloAsso's is dropped.
		site.Params = maps.Clone(site.Params)
		delete(site.Params, "helloasso")
		if s, ok := raw.(string); ok {
			if h, err := config.HelloAsso(s); err == nil {
				site.Params["helloasso"] = h
			}
		}
	}
	if c := cfg.Contact; c.Provider != "" {
		site.Contact = &model.Contact{Provider: c.Provider, ID: c.ID, Page: prefix + c.Page, ThanksURL: prefix + "/" + thanks + "/"}
	}
	for _, network := range slices.Sorted(maps.Keys(cfg.Social)) {
		site.Social = append(site.Social, model.Social{Network: network, URL: cfg.Social[network]})
	}
	for name, entries := range cfg.Menu {
		menu := make([]model.MenuEntry, 0, len(entries))
		for _, e := range entries {
			menu = append(menu, model.MenuEntry(e))
		}
		slices.SortStableFunc(menu, func(a, b model.MenuEntry) int {
			return cmp.Or(cmp.Compare(a.Weight, b.Weight), strings.Compare(a.Name, b.Name))
		})
		site.Menus[name] = menu
	}
	return site
}

// walk lists the Markdown files and the other files under root (content/ or a folder or file in it), in
// lexical order; nothing when root does not exist.
func walk(fsys fs.FS, root string, langs *languages) (md []*file, others []string, err error) {
	if _, err := fs.Stat(fsys, root); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	var linkErrs []error
	err = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			// A named pipe, a device or a socket: never opened, since reading one may never end.
			linkErrs = append(linkErrs, &SourceError{File: p, Msg: "not a file (a named pipe, a device or a socket): vitrine reads only files and folders; remove it from the site"})
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if err := LinkedFile(fsys, p); err != nil {
				linkErrs = append(linkErrs, err)
				return nil
			}
		}
		if langs.outside(p) {
			return nil // Hugo reads the languages' folders only
		}
		rel := strings.TrimPrefix(p, ContentDir+"/")
		if isMarkdown(name) || isHTMLContent(fsys, p) {
			f := &file{path: p, rel: rel, html: !isMarkdown(name)}
			langs.classify(f)
			md = append(md, f)
		} else {
			others = append(others, p)
		}
		return nil
	})
	return md, others, errors.Join(append(linkErrs, err)...)
}

// LinkedFile checks the symbolic link p, met while walking fsys: it may be read as a file when it leads
// to a regular file inside the site. A link out of the site (refused by the file system of
// generator.OpenSource), a loop or a link to a folder is an error naming p.
func LinkedFile(fsys fs.FS, p string) error {
	info, err := fs.Stat(fsys, p)
	switch {
	case err != nil:
		return &SourceError{File: p, Msg: "symbolic link leading outside the site or into a loop: vitrine reads only files inside the site; copy the file in instead"}
	case info.IsDir():
		return &SourceError{File: p, Msg: "symbolic link to a folder: vitrine follows links to files only; move the folder here or link its files one by one"}
	case !info.Mode().IsRegular():
		return &SourceError{File: p, Msg: "symbolic link to something that is not a file"}
	}
	return nil
}

// isMarkdown reports whether a file of content/ is Markdown: .md or .markdown, as Hugo reads them.
func isMarkdown(name string) bool {
	ext := path.Ext(name)
	return strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".markdown")
}

// isHTMLContent reports whether a file of content/ is a page written in HTML, as Hugo reads them: a
// .html (or .htm) file that starts with front matter. Other HTML files are copied as they are.
func isHTMLContent(fsys fs.FS, p string) bool {
	if ext := strings.ToLower(path.Ext(p)); ext != ".html" && ext != ".htm" {
		return false
	}
	f, err := fsys.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimPrefix(head[:n], []byte("\ufeff"))
	return bytes.HasPrefix(head, []byte("---")) || bytes.HasPrefix(head, []byte("+++"))
}

// bundleResources lists the files of each leaf bundle's folder and subfolders; files outside any bundle
// are resources of no page and are copied as they lie (see Loose). others is in walk order.
func bundleResources(files []*file, others []string) map[*file][]model.Resource {
	bundles := map[string][]*file{} // index.md and its translations index.en.md… share the folder
	for _, f := range files {
		if f.bundle {
			dir := path.Dir(f.path)
			bundles[dir] = append(bundles[dir], f)
		}
	}
	res := map[*file][]model.Resource{}
	if len(bundles) == 0 {
		return res
	}
	for _, o := range others {
		for dir := path.Dir(o); dir != ContentDir && dir != "."; dir = path.Dir(dir) {
			if bs := bundles[dir]; bs != nil {
				for _, b := range bs {
					res[b] = append(res[b], model.Resource{Source: o, Name: strings.TrimPrefix(o, dir+"/")})
				}
				break
			}
		}
	}
	return res
}

// Loose returns the files under content/ that belong to no leaf bundle, with the output path each is
// copied to (its path under content/).
func Loose(fsys fs.FS, site *model.Site, cfg config.Config) (map[string]string, error) {
	langs := newLanguages(cfg)
	md, others, err := walk(fsys, ContentDir, langs)
	if err != nil {
		return nil, err
	}
	return loose(site, md, others, langs), nil
}

func loose(site *model.Site, md []*file, others []string, langs *languages) map[string]string {
	bundled := map[string]bool{}
	for _, p := range site.Pages {
		for _, r := range p.Resources {
			bundled[r.Source] = true
		}
	}
	bundleDirs := map[string]bool{}
	for _, f := range md {
		if f.bundle {
			bundleDirs[path.Dir(f.path)] = true
		}
	}
	out := map[string]string{}
	for _, o := range others {
		if bundled[o] {
			continue
		}
		inBundle := false
		for dir := path.Dir(o); dir != ContentDir && dir != "."; dir = path.Dir(dir) {
			if bundleDirs[dir] {
				inBundle = true // a resource of a page left out of this build (a draft)
				break
			}
		}
		if !inBundle {
			out[o] = langs.outputDir(o)
		}
	}
	return out
}

func (f *file) fail(line int, format string, args ...any) {
	f.errs = append(f.errs, &SourceError{File: f.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// readFront reads the file, decodes its front matter and sets the page's metadata and URL.
func (f *file) readFront(fsys fs.FS, cfg config.Config, langs *languages, casc *cascades, fronts FrontCache) {
	f.read = true
	// Refused from its size, before it is read: a 2 GB file is not held in memory to be refused.
	if info, err := fs.Stat(fsys, f.path); err == nil && info.Size() > MaxFileSize {
		f.fail(0, "%.1f MB, more than the %d MB a Markdown file may have: split it into several pages", float64(info.Size())/(1<<20), MaxFileSize>>20)
		return
	}
	src, err := readAtMost(fsys, f.path, MaxFileSize)
	if err != nil {
		f.errs = append(f.errs, fmt.Errorf("%s: %w", f.path, err))
		return
	}
	if len(src) > MaxFileSize {
		f.fail(0, "%.1f MB, more than the %d MB a Markdown file may have: split it into several pages", float64(len(src))/(1<<20), MaxFileSize>>20)
		return
	}
	var key FrontKey
	var meta map[string]any
	cached := false
	if fronts != nil {
		key = FrontKey(xxh3.Hash128(src).Bytes())
		meta, cached = fronts.Load(key)
	}
	if !cached {
		if !utf8.Valid(src) {
			line := 1 + bytes.Count(src[:invalidUTF8(src)], []byte("\n"))
			f.fail(line, "invalid UTF-8: save the file as UTF-8")
			return
		}
		if i := bytes.IndexByte(src, 0); i >= 0 {
			f.fail(1+bytes.Count(src[:i], []byte("\n")), "NUL byte: a text file has none; is this a binary file named .md?")
			return
		}
	}
	doc, err := split(src)
	if err != nil {
		var se *SourceError
		if errors.As(err, &se) {
			se.File = f.path
		}
		f.errs = append(f.errs, err)
		return
	}
	f.doc = doc
	if !cached {
		if meta, err = doc.decode(cfg.Language); err != nil {
			var se *SourceError
			if errors.As(err, &se) {
				se.File = f.path
			}
			f.errs = append(f.errs, err)
			return
		}
		if fronts != nil {
			fronts.Store(key, meta) // before cascades and applyFront change it
		}
	}
	f.page = &model.Page{Source: f.path, Params: map[string]any{}, Lang: f.lang, TranslationKey: f.key}
	if casc != nil {
		applyCascade(meta, casc.of(f), f)
	}
	typo := ""
	if cfg.TypographyLang() != "" {
		typo = f.lang
	}
	f.applyFront(meta, cfg, typo)
	if len(f.errs) == 0 {
		f.setURL(fsys, langs.prefix[f.lang], cfg, func(name string) string {
			if cfg.HugoCompat {
				return model.Urlize(name, cfg.RemovePathAccents)
			}
			return model.Slugify(name)
		})
	}
	if len(f.errs) == 0 {
		f.resolveAliases(langs.prefix[f.lang], cfg)
	}
}

// resolveAliases makes page-relative aliases site-relative, as Hugo does: "old-name" on /posts/new/ is
// /posts/old-name/, "../old/path" is /old/path/. One that climbs above the site is an error. On a site
// imported from Hugo (hugoCompat), an absolute alias is in the page's language, as Hugo puts it
// (/old/ on an English page is /en/old/); with uglyURLs an alias is a .html file, as Hugo writes it.
func (f *file) resolveAliases(prefix string, cfg config.Config) {
	p := f.page
	for i, a := range p.Aliases {
		if strings.Contains(a, "://") {
			continue
		}
		resolved := a
		if !strings.HasPrefix(a, "/") {
			dir := strings.TrimSuffix(p.URL, "/")
			dir = dir[:strings.LastIndexByte(dir, '/')+1]
			segs := strings.FieldsFunc(dir, func(r rune) bool { return r == '/' })
			for seg := range strings.SplitSeq(a, "/") {
				switch seg {
				case "", ".":
				case "..":
					if len(segs) == 0 {
						f.fail(f.doc.keyLine("aliases"), "aliases: %q would write outside the output folder: remove the \"..\" segments", a)
						return
					}
					segs = segs[:len(segs)-1]
				default:
					segs = append(segs, seg)
				}
			}
			resolved = "/" + strings.Join(segs, "/")
		} else if cfg.HugoCompat && prefix != "" {
			resolved = prefix + a
		}
		if cfg.UglyURLs && !strings.HasSuffix(resolved, ".html") {
			resolved = strings.TrimSuffix(resolved, "/") + ".html"
		}
		clean, err := cleanURL(resolved)
		if err != nil {
			f.fail(f.doc.keyLine("aliases"), "aliases: %v", err)
			return
		}
		p.Aliases[i] = clean
	}
}

func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

// applyFront copies front-matter values to the page, Hugo's names first; other keys go to Params.
func (f *file) applyFront(meta map[string]any, cfg config.Config, typo string) {
	p := f.page
	loc := cfg.Location()
	dir := path.Dir(f.rel)
	p.Section = strings.Split(f.rel, "/")[0]
	if dir == "." || f.bundle && !strings.Contains(dir, "/") {
		// A bundle at the top (content/about/index.md) is a page of the home, as in Hugo, not a
		// section: its folder is the page.
		p.Section = ""
	}
	p.Kind = model.KindForSection(p.Section)
	switch {
	case f.list && dir == ".":
		p.Kind = model.KindHome
	case f.list:
		p.Kind = model.KindSection
	}
	var event model.Event
	hasEvent := false
	// An event's own time zone applies to its dates written without an offset.
	if v, ok := meta["timezone"]; ok {
		name, _ := v.(string)
		tz, err := time.LoadLocation(name)
		if err != nil || name == "" {
			f.fail(f.doc.keyLine("timezone"), "timezone %q is not a known IANA time zone (e.g. \"Europe/Paris\")", name)
		} else {
			loc, event.TimeZone = tz, tz
		}
	}
	for _, key := range slices.Sorted(maps.Keys(meta)) {
		v := meta[key]
		if v == nil {
			continue // "description:" with nothing after it: Hugo reads no value
		}
		line := func() int { return f.doc.keyLine(key) }
		bad := func(err error) { f.fail(line(), "%s: %v", key, err) }
		var err error
		switch strings.ToLower(key) {
		case "title":
			p.Title, err = toString(v)
		case "description":
			p.Description, err = toString(v)
		case "summary":
			// Markdown, as in Hugo: converted with the body.
			f.summary, err = toString(v)
			p.Summary = template.HTML("<p>" + html.EscapeString(f.summary) + "</p>")
		case "date":
			p.Date, err = toTime(v, loc)
		case "lastmod", "modified":
			p.Lastmod, err = toTime(v, loc)
		case "publishdate", "pubdate", "published":
			p.PublishDate, err = toTime(v, loc)
		case "expirydate", "unpublishdate":
			p.ExpiryDate, err = toTime(v, loc)
		case "draft":
			if p.Draft, err = toBool(v); err != nil && cfg.HugoCompat {
				// The Hugo site this one comes from published the page: so does its import, saying so.
				f.frontNotices = append(f.frontNotices, model.Notice{Line: line(), Feature: "draft",
					Msg: fmt.Sprintf("draft: %v: published, as Hugo did; write true or false", err)})
				p.Draft, err = false, nil
			} else if err != nil {
				// Hugo would read it as false and publish the page: a draft misspelled must not go
				// out unseen.
				err = fmt.Errorf("%w (Hugo would publish the page: fix the value)", err)
			}
		case "slug":
			if p.Slug, err = toString(v); err == nil && slices.Contains(strings.Split(p.Slug, "/"), "..") {
				err = fmt.Errorf("%q climbs out of its section with \"..\": a slug names the page's last URL segment; use url: for a whole path", p.Slug)
			}
		case "url":
			p.URL, err = toString(v)
		case "aliases":
			if p.Aliases, err = toStrings(v); err == nil {
				for _, a := range p.Aliases {
					if !strings.HasPrefix(a, "/") {
						continue // page-relative: resolved once the page's URL is known
					}
					if _, err = cleanURL(a); err != nil {
						break
					}
				}
			}
		case "tags", "categories":
			terms, terr := toStrings(v)
			if terr != nil {
				// A site whose Hugo configuration has no such taxonomy may use the key for its own data.
				p.Params[key] = v
				f.frontNotices = append(f.frontNotices, model.Notice{Line: line(), Feature: key,
					Msg: fmt.Sprintf("%s: %v: kept as a parameter of the page, not listed as %s", key, terr, strings.ToLower(key))})
			} else if len(terms) > MaxTerms {
				// Each term is a page that lists the page with all its terms, and a feed: n terms make
				// n² links.
				err = fmt.Errorf("%d terms, more than the %d a page may have: keep the few that say what the page is about", len(terms), MaxTerms)
			} else if strings.ToLower(key) == "tags" {
				p.Tags = terms
			} else {
				p.Categories = terms
			}
		case "weight":
			p.Weight, err = toInt(v)
		case "layout":
			p.Layout, err = toString(v)
		case "helloasso":
			var u string
			if u, err = toString(v); err == nil {
				var h map[string]any
				if h, err = config.HelloAsso(u); err == nil {
					p.Params["helloasso"] = h
				}
			}
		case "translationkey":
			var k string
			if k, err = toString(v); err == nil && k != "" {
				p.TranslationKey = "key:" + k
			}
		case "images":
			if p.Images, err = toStrings(v); err == nil {
				p.Images = slices.DeleteFunc(p.Images, func(u string) bool { return !f.safeURL(key, u, safeurl.File) })
				err = f.checkFiles(p.Images)
			}
		case "image":
			if s, ok := v.(string); ok {
				if !f.safeURL(key, s, safeurl.File) {
					break
				}
				err = f.checkFiles([]string{s})
			}
			p.Params[key] = v
		case "timezone", "cascade":
			// cascade is read by the pages below this one.
		case "menu", "menus":
			f.menus, err = toMenus(v)
		case "_build", "build":
			if _, ok := v.(map[string]any); ok || key == "_build" {
				err = f.setBuild(v)
			} else {
				p.Params[key] = v
			}
		case "outputs":
			// Hugo renders no HTML for a page whose outputs leave html out (a page made only for a JSON
			// output, say); other formats are vitrine's own choice.
			p.Params[key] = v
			if formats, ferr := toStrings(v); ferr == nil && len(formats) > 0 && !f.list &&
				!slices.ContainsFunc(formats, func(s string) bool { return strings.EqualFold(s, "html") }) {
				f.noRender = true
			}
		case "headless":
			var h bool
			if h, err = toBool(v); h {
				f.noRender, f.unlisted = true, true
			}
		case "params":
			// Hugo 0.123 and later keep the page's own values under params.
			if m, ok := v.(map[string]any); ok {
				maps.Copy(p.Params, m)
			} else {
				p.Params[key] = v
			}
		case "start":
			hasEvent = true
			event.Start, err = toTime(v, loc)
			if isDateOnly(v) {
				event.AllDay = true
			}
		case "allday":
			hasEvent = true
			event.AllDay, err = toBool(v)
		case "previousstart":
			event.PreviousStart, err = toTime(v, loc)
		case "end":
			hasEvent = true
			event.End, err = toTime(v, loc)
		case "location":
			hasEvent = true
			event.Location, err = toLocation(v)
		case "online":
			hasEvent = true
			if event.Online, err = toString(v); err == nil && !f.safeURL(key, event.Online, safeurl.Link) {
				event.Online = ""
			}
		case "status":
			event.Status, err = toString(v)
		case "registration":
			if event.Registration, err = toString(v); err == nil && !f.safeURL(key, event.Registration, safeurl.Link) {
				event.Registration = ""
			}
		case "price":
			event.Price, err = toString(v)
		default:
			p.Params[key] = v
		}
		if err != nil {
			bad(err)
		}
	}
	// Hugo's default: a page without a date takes its publication date, else its last modification.
	if p.Date.IsZero() {
		p.Date = p.PublishDate
		if p.Date.IsZero() {
			p.Date = p.Lastmod
		}
	}
	if cfg.HugoCompat && p.Kind == model.KindEvent && !f.list && event.Start.IsZero() {
		// A Hugo site's agenda/ or events/ folder may hold any page: without a start it is a plain
		// page, not an event that breaks the build.
		p.Kind = model.KindPage
		f.frontNotices = append(f.frontNotices, model.Notice{Line: f.doc.frontLine, Feature: "event without start",
			Msg: fmt.Sprintf("in %s/ but without start: published as a plain page; add start: 2026-12-05T19:30:00+01:00 to make it an event", p.Section)})
		hasEvent = false
	}
	if p.Kind == model.KindEvent || hasEvent {
		if event.Start.IsZero() && p.Kind == model.KindEvent && !f.list {
			f.fail(f.doc.frontLine, "an event needs a start date: add start: 2026-12-05T19:30:00+01:00")
		}
		if event.TimeZone != nil {
			event.Start, event.End = event.Start.In(event.TimeZone), event.End.In(event.TimeZone)
		}
		if !event.End.IsZero() && event.End.Before(event.Start) {
			f.fail(f.doc.keyLine("end"), "end is before start")
		}
		switch event.Status {
		case "":
			event.Status = "scheduled"
		case "scheduled", "cancelled", "postponed", "rescheduled", "online":
		default:
			f.fail(f.doc.keyLine("status"), "status %q: use scheduled, cancelled, postponed, rescheduled or online", event.Status)
		}
		p.Event = &event
	} else if event.Status != "" || event.Registration != "" {
		// Fields of events on a page that is no event: keep them for the theme.
		p.Params["status"], p.Params["registration"] = event.Status, event.Registration
	}
	if p.Title == "" && !f.list {
		p.Title = titleFromName(f.rel, f.bundle)
	}
	if typo != "" {
		p.Title = markdown.Typography(typo, p.Title)
		p.Description = markdown.Typography(typo, p.Description)
	}
}

// checkFiles refuses front-matter file references that climb out of content/ ("../../../etc/passwd"):
// relative ones are read from the page's folder, absolute ones from static/.
// safeURL reports whether the URL of front-matter key passes the policy ok, and warns with the key's line
// when it does not: the caller leaves it out.
func (f *file) safeURL(key, u string, ok func(string) bool) bool {
	if ok(u) {
		return true
	}
	// Warnings of the front matter are given again by each conversion of the body.
	f.frontNotices = append(f.frontNotices, model.Notice{Line: f.doc.keyLine(key), Feature: key, Msg: safeurl.Refused(key, u)})
	return false
}

func (f *file) checkFiles(refs []string) error {
	for _, r := range refs {
		if strings.Contains(r, "://") || strings.HasPrefix(r, "/") {
			continue
		}
		if p := path.Join(path.Dir(f.path), r); p != ContentDir && !strings.HasPrefix(p, ContentDir+"/") {
			return fmt.Errorf("%q leads outside content/: give a file of the page's folder, or a path from static/ starting with /", r)
		}
	}
	return nil
}

func toLocation(v any) (model.Location, error) {
	switch l := v.(type) {
	case string:
		return model.Location{Name: l}, nil
	case map[string]any:
		var loc model.Location
		for k, val := range l {
			s, err := toString(val)
			if err != nil {
				return loc, fmt.Errorf("location.%s: %w", k, err)
			}
			switch strings.ToLower(k) {
			case "name":
				loc.Name = s
			case "address", "street", "streetaddress":
				loc.Address = s
			case "postalcode", "postal_code", "zip":
				loc.PostalCode = s
			case "city", "locality":
				loc.City = s
			case "country":
				loc.Country = s
			default:
				return loc, fmt.Errorf("unknown location field %q (use name, address, postalCode, city, country)", k)
			}
		}
		return loc, nil
	}
	return model.Location{}, fmt.Errorf("expected a place name or a table with name, address, postalCode, city, country")
}

func titleFromName(rel string, bundle bool) string {
	name := path.Base(rel)
	if bundle {
		name = path.Base(path.Dir(rel))
	}
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.ReplaceAll(name, "-", " ")
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// setURL works out where the page is published: its language's prefix, its folder under content/ (each
// segment slugged) and its slug (from slug, else the file or bundle name), unless url gives the path
// outright or [permalinks] a pattern for its section. With uglyURLs a regular page is NAME.html.
func (f *file) setURL(fsys fs.FS, prefix string, cfg config.Config, slug func(string) string) {
	p := f.page
	if p.URL != "" {
		if strings.Contains(p.URL, ":") && !strings.Contains(p.URL, "://") {
			p.URL = f.expandPermalink(fsys, p.URL, slug)
		}
		u, err := cleanURL(p.URL)
		if err != nil {
			f.fail(f.doc.keyLine("url"), "url: %v", err)
			return
		}
		p.URL = u
		return
	}
	if f.list && path.Dir(f.rel) == "." {
		p.URL = prefix + "/"
		return
	}
	ugly := cfg.UglyURLs && !f.list
	if !f.list {
		pages, _ := cfg.PagePermalinks()
		if pattern, ok := pages[p.Section]; ok {
			expanded := f.expandPermalink(fsys, pattern, slug)
			var segs []string
			for s := range strings.SplitSeq(expanded, "/") {
				if s != "" {
					segs = append(segs, model.Urlize(s, cfg.RemovePathAccents))
				}
			}
			u := prefix + "/" + strings.Join(segs, "/")
			switch {
			case len(segs) == 0:
				u = prefix + "/"
			case ugly:
				u += ".html"
			default:
				u += "/"
			}
			if _, err := cleanURL(u); err != nil {
				f.fail(f.doc.frontLine, "permalinks.%s: %v", p.Section, err)
				return
			}
			p.URL = u
			return
		}
	}
	dir := path.Dir(f.rel)
	name := strings.TrimSuffix(path.Base(f.rel), path.Ext(f.rel))
	if f.bundle || f.list {
		dir, name = path.Dir(dir), path.Base(dir)
	}
	var segs []string
	if dir != "." {
		for s := range strings.SplitSeq(dir, "/") {
			seg := slug(s)
			if seg == "" {
				// An empty segment would make "//x/", a link to another host, or put the page in
				// its parent's place.
				f.fail(0, "the folder %q has no letter or digit to make a URL from: rename it, or set url: in the front matter", s)
				return
			}
			segs = append(segs, seg)
		}
	}
	last := slug(name)
	if p.Slug != "" {
		last = slug(p.Slug)
		if last == "" {
			f.fail(f.doc.keyLine("slug"), "slug %q has no letter or digit", p.Slug)
			return
		}
	} else if last == "" {
		// The page would take the URL of its section's list, or of the home page, and silently
		// replace it.
		f.fail(0, "the name %q has no letter or digit to make a URL from: rename the file, or set slug: (or url:) in its front matter", name)
		return
	}
	segs = append(segs, last)
	p.URL = prefix + "/" + strings.Join(segs, "/")
	if ugly {
		p.URL += ".html"
	} else {
		p.URL += "/"
	}
}

// expandPermalink expands the tokens of a Hugo permalink pattern for the page, as Hugo does: dates
// from the page's date, :slug its slug else its title, :filename and :contentbasename its file (or
// bundle folder) name, :section its first folder, :sections its folders. The result is a path still
// to be made into URL segments.
func (f *file) expandPermalink(fsys fs.FS, pattern string, slug func(string) string) string {
	p := f.page
	pattern = strings.ReplaceAll(pattern, "\\:", "\x00")
	base := strings.TrimSuffix(path.Base(f.rel), path.Ext(f.rel))
	if f.lang != "" {
		base = strings.TrimSuffix(base, "."+f.lang)
	}
	dir := path.Dir(f.rel)
	if f.bundle || f.list {
		base, dir = path.Base(dir), path.Dir(dir)
	}
	if dir == "." {
		dir = ""
	}
	dir = f.currentSection(fsys, dir)
	title := func() string { return slug(p.Title) }
	slugOr := func(other func() string) string {
		if p.Slug != "" {
			return slug(p.Slug)
		}
		return other()
	}
	filename := func() string {
		if f.list {
			return ""
		}
		return slug(base)
	}
	out := permalinkTokenRe.ReplaceAllStringFunc(pattern, func(tok string) string {
		name := tok[1:]
		if i := strings.IndexByte(name, '['); i >= 0 {
			return sliceSections(dir, name[i:], strings.ToLower(name[:i]) == "sectionslugs", slug)
		}
		switch strings.ToLower(name) {
		case "year":
			return fmt.Sprint(p.Date.Year())
		case "month":
			return fmt.Sprintf("%02d", int(p.Date.Month()))
		case "monthname":
			return p.Date.Month().String()
		case "day":
			return fmt.Sprintf("%02d", p.Date.Day())
		case "weekday":
			return fmt.Sprint(int(p.Date.Weekday()))
		case "weekdayname":
			return p.Date.Weekday().String()
		case "yearday":
			return fmt.Sprint(p.Date.YearDay())
		case "section":
			return p.Section
		case "sectionslug":
			return slug(p.Section)
		case "sections":
			return dir
		case "sectionslugs":
			return sliceSections(dir, "[:]", true, slug)
		case "title":
			return title()
		case "slug":
			return slugOr(title)
		case "slugorfilename", "slugorcontentbasename":
			return slugOr(filename)
		case "filename", "contentbasename":
			return filename()
		case "translationkey":
			return slug(strings.TrimPrefix(p.TranslationKey, "key:"))
		}
		if config.IsDateLayout(name) {
			return p.Date.Format(name)
		}
		return tok
	})
	return strings.ReplaceAll(out, "\x00", ":")
}

// currentSection is the folder of the section a page in dir belongs to, as Hugo sees sections: a
// top-level folder always is one, a folder below it only with an _index file.
func (f *file) currentSection(fsys fs.FS, dir string) string {
	if dir == "" {
		return ""
	}
	root := strings.TrimSuffix(strings.TrimSuffix(f.path, f.rel), "/")
	segs := strings.Split(dir, "/")
	for n := len(segs); n > 1; n-- {
		d := path.Join(root, strings.Join(segs[:n], "/"))
		entries, _ := fs.ReadDir(fsys, d)
		for _, e := range entries {
			if !e.IsDir() && strings.HasPrefix(e.Name(), "_index.") && isMarkdown(e.Name()) {
				return strings.Join(segs[:n], "/")
			}
		}
	}
	return segs[0]
}

var permalinkTokenRe = regexp.MustCompile(`:\w+(\[.+?\])?`)

// sliceSections is :sections[FROM:TO] (or :sectionslugs[…]): the folders of dir cut as a Go slice,
// negative bounds counting from the end, [last] the last one.
func sliceSections(dir, cut string, slugged bool, slug func(string) string) string {
	var secs []string
	if dir != "" {
		secs = strings.Split(dir, "/")
	}
	if slugged {
		for i, s := range secs {
			secs[i] = slug(s)
		}
	}
	spec := strings.Trim(cut, "[]")
	n := len(secs)
	bound := func(s string, def int) int {
		s = strings.TrimSpace(s)
		switch s {
		case "":
			return def
		case "last":
			return n - 1
		}
		i, err := strconv.Atoi(s)
		if err != nil {
			return def
		}
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	lo, hi := 0, n
	if from, to, ok := strings.Cut(spec, ":"); ok {
		lo, hi = bound(from, 0), bound(to, n)
	} else {
		lo = bound(spec, 0)
		hi = lo + 1
	}
	if lo >= hi || lo >= n {
		return ""
	}
	return strings.Join(secs[lo:min(hi, n)], "/")
}

// cleanURL checks a url or alias from front matter: site-relative, inside the output folder.
func cleanURL(u string) (string, error) {
	if strings.Contains(u, "://") || strings.HasPrefix(u, "//") {
		return "", fmt.Errorf("%q must be a path on this site, like /a-propos/", u)
	}
	for seg := range strings.SplitSeq(u, "/") {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("%q would write outside the output folder: remove the %q segment", u, seg)
		}
	}
	if strings.ContainsAny(u, "\\\x00?#") {
		return "", fmt.Errorf("%q contains a character not allowed in a path", u)
	}
	u = "/" + strings.Trim(u, "/")
	if u == "/" {
		return u, nil
	}
	if !strings.HasSuffix(path.Base(u), ".html") && !strings.HasSuffix(path.Base(u), ".htm") {
		u += "/"
	}
	return u, nil
}

// convert turns the body into HTML, resolving links to other Markdown files.
// Conversion errors go to convErrs; the links and images it depends on are recorded for a Loader.
// keep, when not nil, is given the body instead of the page's Content (see Options.Body).
func (f *file) convert(md *markdown.Converter, idx *linkIndex, sizes *imageSizes, keep func(*model.Page, []byte) bool) {
	n := len(f.errs)
	defer func() {
		f.convErrs = append(f.convErrs[:0], f.errs[n:]...)
		f.errs = f.errs[:n]
		f.converted = true
	}()
	f.resources = f.page.Resources
	f.links = map[string]string{}
	resolve := func(dest string) (string, bool) {
		target, frag, _ := strings.Cut(dest, "#")
		target = path.Join(path.Dir(f.path), target)
		t := idx.resolve(f, target)
		if t == nil {
			f.links[target] = ""
			return "", false
		}
		f.links[target] = t.page.URL
		if frag != "" {
			return t.page.URL + "#" + frag, true
		}
		return t.page.URL, true
	}
	p := f.page
	f.warnings, f.images = nil, nil
	p.Unsupported = nil
	for _, n := range f.frontNotices {
		f.notice(n)
	}
	body := f.doc.body
	f.exp = nil
	if shortcode.Has(body) {
		f.exp = f.expandShortcodes(md, idx.hugo)
		body = f.exp.Markdown
	}
	exp := f.exp
	var pm *pageMedia
	var mm markdown.Media
	if sizes.media != nil {
		pm = newPageMedia(f, sizes.media, sizes.fsys, sizes.lang)
		mm = pm
	}
	// The HTML is read in the buffer it was rendered in, and copied once: to the page's Content, or by
	// keep. The summary, which may lie in that buffer too, is copied on its own, so that it never holds a
	// whole body in memory.
	var (
		res              markdown.Result
		content, summary string
		images           []string
	)
	var err error
	if f.html {
		// Hugo publishes an HTML content file's body as it is, shortcodes run.
		out := []byte(body)
		if exp != nil {
			out = exp.Apply(out)
		}
		out, images = sizes.addImageSizes(out, f.path)
		if keep == nil || !keep(p, out) {
			content = string(out)
		}
		res.WordCount = len(strings.Fields(markdown.Text(string(out))))
	} else {
		err = md.ConvertFunc(body, resolve, mm, func(r markdown.Result) {
			res = r
			res.HTML, res.Summary = nil, nil // the buffer is not to be read once the call is over
			if exp != nil {
				r.HTML, r.Summary = exp.Apply(r.HTML), exp.Apply(r.Summary)
			}
			var out []byte
			out, images = sizes.addImageSizes(r.HTML, f.path)
			if keep == nil || !keep(p, out) {
				content = string(out)
			}
			summary = string(r.Summary)
		})
	}
	if pm != nil {
		pm.gallery()
	}
	var at interface{ At() int } // *markdown.NestingError, *markdown.OpenersError
	if errors.As(err, &at) {
		f.fail(f.doc.bodyLine+exp.SourceLine(at.At())-1, "%v", err)
		return
	}
	if err != nil {
		f.fail(f.doc.bodyLine, "markdown: %v", err)
		return
	}
	if n := len(res.RawHTML); n > 0 {
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (and %d more places)", n-1)
		}
		f.notice(model.Notice{Line: f.doc.bodyLine + exp.SourceLine(res.RawHTML[0]) - 1, Feature: "raw HTML",
			Msg: fmt.Sprintf("raw HTML left out of the page%s: write it in Markdown, or set unsafe = true under [markup] in vitrine.toml if you trust it", more)})
	}
	for _, u := range res.UnsafeURLs {
		f.warn(f.doc.bodyLine+exp.SourceLine(u.Line)-1, "%s", safeurl.Refused("URL", u.Dest))
	}
	for _, le := range res.LinkErrors {
		f.fail(f.doc.bodyLine+exp.SourceLine(le.Line)-1, "link to %q: no such page (is it a draft, or misspelled?)", le.Dest)
	}
	if exp != nil {
		for i := range res.TOC {
			res.TOC[i].Text = exp.ApplyText(res.TOC[i].Text)
		}
	}
	if strings.TrimSpace(f.summary) != "" {
		if sum, err := md.Convert([]byte(f.summary), nil); err == nil {
			p.Summary = template.HTML(strings.TrimSpace(string(sum.HTML)))
		}
	}
	p.Content, f.images = template.HTML(content), append(f.images, images...)
	if p.Summary == "" {
		switch {
		case res.HasMore:
			p.Summary = template.HTML(summary)
		case p.Description != "":
			p.Summary = template.HTML("<p>" + html.EscapeString(p.Description) + "</p>")
		default:
			p.Summary = template.HTML(summary)
		}
	}
	p.SummaryText = markdown.Text(string(p.Summary))
	p.HasMore = res.HasMore
	p.WordCount = res.WordCount
	if p.WordCount > 0 {
		p.ReadingTime = max(1, (p.WordCount+wordsPerMinute/2)/wordsPerMinute)
	}
	for _, h := range res.TOC {
		p.TOC = append(p.TOC, model.Heading(h))
	}
	// The document is no longer needed: let its bytes go (the front matter is a slice of them too).
	f.doc.body, f.doc.front = nil, nil
}

// wordsPerMinute is a common silent-reading speed for French and English prose.
const wordsPerMinute = 220
