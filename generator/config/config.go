// Package config decodes and validates vitrine.toml, the site's configuration.
//
// Unknown keys are errors that name the key and its line: a typo must not pass silently. Defaults are
// applied here, so the rest of the generator never wonders whether a value was set.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// FileName is the configuration file at the root of a site.
const FileName = "vitrine.toml"

// Config mirrors vitrine.toml. Field comments give the key and the default.
type Config struct {
	BaseURL     string `toml:"baseURL"`     // absolute URL of the deployed site; required
	Title       string `toml:"title"`       // site title
	Description string `toml:"description"` // the home page's description
	Language    string `toml:"language"`    // the default language, served at the root; default "fr"
	// RelativeURLs makes every URL of the HTML pages relative to the page (folder links ending in
	// index.html), so that the built folder works opened from disk; default false.
	RelativeURLs bool `toml:"relativeURLs"`
	// DefaultContentLanguage is Hugo's name for language; when both are set they must agree.
	DefaultContentLanguage string `toml:"defaultContentLanguage"`
	// DefaultContentLanguageInSubdir serves the default language under /LANG/ too, like the others;
	// the root then redirects to it. Default false.
	DefaultContentLanguageInSubdir bool   `toml:"defaultContentLanguageInSubdir"`
	Timezone                       string `toml:"timezone"` // IANA name, default "Europe/Paris"
	Theme                          string `toml:"theme"`    // default "default", the embedded theme
	Paginate                       int    `toml:"paginate"` // pages per list page, default 10
	Copyright                      string `toml:"copyright"`

	Author    Author            `toml:"author"`
	Social    map[string]string `toml:"social"` // network → profile URL
	Menu      map[string][]Menu `toml:"menu"`   // [[menu.main]]
	Params    map[string]any    `toml:"params"` // free for the theme
	Markup    Markup            `toml:"markup"`
	Feeds     Feeds             `toml:"feeds"`
	Syndicate Syndicate         `toml:"syndicate"`
	Cards     Cards             `toml:"cards"`
	Reactions Reactions         `toml:"reactions"`
	Images    Images            `toml:"images"`
	Search    Search            `toml:"search"`
	Legal     Legal             `toml:"legal"`     // see Legal
	Analytics Analytics         `toml:"analytics"` // see Analytics
	Contact   Contact           `toml:"contact"`   // see Contact
	// Languages makes a multilingual site: [languages.en] with its own title, menus, params. The site's
	// language is the default one, served at the root; each other language is served under /LANG/.
	// Content is split by language by file name (about.en.md), by folder (content/en/) or by each
	// language's contentDir.
	Languages map[string]Language `toml:"languages"`

	// Permalinks gives the URLs of a section's pages as Hugo's [permalinks] does: section → pattern
	// ("/:year/:month/:slug/"), or [permalinks.page] and [permalinks.section] tables of them.
	Permalinks map[string]any `toml:"permalinks"`
	// UglyURLs publishes regular pages as SECTION/NAME.html rather than SECTION/NAME/, as Hugo's
	// uglyURLs; default false.
	UglyURLs bool `toml:"uglyURLs"`
	// Taxonomies are Hugo's [taxonomies], singular → plural ("tag" = "tags"); vitrine lists tags and
	// categories, and accepts the others, whose values stay parameters of the pages.
	Taxonomies map[string]string `toml:"taxonomies"`
	// HugoCompat keeps the addresses of a site imported from Hugo (vitrine import hugo writes it): URL
	// segments and term slugs made by Hugo's urlize (accents and dots kept), LIST/page/1/ redirects, a
	// redirect from /LANG/ to the default language's home, absolute aliases in the page's language,
	// kinds from front matter rather than from folder names, and pages of a language with no content in
	// it not made. Default false.
	HugoCompat bool `toml:"hugoCompat"`
	// Redirects sends old addresses to pages: "/old/path/" = "/posts/new/" writes a redirect page at the
	// old address, as an alias of the page would. vitrine import hugo --compare writes those it maps.
	Redirects map[string]string `toml:"redirects"`
	// RemovePathAccents folds accents in URLs made the Hugo way (hugoCompat), as Hugo's setting does.
	RemovePathAccents bool `toml:"removePathAccents"`

	loc *time.Location // the loaded Timezone
}

