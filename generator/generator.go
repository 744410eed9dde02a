// Package generator builds a vitrine site: configuration and content in, a complete static site out.
//
// # Steps
//
// Build runs these steps in order, each named in its errors and timed in the Result:
//
//  1. config: read and check vitrine.toml (flags may override baseURL), find the theme.
//  2. load: read content/, decode front matter, convert Markdown, assemble sections and taxonomies.
//  3. images: every raster image pages show (body, cover, gallery, video posters) in several widths,
//     as WebP and in its own format, upright and without metadata (see package media), cached.
//  4. syndication: the URLs of each article's social posts, from data/syndication/ (or the older
//     data/syndication.json), and their reactions, moderated, from data/reactions/.
//  5. cards: the image of each article, project and event when shared (its own, or a generated
//     social card) and a square card of each for Instagram.
//  6. assets: the theme's stylesheet with the code-highlighting styles, fingerprinted.
//  7. render: every page and list page through the layouts, on all cores, streamed to the writer.
//  8. feeds: RSS, Atom and JSON Feed for the home, each section and each term.
//  9. calendars: an .ics file per event and a calendar of all events (RFC 5545).
//  10. sitemap: sitemap.xml, robots.txt and the web manifest.
//  11. search: the index of the site search, one per language, and its script (see package search).
//  12. static: the theme's static/, then the site's static/, then the files of content/ and of page bundles.
//
// # Languages
//
// On a multilingual site ([languages] in vitrine.toml), load splits the content by language and returns
// the default language's site holding the pages of every language; each language has its own site
// (model.Site.Languages) with its home, sections and taxonomies under its prefix (/en/). Steps run
// once over all pages and pick each page's language where it matters: its Markdown converter (for
// typography), its theme words (cards, layouts), its site view (render), its feeds and calendars. The
// sitemap is one file per language, listed in sitemap.xml.
//
// A baseURL with a path (https://user.github.io/repo/) changes no output path: page URLs stay relative
// to it, absolute URLs carry it, and the root-relative links of the HTML get it in front as pages are
// written (output.PrefixURLs).
//
// # Output
//
// Everything goes through an output.Writer. To disk, the build is written beside the destination and
// swapped in only when every step succeeded; a failed build leaves the previous output untouched.
// Identical input gives identical bytes: nothing depends on map order or on the time of the build
// except what the clock decides on purpose (drafts, future and expired pages, upcoming events).
//
// # Build cache
//
// Options.CacheDir (SITE/.vitrine/cache for vitrine build) keeps what is costly to make again, and is
// safe to delete at any time:
//
//   - cards/: social-card PNGs, by a hash of what is drawn on them; images/: the widths of the images
//     pages show, by a hash of the source and of the settings;
//   - markdown/: Markdown conversions, by a hash of the source (shortcodes expanded) and of the
//     converter's options (each language's typography), checked against where the links they resolved
//     lead now (see markdown.Cache), for any build but a Session's. A body whose images or embeds went
//     through the media Processor is converted every time: its HTML depends on the image files;
//   - front/: the front matter of content files, decoded, by a hash of the file (see load.FrontCache),
//     for the same builds as markdown/;
//   - build/: with an output.Incremental writer (vitrine build), the manifest of the output folder with,
//     attached, the fingerprint of every output file and the site-wide lists each page's layouts asked
//     for. The next build is then a Session's Rebuild whose last build is that one: it renders only the
//     pages whose fingerprint changed, and writes only the files whose bytes changed. A key of vitrine's
//     executable, vitrine.toml, the build options, layouts, words and themes starts every fingerprint;
//     the clock, which decides what is past, is in the fingerprint of each event;
//   - tmp/: during such a build, the converted bodies of the pages, streamed there by the loader as
//     they are converted and read back when their page or a feed is written, so that memory holds what
//     lists need (summaries), not every body; and during feeds, each page's item serialised in every
//     format, read back into each feed that lists it. A build removes its files when it ends, and
//     those an hour old or more, left by a build that was killed, when it starts.
//
// The output of a build with the cache equals a cold build's, byte for byte (a test makes random edits
// and compares).
//
// # Rebuilding
//
// A Session runs the same steps again after files changed (Session.Rebuild), redoing only what the
// changes touch: each step asks the Session, through hooks that do nothing in a plain Build, what it may
// keep. Its output always equals a Build's with the same Options. Steps run again on pages a Session
// kept must therefore set what they set, never add to it (a slice appended to would grow at each
// rebuild); a step that does not ask the Session at all is simply redone every time.
package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/feeds"
	"github.com/vitrine-ssg/vitrine/generator/ical"
	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/render"
	"github.com/vitrine-ssg/vitrine/generator/sitemap"
	"github.com/vitrine-ssg/vitrine/themes"
)

