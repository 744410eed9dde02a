package generator

import (
	"context"
	"io"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/feeds"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/render"
	"github.com/vitrine-ssg/vitrine/generator/search"
)

// ChangeKind sorts the paths of a site by what their change asks of a rebuild.
type ChangeKind int

// The kinds of change, from the cheapest to the dearest.
const (
	// ChangeIgnored: not read by the build (public/, .git/, hidden files, editors' backups).
	ChangeIgnored ChangeKind = iota
	// ChangeContent: a file of content/. Its page is read again; the pages that show it render again.
	ChangeContent
	// ChangeStatic: a file of static/. It is copied again; pages showing it as an image render again.
	ChangeStatic
	// ChangeData: another file of the site the build reads (data/). Every page is compared again.
	ChangeData
	// ChangeLayouts: layouts/, i18n/ or themes/. Layouts and words are parsed again, every page
	// renders again; content is not read again.
	ChangeLayouts
	// ChangeConfig: vitrine.toml. Everything is done again.
	ChangeConfig
)

var changeNames = [...]string{"ignored", "content", "static", "data", "layouts", "config"}

func (k ChangeKind) String() string { return changeNames[k] }

// KindOf tells what kind of change a change of p is; p is slash-separated, relative to the site's root.
func KindOf(p string) ChangeKind {
	p = path.Clean(p)
	top, _, _ := strings.Cut(p, "/")
	base := path.Base(p)
	switch {
	case p == config.FileName:
		return ChangeConfig
	case strings.HasPrefix(top, ".") || strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || top == "public" || top == "node_modules":
		return ChangeIgnored
	case top == load.ContentDir:
		return ChangeContent
	case top == "static":
		return ChangeStatic
	case top == "layouts" || top == "i18n" || top == "themes":
		return ChangeLayouts
	case top == "data":
		return ChangeData
	}
	return ChangeIgnored
}

// Session builds one site again and again as its files change, redoing only what the changes touch: the
// dev server keeps one. After every successful Rebuild its Memory holds exactly what Build writes for
// the site as it is then, with the same Options (a test checks this after random series of edits).
//
// # What is done again
//
// The content is loaded through a load.Loader, which reads only the changed files (and those whose
// links or images changed). Assembling the site, listing the files to render and fingerprinting them are
// done every time: they take milliseconds on ten thousand pages. Each output file gets a fingerprint of
// what it is made of, and is made again only when its fingerprint changed since the last successful
// build: pages, feeds, the sitemap, social cards (by page version), static files (by path). Other
// outputs are cheap and made every time; only those whose bytes changed reach the Memory. Files that a
// build no longer makes are removed.
//
// A change of layouts/, i18n/ or themes/ renders every page again (content is not read again); a
// change of vitrine.toml starts over. A failed Rebuild leaves the Memory as it was; the next one does
// again what the failed one had to do.
//
// # What a layout may depend on
//
// The fingerprint of a page takes in what layouts can reach through the view of package render: the
// configuration, layouts and words; the page itself; its ancestors, neighbours (Prev, Next) and
// translations, and every other page a field of the page links to, as shown in a list (all but their
// content and table of contents); on lists, the identity and order of all the children and the items of
// the pager; the terms of its taxonomy and their number of pages; and the result of every site-wide
// list its layouts asked for through the methods of SiteView (RecentArticles, Section, Sections,
// Pages…), recorded while it rendered. A layout that reaches further through the model itself (the
// content of a neighbour, the children of a section found through .Site.Section) is not followed:
// `vitrine build` is always exact.
//
// A Session is not safe for concurrent use; its Memory is.
type Session struct {
	// OnPages, when set, is called during a Rebuild that patches page bodies in place (a writer at
	// work: see load.Loader.Patch), as soon as the pages are rendered and in the Memory, with those
	// whose content changed, before the feeds and the rest are made: the dev server reloads browsers
	// then. The Rebuild still returns the whole Result; should a later step fail, the next Rebuild
	// makes everything right again.
	OnPages func(changed []string)

	opts Options
	out  *output.Memory

	pending map[string]bool // paths changed since the last successful build

	loader   *load.Loader
	renderer *render.Renderer
	epoch    uint64 // counts changes of configuration, layouts, words and theme
	key      uint64 // for a Build with a build cache: hash of configuration, layouts, words, theme, vitrine

	// Kept from the last successful build.
	fps     map[string]uint64        // output → fingerprint of its inputs
	calls   map[string][]render.Call // rendered page → site-wide lists its layouts asked for
	shares  map[uint64]shareMemo     // page version → its share images
	copies  map[string]copySource    // copied output → where from
	sitemap []string                 // files of the sitemap

	metas map[uint64]pageHash // page version → hashes of its fields; content-derived, kept on failure
	style styleMemo

	// The site and render jobs of the last successful build, for builds that patch page bodies in
	// place (see load.Loader.Patch); site is nil when the next build may not.
	site  *model.Site
	jobs  []*render.Job
	idx   *patchIndex            // built on the first patch after a full build
	lhash map[*model.Page]uint64 // hashes of the children of the lists of site

	cur *sessionBuild // the build under way
}

