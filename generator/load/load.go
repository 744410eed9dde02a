// Package load reads a site's content/ folder through an fs.FS and builds the model.Site: it splits and
// decodes front matter, works out each page's URL, converts Markdown, and assembles sections, taxonomies
// and the home page.
//
// Every problem found is reported, not only the first one, each naming its file and line.
package load

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// ContentDir is the folder of Markdown files at the site root.
const ContentDir = "content"

// Options are the inputs of Site besides the files.
type Options struct {
	Config     config.Config
	Visibility model.Visibility
	Markdown   *markdown.Converter
	// Converted, when set, is called with each page as soon as its body is converted, from many
	// goroutines at once: a build that streams bodies to disk takes Content away there, so that ten
	// thousand bodies are never all in memory. Not for a Loader that patches pages (see Patch).
	Converted func(p *model.Page)
}

// file is one content file on its way to becoming a page.
type file struct {
	path   string // in fsys, "content/posts/a.md"
	rel    string // under content/, "posts/a.md"
	bundle bool   // index.md of a leaf bundle
	list   bool   // _index.md of a section or the home
	doc    document
	page   *model.Page
	errs   []error // reading and front matter; the file is left out of the site

	// Set by readFront and convert, kept by a Loader between loads.
	read      bool
	version   uint64 // see Loader.Version
	converted bool
	convErrs  []error           // conversion: bad links and Markdown
	links     map[string]string // each Markdown file a link asked for → the URL it got, "" for none
	images    []string          // the image files whose size the conversion read
	resources []model.Resource  // the bundle's files when converted
}

// Site loads the site in fsys (its root holds content/).
func Site(ctx context.Context, fsys fs.FS, opts Options) (*model.Site, error) {
	return NewLoader(fsys, opts).Load(ctx, nil)
}

func newSite(cfg config.Config) *model.Site {
	site := &model.Site{
		BaseURL:     cfg.BaseURL,
		Title:       cfg.Title,
		Description: cfg.Description,
		Language:    cfg.Language,
		Location:    cfg.Location(),
		Copyright:   cfg.Copyright,
		Author:      model.Author(cfg.Author),
		Params:      cfg.Params,
		Menus:       map[string][]model.MenuEntry{},
		Sections:    map[string]*model.Page{},
		Taxonomies:  map[string]*model.Taxonomy{},
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
func walk(fsys fs.FS, root string) (md []*file, others []string, err error) {
	if _, err := fs.Stat(fsys, root); errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
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
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel := strings.TrimPrefix(p, ContentDir+"/")
		if strings.EqualFold(path.Ext(name), ".md") {
			md = append(md, &file{path: p, rel: rel, bundle: name == "index.md", list: name == "_index.md"})
		} else {
			others = append(others, p)
		}
		return nil
	})
	return md, others, err
}

// bundleResources lists the files of each leaf bundle's folder and subfolders; files outside any bundle
// are resources of no page and are copied as they lie (see Loose). others is in walk order.
func bundleResources(files []*file, others []string) map[*file][]model.Resource {
	bundles := map[string]*file{}
	for _, f := range files {
		if f.bundle {
			bundles[path.Dir(f.path)] = f
		}
	}
	res := map[*file][]model.Resource{}
	if len(bundles) == 0 {
		return res
	}
	for _, o := range others {
		for dir := path.Dir(o); dir != ContentDir && dir != "."; dir = path.Dir(dir) {
			if b := bundles[dir]; b != nil {
				res[b] = append(res[b], model.Resource{Source: o, Name: strings.TrimPrefix(o, dir+"/")})
				break
			}
		}
	}
	return res
}

// Loose returns the files under content/ that belong to no leaf bundle, with the output path each is
// copied to (its path under content/).
func Loose(fsys fs.FS, site *model.Site) (map[string]string, error) {
	md, others, err := walk(fsys, ContentDir)
	if err != nil {
		return nil, err
	}
	return loose(site, md, others), nil
}

func loose(site *model.Site, md []*file, others []string) map[string]string {
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
			out[o] = strings.TrimPrefix(o, ContentDir+"/")
		}
	}
	return out
}