// Options are the inputs of a build.
type Options struct {
	// Source is the site's root folder: vitrine.toml, content/, static/, layouts/, themes/.
	Source fs.FS
	// Writer receives the output files.
	Writer output.Writer
	// BaseURL overrides vitrine.toml's baseURL when set.
	BaseURL string
	// Drafts and Future include drafts and pages dated in the future.
	Drafts, Future bool
	// Now is the build's clock; zero means time.Now().
	Now time.Time
	// CacheDir keeps what is costly to redo between builds (see Build cache above); "" for no cache. It
	// is safe to delete.
	CacheDir string
	// Serve builds for the dev server: the stylesheet keeps one name, css/style.css, instead of a name
	// carrying a hash of its content, so that a CSS edit changes that file alone and browsers can swap
	// it in place.
	Serve bool
	// Strict turns warnings (an image without alt text) into errors.
	Strict bool
	// Progress, when set, is told how far the long steps of a first build are (images encoded, social
	// cards drawn): for a progress line on a terminal. It is called from one goroutine at a time, with
	// Done counting from 1 to Total within a step, and must return quickly.
	Progress func(Progress)

	session *Session // set by Session.Rebuild: what can be kept from the previous build
}

// Result tells what a build did.
type Result struct {
	Site    *model.Site
	Pages   int // HTML pages rendered, list pages included
	Aliases int // redirect pages
	Files   int // every file written
	Steps   []Step
	// Warnings are problems that did not stop the build, "file:line: message", sorted.
	Warnings []string
	// LeftOut counts the pages not built by reason: "draft", "future" and "expired" (see
	// load.Loader.LeftOut).
	LeftOut map[string]int
	// Encoded counts the image files encoded (those taken from the cache not counted).
	Encoded int64

	// Set by Session.Rebuild: the pages rendered again, and the output files whose content changed
	// (written with other bytes, new or removed), sorted.
	Rendered int
	Changed  []string

	// MissingWords lists, for each language of a multilingual site but the default one, the theme's
	// words it lacks, shown in the default language instead.
	MissingWords map[string][]string
}

// Progress is how far a step of a build is: Done of its Total items.
type Progress struct {
	Step        string // "images" or "cards"
	Done, Total int
}

// progress counts a step's items done for Options.Progress, from any goroutine. A nil *progress, for a
// build without Progress, counts nothing.
type progress struct {
	mu sync.Mutex
	fn func(Progress)
	p  Progress
}

// newProgress returns the counter of a step of total items, or nil when there is nothing to report.
func newProgress(fn func(Progress), step string, total int) *progress {
	if fn == nil || total == 0 {
		return nil
	}
	return &progress{fn: fn, p: Progress{Step: step, Total: total}}
}

// done counts one more item done.
func (c *progress) done() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.p.Done++
	c.fn(c.p)
}

// Step is one timed step of a build.
type Step struct {
	Name     string
	Duration time.Duration
}