// NewSession prepares builds of the site of opts into out; nothing is read before the first Rebuild.
// opts.Writer is not used. A zero opts.Now is set to the time of the call, the clock of every
// rebuild: restart the session to move it.
func NewSession(opts Options, out *output.Memory) *Session {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	return &Session{opts: opts, out: out, pending: map[string]bool{}}
}

// Memory returns the output of the last successful build.
func (s *Session) Memory() *output.Memory { return s.out }

// Rebuild brings the output up to date after the given paths changed (files or folders, created,
// written, removed or renamed; slash-separated, relative to the site's root). The first call builds
// everything whatever paths it is given. On error the output stays as the last successful build left it.
// Result.Rendered counts the pages rendered again and Result.Changed lists the output files whose
// content changed, sorted.
func (s *Session) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	for _, p := range changed {
		p = path.Clean(p)
		switch KindOf(p) {
		case ChangeIgnored:
			continue
		case ChangeConfig:
			s.loader, s.renderer, s.shares, s.copies, s.metas = nil, nil, nil, nil, nil
			s.epoch++
		case ChangeLayouts:
			// Words and the theme's colours are on social cards too.
			s.renderer, s.shares, s.copies = nil, nil, nil
			s.epoch++
		case ChangeData:
			s.metas = nil
		}
		s.pending[p] = true
	}
	if s.metas == nil {
		s.metas = map[uint64]pageHash{}
	}
	// Markdown files that may have changed only in their bodies; nil when other things changed.
	var bodies []string
	if s.site != nil && s.loader != nil {
		bodies = []string{}
		for p := range s.pending {
			st, err := fs.Stat(s.opts.Source, p)
			if err != nil && KindOf(p) == ChangeContent && !s.loader.Knows(p) {
				continue // an editor's temporary file, come and gone
			}
			if KindOf(p) != ChangeContent || !strings.HasSuffix(p, ".md") || err != nil || !st.Mode().IsRegular() {
				bodies = nil
				break
			}
			bodies = append(bodies, p)
		}
		slices.Sort(bodies)
	}
	lists := map[*model.Page]uint64{}
	if bodies != nil && s.lhash != nil {
		lists = s.lhash // children do not change when only bodies do
	}
	s.cur = newSessionBuild(s, lists)
	s.cur.bodies = bodies
	s.cur.stage = &stage{files: map[string][]byte{}, kept: map[string]bool{}}
	defer func() { s.cur = nil }()
	opts := s.opts
	opts.Writer, opts.session = s.cur.stage, s
	res, err := Build(ctx, opts)
	b := s.cur
	if err != nil {
		if b.patched != nil {
			s.site = nil // pages of the last good site were changed in place: start afresh
		}
		return nil, err
	}
	if b.patched != nil {
		// The search index is made whole every time: a shard whose words are all gone goes.
		var gone []string
		for _, name := range s.out.Names() {
			if strings.HasPrefix(name, search.Dir) && b.stage.files[name] == nil {
				gone = append(gone, name)
			}
		}
		res.Changed = s.out.Apply(b.stage.files, gone)
		if b.early != nil {
			res.Changed = slices.Compact(slices.Sorted(slices.Values(append(res.Changed, b.early...))))
		}
		maps.Copy(s.fps, b.fps)
		for out, calls := range b.calls {
			if !slices.Equal(calls, s.calls[out]) {
				s.idx = nil // a layout asks for other lists now
			}
			s.calls[out] = calls
		}
		if b.sitemap != nil {
			s.sitemap = b.sitemap
		}
		if len(s.metas) > 2*len(s.site.Pages)+64 {
			s.pruneMetas(s.site)
		}
		s.pending = map[string]bool{}
		return res, nil
	}
	var remove []string
	for _, name := range s.out.Names() {
		if b.stage.files[name] == nil && !b.stage.kept[name] {
			remove = append(remove, name)
		}
	}
	res.Changed = s.out.Apply(b.stage.files, remove)
	s.fps, s.calls, s.shares, s.copies, s.sitemap = b.fps, b.calls, b.shares, b.copies, b.sitemap
	for name := range s.fps {
		if b.stage.files[name] == nil && !b.stage.kept[name] && name != sitemapKey {
			delete(s.fps, name)
		}
	}
	s.pruneMetas(res.Site)
	s.site, s.jobs, s.idx, s.lhash = res.Site, b.jobs, nil, b.lists
	s.pending = map[string]bool{}
	return res, nil
}

