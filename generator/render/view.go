package render

import (
	"html"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/search"
	"github.com/vitrine-ssg/vitrine/generator/seo"
)

// Data is what a layout receives as its dot.
type Data struct {
	Site  *SiteView
	Page  *PageView
	Pager *Pager // nil on regular pages

	head *seo.Head
}

// Head is the page's metadata for <head>: title, description, canonical, feeds, OpenGraph, JSON-LD.
// Layouts write {{.Head.HTML}} and may use its fields.
func (d *Data) Head() *seo.Head {
	if d.head != nil {
		return d.head
	}
	in := seo.Input{
		Site:     d.Site.site,
		Page:     d.Page.page,
		Shared:   d.Site.seo,
		Preview:  d.Site.Preview,
		NotFound: d.Page.Params["notFound"] == true,
		// The theme writes theme-color itself, one per colour scheme.
	}
	if d.Pager != nil {
		in.URL, in.PrevURL, in.NextURL = d.Pager.URL, d.Pager.PrevURL, d.Pager.NextURL
	}
	// Translations of a list are those of its first page: page 3 of the English articles is no
	// translation of page 3 of the French ones.
	if p := d.Page.page; len(p.Translations) > 0 && (d.Pager == nil || d.Pager.Number == 1) {
		in.Translations = make([]seo.Translation, 0, 1+len(p.Translations))
		in.Translations = append(in.Translations, seo.Translation{Lang: p.Lang, URL: p.URL})
		for _, t := range p.Translations {
			in.Translations = append(in.Translations, seo.Translation{Lang: t.Lang, URL: t.URL})
		}
	}
	in.Feeds = d.Site.feeds
	switch d.Page.Kind {
	case model.KindSection, model.KindTerm:
		in.Feeds = make([]seo.Feed, 0, 3+len(d.Site.feeds))
		in.Feeds = appendFeeds(in.Feeds, d.Page.URL, d.Page.Title+" · "+d.Site.Title, d.Site.RSSFile())
		in.Feeds = append(in.Feeds, d.Site.feeds...)
	}
	h := seo.Build(in)
	d.head = &h
	return d.head
}

// appendFeeds appends the three feeds of a list page at url.
func appendFeeds(feeds []seo.Feed, url, title, rss string) []seo.Feed {
	return append(feeds,
		seo.Feed{Type: "application/rss+xml", Title: title, URL: url + rss},
		seo.Feed{Type: "application/atom+xml", Title: title, URL: url + "atom.xml"},
		seo.Feed{Type: "application/feed+json", Title: title, URL: url + "feed.json"},
	)
}

// siteFeeds are the feeds of the site, which every page lists. Their URLs are made absolute here
// once, rather than by seo.Build on every page (it leaves absolute URLs alone).
func siteFeeds(s *SiteView) []seo.Feed {
	feeds := appendFeeds(nil, s.HomeURL(), s.Title, s.RSSFile())
	for i, f := range feeds {
		if abs := s.site.AbsURL(f.URL); strings.Contains(abs, "://") {
			feeds[i].URL = abs
		}
	}
	return feeds
}