func (f *file) fail(line int, format string, args ...any) {
	f.errs = append(f.errs, &SourceError{File: f.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// readFront reads the file, decodes its front matter and sets the page's metadata and URL.
func (f *file) readFront(fsys fs.FS, cfg config.Config) {
	f.read = true
	src, err := fs.ReadFile(fsys, f.path)
	if err != nil {
		f.errs = append(f.errs, fmt.Errorf("%s: %w", f.path, err))
		return
	}
	if !utf8.Valid(src) {
		line := 1 + strings.Count(string(src[:invalidUTF8(src)]), "\n")
		f.fail(line, "invalid UTF-8: save the file as UTF-8")
		return
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
	meta, err := doc.decode()
	if err != nil {
		var se *SourceError
		if errors.As(err, &se) {
			se.File = f.path
		}
		f.errs = append(f.errs, err)
		return
	}
	f.page = &model.Page{Source: f.path, Params: map[string]any{}}
	f.applyFront(meta, cfg)
	if len(f.errs) == 0 {
		f.setURL()
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
func (f *file) applyFront(meta map[string]any, cfg config.Config) {
	p := f.page
	loc := cfg.Location()
	dir := path.Dir(f.rel)
	p.Section = strings.Split(f.rel, "/")[0]
	if dir == "." {
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
		line := func() int { return f.doc.keyLine(key) }
		bad := func(err error) { f.fail(line(), "%s: %v", key, err) }
		var err error
		switch strings.ToLower(key) {
		case "title":
			p.Title, err = toString(v)
		case "description":
			p.Description, err = toString(v)
		case "summary":
			var s string
			s, err = toString(v)
			p.Summary = template.HTML("<p>" + html.EscapeString(s) + "</p>")
		case "date":
			p.Date, err = toTime(v, loc)
		case "lastmod":
			p.Lastmod, err = toTime(v, loc)
		case "publishdate", "pubdate":
			p.PublishDate, err = toTime(v, loc)
		case "expirydate", "unpublishdate":
			p.ExpiryDate, err = toTime(v, loc)
		case "draft":
			p.Draft, err = toBool(v)
		case "slug":
			p.Slug, err = toString(v)
		case "url":
			p.URL, err = toString(v)
		case "aliases":
			p.Aliases, err = toStrings(v)
		case "tags":
			p.Tags, err = toStrings(v)
		case "categories":
			p.Categories, err = toStrings(v)
		case "weight":
			p.Weight, err = toInt(v)
		case "layout":
			p.Layout, err = toString(v)
		case "images":
			p.Images, err = toStrings(v)
		case "timezone":
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
			event.Online, err = toString(v)
		case "status":
			event.Status, err = toString(v)
		case "registration":
			event.Registration, err = toString(v)
		case "price":
			event.Price, err = toString(v)
		default:
			p.Params[key] = v
		}
		if err != nil {
			bad(err)
		}
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
	if lang := cfg.TypographyLang(); lang != "" {
		p.Title = markdown.Typography(lang, p.Title)
		p.Description = markdown.Typography(lang, p.Description)
	}
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

// setURL works out where the page is published: its folder under content/ (each segment slugged) and its
// slug (from slug, else the file or bundle name), unless url gives the path outright.
func (f *file) setURL() {
	p := f.page
	if p.URL != "" {
		u, err := cleanURL(p.URL)
		if err != nil {
			f.fail(f.doc.keyLine("url"), "url: %v", err)
			return
		}
		p.URL = u
		return
	}
	dir := path.Dir(f.rel)
	name := strings.TrimSuffix(path.Base(f.rel), path.Ext(f.rel))
	if f.bundle || f.list {
		dir, name = path.Dir(dir), path.Base(dir)
	}
	var segs []string
	if dir != "." {
		for s := range strings.SplitSeq(dir, "/") {
			segs = append(segs, model.Slugify(s))
		}
	}
	if f.list && path.Dir(f.rel) == "." {
		p.URL = "/"
		return
	}
	slug := model.Slugify(name)
	if p.Slug != "" {
		slug = model.Slugify(p.Slug)
		if slug == "" {
			f.fail(f.doc.keyLine("slug"), "slug %q has no letter or digit", p.Slug)
			return
		}
	}
	segs = append(segs, slug)
	p.URL = "/" + strings.Join(segs, "/") + "/"
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
func (f *file) convert(md *markdown.Converter, bySource map[string]*file, sizes *imageSizes) {
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
		t := bySource[target]
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
	res, err := md.Convert(f.doc.body, resolve)
	if err != nil {
		f.fail(f.doc.bodyLine, "markdown: %v", err)
		return
	}
	for _, le := range res.LinkErrors {
		f.fail(f.doc.bodyLine+le.Line-1, "link to %q: no such page (is it a draft, or misspelled?)", le.Dest)
	}
	p := f.page
	content, images := sizes.addImageSizes(res.HTML, f.path)
	p.Content, f.images = template.HTML(content), images
	if p.Summary == "" {
		switch {
		case res.HasMore:
			p.Summary = template.HTML(res.Summary)
		case p.Description != "":
			p.Summary = template.HTML("<p>" + html.EscapeString(p.Description) + "</p>")
		default:
			p.Summary = template.HTML(res.Summary)
		}
	}
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