// pruneMetas forgets the hashes of pages no longer loaded.
func (s *Session) pruneMetas(site *model.Site) {
	live := make(map[uint64]pageHash, len(s.metas))
	for _, p := range site.Pages {
		if v := s.loader.Version(p); v != 0 {
			if m, ok := s.metas[v]; ok {
				live[v] = m
			}
		}
	}
	s.metas = live
}

// newSessionBuild starts the state of one build of s, lists being the list hashes it starts from. The
// dev server's rebuilds and vitrine build's cached builds both start here, so that a map added to the
// state is made for both.
func newSessionBuild(s *Session, lists map[*model.Page]uint64) *sessionBuild {
	b := &sessionBuild{
		s:      s,
		fps:    map[string]uint64{},
		calls:  map[string][]render.Call{},
		shares: map[uint64]shareMemo{},
		copies: map[string]copySource{},
		pv:     map[*model.Page]uint64{},
		own:    map[*model.Page]pageHash{},
		lists:  lists,
		called: map[langCall]uint64{},
		h:      newHasher(),
	}
	b.fpr = &fingerprinter{b: b, h: b.h, terms: map[string]string{}, keep: true}
	return b
}

// sessionBuild is what one Rebuild gathers, kept by the Session only if the build succeeds.
type sessionBuild struct {
	s       *Session
	bodies  []string      // Markdown files to try patching in (see Session.patch)
	patched []*model.Page // the pages patched in place: the site is the last one, only they changed
	early   []string      // pages put in the Memory before the end of the build (see OnPages)
	jobs    []*render.Job
	stage   *stage // the files of a Rebuild, for the Memory
	disk    keeper // or the writer of a Build with a build cache (see cache.go)
	fps     map[string]uint64
	calls   map[string][]render.Call
	shares  map[uint64]shareMemo
	copies  map[string]copySource
	sitemap []string

	mu     sync.Mutex // guards shares, written by the cards step on all cores
	h      *hasher
	site   *model.Site
	ld     *load.Loader
	global uint64
	pv     map[*model.Page]uint64   // page → hash of what a list shows of it
	own    map[*model.Page]pageHash // hashes of the pages no file describes
	lists  map[*model.Page]uint64   // list page → hash of its children's identity
	called map[langCall]uint64      // site-wide list → hash of its pages
	terms  map[string]string        // "tags/lyon" → the term's name
	fpr    *fingerprinter           // the build's own, which fills the maps above
	store  *bodyStore               // where the bodies are when not in the pages
}

// stage collects the files of a build; the Session applies them to its Memory once the build
// succeeded. Files kept are those a build makes but did not make again: the Memory has them right.
type stage struct {
	mu    sync.Mutex
	files map[string][]byte
	kept  map[string]bool
}

var _ output.Writer = (*stage)(nil)

func (st *stage) WriteFile(name string, data []byte) error {
	clean, err := output.CleanPath(name)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.files[clean] = slices.Clone(data)
	return nil
}

func (st *stage) CopyFile(name string, fsys fs.FS, src string) error {
	// Read as the dev server's output reads copies: whole, with no size limit.
	f, err := fsys.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return st.WriteFile(name, data)
}

// keep tells that the build makes name as the last build did, without making it again.
func (b *sessionBuild) keep(name string) {
	if b.disk != nil {
		b.disk.Keep(name)
		return
	}
	b.stage.keep(name)
}

func (st *stage) keep(name string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.kept[name] = true
}

// touched reports whether p, or a folder holding it, changed since the last successful build.
func (s *Session) touched(p string) bool {
	for ; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if s.pending[p] {
			return true
		}
	}
	return false
}

// The hooks Build calls. Each works on a nil *Session, for plain builds.

// changed returns the paths changed since the last successful build.
func (s *Session) changed() []string {
	if s == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(s.pending))
}

// newLoader returns the loader to use: the Session's, or a new one.
func (s *Session) newLoader(src fs.FS, opts load.Options) *load.Loader {
	if s == nil {
		return load.NewLoader(src, opts)
	}
	if s.loader == nil {
		s.loader = load.NewLoader(src, opts)
	}
	return s.loader
}