// SiteView is the site as templates see it: the model's settings plus the lists layouts ask for.
//
// It is a plain struct, not one embedding *model.Site: text/template finds a field of a struct with
// embedded fields through reflect's slow path (FieldByNameFunc, a breadth-first search that allocates),
// on every evaluation of every {{.Site.Title}}. The fields are copied from the model when the view is
// made; a test checks that every exported field and method of model.Site has its namesake here.
type SiteView struct {
	BaseURL         string
	Title           string
	Description     string
	Language        string
	DefaultLanguage string
	Languages       []Language
	Location        *time.Location
	Copyright       string
	Author          model.Author
	Social          []model.Social
	Menus           map[string][]model.MenuEntry
	Params          map[string]any

	// StyleURL is the fingerprinted URL of the theme's stylesheet.
	StyleURL string
	// Now is the build's clock, which decides what is upcoming.
	Now time.Time
	// Preview is set when drafts are built: they are marked noindex.
	Preview bool
	// ThemeColor is the browser-chrome colour of the theme, from its theme.toml.
	ThemeColor string
	// SearchURL is the address of the language's search page ("/recherche/" in French, "/en/search/"),
	// and SearchScript the URL of its script; both are "" on a site without search.
	SearchURL, SearchScript string

	site  *model.Site
	seo   *seo.Shared                              // what the heads of the site's pages share
	feeds []seo.Feed                               // the site's feeds, listed in every head
	body  func(*model.Page) (template.HTML, error) // see Options.Body
	views map[*model.Page]*PageView
	langs map[string]*SiteView            // the view of each language's site; nil on a monolingual site
	terms map[string]map[string]*TermView // taxonomy → slug → term
	taxes map[string]*TaxonomyView
	calls *[]Call // what the layouts of one job asked for; nil outside jobs
}

// Language is one language of a multilingual site, as templates see it.
type Language struct {
	Code string    // "en"
	Name string    // "English", as the language names itself
	Home string    // URL of its home page: "/" or "/en/"
	Site *SiteView // the language's own site
}

// SiteOf returns the site a view shows, for the Go code around templates; layouts never see the model.
func SiteOf(s *SiteView) *model.Site { return s.site }

// PageOf returns the page a view shows, for the Go code around templates; layouts never see the model.
func PageOf(p *PageView) *model.Page { return p.page }

// linkLanguages gives the views of the languages of one site each other: Site.Languages and LangSite
// lead to the other languages' views, and a page of another language (a translation) is that
// language's view of it.
func linkLanguages(views map[string]*SiteView) {
	for _, sv := range views {
		sv.langs = views
		for i := range sv.Languages {
			sv.Languages[i].Site = views[sv.Languages[i].Code]
		}
	}
}

// AbsURL turns a site-relative URL ("/posts/a/") into an absolute one.
func (s *SiteView) AbsURL(rel string) string { return s.site.AbsURL(rel) }

// RelURL turns a site-relative URL ("/posts/a/") into the path a browser asks for, the base path in
// front ("/repo/posts/a/").
func (s *SiteView) RelURL(rel string) string { return s.site.RelURL(rel) }

// HugoURLs reports whether the site makes its URLs as Hugo does (hugoCompat).
func (s *SiteView) HugoURLs() bool { return s.site.HugoURLs }

// FoldAccents reports whether accents are removed from URLs made as Hugo does.
func (s *SiteView) FoldAccents() bool { return s.site.FoldAccents }

// Slug turns a name into a URL segment the site's way.
func (s *SiteView) Slug(name string) string { return s.site.Slug(name) }

// Legal is the publisher of the site, for the legal pages and the footer's links to them; nil
// without [legal].
func (s *SiteView) Legal() *model.Legal { return s.site.Legal }

// Analytics is the audience measurement of the site; nil without [analytics] and in vitrine serve.
func (s *SiteView) Analytics() *model.Analytics { return s.site.Analytics }

// Contact is the contact form; nil without [contact].
func (s *SiteView) Contact() *model.Contact { return s.site.Contact }

// RSSName is the file name of each list's RSS feed as set, RSSFile the name in use.
func (s *SiteView) RSSName() string { return s.site.RSSName }

// RSSFile is the file name of each list's RSS feed: "index.xml" unless the site names it.
func (s *SiteView) RSSFile() string { return s.site.RSSFile() }

// BasePath is the path of the baseURL: "/" or "/repo/".
func (s *SiteView) BasePath() string { return s.site.BasePath() }

// LangSite returns the site of one language of a multilingual site: s itself on a monolingual site or
// for an unknown code (see model.Site.LangSite).
func (s *SiteView) LangSite(code string) *SiteView {
	if v := s.langs[code]; v != nil {
		return v
	}
	return s
}

