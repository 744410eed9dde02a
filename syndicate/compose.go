package syndicate

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Networks lists the networks a post can be composed for, in the order vitrine shows them.
var Networks = []string{Mastodon, Bluesky, X, LinkedIn, Threads, Facebook, Instagram}

// ErrTooLong is wrapped by Compose's error when a post cannot fit its network's limit even with its
// hashtags dropped, its description removed and its title cut to one word.
var ErrTooLong = errors.New("too long")

// The Mastodon limits vitrine assumes when it has not asked the instance (/api/v2/instance).
const (
	DefaultMastodonMaxChars  = 500
	DefaultMastodonURLLength = 23
)

// ComposeOptions are what Compose needs beyond the page.
type ComposeOptions struct {
	// Templates are searched in order for syndicate/NETWORK.txt, a text/template that replaces the
	// embedded default: typically the site's folder, then its theme's.
	Templates []fs.FS
	// Hashtags are added to every post after the article's own tags ([syndicate] hashtags).
	Hashtags []string
	// UTM adds utm_source=NETWORK&utm_medium=social&utm_campaign=SLUG to the article's link.
	UTM bool
	// MastodonMaxChars and MastodonURLLength are the instance's configuration.statuses
	// max_characters and characters_reserved_per_url; 0 means 500 and 23.
	MastodonMaxChars, MastodonURLLength int
	// Reminder composes the reminder of an event instead of its announcement: the title starts with
	// "Rappel : " ("Reminder: " on sites in other languages), tracking links say slug-reminder, and the
	// post's Article carries ReminderSuffix.
	Reminder bool
}

// TemplateData is what a post template sees.
type TemplateData struct {
	Title       string
	Description string   // the article's description, else the text of its summary
	URL         string   // the article's absolute URL, with tracking parameters when [syndicate] utm is on
	Hashtags    Hashtags // prints as "#Lyon #RéseauxSociaux"
	Lang        string   // the site's language: "fr"
	Site        string   // the site's title
	Host        string   // the site's host name: "camille-roussel.example"
}

// Hashtags are hashtags without "#". In a template, {{.Hashtags}} prints them with "#", space-separated;
// {{range .Hashtags}} gives them one by one.
type Hashtags []string

func (h Hashtags) String() string {
	var b strings.Builder
	for i, t := range h {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("#" + t)
	}
	return b.String()
}

// rules are one network's limits and how it counts.
type rules struct {
	limit       int
	count       func(string) int
	maxBytes    int  // Bluesky: the record's text is also limited in UTF-8 bytes
	maxLinks    int  // Threads refuses posts with more links
	maxHashtags int  // Instagram: 30; Threads makes one topic of a post
	noLink      bool // Instagram: links in captions are not clickable, the text says where the link is
	square      bool // Instagram: the square card goes with the post
	facets      bool // Bluesky: links and hashtags are facets
	noNNBSP     bool // X weighs U+202F 2 and U+00A0 1
}

func rulesFor(network string, opts ComposeOptions) (rules, error) {
	switch network {
	case Mastodon:
		limit, urlLength := opts.MastodonMaxChars, opts.MastodonURLLength
		if limit <= 0 {
			limit = DefaultMastodonMaxChars
		}
		if urlLength <= 0 {
			urlLength = DefaultMastodonURLLength
		}
		return rules{limit: limit, count: func(s string) int { return countMastodon(s, urlLength) }}, nil
	case Bluesky:
		return rules{limit: 300, count: countGraphemes, maxBytes: 3000, facets: true}, nil
	case X:
		return rules{limit: 280, count: countX, noNNBSP: true}, nil
	case LinkedIn:
		return rules{limit: 3000, count: countUTF16}, nil
	case Threads:
		return rules{limit: 500, count: countThreads, maxLinks: 5, maxHashtags: 1}, nil
	case Facebook:
		return rules{limit: 63206, count: countUTF16}, nil
	case Instagram:
		return rules{limit: 2200, count: countUTF16, maxHashtags: 30, noLink: true, square: true}, nil
	}
	return rules{}, fmt.Errorf("unknown network %q (known: %s)", network, strings.Join(Networks, ", "))
}

// fits reports whether a post's text is within the rules.
func (r rules) fits(text string) bool {
	return r.count(text) <= r.limit && (r.maxBytes == 0 || len(text) <= r.maxBytes) &&
		(r.maxLinks == 0 || len(findURLs(text, true)) <= r.maxLinks)
}

//go:embed templates/*.txt
var defaultTemplates embed.FS

// funcs are the functions post templates may call besides text/template's own.
var funcs = template.FuncMap{"hasPrefix": strings.HasPrefix}