// patch takes in edits of page bodies in place, when the changes since the last successful build are
// only that (see load.Loader.Patch): it returns the last site, or nil when the site must be loaded.
func (s *Session) patch(ctx context.Context, ld *load.Loader) (*model.Site, error) {
	if s == nil || s.cur.bodies == nil {
		return nil, nil
	}
	pages, err := ld.Patch(ctx, s.site, s.cur.bodies)
	if err != nil || pages == nil {
		s.cur.lists = map[*model.Page]uint64{} // the site will be a new one
		return nil, err
	}
	s.cur.patched = pages
	return s.site, nil
}

// patching reports whether this build patches the last site: steps whose outputs cannot change then
// (cards, static files) are skipped, their files kept.
func (s *Session) patching() bool { return s != nil && s.cur.patched != nil }

// renderJobs lists the files to render: the last build's jobs when patching, whose pages are the same.
func (s *Session) renderJobs(r *render.Renderer) ([]*render.Job, error) {
	if s.patching() {
		return s.jobs, nil
	}
	jobs, err := r.Jobs()
	if s != nil {
		s.cur.jobs = jobs
	}
	return jobs, err
}

// newRenderer returns the Session's renderer pointed at this build, or parses the layouts.
func (s *Session) newRenderer(opts render.Options) (*render.Renderer, error) {
	if s != nil {
		// What every fingerprint starts from: the epoch of configuration and layouts (or, for a build with
		// a build cache, the key of all that), the stylesheet.
		s.cur.global = s.cur.h.reset().u64(s.epoch).u64(s.key).str(opts.StyleURL).sum()
	}
	if s.patching() {
		return s.renderer, nil // the same site
	}
	if s != nil && s.renderer != nil {
		s.renderer.Reuse(opts)
		return s.renderer, nil
	}
	r, err := render.New(opts)
	if err != nil {
		return nil, err
	}
	if s != nil {
		s.renderer = r
	}
	return r, nil
}

// loaded tells the Session the site of this build.
func (s *Session) loaded(site *model.Site, ld *load.Loader) {
	if s != nil {
		s.cur.site, s.cur.ld = site, ld
	}
}

// shareMemo is what the cards step made for one page version.
type shareMemo struct {
	share, square *model.Image
	outputs       []string // card files
	files         []string // files of the site read: the page's own image, the author's photo
}

// reuseShare sets the page's share images from the last build when nothing they depend on changed, and
// keeps their files.
func (s *Session) reuseShare(p *model.Page) bool {
	if s == nil {
		return false
	}
	v := s.cur.ld.Version(p)
	s.cur.mu.Lock()
	defer s.cur.mu.Unlock()
	m, ok := s.shares[v]
	if !ok || slices.ContainsFunc(m.files, s.touched) {
		return false
	}
	p.Share, p.Square = m.share, m.square
	for _, o := range m.outputs {
		s.cur.keep(o)
	}
	s.cur.shares[v] = m
	return true
}

// storeShare remembers what the cards step made for a page.
func (s *Session) storeShare(p *model.Page, outputs, files []string) {
	if s == nil {
		return
	}
	v := s.cur.ld.Version(p)
	s.cur.mu.Lock()
	defer s.cur.mu.Unlock()
	s.cur.shares[v] = shareMemo{share: p.Share, square: p.Square, outputs: outputs, files: files}
	delete(s.metas, v) // its share images may differ for the same version
}

// styleMemo is the last stylesheet made, by its sources.
type styleMemo struct {
	key  uint64
	data []byte
}

// reuseStyle returns the stylesheet made from the same sources by an earlier build.
func (s *Session) reuseStyle(src []byte, cfg config.Config) (key uint64, data []byte) {
	if s == nil {
		return 0, nil
	}
	key = s.cur.h.reset().str(string(src)).str(cfg.Markup.HighlightStyle).str(cfg.Markup.HighlightDark).sum()
	if s.style.data != nil && s.style.key == key {
		return key, s.style.data
	}
	return key, nil
}

func (s *Session) storeStyle(key uint64, data []byte) {
	if s != nil {
		s.style = styleMemo{key: key, data: data}
	}
}