// RegularPages returns the regular pages of a section, in the section's order (recorded: see Calls).
func (s *SiteView) RegularPages(section string) []*PageView {
	s.record(Call{Method: "RegularPages", Arg: section})
	return s.wrap(s.site.RegularPages(section))
}

// Call is a site-wide list a layout asked for through a SiteView method: the method and its argument.
// The lists a page shows besides its own (recent articles, the sections of the menu…) are known this
// way, for incremental rebuilds: see Calls and CallPages.
type Call struct {
	Method string
	Arg    string
	N      int
}

func (s *SiteView) record(c Call) {
	if s.calls != nil && !slices.Contains(*s.calls, c) {
		*s.calls = append(*s.calls, c)
	}
}

// Calls returns the site-wide lists the layouts asked for while rendering this job's page, in the
// order of the first call. It is empty before the page is rendered.
func (s *SiteView) Calls() []Call {
	if s.calls == nil {
		return nil
	}
	return *s.calls
}

// CallPages returns the pages the result of c, asked of s, is made of, in order: what a layout that made
// the call could show. Lists of terms are given as the terms' pages. It is a function, not a method,
// so that layouts cannot reach model pages through it.
func CallPages(s *SiteView, c Call) []*model.Page {
	unwrap := func(vs []*PageView) []*model.Page {
		out := make([]*model.Page, len(vs))
		for i, v := range vs {
			out[i] = v.page
		}
		return out
	}
	sv := *s
	sv.calls = nil
	switch c.Method {
	case "HomePage", "Home":
		return []*model.Page{s.site.Home}
	case "Section":
		return []*model.Page{s.site.Sections[c.Arg]}
	case "RegularPages":
		return s.site.RegularPages(c.Arg)
	case "Sections":
		var out []*model.Page
		for _, name := range slices.Sorted(maps.Keys(s.site.Sections)) {
			out = append(out, s.site.Sections[name])
		}
		return out
	case "Pages":
		return s.site.Pages
	case "RecentArticles":
		return unwrap(sv.RecentArticles(c.N))
	case "FeaturedProjects":
		return unwrap(sv.FeaturedProjects(c.N))
	case "UpcomingEvents":
		return unwrap(sv.UpcomingEvents(c.N))
	case "PastEvents":
		return unwrap(sv.PastEvents())
	case "Terms", "Taxonomies":
		var out []*model.Page
		for _, name := range slices.Sorted(maps.Keys(s.site.Taxonomies)) {
			if c.Method == "Terms" && name != c.Arg {
				continue
			}
			tax := s.site.Taxonomies[name]
			out = append(out, tax.Page)
			for _, t := range tax.Terms {
				out = append(out, t.Page)
			}
		}
		return out
	}
	panic("render: CallPages: unknown method " + c.Method)
}

// Home is the home page (recorded: see Calls).
func (s *SiteView) Home() *PageView {
	s.record(Call{Method: "Home"})
	return s.view(s.site.Home)
}

// Pages are all the pages of the site (recorded: see Calls).
func (s *SiteView) Pages() []*PageView {
	s.record(Call{Method: "Pages"})
	return s.wrap(s.site.Pages)
}

// Sections maps each top-level content folder to its list page (recorded: see Calls).
func (s *SiteView) Sections() map[string]*PageView {
	s.record(Call{Method: "Sections"})
	out := make(map[string]*PageView, len(s.site.Sections))
	for name, p := range s.site.Sections {
		out[name] = s.view(p)
	}
	return out
}

// Taxonomies maps "tags" and "categories" to their terms (recorded: see Calls).
func (s *SiteView) Taxonomies() map[string]*TaxonomyView {
	s.record(Call{Method: "Taxonomies"})
	return s.taxes
}

// TaxonomyView is tags or categories as templates see it (see model.Taxonomy).
type TaxonomyView struct {
	Name  string      // "tags"
	Page  *PageView   // the list of terms, /tags/
	Terms []*TermView // sorted by name
}