// PagePermalinks returns the permalink patterns of regular pages and of section lists, by section,
// from [permalinks] (a pattern per section, or page and section tables).
func (c *Config) PagePermalinks() (pages, sections map[string]string) {
	pages, sections = map[string]string{}, map[string]string{}
	for k, v := range c.Permalinks {
		switch t := v.(type) {
		case string:
			pages[strings.Trim(k, " /")] = t
		case map[string]any:
			for sec, pat := range t {
				s, ok := pat.(string)
				if !ok {
					continue
				}
				switch k {
				case "page":
					pages[strings.Trim(sec, " /")] = s
				case "section":
					sections[strings.Trim(sec, " /")] = s
				}
			}
		}
	}
	return pages, sections
}

// Author is [author]: the site owner.
type Author struct {
	Name        string `toml:"name"`
	JobTitle    string `toml:"jobTitle"`
	Email       string `toml:"email"`
	Image       string `toml:"image"`
	Description string `toml:"description"`
}

// Menu is one [[menu.NAME]] entry.
type Menu struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int    `toml:"weight"`
}

// Markup is [markup]: how Markdown is rendered.
type Markup struct {
	Unsafe         bool   `toml:"unsafe"`         // let raw HTML through; default false
	HighlightStyle string `toml:"highlightStyle"` // chroma style for light mode, default "github"
	HighlightDark  string `toml:"highlightDark"`  // chroma style for dark mode, default "github-dark"
	// Typography applies the typographic rules of the site's language to text, titles and
	// descriptions (French spacing and « » quotes); default true.
	Typography *bool `toml:"typography"`
}

// TypographyLang returns the language whose typography applies, "" when it is turned off.
func (c *Config) TypographyLang() string {
	if c.Markup.Typography != nil && !*c.Markup.Typography {
		return ""
	}
	return c.Language
}

// Feeds is [feeds]: RSS, Atom and JSON Feed settings.
type Feeds struct {
	Limit int `toml:"limit"` // newest items per feed, default 20
	// RSSName is the file name of each list's RSS feed, default "index.xml"; a site imported from Hugo
	// keeps its own ("feed.xml", from outputFormats.RSS.baseName).
	RSSName string `toml:"rssName"`
}

// Language is [languages.LANG]: what differs in one language.
type Language struct {
	LanguageName string            `toml:"languageName"` // the language's name in itself: "English"
	Weight       int               `toml:"weight"`       // order in language switchers
	Title        string            `toml:"title"`
	Description  string            `toml:"description"`
	Menu         map[string][]Menu `toml:"menu"`
	Params       map[string]any    `toml:"params"` // merged over [params]
	// Author is what the owner says of themselves in this language (jobTitle, description): its
	// fields that are set replace those of [author].
	Author Author `toml:"author"`
	// ContentDir is the folder of this language's content, under content/ ("content/en"); by default
	// content/LANG/ when it exists, and files named NAME.LANG.md anywhere.
	ContentDir string `toml:"contentDir"`
}

// Multilingual reports whether the site has more than one language.
func (c *Config) Multilingual() bool {
	for code := range c.Languages {
		if code != c.Language {
			return true
		}
	}
	return false
}

// LanguagePrefix returns the URL path a language is served under: "" for the default language at the
// root, "/en" for the others (and for the default one with defaultContentLanguageInSubdir).
func (c *Config) LanguagePrefix(code string) string {
	if !c.Multilingual() || code == c.Language && !c.DefaultContentLanguageInSubdir {
		return ""
	}
	return "/" + code
}

// LanguageCodes returns the site's languages, the default first, then by weight and code. A monolingual
// site has one.
func (c *Config) LanguageCodes() []string {
	codes := []string{c.Language}
	var others []string
	for code := range c.Languages {
		if code != c.Language {
			others = append(others, code)
		}
	}
	slices.SortFunc(others, func(a, b string) int {
		return cmp.Or(cmp.Compare(c.Languages[a].Weight, c.Languages[b].Weight), strings.Compare(a, b))
	})
	return append(codes, others...)
}