// toRender returns the jobs whose fingerprint changed since the last build, and keeps the others.
func (s *Session) toRender(jobs []*render.Job) []*render.Job {
	if s == nil {
		return jobs
	}
	b := s.cur
	if b.patched != nil {
		return b.showing(jobs)
	}
	b.prepare(jobs)
	fps := make([]uint64, len(jobs))
	b.inParallel(len(jobs), func(f *fingerprinter, i int) {
		if _, ok := s.fps[jobs[i].Out]; ok {
			fps[i] = f.jobFingerprint(jobs[i], s.calls[jobs[i].Out])
		}
	})
	var todo []*render.Job
	for i, j := range jobs {
		old, ok := s.fps[j.Out]
		if !ok {
			todo = append(todo, j) // nothing to compare with: rendered, and fingerprinted then
			continue
		}
		b.fps[j.Out] = fps[i]
		if old == fps[i] {
			b.calls[j.Out] = s.calls[j.Out]
			b.keep(j.Out)
			continue
		}
		todo = append(todo, j)
	}
	return todo
}

// prepare fills the memo maps the fingerprints of jobs read: the hashes and list views of every page of
// the site, computed on all cores, then the hashes of lists' children and of the site-wide lists the
// jobs' layouts asked for last time. Workers then only read them (see fingerprinter).
func (b *sessionBuild) prepare(jobs []*render.Job) {
	b.termNames()
	var todo []*model.Page
	for _, p := range b.site.Pages {
		if v := b.ld.Version(p); v != 0 {
			if _, ok := b.s.metas[v]; ok {
				continue
			}
		} else if _, ok := b.own[p]; ok {
			continue
		}
		todo = append(todo, p)
	}
	hs := make([]pageHash, len(todo))
	b.inParallel(len(todo), func(f *fingerprinter, i int) { hs[i] = f.pageHash(todo[i]) })
	for i, p := range todo {
		if v := b.ld.Version(p); v != 0 {
			b.s.metas[v] = hs[i]
		} else {
			b.own[p] = hs[i]
		}
	}
	todo = todo[:0]
	for _, p := range b.site.Pages {
		if _, ok := b.pv[p]; !ok {
			todo = append(todo, p)
		}
	}
	views := make([]uint64, len(todo))
	b.inParallel(len(todo), func(f *fingerprinter, i int) { views[i] = f.pageView(todo[i]) })
	for i, p := range todo {
		b.pv[p] = views[i]
	}
	for _, p := range b.site.Pages {
		if len(p.Children) > 0 {
			b.fpr.children(p)
		}
	}
	for _, j := range jobs {
		for _, c := range b.s.calls[j.Out] {
			b.fpr.call(j, c)
		}
	}
}

// inParallel runs fn(f, 0) … fn(f, n-1) on all cores, f being a fingerprinter of the goroutine's own that
// keeps nothing: fn must only read the build's memo maps.
func (b *sessionBuild) inParallel(n int, fn func(f *fingerprinter, i int)) {
	const batch = 64 // indexes taken at once, so that workers seldom meet on the counter
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (n+batch-1)/batch) {
		f := &fingerprinter{b: b, h: newHasher(), terms: map[string]string{}}
		wg.Go(func() {
			for {
				lo := int(next.Add(batch) - batch)
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+batch, n); i++ {
					fn(f, i)
				}
			}
		})
	}
	wg.Wait()
}

// rendered records the site-wide lists the layouts of each rendered job asked for, which are part of
// its fingerprint from now on; when patching, it puts the pages in the Memory at once (see OnPages).
func (s *Session) rendered(jobs []*render.Job) {
	if s == nil {
		return
	}
	b := s.cur
	for _, j := range jobs {
		calls := slices.Clone(j.Data.Site.Calls())
		b.calls[j.Out] = calls
		b.fps[j.Out] = b.jobFingerprint(j, calls)
	}
	if b.patched != nil && s.OnPages != nil {
		pages := make(map[string][]byte, len(jobs))
		for _, j := range jobs {
			pages[j.Out] = b.stage.files[j.Out]
		}
		if changed := s.out.Apply(pages, nil); len(changed) > 0 {
			b.early = changed
			s.OnPages(changed)
		}
	}
}

// doneRendering lets the Session of a build with a build cache (see buildCached), which never builds
// again, drop its renderer and render jobs once the pages are written: the layouts, their caches and
// the views of every page would otherwise stay on the heap through feeds and sitemap. A Session that
// rebuilds keeps them for the next build.
func (s *Session) doneRendering() {
	if s != nil && s.key != 0 {
		s.renderer, s.cur.jobs = nil, nil
	}
}