// TermView is one tag or category as templates see it (see model.Term).
type TermView struct {
	Name string    // as written in front matter
	Slug string    // URL segment
	Page *PageView // its list page
	term *model.Term
	site *SiteView
}

// Pages are the term's pages, newest first.
func (t *TermView) Pages() []*PageView { return t.site.wrap(t.term.Pages) }

// PageView is a page as templates see it: the fields of model.Page, copied when the view is made (see
// SiteView for why it embeds nothing), and methods. The fields made from the page's Markdown body
// (Content, Summary, TOC, HasMore, WordCount, ReadingTime) are methods that read the model page, whose
// body a rebuild may patch in place after the view was made. A test checks that every exported field and
// method of model.Page has its namesake here.
type PageView struct {
	Kind           model.Kind
	Section        string
	Source         string
	URL            string
	Title          string
	Description    string
	Date           time.Time
	Lastmod        time.Time
	PublishDate    time.Time
	ExpiryDate     time.Time
	Draft          bool
	Slug           string
	Tags           []string
	Categories     []string
	Aliases        []string
	Weight         int
	Layout         string
	Images         []string
	Params         map[string]any
	Event          *model.Event
	Resources      []model.Resource
	Share          *model.Image
	Square         *model.Image
	Syndication    []model.Syndication
	Cover          *model.Picture
	Gallery        []*model.Picture
	Videos         []model.Video
	Media          []model.MediaFile
	Reactions      *model.Reactions
	Unsupported    []model.Notice
	Lang           string
	TranslationKey string

	page       *model.Page
	site       *SiteView
	tags       []*TermView
	categories []*TermView
}

func newSiteView(site *model.Site, styleURL string, now time.Time) *SiteView {
	sv := &SiteView{
		BaseURL: site.BaseURL, Title: site.Title, Description: site.Description, Language: site.Language,
		DefaultLanguage: site.DefaultLanguage, Location: site.Location,
		Copyright: site.Copyright, Author: site.Author, Social: site.Social, Menus: site.Menus, Params: site.Params,
		StyleURL: styleURL, Now: now,
		site: site, views: make(map[*model.Page]*PageView, len(site.Pages)),
	}
	for _, l := range site.Languages {
		sv.Languages = append(sv.Languages, Language{Code: l.Code, Name: l.Name, Home: l.Home})
	}
	sv.seo, sv.feeds = seo.NewShared(site), siteFeeds(sv)
	// The terms' views come first, since each page's view lists its own; they link to the pages'
	// views, which they find once those are all made.
	sv.terms = map[string]map[string]*TermView{}
	sv.taxes = make(map[string]*TaxonomyView, len(site.Taxonomies))
	for name, tax := range site.Taxonomies {
		tv := &TaxonomyView{Name: tax.Name, Terms: make([]*TermView, len(tax.Terms))}
		sv.terms[name] = make(map[string]*TermView, len(tax.Terms))
		for i, t := range tax.Terms {
			tv.Terms[i] = &TermView{Name: t.Name, Slug: t.Slug, term: t, site: sv}
			sv.terms[name][t.Slug] = tv.Terms[i]
		}
		sv.taxes[name] = tv
	}
	slugs := map[string]string{} // ten thousand pages use a hundred tags: each spelling is slugged once
	for _, p := range site.Pages {
		sv.views[p] = sv.makeView(p, slugs)
	}
	for name, tax := range site.Taxonomies {
		tv := sv.taxes[name]
		tv.Page = sv.view(tax.Page)
		for i, t := range tax.Terms {
			tv.Terms[i].Page = sv.view(t.Page)
		}
	}
	return sv
}