// loadTemplate returns the template for a network: the first syndicate/NETWORK.txt of fsyss, else the
// embedded default.
func loadTemplate(network string, fsyss []fs.FS) (*template.Template, error) {
	name := "syndicate/" + network + ".txt"
	for _, fsys := range fsyss {
		if fsys == nil {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return template.New(name).Funcs(funcs).Parse(string(src))
	}
	src, err := defaultTemplates.ReadFile("templates/" + network + ".txt")
	if err != nil {
		return nil, err
	}
	return template.New(name).Funcs(funcs).Parse(string(src))
}

// Compose writes the post of an article for a network from the network's template, within the
// network's rules:
//
//   - Mastodon: opts.MastodonMaxChars characters (500), a URL counting opts.MastodonURLLength (23).
//   - Bluesky: 300 graphemes and 3000 UTF-8 bytes; links and hashtags as facets.
//   - X: 280 by twitter-text's weighted count; U+202F becomes U+00A0, which weighs half.
//   - LinkedIn 3000, Facebook 63206 characters; Threads 500 with emoji counted as their UTF-8 bytes, at
//     most 5 links and 1 hashtag (its topic); Instagram 2200 characters, at most 30 hashtags, no link
//     (the default template says where the link is) and the square card as its image.
//
// Hashtags come from the article's tags, then opts.Hashtags (see Hashtag). When the text is too long,
// Compose drops hashtags from the last, then shortens the description on a word boundary with "…",
// then drops it, then shortens the title: links and hashtags are never cut, since they are either
// whole or absent. A post that cannot fit is returned with an error wrapping ErrTooLong.
func Compose(site *model.Site, page *model.Page, network string, opts ComposeOptions) (Post, error) {
	r, err := rulesFor(network, opts)
	if err != nil {
		return Post{}, err
	}
	tmpl, err := loadTemplate(network, opts.Templates)
	if err != nil {
		return Post{}, fmt.Errorf("template for %s: %w", network, err)
	}
	article := site.AbsURL(page.URL)
	slug := articleSlug(page)
	title := oneLine(page.Title)
	if opts.Reminder {
		slug += "-reminder"
		title = reminderPrefix(site.Language) + title
	}
	tags := hashtags(page.Tags, opts.Hashtags)
	if r.maxHashtags > 0 && len(tags) > r.maxHashtags {
		tags = tags[:r.maxHashtags]
	}
	link := article
	if opts.UTM {
		link = withUTM(article, network, slug)
	}
	host := ""
	if u, err := url.Parse(site.BaseURL); err == nil {
		host = u.Hostname()
	}
	full := TemplateData{
		Title:       title,
		Description: description(page),
		URL:         link,
		Hashtags:    tags,
		Lang:        site.Language,
		Site:        site.Title,
		Host:        host,
	}
	render := func(d TemplateData) (string, error) {
		var b bytes.Buffer
		if err := tmpl.Execute(&b, d); err != nil {
			return "", fmt.Errorf("%s: %w", page.Source, err)
		}
		return tidy(b.String(), r.noNNBSP), nil
	}
	text, fitted, err := fit(full, render, r.fits)
	if err != nil {
		return Post{}, err
	}
	p := Post{
		Network:     network,
		Article:     article,
		Page:        PageID(page),
		Date:        published(page),
		Slug:        slug,
		Title:       full.Title,
		Description: full.Description,
		Text:        text,
		Lang:        site.Language,
		Length:      r.count(text),
		Limit:       r.limit,
	}
	if !r.noLink && strings.Contains(text, link) {
		p.Link = link
	}
	if opts.Reminder {
		p.Article += ReminderSuffix
	}
	for _, h := range fitted.Hashtags {
		if hasHashtag(text, h) {
			p.Hashtags = append(p.Hashtags, h)
		}
	}
	if r.facets {
		p.Facets = blueskyFacets(text)
	}
	img := page.Share
	if r.square {
		img = page.Square
	}
	if img != nil {
		if p.Image = outputPath(site, img.URL); p.Image != "" {
			p.ImageAlt = cmp.Or(img.Alt, full.Title)
		}
	}
	if !r.fits(text) {
		return p, fmt.Errorf("%s on %s: %d/%d even shortened: %w", page.Source, network, p.Length, p.Limit, ErrTooLong)
	}
	return p, nil
}

// reminderPrefix starts the title of a reminder post.
func reminderPrefix(lang string) string {
	if strings.HasPrefix(lang, "fr") {
		return "Rappel\u00a0: "
	}
	return "Reminder: "
}

// fit renders the fullest post that fits: all of it, else fewer hashtags, else a shorter description,
// else none, else a shorter title. It returns the full post when nothing fits.
func fit(full TemplateData, render func(TemplateData) (string, error), fits func(string) bool) (string, TemplateData, error) {
	text, err := render(full)
	if err != nil || fits(text) {
		return text, full, err
	}
	d := full
	try := func() (bool, string, error) {
		t, err := render(d)
		return err == nil && fits(t), t, err
	}
	for n := len(full.Hashtags) - 1; n >= 0; n-- {
		d.Hashtags = full.Hashtags[:n]
		if ok, t, err := try(); err != nil || ok {
			return t, d, err
		}
	}
	// longest sets a field to the longest of its cuts with which the post fits; a longer cut gives a
	// longer post, so a binary search finds it.
	longest := func(field *string, cuts []string) (bool, string, error) {
		var firstErr error
		i := sort.Search(len(cuts), func(i int) bool {
			*field = cuts[i]
			ok, _, err := try()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			return !ok
		})
		if firstErr != nil || i == 0 {
			return false, "", firstErr
		}
		*field = cuts[i-1]
		return try()
	}
	if ok, t, err := longest(&d.Description, cuts(full.Description)); err != nil || ok {
		return t, d, err
	}
	d.Description = ""
	if ok, t, err := try(); err != nil || ok {
		return t, d, err
	}
	if ok, t, err := longest(&d.Title, cuts(full.Title)); err != nil || ok {
		return t, d, err
	}
	return text, full, nil
}

// cuts returns the shortened forms of s, shortest first: its first word, its first two words, … each
// followed by an ellipsis, up to all words but the last. A cut never splits a word, so it never splits a
// URL, a hashtag or a grapheme.
func cuts(s string) []string {
	var out []string
	inWord := false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if space && inWord {
			if c := ellipsis(s[:i]); c != "" {
				out = append(out, c)
			}
		}
		inWord = !space
	}
	return slices.Compact(out)
}