// feedUnchanged reports whether the feeds of a list would come out as in the last build, and then keeps
// them.
func (s *Session) feedUnchanged(list *model.Page, limit int) bool {
	if s == nil {
		return false
	}
	b := s.cur
	if b.patched != nil && !b.listShowsPatched(list) {
		return true // its items did not change; the files stay
	}
	parts := []uint64{b.global, uint64(limit), b.pageView(list)}
	for _, p := range feeds.Newest(list.Children, limit) {
		parts = append(parts, b.pageView(p), b.hashes(p).body)
	}
	h := b.h.reset()
	for _, x := range parts {
		h.u64(x)
	}
	fp := h.sum()
	rss, atom, js := feeds.Paths(b.site, list)
	same := true
	for _, name := range []string{rss, atom, js} {
		b.fps[name] = fp
		if old, ok := s.fps[name]; !ok || old != fp {
			same = false
		}
	}
	if same {
		for _, name := range []string{rss, atom, js} {
			b.keep(name)
		}
	}
	return same
}

// sitemapUnchanged reports whether the sitemap would come out as in the last build, and then keeps it.
func (s *Session) sitemapUnchanged(site *model.Site) bool {
	if s == nil {
		return false
	}
	if s.patching() {
		return true // no URL nor date changed
	}
	b := s.cur
	h := b.h.reset().u64(b.global).str(site.BaseURL)
	for _, p := range site.Pages {
		h.str(p.URL).time(p.Date).time(p.Lastmod).str(string(p.Kind))
		for _, t := range p.Translations {
			h.str(t.URL) // the alternates of a multilingual sitemap
		}
	}
	fp := h.sum()
	old, ok := s.fps[sitemapKey]
	b.fps[sitemapKey] = fp
	if !ok || old != fp {
		return false
	}
	b.sitemap = s.sitemap
	for _, name := range s.sitemap {
		b.keep(name)
	}
	return true
}

// sitemapKey holds the sitemap's fingerprint among those of files; it is no file name.
const sitemapKey = "\x00sitemap"

func (s *Session) wroteSitemap(names []string) {
	if s != nil {
		s.cur.sitemap = names
	}
}

// copySource is where a copied file comes from.
type copySource struct {
	site bool // the site's folder, else the theme
	path string
}

// copyUnchanged reports whether the file copied to name from the same source by the last build is still
// right, and then keeps it.
func (s *Session) copyUnchanged(name string, src copySource) bool {
	if s == nil {
		return false
	}
	b := s.cur
	b.copies[name] = src
	old, ok := s.copies[name]
	if !ok || old != src || src.site && s.touched(src.path) {
		return false
	}
	b.keep(name)
	return true
}

// pageHash holds the hashes of one version of a page.
type pageHash struct {
	meta, body uint64
	terms      []string // "tags/lyon" for each of its terms
}

// fingerprinter computes the hashes of pages and the fingerprints of jobs for one build, with its own
// hasher. The build's own (sessionBuild.fpr) remembers what it computes in the build's memo maps; those
// of the workers that fingerprint jobs on all cores (see Session.toRender) only read them, filled
// beforehand (see sessionBuild.prepare), and compute what they lack without keeping it: the same values,
// since each is a function of the page alone.
type fingerprinter struct {
	b     *sessionBuild
	h     *hasher
	terms map[string]string // "tags/" and a term's name → "tags/" and its slug
	parts []uint64          // what jobFingerprint hashes, reused from one job to the next
	keep  bool              // fill the build's memo maps
}

// hashes returns the hashes of a page, computed once per version of a loaded page.
func (b *sessionBuild) hashes(p *model.Page) pageHash { return b.fpr.hashes(p) }

func (f *fingerprinter) hashes(p *model.Page) pageHash {
	b := f.b
	v := b.ld.Version(p)
	if m, ok := b.s.metas[v]; ok && v != 0 {
		return m
	}
	if m, ok := b.own[p]; ok {
		return m
	}
	m := f.pageHash(p)
	if !f.keep {
		return m
	}
	if v != 0 {
		b.s.metas[v] = m
	} else {
		b.own[p] = m
	}
	return m
}

// pageHash computes the hashes of a page.
func (f *fingerprinter) pageHash(p *model.Page) pageHash {
	m := pageHash{meta: f.h.pageMeta(p), body: f.h.pageBody(p, f.b.store)}
	for _, tax := range []struct {
		name   string
		values []string
	}{{"categories", p.Categories}, {"tags", p.Tags}} {
		for _, t := range tax.values {
			term, ok := f.terms[tax.name+"/"+t]
			if !ok {
				term = tax.name + "/" + f.b.site.Slug(t) // ten thousand pages use a hundred names
				f.terms[tax.name+"/"+t] = term
			}
			m.terms = append(m.terms, term)
		}
	}
	return m
}