// makeView copies a model page into a view.
func (s *SiteView) makeView(p *model.Page, slugs map[string]string) *PageView {
	return &PageView{
		Kind: p.Kind, Section: p.Section, Source: p.Source, URL: p.URL, Title: p.Title, Description: p.Description,
		Date: p.Date, Lastmod: p.Lastmod, PublishDate: p.PublishDate, ExpiryDate: p.ExpiryDate, Draft: p.Draft,
		Slug: p.Slug, Tags: p.Tags, Categories: p.Categories, Aliases: p.Aliases, Weight: p.Weight,
		Layout: p.Layout, Images: p.Images, Params: p.Params, Event: p.Event, Resources: p.Resources,
		Share: p.Share, Square: p.Square, Syndication: p.Syndication, Cover: p.Cover, Gallery: p.Gallery,
		Videos: p.Videos, Media: p.Media, Reactions: p.Reactions, Unsupported: p.Unsupported, Lang: p.Lang,
		TranslationKey: p.TranslationKey,
		page:           p, site: s,
		tags: s.termsOf("tags", p.Tags, slugs), categories: s.termsOf("categories", p.Categories, slugs),
	}
}

// Translations are the page's translations, as their languages' views.
func (p *PageView) Translations() []*PageView { return p.site.wrap(p.page.Translations) }

// Children are the pages a list page lists, in its order.
func (p *PageView) Children() []*PageView { return p.site.wrap(p.page.Children) }

// Parent is the page's section (or home).
func (p *PageView) Parent() *PageView { return p.site.view(p.page.Parent) }

// Prev is the older neighbour within the section.
func (p *PageView) Prev() *PageView { return p.site.view(p.page.Prev) }

// Next is the newer neighbour within the section.
func (p *PageView) Next() *PageView { return p.site.view(p.page.Next) }

// ParentView, PrevView and NextView are Parent, Prev and Next under the names layouts used when those
// were model pages; layouts copied from earlier versions of the default theme still use them.
func (p *PageView) ParentView() *PageView { return p.Parent() }

// PrevView is Prev (see ParentView).
func (p *PageView) PrevView() *PageView { return p.Prev() }

// NextView is Next (see ParentView).
func (p *PageView) NextView() *PageView { return p.Next() }

// Term is the term a term page lists, or nil.
func (p *PageView) Term() *TermView {
	if t := p.page.Term; t != nil && p.page.Taxonomy != nil {
		return p.site.terms[p.page.Taxonomy.Name][t.Slug]
	}
	return nil
}

// Taxonomy is the taxonomy of a taxonomy or term page, or nil.
func (p *PageView) Taxonomy() *TaxonomyView {
	if t := p.page.Taxonomy; t != nil {
		return p.site.taxes[t.Name]
	}
	return nil
}

// Content is the page's body as HTML.
func (p *PageView) Content() (template.HTML, error) {
	if p.site.body != nil {
		return p.site.body(p.page)
	}
	return p.page.Content, nil
}

// Summary is the page's summary as HTML, in the order README's front-matter table gives: the summary of
// the front matter, else the text before <!--more-->, else the description, else the first paragraph.
func (p *PageView) Summary() template.HTML { return p.page.Summary }

// SummaryIsDescription reports that the summary is the page's description and nothing else, so that a
// card can show it as the one plain paragraph it is.
func (p *PageView) SummaryIsDescription() bool {
	return p.page.Description != "" && string(p.page.Summary) == "<p>"+html.EscapeString(p.page.Description)+"</p>"
}

// SummaryText is the page's summary as plain text.
func (p *PageView) SummaryText() string { return p.page.SummaryText }

// HasMore reports that the summary was cut with <!--more-->: there is more to read.
func (p *PageView) HasMore() bool { return p.page.HasMore }

// TOC is the page's table of contents.
func (p *PageView) TOC() []model.Heading { return p.page.TOC }

// WordCount is the number of words of the page's body.
func (p *PageView) WordCount() int { return p.page.WordCount }