// ForLanguage returns the configuration as seen from one language: its title, description, menus and
// params over the site's.
func (c Config) ForLanguage(code string) Config {
	l, ok := c.Languages[code]
	out := c
	out.Language = code
	if !ok {
		return out
	}
	if l.Title != "" {
		out.Title = l.Title
	}
	if l.Description != "" {
		out.Description = l.Description
	}
	if l.Menu != nil {
		out.Menu = l.Menu
	}
	for _, f := range []struct {
		to   *string
		from string
	}{
		{&out.Author.Name, l.Author.Name}, {&out.Author.JobTitle, l.Author.JobTitle}, {&out.Author.Email, l.Author.Email},
		{&out.Author.Image, l.Author.Image}, {&out.Author.Description, l.Author.Description},
	} {
		if f.from != "" {
			*f.to = f.from
		}
	}
	if l.Params != nil {
		merged := maps.Clone(c.Params)
		if merged == nil {
			merged = map[string]any{}
		}
		maps.Copy(merged, l.Params)
		out.Params = merged
	}
	return out
}

// LanguageName returns how a language names itself, from [languages.LANG] languageName, else from a
// short list of the languages vitrine's users write in most ("Français", "English"), else its code.
func (c *Config) LanguageName(code string) string {
	if n := c.Languages[code].LanguageName; n != "" {
		return n
	}
	base, _, _ := strings.Cut(strings.ToLower(code), "-")
	if n := selfNames[base]; n != "" {
		return n
	}
	return code
}

// selfNames are languages as they name themselves.
var selfNames = map[string]string{
	"fr": "Français", "en": "English", "de": "Deutsch", "es": "Español", "it": "Italiano", "pt": "Português",
	"nl": "Nederlands", "ca": "Català", "eu": "Euskara", "br": "Brezhoneg", "oc": "Occitan", "co": "Corsu",
	"ar": "العربية", "pl": "Polski", "ro": "Română", "uk": "Українська", "ru": "Русский", "zh": "中文", "ja": "日本語",
}

// Cards is [cards]: the generated social-card images.
type Cards struct {
	// Generate draws a card for each article, project and event without an image of its own; default
	// true. Turn it off on a huge site whose pages are never shared, or whose cards come from elsewhere.
	Generate *bool `toml:"generate"`
}

// Enabled reports whether cards are generated.
func (c Cards) Enabled() bool { return c.Generate == nil || *c.Generate }

// Search is [search]: the site's full-text search (package search).
type Search struct {
	// Enabled puts a search box in the header of every page, a search page in each language and its
	// index in search-index/; default true.
	Enabled *bool `toml:"enabled"`
}

// On reports whether the site has a search.
func (s Search) On() bool { return s.Enabled == nil || *s.Enabled }

// Images is [images]: how photos are published.
type Images struct {
	// Widths are the widths in pixels each image is published at, never more than its own; default
	// 480, 960, 1440, 1920.
	Widths []int `toml:"widths"`
	// Quality is the JPEG and WebP quality, 1 to 100; default 80.
	Quality int `toml:"quality"`
	// KeepMetadata names the metadata published JPEGs keep: "copyright", "artist". Everything else
	// (GPS position above all, camera serial numbers, XMP, IPTC) is always stripped; default none.
	KeepMetadata []string `toml:"keepMetadata"`
}

// Networks vitrine composes posts for, as [syndicate] networks names them.
var Networks = []string{"mastodon", "bluesky", "x", "linkedin", "threads", "facebook", "instagram"}