// Build builds the site described by opts. On error, nothing is committed by the caller's writer.
func Build(ctx context.Context, opts Options) (*Result, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if w, ok := opts.Writer.(keeper); ok && opts.session == nil && opts.CacheDir != "" {
		return buildCached(ctx, opts, w)
	}
	w := &countingWriter{w: opts.Writer}
	res := &Result{}
	step := func(name string, fn func() error) error {
		start := time.Now()
		err := fn()
		res.Steps = append(res.Steps, Step{Name: name, Duration: time.Since(start)})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return ctx.Err()
	}

	var cfg config.Config
	var theme fs.FS
	var themeInfo Theme
	var settingsCSS string        // the site's colours ([params] accent…), after the theme's stylesheet
	var settingsWarnings []string // colours that fail WCAG AA contrast
	if err := step("config", func() error {
		var err error
		if cfg, err = config.Load(opts.Source); err != nil {
			return err
		}
		if opts.BaseURL != "" {
			if err := config.CheckBaseURL(opts.BaseURL); err != nil {
				return fmt.Errorf("--baseURL: %w", err)
			}
			cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
		}
		if theme, err = themeFS(opts.Source, cfg.Theme); err != nil {
			return err
		}
		if themeInfo, err = readTheme(theme); err != nil {
			return err
		}
		settingsCSS, settingsWarnings, err = themeSettings(cfg, themeInfo)
		return err
	}); err != nil {
		return nil, err
	}

	if opts.Serve {
		cfg.Analytics = config.Analytics{} // the author's own visits are no audience
	}

	mdOpts := markdown.Options{Unsafe: cfg.Markup.Unsafe, Typography: cfg.TypographyLang()}
	mdc := markdownCache(opts, mdOpts.Unsafe, mdOpts.Typography)
	if mdc != nil {
		mdOpts.Cache = mdc
	}
	md := markdown.New(mdOpts)
	var mds map[string]*markdown.Converter
	if cfg.Multilingual() && cfg.TypographyLang() != "" {
		// Typography follows each page's language; the converters are the only thing made per language.
		// They share the cache, in which a Converter's options are part of the key.
		mds = map[string]*markdown.Converter{}
		for _, code := range cfg.LanguageCodes()[1:] {
			o := mdOpts
			o.Typography = code
			mds[code] = markdown.New(o)
		}
	}
	bodies, err := opts.session.bodyStore()
	if err != nil {
		return nil, err
	}
	defer bodies.close()
	var site *model.Site
	var ld *load.Loader
	if err := step("load", func() error {
		var err error
		lo := load.Options{
			Config:     cfg,
			Visibility: model.Visibility{Now: opts.Now, Drafts: opts.Drafts, Future: opts.Future},
			Markdown:   md,
			Media: media.New(opts.Source, media.Options{Widths: cfg.Images.Widths, Quality: cfg.Images.Quality,
				KeepMetadata: cfg.Images.KeepMetadata, CacheDir: opts.CacheDir}),
			Markdowns: mds,
		}
		if bodies != nil {
			lo.Body = bodies.put
		}
		fronts := frontCacheOf(opts)
		if fronts != nil {
			lo.Fronts = fronts
		}
		ld = opts.session.newLoader(withVirtual(opts.Source, virtualPages(cfg)), lo)
		if site, err = opts.session.patch(ctx, ld); err != nil || site != nil {
			return err
		}
		site, err = ld.Load(ctx, opts.session.changed())
		mdc.finish(err == nil)
		fronts.finish(err == nil)
		if err != nil {
			return err
		}
		return bodies.sealed()
	}); err != nil {
		return nil, err
	}
	res.Site = site
	opts.session.loaded(site, ld)
	proc := ld.Media()
	var encoded int64 // a Session's Processor counts from its first build
	if proc != nil {
		encoded = proc.Encodes()
	}
	res.Warnings, res.LeftOut = append(ld.Warnings(), settingsWarnings...), ld.LeftOut()
	if opts.Strict && len(res.Warnings) > 0 {
		return nil, fmt.Errorf("load (--strict): %s", strings.Join(res.Warnings, "\n"))
	}
	if err := step("images", func() error { return writeImages(ctx, w, site, proc, opts.session, opts.Progress) }); err != nil {
		return nil, err
	}
	if err := step("syndication", func() error {
		return errors.Join(readSyndication(opts.Source, site), readReactions(opts.Source, site, cfg.Reactions))
	}); err != nil {
		return nil, err
	}

	// The theme's words serve the cards' kickers and then the layouts: read once.
	var words *render.Words
	langWords := map[string]*render.Words{}
	if err := step("cards", func() error {
		var err error
		if words, err = render.LoadWords(cfg.Language, theme, opts.Source); err != nil {
			return err
		}
		for _, code := range cfg.LanguageCodes()[1:] {
			if langWords[code], err = render.LoadLangWords(code, cfg.Language, theme, opts.Source); err != nil {
				return err
			}
		}
		wordsOf := func(lang string) cardWords {
			if w := langWords[lang]; w != nil {
				return w
			}
			return words
		}
		return shareImages(ctx, w, site, opts.Source, themeInfo, wordsOf, opts.CacheDir, cfg.Cards.Enabled(), proc, opts.session, opts.Progress)
	}); err != nil {
		return nil, err
	}

	var styleURL string
	if err := step("assets", func() error {
		var err error
		if styleURL, err = writeStyle(w, theme, opts.Source, cfg, themeInfo, settingsCSS, opts.Serve, opts.session); err != nil {
			return err
		}
		return writeFonts(w, cfg.Params["fonts"])
	}); err != nil {
		return nil, err
	}

	if err := step("render", func() error {
		ro := render.Options{Site: site, Theme: theme, SiteFS: opts.Source,
			Paginate: cfg.Paginate, Now: opts.Now, StyleURL: styleURL, Preview: opts.Drafts, ThemeColor: themeInfo.ThemeColor, Words: words,
			LangWords: langWords, RelativeURLs: cfg.RelativeURLs, SearchScript: searchScript(cfg.Search.On())}
		if bodies != nil {
			ro.Body = bodies.get
		}
		r, err := opts.session.newRenderer(ro)
		if err != nil {
			return err
		}
		jobs, err := opts.session.renderJobs(r)
		if err != nil {
			return err
		}
		todo := opts.session.toRender(jobs)
		if err := r.RenderJobs(ctx, w, todo); err != nil {
			return err
		}
		opts.session.rendered(todo)
		res.Pages, res.Rendered = len(jobs), len(todo)
		for _, words := range r.Words()[1:] {
			if m := words.Missing(); len(m) > 0 {
				if res.MissingWords == nil {
					res.MissingWords = map[string][]string{}
				}
				res.MissingWords[words.Lang()] = m
			}
		}
		res.Aliases, err = r.Aliases(w)
		return err
	}); err != nil {
		return nil, err
	}
	opts.session.doneRendering()

	if err := step("feeds", func() error { return writeFeeds(ctx, w, site, cfg.Feeds.Limit, opts.session, bodies) }); err != nil {
		return nil, err
	}

	if err := step("calendars", func() error { return writeCalendars(w, site) }); err != nil {
		return nil, err
	}

	if err := step("sitemap", func() error {
		if !opts.session.sitemapUnchanged(site) {
			var names []string
			for _, f := range buildSitemaps(site) {
				if err := w.WriteFile(f.Path, f.Data); err != nil {
					return err
				}
				names = append(names, f.Path)
			}
			opts.session.wroteSitemap(names)
		}
		if err := w.WriteFile("robots.txt", sitemap.Robots(site)); err != nil {
			return err
		}
		return writeManifest(w, site, themeInfo)
	}); err != nil {
		return nil, err
	}

	if err := step("search", func() error {
		if !cfg.Search.On() {
			return nil
		}
		return writeSearch(ctx, w, site, bodies)
	}); err != nil {
		return nil, err
	}

	if err := step("static", func() error {
		if opts.session.patching() {
			return nil // no file to copy changed
		}
		return copyStatic(w, theme, opts.Source, site, ld.Loose(site), proc, opts.session)
	}); err != nil {
		return nil, err
	}
	res.Files = int(w.n.Load())
	if proc != nil {
		res.Encoded = proc.Encodes() - encoded
	}
	return res, nil
}