// ReadingTime is the reading time in minutes, at least 1 for a page with words.
func (p *PageView) ReadingTime() int { return p.page.ReadingTime }

// Updated reports whether the page was modified on another day than its date: it has a lastmod whose
// day, in its own time zone (as isoDate writes it), is not that of its date. The default theme then
// shows both.
func (p *PageView) Updated() bool {
	if p.Lastmod.IsZero() {
		return false
	}
	ly, lm, ld := p.Lastmod.Date()
	dy, dm, dd := p.Date.Date()
	return ly != dy || lm != dm || ld != dd
}

// IsRegular reports whether the page comes from a content file and lists nothing.
func (p *PageView) IsRegular() bool { return p.page.IsRegular() }

// Modified is the last modification date: lastmod, else the date.
func (p *PageView) Modified() time.Time { return p.page.Modified() }

// view wraps a model page: the view of its language's site for a page of another language (a
// translation), a view of its own for a page outside the site's pages (the 404 page).
func (s *SiteView) view(p *model.Page) *PageView {
	if p == nil {
		return nil
	}
	if v := s.views[p]; v != nil {
		return v
	}
	if l := s.langs[p.Lang]; l != nil && l != s {
		if v := l.views[p]; v != nil {
			return v
		}
	}
	return s.newView(p)
}

func (s *SiteView) newView(p *model.Page) *PageView { return s.makeView(p, nil) }

func (s *SiteView) wrap(ps []*model.Page) []*PageView {
	out := make([]*PageView, len(ps))
	for i, p := range ps {
		out[i] = s.view(p)
	}
	return out
}

// HomePage returns the home page.
func (s *SiteView) HomePage() *PageView {
	s.record(Call{Method: "HomePage"})
	return s.view(s.site.Home)
}

// Section returns a section's list page, or nil.
func (s *SiteView) Section(name string) *PageView {
	s.record(Call{Method: "Section", Arg: name})
	return s.view(s.site.Sections[name])
}

// RecentArticles returns the n newest articles.
func (s *SiteView) RecentArticles(n int) []*PageView {
	s.record(Call{Method: "RecentArticles", N: n})
	return s.wrap(first(s.site.Home.Children, n))
}

// FeaturedProjects returns up to n projects marked featured: true in their front matter, else the first
// projects of the portfolio.
func (s *SiteView) FeaturedProjects(n int) []*PageView {
	s.record(Call{Method: "FeaturedProjects", N: n})
	var all []*model.Page
	for name, sec := range s.site.Sections {
		if model.KindForSection(name) == model.KindProject {
			all = append(all, sec.Children...)
		}
	}
	slices.SortFunc(all, model.ByWeight)
	var featured []*model.Page
	for _, p := range all {
		if b, _ := p.Params["featured"].(bool); b {
			featured = append(featured, p)
		}
	}
	if len(featured) == 0 {
		featured = all
	}
	return s.wrap(first(featured, n))
}

