package load

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Loader loads a site again and again as its files change, re-reading only what changed: the dev server
// keeps one. Each Load returns the same site a fresh Site call would return on the files as they are then.
//
// Every Load returns new pages, which the caller may change at will. Version tells which of them were
// read again: a page whose file did not change, nor its links, images or bundle files, keeps its version
// from one Load to the next.
//
// A Loader is not safe for concurrent use.
type Loader struct {
	fsys   fs.FS
	opts   Options
	langs  *languages
	files  map[string]*file // every Markdown file under content/, by path
	others map[string]bool  // every other file under content/
	order  []*file          // files in the order fs.WalkDir meets them; nil when files changed
	pos    map[string]int   // path → index in order
	olist  []string         // others in that order; nil when others changed
	sizes  *imageSizes
	loaded bool

	reads    uint64                 // files read so far, numbering the versions
	versions map[*model.Page]uint64 // the pages of the last Load
	byPath   map[string]*model.Page // the same, by file
	idx      *linkIndex             // the visible files of the last Load, which links lead to
	visible  []*file                // the same, in walk order
	// urls are the URLs of the files the last time they were visible: while a file's front matter is
	// broken, links to it still lead there instead of failing as links to no page.
	urls map[string]string
	last *model.Site // what the last Load returned
}

// NewLoader prepares the loading of the site in fsys; nothing is read before Load.
func NewLoader(fsys fs.FS, opts Options) *Loader {
	return &Loader{fsys: fsys, opts: opts, langs: newLanguages(opts.Config), files: map[string]*file{}, others: map[string]bool{}, sizes: newImageSizes(fsys, opts)}
}