// Syndicate is [syndicate]: posts composed for each new article, and where they are published. Secrets
// never go here but in the environment: VITRINE_MASTODON_TOKEN, VITRINE_BLUESKY_APP_PASSWORD,
// VITRINE_WEBHOOK_SECRET.
type Syndicate struct {
	Hashtags []string `toml:"hashtags"` // added to every post, after the article's tags
	// UTM tags links with utm_source=NETWORK&utm_medium=social&utm_campaign=SLUG; default true.
	UTM       *bool `toml:"utm"`
	MaxPerRun int   `toml:"max_per_run"` // posts per network and run, oldest articles first; default 3
	// MaxAge is the back-catalogue guard: an article published longer ago than that ("30d", "2w"),
	// never posted on a network, is recorded as skipped there instead of posted as news; default
	// 30 days, "0" turns the guard off.
	MaxAge string `toml:"max_age"`
	// Networks to compose posts for; default all of Networks, plus "webhook" when [syndicate.webhook]
	// has a url.
	Networks []string `toml:"networks"`
	// Slots are when posts go out, in the site's time zone ("mon 09:00", "thu 12:30"): each post is
	// scheduled to the next slot free on its network. Empty: posts go out at the next run.
	Slots    []string          `toml:"slots"`
	Mastodon SyndicateMastodon `toml:"mastodon"`
	Bluesky  SyndicateBluesky  `toml:"bluesky"`
	Webhook  SyndicateWebhook  `toml:"webhook"`
}

// SyndicateMastodon is [syndicate.mastodon]; the token comes from VITRINE_MASTODON_TOKEN.
type SyndicateMastodon struct {
	Server string `toml:"server"` // the instance, "https://piaille.fr"
}

// SyndicateBluesky is [syndicate.bluesky]; the app password comes from VITRINE_BLUESKY_APP_PASSWORD.
type SyndicateBluesky struct {
	Service string `toml:"service"` // the PDS, default "https://bsky.social" when handle is set
	Handle  string `toml:"handle"`  // "camille.bsky.social"
	// AppView answers reads (threads, counts) for vitrine backfeed; default "https://public.api.bsky.app".
	AppView string `toml:"appview"`
}

// SyndicateWebhook is [syndicate.webhook]: composed posts POSTed as JSON (Zapier, Make, n8n), signed
// with VITRINE_WEBHOOK_SECRET.
type SyndicateWebhook struct {
	URL      string   `toml:"url"`
	Networks []string `toml:"networks"` // whose posts go to the webhook; default linkedin, facebook, instagram
}

// Reactions is [reactions]: how the replies `vitrine backfeed` brings back are moderated.
type Reactions struct {
	// Moderation is "open" (replies shown, default) or "approve" (shown once approved by hand).
	Moderation string `toml:"moderation"`
	// Hide lists reply URLs and authors ("@troll@instance.example", "troll.bsky.social") never shown.
	Hide []string `toml:"hide"`
	// BlockedWords hide the replies that hold one of them.
	BlockedWords []string `toml:"blocked_words"`
}

// UTMEnabled reports whether links carry tracking parameters.
func (s Syndicate) UTMEnabled() bool { return s.UTM == nil || *s.UTM }

// Default returns the configuration of a site without vitrine.toml values: every default set.
func Default() Config {
	c := Config{}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Language == "" {
		c.Language = c.DefaultContentLanguage
	}
	if c.Language == "" {
		c.Language = "fr"
	}
	if c.Timezone == "" {
		c.Timezone = "Europe/Paris"
	}
	if c.Theme == "" {
		c.Theme = "default"
	}
	if c.Paginate == 0 {
		c.Paginate = 10
	}
	if c.Markup.HighlightStyle == "" {
		c.Markup.HighlightStyle = "github"
	}
	if c.Markup.HighlightDark == "" {
		c.Markup.HighlightDark = "github-dark"
	}
	if c.Feeds.Limit == 0 {
		c.Feeds.Limit = 20
	}
	if c.Syndicate.UTM == nil {
		utm := true
		c.Syndicate.UTM = &utm
	}
	if c.Syndicate.MaxPerRun == 0 {
		c.Syndicate.MaxPerRun = 3
	}
	if c.Syndicate.Webhook.URL != "" && c.Syndicate.Webhook.Networks == nil {
		c.Syndicate.Webhook.Networks = []string{"linkedin", "facebook", "instagram"}
	}
	if c.Syndicate.Networks == nil {
		c.Syndicate.Networks = slices.Clone(Networks)
		if c.Syndicate.Webhook.URL != "" {
			c.Syndicate.Networks = append(c.Syndicate.Networks, "webhook")
		}
	}
	if c.Reactions.Moderation == "" {
		c.Reactions.Moderation = "open"
	}
	if c.Syndicate.Bluesky.AppView == "" {
		c.Syndicate.Bluesky.AppView = "https://public.api.bsky.app"
	}
	if c.Syndicate.Bluesky.Handle != "" && c.Syndicate.Bluesky.Service == "" {
		c.Syndicate.Bluesky.Service = "https://bsky.social"
	}
	if c.Contact.Page == "" {
		c.Contact.Page = "/contact/"
	}
	if c.Contact.Provider == "netlify" && c.Contact.ID == "" {
		c.Contact.ID = "contact"
	}
	if c.Contact.Provider == "mailto" && c.Contact.ID == "" {
		c.Contact.ID = c.Author.Email
	}
	if c.BaseURL != "" && !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
}