// pageView hashes what a list shows of a page: its fields but its body, the names of its terms (the
// spelling most used across the site), and for events whether they are past.
func (b *sessionBuild) pageView(p *model.Page) uint64 { return b.fpr.pageView(p) }

func (f *fingerprinter) pageView(p *model.Page) uint64 {
	if p == nil {
		return 0
	}
	b := f.b
	if v, ok := b.pv[p]; ok {
		return v
	}
	b.termNames()
	m := f.hashes(p)
	h := f.h.reset().u64(m.meta)
	for _, t := range m.terms {
		h.str(b.terms[p.Lang+"/"+t])
	}
	if render.IsPast(p, b.s.opts.Now) {
		h.u64(1) // layouts show past events otherwise; a build's clock moves between runs of vitrine build
	}
	v := h.sum()
	if f.keep {
		b.pv[p] = v
	}
	return v
}

// termNames fills b.terms, the names of the terms by language and slug, once per build.
func (b *sessionBuild) termNames() {
	if b.terms != nil {
		return
	}
	b.terms = map[string]string{}
	for _, site := range langSites(b.site) {
		for name, tax := range site.Taxonomies {
			for _, t := range tax.Terms {
				b.terms[site.Language+"/"+name+"/"+t.Slug] = t.Name
			}
		}
	}
}

// links are the fields of model.Page that point to other pages, found once by reflection so that a link
// added to the model is followed without anyone remembering to add it here. Parent and Children are
// taken in apart.
var links = func() (single, many, byKey []int) {
	t := reflect.TypeFor[model.Page]()
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Name == "Parent" || f.Name == "Children":
		case f.Type == pageType:
			single = append(single, i)
		case f.Type.Kind() == reflect.Slice && f.Type.Elem() == pageType:
			many = append(many, i)
		case f.Type.Kind() == reflect.Map && f.Type.Elem() == pageType:
			byKey = append(byKey, i)
		}
	}
	return
}

var linkSingle, linkMany, linkByKey = links()

// jobFingerprint hashes what the layouts of a job may show (see the Session's doc).
func (b *sessionBuild) jobFingerprint(j *render.Job, calls []render.Call) uint64 {
	return b.fpr.jobFingerprint(j, calls)
}

func (f *fingerprinter) jobFingerprint(j *render.Job, calls []render.Call) uint64 {
	b := f.b
	p := render.PageOf(j.Data.Page)
	own := f.hashes(p)
	parts := append(f.parts[:0], b.global, f.pageView(p), own.body)
	defer func() { f.parts = parts }() // kept for the next job
	for a, n := p.Parent, 0; a != nil && n < 64; a, n = a.Parent, n+1 {
		parts = append(parts, f.pageView(a))
	}
	v := reflect.ValueOf(p).Elem()
	for _, i := range linkSingle {
		parts = append(parts, f.pageView(v.Field(i).Interface().(*model.Page)))
	}
	for _, i := range linkMany {
		l := v.Field(i)
		for k := range l.Len() {
			parts = append(parts, f.pageView((*model.Page)(l.Index(k).UnsafePointer()))) // Interface would copy the slice to the heap
		}
	}
	for _, i := range linkByKey {
		m := v.Field(i)
		keys := m.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(x.String(), y.String()) })
		for _, k := range keys {
			parts = append(parts, f.h.reset().str(k.String()).sum(), f.pageView(m.MapIndex(k).Interface().(*model.Page)))
		}
	}
	if len(p.Children) > 0 {
		parts = append(parts, f.children(p))
	}
	if p.Taxonomy != nil {
		for _, t := range p.Taxonomy.Terms {
			parts = append(parts, f.h.reset().str(t.Name).str(t.Slug).u64(uint64(len(t.Pages))).sum())
		}
	}
	if pg := j.Data.Pager; pg != nil {
		parts = append(parts, uint64(pg.Number), uint64(pg.Total))
		for _, it := range pg.Items {
			parts = append(parts, f.pageView(render.PageOf(it)))
		}
	}
	for _, c := range calls {
		parts = append(parts, f.call(j, c))
	}
	h := f.h.reset().str(j.Out).str(j.Layout)
	for _, x := range parts {
		h.u64(x)
	}
	return h.sum()
}