// Load loads the site. changed lists the paths of fsys (slash-separated, relative to its root) created,
// written, removed or renamed since the previous Load: files or folders, anywhere in the site (an image
// of static/ changes the pages that show it). The first Load reads everything and ignores changed.
//
// On error the Loader keeps what it read: the next Load, given the paths changed since, loads the site as
// it is then.
func (l *Loader) Load(ctx context.Context, changed []string) (*model.Site, error) {
	cfg := l.opts.Config
	l.last = nil // whatever happens, the site of the last Load is no more one to patch
	touched, err := l.update(changed)
	if err != nil {
		return nil, err
	}
	files := l.sortedFiles()
	if l.olist == nil {
		l.olist = make([]string, 0, len(l.others))
		for o := range l.others {
			l.olist = append(l.olist, o)
		}
		slices.SortFunc(l.olist, walkCompare)
	}

	// Front matter first, in parallel: URLs must all be known before Markdown links are resolved. A file
	// whose links now resolve elsewhere, whose images or resources changed, is read again with the
	// changed ones: its converted body is gone.
	var visible []*file
	var idx *linkIndex
	var resources map[*file][]model.Resource
	for {
		var unread []*file
		for _, f := range files {
			if !f.read {
				unread = append(unread, f)
			}
		}
		casc := newCascades(l.fsys)
		_ = parallel.Do(ctx, len(unread), func(i int) error { unread[i].readFront(l.fsys, cfg, l.langs, casc, l.opts.Fronts); return nil })
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, f := range unread {
			l.reads++
			f.version = l.reads
		}
		visible = visible[:0]
		var broken []*file
		for _, f := range files {
			if len(f.errs) > 0 {
				broken = append(broken, f)
				continue
			}
			if ok, _ := l.opts.Visibility.Visible(f.page); (ok || f.list) && (!f.noRender || f.list) {
				visible = append(visible, f)
			}
		}
		if l.urls == nil {
			l.urls = map[string]string{}
		}
		for _, f := range visible {
			l.urls[f.path] = f.page.URL
		}
		idx = newLinkIndex(l.langs, visible)
		idx.brokenFiles(broken, l.urls)
		resources = bundleResources(visible, l.olist)
		again := false
		for _, f := range visible {
			if f.converted && f.outdated(idx, resources[f], touched) {
				nf := f.fresh()
				l.files[f.path] = nf
				l.order[l.pos[f.path]] = nf
				again = true
			}
		}
		if !again {
			break
		}
		files = l.sortedFiles()
	}

	idx.hugo = newSiteIndex(idx.bySource, cfg)
	idx.hugo.shortcodes = loadSiteShortcodes(l.fsys)
	var convert []*file
	for _, f := range visible {
		f.page.Resources = resources[f]
		if !f.converted {
			convert = append(convert, f)
		}
	}
	_ = parallel.Do(ctx, len(convert), func(i int) error {
		convert[i].convert(l.markdown(convert[i]), idx, l.sizes, l.opts.Body)
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var errs []error
	for _, f := range files {
		errs = append(errs, f.errs...)
	}
	for _, f := range visible {
		errs = append(errs, f.convErrs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(CapErrors(errs, MaxErrors)...)
	}

	// The site is assembled from copies of the pages, so that neither assembling nor the caller changes
	// what the next Load starts from.
	copies := make([]file, len(visible))
	list := make([]*file, len(visible))
	l.versions = make(map[*model.Page]uint64, len(visible))
	l.byPath = make(map[string]*model.Page, len(visible))
	l.idx, l.visible = idx, visible
	for i, f := range visible {
		p := *f.page
		copies[i] = *f
		copies[i].page = &p
		list[i] = &copies[i]
		l.versions[&p] = f.version
		l.byPath[f.path] = &p
	}
	site, err := l.assemble(list)
	if err != nil {
		return nil, err
	}
	l.last = site
	return site, nil
}

// Media returns the Processor the Loader plans images with (Options.Media of its first Options).
func (l *Loader) Media() *media.Processor { return l.opts.Media }

// Warnings returns the problems the last Load found that do not stop the build (images without alt
// text), sorted, each "file:line: message".
func (l *Loader) Warnings() []string {
	var out []string
	for _, f := range l.visible {
		out = append(out, f.warnings...)
	}
	slices.Sort(out)
	return out
}

// LeftOut counts the pages of the last Load that are not built because of the clock or the build's
// options, by reason: "draft", "future" (a date or publishDate to come) and "expired".
func (l *Loader) LeftOut() map[string]int {
	out := map[string]int{}
	for _, f := range l.files {
		if f.page == nil || f.list || len(f.errs) > 0 {
			continue
		}
		switch ok, why := l.opts.Visibility.Visible(f.page); {
		case ok:
		case why == "draft" || why == "expired":
			out[why]++
		default:
			out["future"]++
		}
	}
	return out
}

// assemble builds the site from its visible files: on a multilingual site, one site per language, and
// the site of the default language with the pages of every language.
func (l *Loader) assemble(list []*file) (*model.Site, error) {
	cfg := l.opts.Config
	if !l.langs.multi {
		lc := cfg.ForLanguage(cfg.Language) // [languages.fr] of a site in French only still applies
		site := newSite(lc, cfg.Language)
		assemble(site, list, lc, "")
		if err := addRedirects(site.Pages, cfg.Redirects); err != nil {
			return site, err
		}
		return site, checkURLs(site.Pages)
	}
	byLang := map[string][]*file{}
	for _, f := range list {
		byLang[f.lang] = append(byLang[f.lang], f)
	}
	var sites []*model.Site
	var langs []model.Language
	var all []*model.Page
	for _, code := range l.langs.codes {
		lc := cfg.ForLanguage(code)
		s := newSite(lc, cfg.Language)
		assemble(s, byLang[code], lc, l.langs.prefix[code])
		sites = append(sites, s)
		langs = append(langs, model.Language{Code: code, Name: cfg.LanguageName(code), Home: s.Home.URL, Site: s})
		all = append(all, s.Pages...)
	}
	for _, s := range sites {
		s.Languages = langs
	}
	linkTranslations(sites)
	root := *sites[0]
	slices.SortFunc(all, func(a, b *model.Page) int { return strings.Compare(a.URL, b.URL) })
	root.Pages = all
	if err := addRedirects(all, cfg.Redirects); err != nil {
		return &root, err
	}
	return &root, checkURLs(all)
}

// addRedirects gives each [redirects] entry (old address → a page's URL) to that page as an alias, so
// that it is checked and written as one. An entry leading to no page is an error.
func addRedirects(pages []*model.Page, redirects map[string]string) error {
	if len(redirects) == 0 {
		return nil
	}
	byURL := make(map[string]*model.Page, len(pages))
	for _, p := range pages {
		byURL[p.URL] = p
	}
	var errs []error
	for _, old := range slices.Sorted(maps.Keys(redirects)) {
		to := redirects[old]
		p := byURL[to]
		if p == nil {
			errs = append(errs, fmt.Errorf("%s: [redirects] %q = %q: no page has the URL %s; give a page's URL", config.FileName, old, to, to))
			continue
		}
		from, err := cleanURL(old)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: [redirects] %q: %v", config.FileName, old, err))
			continue
		}
		if !slices.Contains(p.Aliases, from) {
			p.Aliases = append(p.Aliases, from)
		}
	}
	return errors.Join(errs...)
}

// markdown returns the converter for a file's language.
func (l *Loader) markdown(f *file) *markdown.Converter {
	if md := l.opts.Markdowns[f.lang]; md != nil {
		return md
	}
	return l.opts.Markdown
}

// fresh returns a file of the same path, to be read again.
func (f *file) fresh() *file {
	return &file{path: f.path, rel: f.rel, lang: f.lang, key: f.key, explicit: f.explicit, bundle: f.bundle, list: f.list}
}

// Knows reports whether the last Load saw a file at p or under it.
func (l *Loader) Knows(p string) bool {
	if l.files[p] != nil || l.others[p] {
		return true
	}
	for name := range l.files {
		if within(name, p) {
			return true
		}
	}
	for name := range l.others {
		if within(name, p) {
			return true
		}
	}
	return false
}

// bodyFields are the fields of a page made from its Markdown body.
var bodyFields = []string{"Content", "TOC", "Summary", "SummaryText", "HasMore", "WordCount", "ReadingTime", "Unsupported"}

// Patch takes in edits of Markdown files that changed only the bodies of their pages, when it can:
// paths must all be files of visible pages of site, the site the last Load (or Patch) returned, whose
// front matter, URL and everything else but the fields made from the body (Content, TOC, Summary, SummaryText,
// HasMore, WordCount, ReadingTime) stay as they were. Then it sets those fields on the pages of site, in
// place, gives them new versions, and returns those whose body did change, in the order of paths (none,
// not nil, when the files were saved unchanged). Otherwise it returns nil, and the caller loads the site
// with Load, which reads the files again.
//
// Nothing but those fields changes, so nothing else in the site has to be assembled again: no URL, no
// order, no list moves. A page edited as a writer does, sentence after sentence, is taken in this way
// in a millisecond, where Load takes in ten thousand pages in tens.
func (l *Loader) Patch(ctx context.Context, site *model.Site, paths []string) ([]*model.Page, error) {
	if site == nil || site != l.last {
		return nil, nil
	}
	type edit struct {
		old  *file
		new  *file
		page *model.Page // in site
	}
	edits := make([]edit, 0, len(paths))
	for _, p := range paths {
		f := l.files[p]
		page := l.byPath[p]
		if f == nil || page == nil || !f.converted {
			return nil, nil
		}
		if f.list {
			return nil, nil // its cascade may change the pages below it
		}
		nf := f.fresh()
		nf.readFront(l.fsys, l.opts.Config, l.langs, newCascades(l.fsys), l.opts.Fronts)
		if len(nf.errs) > 0 {
			return nil, nil
		}
		if ok, _ := l.opts.Visibility.Visible(nf.page); !ok && !nf.list || nf.noRender != f.noRender || nf.unlisted != f.unlisted ||
			nf.listLocal != f.listLocal || !reflect.DeepEqual(nf.menus, f.menus) {
			return nil, nil
		}
		nf.page.Resources = f.page.Resources
		edits = append(edits, edit{f, nf, page})
	}
	_ = parallel.Do(ctx, len(edits), func(i int) error {
		edits[i].new.convert(l.markdown(edits[i].new), l.idx, l.sizes, nil)
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, e := range edits {
		if len(e.new.convErrs) > 0 || !sameButBody(e.old.page, e.new.page) {
			return nil, nil
		}
	}
	out := make([]*model.Page, 0, len(edits))
	for _, e := range edits {
		same := reflect.DeepEqual(e.old.page, e.new.page)
		if same {
			e.new.version = e.old.version
		} else {
			l.reads++
			e.new.version = l.reads
		}
		l.files[e.new.path] = e.new
		if l.order != nil {
			l.order[l.pos[e.new.path]] = e.new
		}
		if same {
			continue // saved unchanged: the page keeps its version
		}
		dst, src := reflect.ValueOf(e.page).Elem(), reflect.ValueOf(e.new.page).Elem()
		for _, name := range bodyFields {
			dst.FieldByName(name).Set(src.FieldByName(name))
		}
		l.versions[e.page] = e.new.version
		out = append(out, e.page)
	}
	return out, nil
}

// sameButBody reports whether two pages read from a file differ only in the fields made from its body.
func sameButBody(a, b *model.Page) bool {
	x, y := *a, *b
	vx, vy := reflect.ValueOf(&x).Elem(), reflect.ValueOf(&y).Elem()
	for _, name := range bodyFields {
		vx.FieldByName(name).SetZero()
		vy.FieldByName(name).SetZero()
	}
	return reflect.DeepEqual(x, y)
}

// Version returns a number that changes whenever the page returned by the last Load was read from its
// file again, or 0 for pages no file describes (generated lists, a home page without _index.md).
func (l *Loader) Version(p *model.Page) uint64 { return l.versions[p] }

// sortedFiles returns the files in walk order.
func (l *Loader) sortedFiles() []*file {
	if l.order != nil {
		return l.order
	}
	l.order = make([]*file, 0, len(l.files))
	for _, f := range l.files {
		l.order = append(l.order, f)
	}
	slices.SortFunc(l.order, func(a, b *file) int { return walkCompare(a.path, b.path) })
	l.pos = make(map[string]int, len(l.order))
	for i, f := range l.order {
		l.pos[f.path] = i
	}
	return l.order
}

// update brings the lists of files up to date with the changed paths and returns those paths, cleaned.
func (l *Loader) update(changed []string) (map[string]bool, error) {
	if !l.loaded {
		md, others, err := walk(l.fsys, ContentDir, l.langs)
		if err != nil {
			return nil, err
		}
		for _, f := range md {
			l.files[f.path] = f
		}
		for _, o := range others {
			l.others[o] = true
		}
		l.loaded, l.order, l.olist = true, nil, nil
		return nil, nil
	}
	touched := make(map[string]bool, len(changed))
	for _, p := range changed {
		p = path.Clean(p)
		touched[p] = true
		if b := path.Base(p); strings.HasPrefix(b, "_index.") && isMarkdown(b) {
			// Its cascade reaches every page below: read them all again.
			p = path.Dir(p)
		}
		l.sizes.forget(p)
		if p != ContentDir && !strings.HasPrefix(p, ContentDir+"/") || ignored(p) {
			continue
		}
		// Forget what was at p or under it, then read back what is there now. When the same files are
		// there (an edit), the walk order stays and the new files take the old ones' places.
		var gone []string
		for name := range l.files {
			if within(name, p) {
				delete(l.files, name)
				gone = append(gone, name)
			}
		}
		othersGone := 0
		for name := range l.others {
			if within(name, p) {
				delete(l.others, name)
				othersGone++
			}
		}
		md, others, err := walk(l.fsys, p, l.langs)
		if err != nil {
			return nil, err
		}
		same := len(gone) == len(md)
		for _, f := range md {
			if _, ok := l.pos[f.path]; !ok {
				same = false
			}
			l.files[f.path] = f
		}
		if same && l.order != nil {
			for _, f := range md {
				l.order[l.pos[f.path]] = f
			}
		} else {
			l.order = nil
		}
		for _, o := range others {
			if !l.others[o] {
				othersGone = -1
			}
			l.others[o] = true
		}
		if othersGone != len(others) {
			l.olist = nil
		}
	}
	return touched, nil
}

// Loose is the package-level Loose for the files the Loader knows, without reading content/ again.
func (l *Loader) Loose(site *model.Site) map[string]string {
	md := make([]*file, 0, len(l.files))
	for _, f := range l.files {
		md = append(md, f)
	}
	return loose(site, md, l.olist, l.langs)
}

// outdated reports whether a converted file must be read and converted again although it did not
// change: a link of its Markdown now leads elsewhere (or nowhere, or somewhere), one of its images
// changed, or its bundle gained or lost a file.
func (f *file) outdated(idx *linkIndex, resources []model.Resource, touched map[string]bool) bool {
	for target, url := range f.links {
		now := ""
		if t := idx.resolve(f, target); t != nil {
			now = t.page.URL
		}
		if now != url {
			return true
		}
	}
	for _, img := range f.images {
		for p := img; p != "." && p != "/"; p = path.Dir(p) {
			if touched[p] {
				return true
			}
		}
	}
	return !slices.Equal(resources, f.resources)
}

// within reports whether name is dir or inside it.
func within(name, dir string) bool {
	return name == dir || strings.HasPrefix(name, dir+"/")
}

// ignored reports whether a path under content/ is skipped by the walk: a hidden file or folder, or an
// editor's backup file, at any level.
func ignored(p string) bool {
	for seg := range strings.SplitSeq(strings.TrimPrefix(p, ContentDir+"/"), "/") {
		if seg != ContentDir && (strings.HasPrefix(seg, ".") || strings.HasSuffix(seg, "~")) {
			return true
		}
	}
	return false
}

// MaxErrors is the most errors a build reports: past them, one says how many more there are. Tens of
// thousands of broken tags in a file would otherwise print megabytes that nobody reads.
const MaxErrors = 20

// CapErrors returns the first max errors of errs, and one saying how many more there are.
func CapErrors(errs []error, max int) []error {
	if len(errs) <= max {
		return errs
	}
	return append(errs[:max:max], fmt.Errorf("and %d more errors", len(errs)-max))
}

// walkCompare orders paths as fs.WalkDir visits them: folder by folder, names in lexical order.
func walkCompare(a, b string) int {
	for {
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		as, bs := a, b
		if ai >= 0 {
			as = a[:ai]
		}
		if bi >= 0 {
			bs = b[:bi]
		}
		if c := strings.Compare(as, bs); c != 0 || ai < 0 || bi < 0 {
			if c != 0 {
				return c
			}
			// One is a prefix folder of the other: WalkDir visits the folder's entries in order with
			// the files; the shorter path (a file) and a folder of the same name cannot both exist.
			return ai - bi
		}
		a, b = a[ai+1:], b[bi+1:]
	}
}