// writeCalendars writes an .ics file beside each event page and the calendar of all events of each
// events section, to subscribe to.
func writeCalendars(w output.Writer, root *model.Site) error {
	for _, site := range langSites(root) {
		if err := writeLangCalendars(w, site); err != nil {
			return err
		}
	}
	return nil
}

// langSites returns the site of each language, default first: the site itself when monolingual.
func langSites(site *model.Site) []*model.Site {
	if len(site.Languages) == 0 {
		return []*model.Site{site}
	}
	out := make([]*model.Site, len(site.Languages))
	for i, l := range site.Languages {
		out[i] = l.Site
	}
	return out
}

// buildSitemaps returns the sitemap of a monolingual site, or on a multilingual one the sitemap of
// each language, with the translations of each page as alternates, and sitemap.xml as their index.
func buildSitemaps(site *model.Site) []sitemap.File {
	if len(site.Languages) < 2 {
		return sitemap.Build(site, site.Pages, sitemapMaxURLs)
	}
	var sets []sitemap.Set
	for _, s := range langSites(site) {
		name := "sitemap-" + s.Language
		if site.HugoURLs {
			name = s.Language + "/sitemap" // where Hugo writes each language's
		}
		sets = append(sets, sitemap.Set{Name: name, Pages: s.Pages})
	}
	return sitemap.BuildSets(site, sets, sitemapMaxURLs)
}