// UpcomingEvents returns up to n events that have not ended, soonest first (n <= 0: all of them).
func (s *SiteView) UpcomingEvents(n int) []*PageView {
	s.record(Call{Method: "UpcomingEvents", N: n})
	var out []*model.Page
	for _, p := range s.events() {
		if !s.view(p).IsPast() {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, model.ByStart)
	return s.wrap(first(out, n))
}

// PastEvents returns the events that have ended, most recent first.
func (s *SiteView) PastEvents() []*PageView {
	s.record(Call{Method: "PastEvents"})
	var out []*model.Page
	for _, p := range s.events() {
		if s.view(p).IsPast() {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *model.Page) int { return model.ByStart(b, a) })
	return s.wrap(out)
}

func (s *SiteView) events() []*model.Page {
	var out []*model.Page
	for name, sec := range s.site.Sections {
		if model.KindForSection(name) == model.KindEvent {
			out = append(out, sec.Children...)
		}
	}
	return out
}

// HomeURL is the URL of the home page of the site's language: "/" or "/en/". It is not recorded: it
// changes only with the configuration.
func (s *SiteView) HomeURL() string {
	if s.site.Home != nil {
		return s.site.Home.URL
	}
	return "/"
}

// setSearch sets the addresses of the site search, given its script's URL ("" for none).
func (s *SiteView) setSearch(script string) {
	s.SearchURL, s.SearchScript = "", script
	if script != "" {
		s.SearchURL = search.PageURL(s.HomeURL(), s.Language)
	}
}

// IsMultilingual reports whether the site has more than one language.
func (s *SiteView) IsMultilingual() bool { return len(s.site.Languages) > 1 }

// LanguageLink is one entry of a language switcher.
type LanguageLink struct {
	Code       string // "en"
	Name       string // "English"
	URL        string // the page's translation, else the language's home
	Current    bool   // the language of the page
	Translated bool   // URL is the page's translation (or the page itself)
}

// Languages lists the site's languages for a switcher, in the site's order, each linking to this page's
// translation, or to its home page when the page has none in that language. Empty on a monolingual site.
func (p *PageView) Languages() []LanguageLink {
	langs := p.site.site.Languages
	if len(langs) < 2 {
		return nil
	}
	out := make([]LanguageLink, 0, len(langs))
	for _, l := range langs {
		link := LanguageLink{Code: l.Code, Name: l.Name, URL: l.Home}
		switch {
		case l.Code == p.Lang:
			link.URL, link.Current, link.Translated = p.URL, true, true
		default:
			for _, t := range p.page.Translations {
				if t.Lang == l.Code {
					link.URL, link.Translated = t.URL, true
					break
				}
			}
		}
		out = append(out, link)
	}
	return out
}

// Menu returns a menu from vitrine.toml.
func (s *SiteView) Menu(name string) []model.MenuEntry { return s.Menus[name] }

// NavKey tells where url stands in the site's navigation: which entries of the main menu and which
// sections it is ("=") or lies under ("<"), as the default theme's header marks them with aria-current
// (with the rule of hasPrefix). Pages with the same key get the same navigation: the theme renders it
// once per key, with partialCached.
func (s *SiteView) NavKey(url string) string {
	var marks []string
	mark := func(u string) {
		switch {
		case url == u:
			marks = append(marks, "="+u)
		case u != "/" && strings.HasPrefix(url, u):
			marks = append(marks, "<"+u)
		}
	}
	for _, e := range s.Menus["main"] {
		mark(e.URL)
	}
	for _, p := range s.site.Sections {
		mark(p.URL)
	}
	slices.Sort(marks)
	return strings.Join(marks, "\x00")
}

// Terms returns the terms of a taxonomy, sorted by name.
func (s *SiteView) Terms(taxonomy string) []*TermView {
	s.record(Call{Method: "Terms", Arg: taxonomy})
	if t := s.taxes[taxonomy]; t != nil {
		return t.Terms
	}
	return nil
}

func first(ps []*model.Page, n int) []*model.Page {
	if n > 0 && len(ps) > n {
		return ps[:n]
	}
	return ps
}

// Permalink is the page's absolute URL.
func (p *PageView) Permalink() string { return p.site.AbsURL(p.URL) }

// RelPermalink is the page's site-relative URL.
func (p *PageView) RelPermalink() string { return p.URL }

// IsHome reports whether the page is the home page.
func (p *PageView) IsHome() bool { return p.Kind == model.KindHome }

// Ancestors lists the pages from the home down to the parent, for breadcrumbs.
func (p *PageView) Ancestors() []*PageView {
	var out []*PageView
	for a := p.page.Parent; a != nil; a = a.Parent {
		out = append(out, p.site.view(a))
	}
	slices.Reverse(out)
	if len(out) == 0 && p.Kind != model.KindHome {
		out = append(out, p.site.view(p.site.site.Home))
	}
	return out
}

// TagTerms returns the page's tags as terms with their URLs.
func (p *PageView) TagTerms() []*TermView { return p.tags }

// CategoryTerms returns the page's categories as terms with their URLs.
func (p *PageView) CategoryTerms() []*TermView { return p.categories }

// termsOf finds the terms named in front matter, once per page: lists show them for every item. slugs,
// when not nil, remembers the slug of each name.
func (s *SiteView) termsOf(taxonomy string, names []string, slugs map[string]string) []*TermView {
	bySlug := s.terms[taxonomy]
	var out []*TermView
	for _, n := range names {
		slug, ok := slugs[n]
		if !ok {
			slug = s.site.Slug(n)
			if slugs != nil {
				slugs[n] = slug
			}
		}
		if t := bySlug[slug]; t != nil && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// IsPast reports whether an event has ended at the build's clock.
func (p *PageView) IsPast() bool { return IsPast(p.page, p.site.Now) }

// IsPast reports whether an event page has ended at now: at its end, else two hours after its start.
// Other pages are never past.
func IsPast(p *model.Page, now time.Time) bool {
	if p.Event == nil {
		return false
	}
	end := p.Event.End
	if end.IsZero() {
		end = p.Event.Start.Add(2 * time.Hour)
	}
	return !end.After(now)
}

// Param returns a front-matter value not known to vitrine, or nil.
func (p *PageView) Param(key string) any { return p.Params[key] }

// Image returns the first image of the page, made absolute-on-site (bundle-relative names are resolved
// against the page's URL), or "".
func (p *PageView) Image() string {
	if len(p.Images) == 0 {
		return ""
	}
	img := p.Images[0]
	if strings.Contains(img, "://") || strings.HasPrefix(img, "/") {
		return img
	}
	return p.URL + img
}

// Pager is one page of a paginated list.
type Pager struct {
	Number  int // 1-based
	Total   int
	Items   []*PageView
	URL     string
	PrevURL string
	NextURL string
	// Links are the numbered links to show: the first and last pages and those around the current
	// one, with a Gap entry where numbers are skipped. A list of 1,000 pages gets 7 or so links, not
	// 1,000 on each of its 1,000 pages.
	Links []PagerLink
}

// PagerLink is a link to one page of the list, or a gap between two such links.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// pagerWindow is how many numbered links stand on each side of the current page.
const pagerWindow = 2

// pagerURL is the URL of page n of a list at base.
func pagerURL(base string, n int) string {
	if n == 1 {
		return base
	}
	if ugly, ok := strings.CutSuffix(base, ".html"); ok {
		// A list published as NAME.html (Hugo's uglyURLs) has its pages at NAME/page/N.html.
		return ugly + "/page/" + strconv.Itoa(n) + ".html"
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// paginate cuts a list's items into pagers of size each (at least one, possibly empty).
func paginate(sv *SiteView, base string, items []*model.Page, size int) []*Pager {
	total := max(1, (len(items)+size-1)/size)
	pagers := make([]*Pager, total)
	for i := range pagers {
		n := i + 1
		pg := &Pager{Number: n, Total: total, URL: pagerURL(base, n), Items: sv.wrap(items[i*size : min(len(items), n*size)])}
		if n > 1 {
			pg.PrevURL = pagerURL(base, n-1)
		}
		if n < total {
			pg.NextURL = pagerURL(base, n+1)
		}
		for k := 1; k <= total; k++ {
			switch {
			case k == 1 || k == total || k >= n-pagerWindow && k <= n+pagerWindow:
				pg.Links = append(pg.Links, PagerLink{Number: k, URL: pagerURL(base, k), Current: k == n})
			case k < n:
				pg.Links = append(pg.Links, PagerLink{Gap: true})
				k = n - pagerWindow - 1
			default:
				pg.Links = append(pg.Links, PagerLink{Gap: true})
				k = total - 1
			}
		}
		pagers[i] = pg
	}
	return pagers
}