// ellipsis ends a cut text with "…", after the punctuation that would dangle before it; a cut ending
// with a link or a hashtag gets a space first, so that the ellipsis does not become part of it.
func ellipsis(s string) string {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:.…–—-(«\"'’", r)
	})
	if s == "" {
		return ""
	}
	last := s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
	if strings.Contains(last, "://") || strings.HasPrefix(last, "#") || strings.HasPrefix(last, "@") {
		return s + " …"
	}
	return s + "…"
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidy normalises a rendered template: NFC, no trailing spaces on a line, at most one blank line in a
// row, none at either end; for X, narrow no-break spaces become no-break spaces.
func tidy(s string, noNNBSP bool) string {
	s = norm.NFC.String(strings.ReplaceAll(s, "\r\n", "\n"))
	if noNNBSP {
		s = strings.ReplaceAll(s, "\u202F", "\u00A0")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	s = blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")
	return strings.TrimSpace(s)
}

// oneLine collapses runs of white space (but not no-break spaces, which French typography placed) into
// one space.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// description is the page's description, else the text of its summary.
func description(page *model.Page) string {
	if page.Description != "" {
		return oneLine(page.Description)
	}
	return oneLine(page.SummaryText)
}

// hasHashtag reports whether text holds #tag as a whole word.
func hasHashtag(text, tag string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], "#"+tag)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+1+len(tag)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || unicode.IsSpace(before)) && (end == len(text) || !unicode.IsLetter(after) && !unicode.IsDigit(after)) {
			return true
		}
		i = end
	}
}

// withUTM adds the tracking parameters to an article's URL.
func withUTM(article, network, slug string) string {
	sep := "?"
	if strings.Contains(article, "?") {
		sep = "&"
	}
	return article + sep + "utm_source=" + url.QueryEscape(network) + "&utm_medium=social&utm_campaign=" + url.QueryEscape(slug)
}

// articleSlug names an article in the outbox and in tracking links: the last segment of its URL
// ("/posts/lumiere-naturelle/" → "lumiere-naturelle").
func articleSlug(page *model.Page) string {
	u := strings.Trim(page.URL, "/")
	s := path.Base(u)
	if ext := path.Ext(s); ext == ".html" || ext == ".htm" {
		s = strings.TrimSuffix(s, ext)
	}
	if s == "." || s == "" {
		return "index"
	}
	return s
}

// outputPath maps an image URL to its file in the output folder; "" for an image elsewhere.
func outputPath(site *model.Site, u string) string {
	if base := strings.TrimSuffix(site.BaseURL, "/") + "/"; strings.HasPrefix(u, base) {
		u = "/" + strings.TrimPrefix(u, base)
	}
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return ""
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimPrefix(path.Clean(u), "/")
}