// Location returns the site's time zone; Parse has checked it exists.
func (c *Config) Location() *time.Location {
	if c.loc != nil {
		return c.loc
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Load reads vitrine.toml from the root of fsys. A missing file is an error: it is how vitrine knows it
// stands in a site.
func Load(fsys fs.FS) (Config, error) {
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return Config{}, fmt.Errorf("no %s here: this folder is not a vitrine site. Create one with `vitrine init`, or give the site's folder with -s", FileName)
	}
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", FileName, err)
	}
	return Parse(FileName, data)
}

// Parse decodes a configuration file's bytes. Errors name the file and the line.
func Parse(name string, data []byte) (Config, error) {
	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			var errs []error
			for _, e := range strict.Errors {
				row, _ := e.Position()
				key := strings.Join(e.Key(), ".")
				if env, ok := secretKey(e.Key()); ok {
					errs = append(errs, fmt.Errorf("%s:%d: %s: secrets never go in %s, which is committed: remove it and set the environment variable %s",
						name, row, key, FileName, env))
					continue
				}
				errs = append(errs, fmt.Errorf("%s:%d: unknown key %q (check its spelling; free keys go under [params])",
					name, row, key))
			}
			return Config{}, errors.Join(errs...)
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return Config{}, fmt.Errorf("%s:%d: %s", name, row, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	c.applyDefaults()
	if err := c.validate(name, data); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) validate(name string, data []byte) error {
	var errs []error
	if c.BaseURL == "" {
		errs = append(errs, fmt.Errorf("%s: baseURL is missing: set it to the address of the deployed site, e.g. baseURL = \"https://example.org/\"", name))
	} else if err := CheckBaseURL(c.BaseURL); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", at(name, data, "", "baseURL"), err))
	}
	for _, a := range c.authors() {
		if err := checkEmail(a.author.Email); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s.email: %w", at(name, data, a.table, "email"), a.table, err))
		}
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("%s: timezone %q is not a known IANA time zone (e.g. \"Europe/Paris\")", name, c.Timezone))
	} else {
		c.loc = loc
	}
	if c.Paginate < 0 {
		errs = append(errs, fmt.Errorf("%s: paginate must be positive, got %d", name, c.Paginate))
	}
	for _, w := range c.Images.Widths {
		if w < 16 || w > 8192 {
			errs = append(errs, fmt.Errorf("%s: images.widths: %d is not a width in pixels between 16 and 8192", name, w))
		}
	}
	if c.Images.Quality < 0 || c.Images.Quality > 100 {
		errs = append(errs, fmt.Errorf("%s: images.quality must be between 1 and 100, got %d", name, c.Images.Quality))
	}
	for _, k := range c.Images.KeepMetadata {
		if k != "copyright" && k != "artist" {
			errs = append(errs, fmt.Errorf("%s: images.keepMetadata: %q cannot be kept (only \"copyright\" and \"artist\")", name, k))
		}
	}
	if n := c.Feeds.RSSName; n != "" && (strings.ContainsAny(n, "/\\") || !strings.HasSuffix(n, ".xml") || n == "atom.xml" || n == "sitemap.xml") {
		errs = append(errs, fmt.Errorf("%s: feeds.rssName %q: give a file name ending in .xml, such as \"feed.xml\"", name, n))
	}
	if c.Feeds.Limit < 0 {
		errs = append(errs, fmt.Errorf("%s: feeds.limit must be positive, got %d", name, c.Feeds.Limit))
	}
	errs = append(errs, c.Syndicate.validate(name)...)
	if m := c.Reactions.Moderation; m != "open" && m != "approve" {
		errs = append(errs, fmt.Errorf("%s: reactions.moderation must be \"open\" or \"approve\", got %q", name, m))
	}
	if c.DefaultContentLanguage != "" && c.DefaultContentLanguage != c.Language {
		errs = append(errs, fmt.Errorf("%s: language %q and defaultContentLanguage %q disagree: keep one of them", name, c.Language, c.DefaultContentLanguage))
	}
	for _, code := range c.LanguageCodes() {
		if !validLanguageCode(code) {
			errs = append(errs, fmt.Errorf("%s: [languages.%s]: %q is not a language code: use a BCP 47 tag such as \"en\" or \"pt-br\"", name, code, code))
		}
		dir := c.Languages[code].ContentDir
		if dir == "" {
			continue
		}
		clean := path.Clean(strings.TrimSuffix(dir, "/"))
		if !strings.HasPrefix(clean, "content/") || strings.Contains(clean, "..") {
			errs = append(errs, fmt.Errorf("%s: [languages.%s] contentDir %q: give a folder under content/, such as \"content/%s\"", name, code, dir, code))
			continue
		}
		l := c.Languages[code]
		l.ContentDir = clean
		c.Languages[code] = l
	}
	errs = append(errs, c.validatePermalinks(name)...)
	errs = append(errs, c.Legal.validate(name)...)
	errs = append(errs, c.Analytics.validate(name)...)
	errs = append(errs, c.Contact.validate(name)...)
	errs = append(errs, validateHelloAsso(name, c.Params)...)
	for network, u := range c.Social {
		if strings.TrimSpace(u) == "" {
			errs = append(errs, fmt.Errorf("%s: social.%s is empty", name, network))
		}
	}
	return errors.Join(errs...)
}