// children hashes the identity and order of a list's children.
func (f *fingerprinter) children(p *model.Page) uint64 {
	b := f.b
	if v, ok := b.lists[p]; ok {
		return v
	}
	h := f.h.reset()
	for _, c := range p.Children {
		h.str(c.URL).str(string(c.Kind))
	}
	v := h.sum()
	if f.keep {
		b.lists[p] = v
	}
	return v
}

// call hashes the result of a site-wide list a layout asked for.
func (f *fingerprinter) call(j *render.Job, c render.Call) uint64 {
	b := f.b
	key := langCall{j.Data.Site.Language, c}
	if v, ok := b.called[key]; ok {
		return v
	}
	pages := render.CallPages(j.Data.Site, c)
	parts := make([]uint64, 0, len(pages))
	for _, p := range pages {
		parts = append(parts, f.pageView(p))
		if p != nil && (p.Kind == model.KindTerm || p.Kind == model.KindTaxonomy) {
			parts = append(parts, uint64(len(p.Children))) // lists of terms show how many pages each has
		}
	}
	h := f.h.reset().str(c.Method).str(c.Arg).u64(uint64(c.N))
	for _, x := range parts {
		h.u64(x)
	}
	v := h.sum()
	if f.keep {
		b.called[key] = v
	}
	return v
}

// langCall is a site-wide list of one language's site: the same call lists other pages in another
// language.
type langCall struct {
	lang string
	render.Call
}

// patchIndex tells, for a site that patches change in place, who shows what: built from the jobs of
// the last full build on the first patch after it, kept while patches follow.
type patchIndex struct {
	users   map[*model.Page][]int         // page → the jobs showing it: its own, or as ancestor, linked page or pager item
	callers map[langCall][]int            // site-wide list → the jobs whose layouts asked for it
	lists   map[*model.Page][]*model.Page // page → the lists it is a child of, whose feeds may show it
}

// index builds the patch index of the Session's jobs. It follows the same inputs as jobFingerprint.
func (s *Session) index() *patchIndex {
	if s.idx != nil {
		return s.idx
	}
	x := &patchIndex{users: map[*model.Page][]int{}, callers: map[langCall][]int{}, lists: map[*model.Page][]*model.Page{}}
	add := func(p *model.Page, i int) {
		if p == nil {
			return
		}
		if u := x.users[p]; len(u) == 0 || u[len(u)-1] != i {
			x.users[p] = append(u, i)
		}
	}
	for i, j := range s.jobs {
		p := render.PageOf(j.Data.Page)
		for a, n := p, 0; a != nil && n < 64; a, n = a.Parent, n+1 {
			add(a, i)
		}
		v := reflect.ValueOf(p).Elem()
		for _, f := range linkSingle {
			add(v.Field(f).Interface().(*model.Page), i)
		}
		for _, f := range linkMany {
			for _, q := range v.Field(f).Interface().([]*model.Page) {
				add(q, i)
			}
		}
		for _, f := range linkByKey {
			for it := v.Field(f).MapRange(); it.Next(); {
				add(it.Value().Interface().(*model.Page), i)
			}
		}
		if pg := j.Data.Pager; pg != nil {
			for _, it := range pg.Items {
				add(render.PageOf(it), i)
			}
		}
		for _, c := range s.calls[j.Out] {
			key := langCall{j.Data.Site.Language, c}
			x.callers[key] = append(x.callers[key], i)
		}
	}
	for _, l := range s.site.Pages {
		for _, c := range l.Children {
			x.lists[c] = append(x.lists[c], l)
		}
	}
	s.idx = x
	return x
}

// showing returns the jobs whose layouts may show one of the patched pages, in order.
func (b *sessionBuild) showing(jobs []*render.Job) []*render.Job {
	x := b.s.index()
	patched := map[*model.Page]bool{}
	for _, p := range b.patched {
		patched[p] = true
	}
	var which []int
	for _, p := range b.patched {
		which = append(which, x.users[p]...)
	}
	for c, callers := range x.callers {
		if slices.ContainsFunc(render.CallPages(jobs[callers[0]].Data.Site, c.Call), func(q *model.Page) bool { return patched[q] }) {
			which = append(which, callers...)
		}
	}
	slices.Sort(which)
	which = slices.Compact(which)
	todo := make([]*render.Job, len(which))
	for k, i := range which {
		todo[k] = jobs[i]
	}
	return todo
}

// listShowsPatched reports whether a list has a patched page among its children.
func (b *sessionBuild) listShowsPatched(list *model.Page) bool {
	x := b.s.index()
	for _, p := range b.patched {
		if slices.Contains(x.lists[p], list) {
			return true
		}
	}
	return false
}