func writeLangCalendars(w output.Writer, site *model.Site) error {
	for _, name := range slices.Sorted(maps.Keys(site.Sections)) {
		sec := site.Sections[name]
		if model.KindForSection(name) != model.KindEvent {
			continue
		}
		for _, p := range sec.Children {
			if p.Event == nil {
				continue // a plain page among events (a Hugo site's agenda/ may hold any page)
			}
			data, err := ical.Event(site, p)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Source, err)
			}
			if err := w.WriteFile(strings.TrimPrefix(pageDir(p), "/")+ical.FileName, data); err != nil {
				return err
			}
		}
		data, err := ical.Calendar(site, site.Title+" · "+sec.Title, sec.Children)
		if err != nil {
			return err
		}
		if err := w.WriteFile(strings.TrimPrefix(sec.URL, "/")+ical.CalendarName, data); err != nil {
			return err
		}
	}
	return nil
}

// writeManifest writes the web app manifest: the name, colours and icon browsers show when the site is
// pinned or installed.
func writeManifest(w output.Writer, site *model.Site, theme Theme) error {
	short := site.Title
	if len([]rune(short)) > 12 && site.Author.Name != "" {
		short = site.Author.Name
	}
	m := map[string]any{
		"name":             site.Title,
		"short_name":       short,
		"description":      site.Description,
		"lang":             site.Language,
		"start_url":        site.BasePath(),
		"display":          "browser",
		"background_color": theme.ThemeColor,
		"theme_color":      theme.ThemeColor,
		"icons":            []map[string]string{{"src": site.RelURL("/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}},
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return w.WriteFile("manifest.webmanifest", append(data, '\n'))
}

// sitemapMaxURLs is the sitemaps.org limit of URLs per file.
const sitemapMaxURLs = 50000

// Theme is a theme's theme.toml: its name and the colours the engine needs outside CSS.
type Theme struct {
	Name       string `toml:"name"`
	ThemeColor string `toml:"themeColor"`
	// Extends names the theme whose stylesheet comes before this theme's: "default", or empty.
	Extends string `toml:"extends"`
	// Scheme is the colour scheme the theme shows by default: "auto" (the reader's), "light" or
	// "dark"; Light and Dark its colours in each, for the contrast checks of a site's own colours.
	Scheme string  `toml:"scheme"`
	Light  Palette `toml:"light"`
	Dark   Palette `toml:"dark"`
	Card   struct {
		Background string `toml:"background"`
		Foreground string `toml:"foreground"`
		Accent     string `toml:"accent"`
	} `toml:"card"`
}

// readTheme reads theme.toml; a theme without one gets neutral colours.
func readTheme(theme fs.FS) (Theme, error) {
	t := Theme{ThemeColor: "#ffffff"}
	t.Card.Background, t.Card.Foreground, t.Card.Accent = "#1f2933", "#f5f7fa", "#f7c948"
	data, err := fs.ReadFile(theme, "theme.toml")
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return t, err
	}
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return t, fmt.Errorf("theme.toml: %w", err)
	}
	return t, nil
}

// themeFS finds the theme: the site's themes/NAME/ when it exists, else the built-in theme of that name
// (default, galerie). Any theme but the default one falls back to the default theme for the layouts and
// words it lacks (themes.WithFallback).
func themeFS(site fs.FS, name string) (fs.FS, error) {
	dir := path.Join("themes", name)
	var theme fs.FS
	if st, err := fs.Stat(site, dir); err == nil && st.IsDir() {
		if theme, err = fs.Sub(site, dir); err != nil {
			return nil, err
		}
	} else if theme = themes.Builtin(name); theme == nil {
		return nil, fmt.Errorf("%s: theme %q not found: there is no themes/%s/ folder in the site, and the built-in themes are %s (or remove theme to use the default theme)", config.FileName, name, name, strings.Join(themes.Names, ", "))
	}
	if name == "default" {
		return theme, nil
	}
	return themes.WithFallback(theme), nil
}

// writeStyle writes the theme's css/style.css (the site's static/css/style.css replaces it; a theme that
// extends the default one follows the default stylesheet) with the site's colours (settings) and the
// highlighting styles, under a name that changes with its content so browsers may cache it forever.
// With stable, for the dev server, the name is always css/style.css.
func writeStyle(w output.Writer, theme, site fs.FS, cfg config.Config, info Theme, settings string, stable bool, inc *Session) (string, error) {
	src, err := fs.ReadFile(site, "static/css/style.css")
	if errors.Is(err, fs.ErrNotExist) {
		src, err = fs.ReadFile(theme, "static/css/style.css")
		if err == nil && info.Extends == "default" {
			// A theme that extends the default one writes only what it changes.
			base, err := fs.ReadFile(themes.Default(), "static/css/style.css")
			if err != nil {
				return "", err
			}
			src = append(append(base, '\n'), src...)
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		src, err = nil, nil
	}
	if err != nil {
		return "", err
	}
	if settings != "" {
		src = append(append(slices.Clip(src), '\n'), settings...)
	}
	// Code is highlighted in the page's scheme: a theme or site with one scheme only (galerie is dark)
	// uses that scheme's style whatever the reader's setting.
	light, dark := cfg.Markup.HighlightStyle, cfg.Markup.HighlightDark
	scheme, _ := cfg.Params["scheme"].(string)
	if scheme != "light" && scheme != "dark" {
		scheme = info.Scheme
	}
	switch scheme {
	case "dark":
		light = dark
		src = append(slices.Clip(src), "\n/* code highlighted in the dark scheme only */\n"...)
	case "light":
		dark = light
		src = append(slices.Clip(src), "\n/* code highlighted in the light scheme only */\n"...)
	}
	key, data := inc.reuseStyle(src, cfg)
	if data == nil {
		hl, err := markdown.HighlightCSS(light, dark)
		if err != nil {
			return "", fmt.Errorf("%s: [markup] highlight styles: %w", config.FileName, err)
		}
		src = append(append(src, '\n'), hl...)
		// Minified with a CSS minifier rather than by hand: the theme's source stays readable for those
		// who copy it, and readers download a third less.
		var out bytes.Buffer
		if err := css.Minify(minify.New(), &out, bytes.NewReader(src), nil); err != nil {
			return "", fmt.Errorf("static/css/style.css: %w", err)
		}
		data = out.Bytes()
		inc.storeStyle(key, data)
	}
	name := "css/style.css"
	if !stable {
		sum := sha256.Sum256(data)
		name = "css/style." + hex.EncodeToString(sum[:])[:10] + ".css"
	}
	return "/" + name, w.WriteFile(name, data)
}

// writeFeeds writes the feeds of the home, of each section and of each term, on all cores.
func writeFeeds(ctx context.Context, w output.Writer, site *model.Site, limit int, inc *Session, bodies *bodyStore) error {
	var lists []*model.Page
	for _, p := range site.Pages {
		// Hugo gives a taxonomy's list (/tags/) a feed too: a site imported from it keeps the address.
		taxonomy := p.Kind == model.KindTaxonomy && site.HugoURLs
		if (p.Kind == model.KindHome || p.Kind == model.KindSection || p.Kind == model.KindTerm || taxonomy) && !inc.feedUnchanged(p, limit) {
			lists = append(lists, p)
		}
	}
	builders := map[string]*feeds.Builder{}
	for _, s := range langSites(site) {
		b := feeds.NewBuilder(s, limit)
		if bodies != nil {
			// Feeds carry the whole content of their newest items: each body is read back once, when
			// its item is first serialised, and not kept. The items, serialised in every format, are
			// kept beside the bodies rather than in memory (see feeds.Builder.Store).
			b.Body = bodies.get
			if len(lists) > 0 {
				f, err := bodies.temp("feeds-*.tmp")
				if err != nil {
					return err
				}
				defer removeTemp(f)
				b.Store = f
			}
		}
		builders[s.Language] = b
	}
	// The three files of a list are assembled in buffers handed back for the next list: writers do not
	// keep the bytes they are given (render's buffers are reused the same way).
	pool := sync.Pool{New: func() any { return new(feeds.Files) }}
	return parallel.Do(ctx, len(lists), func(i int) error {
		l := lists[i]
		b := builders[l.Lang]
		if b == nil {
			b = builders[site.Language]
		}
		buf := pool.Get().(*feeds.Files)
		defer pool.Put(buf)
		f, err := b.Append(feeds.Files{RSS: buf.RSS[:0], Atom: buf.Atom[:0], JSON: buf.JSON[:0]}, l)
		*buf = f
		if err != nil {
			return err
		}
		rss, atom, js := feeds.Paths(site, l)
		return errors.Join(w.WriteFile(rss, f.RSS), w.WriteFile(atom, f.Atom), w.WriteFile(js, f.JSON))
	})
}

// copyStatic copies the theme's static files, the site's (which win on the same name), and the files of
// content/: bundle resources into their page's folder, other files where they lie. The stylesheet,
// rendered separately, is skipped.
func copyStatic(w output.Writer, theme, site fs.FS, s *model.Site, loose map[string]string, proc *media.Processor, inc *Session) error {
	type src struct {
		fsys fs.FS
		path string
		site bool
	}
	files := map[string]src{}
	for i, fsys := range []fs.FS{theme, site} {
		err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == "static" {
				return fs.SkipDir
			}
			if err != nil || d.IsDir() {
				return err
			}
			if err := SpecialFile(p, d.Type()); err != nil {
				return err
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if err := load.LinkedFile(fsys, p); err != nil {
					return err
				}
			}
			rel := strings.TrimPrefix(p, "static/")
			if rel != "css/style.css" {
				files[rel] = src{fsys, p, i == 1}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for from, to := range loose {
		files[to] = src{site, from, true}
	}
	for _, p := range s.Pages {
		dir := strings.TrimPrefix(p.URL, "/")
		if ugly, ok := strings.CutSuffix(dir, ".html"); ok && len(p.Resources) > 0 {
			// A bundle published as NAME.html (Hugo's uglyURLs) keeps its files in NAME/, as Hugo does.
			dir = ugly + "/"
		} else if !strings.HasSuffix(dir, "/") {
			dir = path.Dir(dir) + "/"
		}
		for _, r := range p.Resources {
			files[strings.TrimPrefix(dir+r.Name, "/")] = src{site, r.Source, true}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := files[name]
		if inc.copyUnchanged(name, copySource{site: f.site, path: f.path}) {
			continue
		}
		if f.site && proc != nil && (media.IsRaster(f.path) || sniffRaster(f.fsys, f.path)) {
			// The site's photos are published without their metadata (GPS position, camera serial).
			data, err := proc.Publish(f.path)
			if err == nil {
				err = w.WriteFile(name, data)
			}
			if err != nil {
				return fmt.Errorf("copy %s: %w", f.path, err)
			}
			continue
		}
		if err := w.CopyFile(name, f.fsys, f.path); err != nil {
			return fmt.Errorf("copy %s: %w", f.path, err)
		}
	}
	return nil
}

// sniffRaster reports whether a regular file whose name says no photo holds one all the same (a JPEG
// named .gif, .bin or without extension): its metadata must go too.
func sniffRaster(fsys fs.FS, name string) bool {
	if st, err := fs.Stat(fsys, name); err != nil || !st.Mode().IsRegular() || st.Size() < 12 {
		return false
	}
	f, err := fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 12)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return media.Sniff(head)
}

// countingWriter counts the files written through it.
type countingWriter struct {
	w output.Writer
	n atomic.Int64
}

func (c *countingWriter) WriteFile(name string, data []byte) error {
	c.n.Add(1)
	return c.w.WriteFile(name, data)
}

func (c *countingWriter) CopyFile(name string, fsys fs.FS, src string) error {
	c.n.Add(1)
	return c.w.CopyFile(name, fsys, src)
}