// permalinkTokens are the tokens of Hugo's permalink patterns vitrine expands.
var permalinkTokens = map[string]bool{
	"year": true, "month": true, "monthname": true, "day": true, "weekday": true, "weekdayname": true,
	"yearday": true, "section": true, "sectionslug": true, "sections": true, "sectionslugs": true,
	"title": true, "slug": true, "slugorfilename": true, "filename": true, "contentbasename": true,
	"slugorcontentbasename": true, "translationkey": true,
}

var permalinkToken = regexp.MustCompile(`:\w+(\[.+?\])?`)

func (c *Config) validatePermalinks(name string) []error {
	var errs []error
	check := func(key string, v any) {
		pat, ok := v.(string)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: permalinks.%s: give a pattern such as \"/:year/:month/:slug/\"", name, key))
			return
		}
		for _, m := range permalinkToken.FindAllStringSubmatch(strings.ReplaceAll(pat, "\\:", ""), -1) {
			tok := strings.TrimPrefix(m[0], ":")
			base, _, _ := strings.Cut(tok, "[")
			if !permalinkTokens[strings.ToLower(base)] && !IsDateLayout(tok) {
				errs = append(errs, fmt.Errorf("%s: permalinks.%s: unknown token :%s in %q (known: :year, :month, :day, :slug, :title, :filename, :section…)", name, key, tok, pat))
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Permalinks)) {
		switch t := c.Permalinks[k].(type) {
		case map[string]any:
			if k != "page" && k != "section" && k != "term" && k != "taxonomy" {
				errs = append(errs, fmt.Errorf("%s: permalinks.%s: a table must be page, section, term or taxonomy", name, k))
				continue
			}
			for _, k2 := range slices.Sorted(maps.Keys(t)) {
				check(k+"."+k2, t[k2])
			}
		default:
			check(k, t)
		}
	}
	return errs
}

// IsDateLayout reports whether a permalink token is a Go time layout (":2006-01"), which Hugo
// expands with the page's date.
func IsDateLayout(tok string) bool {
	ref := time.Date(2019, time.November, 9, 23, 1, 42, 1, time.UTC)
	return ref.Format(tok) != tok
}

func (s *Syndicate) validate(name string) []error {
	var errs []error
	if s.MaxPerRun < 0 {
		errs = append(errs, fmt.Errorf("%s: syndicate.max_per_run must be positive, got %d", name, s.MaxPerRun))
	}
	known := append(slices.Clone(Networks), "webhook")
	for _, n := range s.Networks {
		if !slices.Contains(known, n) {
			errs = append(errs, fmt.Errorf("%s: syndicate.networks: unknown network %q (known: %s)", name, n, strings.Join(known, ", ")))
		}
	}
	for _, slot := range s.Slots {
		if _, _, _, err := ParseSlot(slot); err != nil {
			errs = append(errs, fmt.Errorf("%s: syndicate.slots: %w", name, err))
		}
	}
	if slices.Contains(s.Networks, "webhook") && s.Webhook.URL == "" {
		errs = append(errs, fmt.Errorf("%s: syndicate.networks lists webhook but [syndicate.webhook] has no url", name))
	}
	for _, n := range s.Webhook.Networks {
		if !slices.Contains(Networks, n) {
			errs = append(errs, fmt.Errorf("%s: syndicate.webhook.networks: unknown network %q (known: %s)", name, n, strings.Join(Networks, ", ")))
		}
	}
	for _, u := range []struct{ key, value string }{
		{"syndicate.mastodon.server", s.Mastodon.Server},
		{"syndicate.bluesky.service", s.Bluesky.Service},
		{"syndicate.bluesky.appview", s.Bluesky.AppView},
		{"syndicate.webhook.url", s.Webhook.URL},
	} {
		if u.value == "" {
			continue
		}
		if p, err := url.Parse(u.value); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("%s: %s %q is not an absolute http(s) URL", name, u.key, u.value))
		}
	}
	return errs
}

// validLanguageCode reports whether code looks like a BCP 47 tag: letters, digits and hyphens, starting
// with a letter. It is a path segment of the site's URLs.
func validLanguageCode(code string) bool {
	if code == "" || len(code) > 35 {
		return false
	}
	for i, r := range code {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// secretKey reports whether a key of [syndicate] looks like a secret, and which variable holds it.
func secretKey(key []string) (string, bool) {
	if len(key) != 3 || key[0] != "syndicate" {
		return "", false
	}
	switch k := strings.ToLower(key[2]); {
	case key[1] == "mastodon" && (strings.Contains(k, "token") || strings.Contains(k, "secret")):
		return "VITRINE_MASTODON_TOKEN", true
	case key[1] == "bluesky" && (strings.Contains(k, "password") || strings.Contains(k, "token")):
		return "VITRINE_BLUESKY_APP_PASSWORD", true
	case key[1] == "webhook" && (strings.Contains(k, "secret") || strings.Contains(k, "token")):
		return "VITRINE_WEBHOOK_SECRET", true
	}
	return "", false
}

// ParseSlot reads a [syndicate] slots entry: a weekday ("mon" to "sun", or French "lun" to "dim") and a
// time ("09:00"), or a time alone for every day (weekday -1).
func ParseSlot(s string) (weekday time.Weekday, hour, minute int, err error) {
	fields := strings.Fields(strings.ToLower(s))
	weekday = -1
	if len(fields) == 2 {
		w, ok := weekdays[strings.TrimSuffix(fields[0], ".")]
		if !ok {
			return 0, 0, 0, fmt.Errorf("slot %q: unknown day %q (mon, tue, wed, thu, fri, sat, sun)", s, fields[0])
		}
		weekday, fields = w, fields[1:]
	}
	if len(fields) != 1 {
		return 0, 0, 0, fmt.Errorf("slot %q: write a day and a time, e.g. \"mon 09:00\"", s)
	}
	t, err := time.Parse("15:04", strings.Replace(fields[0], "h", ":", 1))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("slot %q: the time must be HH:MM, e.g. 09:00", s)
	}
	return weekday, t.Hour(), t.Minute(), nil
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday,
	"dim": time.Sunday, "lun": time.Monday, "mar": time.Tuesday, "mer": time.Wednesday, "jeu": time.Thursday,
	"ven": time.Friday, "sam": time.Saturday,
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"dimanche": time.Sunday, "lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday,
	"jeudi": time.Thursday, "vendredi": time.Friday, "samedi": time.Saturday,
}
