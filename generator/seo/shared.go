package seo

import (
	"strings"
	"sync"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Shared is what the heads of all the pages of one site (one language of a multilingual site) have in
// common, worked out once rather than for each of its thousands of pages: the og:locale of its
// languages (a BCP 47 parse each), the owner's handles (URL parsing, a regular expression), the rel=me
// links, the title of the home page, and the JSON-LD of the owner and of the WebSite node. A Shared is
// read-only once made and may serve concurrent Builds.
type Shared struct {
	site *model.Site

	base      string // site.BaseURL without its trailing slash: an absolute URL is base + "/" + the path
	basePlain bool   // base needs no escaping inside a JSON string

	locale      string            // og:locale of the site's language
	locales     map[string]string // og:locale of each language of the site, by code
	defaultLang string            // the language served at the root, the target of x-default

	description string // the description of pages that have none: the site's, collapsed and cut
	homeTitle   string // the title of the home page (its first page)

	me        []Link // rel=me, one for each social account with a web address
	image     string // the owner's portrait, absolute, "" without one
	twitter   string // twitter:creator
	fediverse string // fediverse:creator

	org       bool   // the owner is an organization
	ownerName string // the owner's name: the author's, else the site's title
	currency  string // the currency of event prices that name none, upper case
	ownerRef  string // the JSON of the owner where another node points to it (see ownerRef)
	homeGraph string // the JSON of the WebSite and owner nodes of the home page, comma-separated

	bufs sync.Pool // *[]byte scratch buffers for JSON-LD
}

// NewShared works out what every head of site shares. The site's settings (base URL, title,
// description, languages, author, social accounts, params) must not change while it is used; its pages
// may.
func NewShared(site *model.Site) *Shared {
	sh := &Shared{
		site:        site,
		base:        strings.TrimSuffix(site.BaseURL, "/"),
		locale:      ogLocale(site.Language),
		defaultLang: defaultLanguage(site),
		description: cut(collapse(site.Description), DescriptionMax),
		homeTitle:   homeTitle(site),
		twitter:     twitterHandle(site.Social),
		fediverse:   fediverseCreator(site.Social),
		org:         isOrganization(site),
		ownerName:   ownerName(site),
	}
	sh.basePlain = jsonPlain(sh.base)
	if len(site.Languages) > 0 {
		sh.locales = make(map[string]string, len(site.Languages))
		for _, l := range site.Languages {
			sh.locales[l.Code] = ogLocale(l.Code)
		}
	}
	for _, s := range site.Social {
		if isHTTP(s.URL) {
			sh.me = append(sh.me, Link{Rel: "me", Href: s.URL})
		}
	}
	if site.Author.Image != "" {
		sh.image = site.AbsURL(site.Author.Image)
	}
	currency, _ := site.Params["currency"].(string)
	if currency == "" {
		currency = "EUR"
	}
	sh.currency = strings.ToUpper(currency)

	ref := jsonWriter{sh: sh}
	ref.ownerRef()
	sh.ownerRef = string(ref.b)
	home := jsonWriter{sh: sh}
	home.webSite()
	home.owner()
	sh.homeGraph = string(home.b)
	return sh
}

// ogLocaleOf is og:locale for one of the site's languages.
func (sh *Shared) ogLocaleOf(lang string) string {
	if l, ok := sh.locales[lang]; ok {
		return l
	}
	return ogLocale(lang)
}

// absURL appends site.AbsURL(rel) to b.
func (sh *Shared) absURL(b []byte, rel string) []byte {
	if strings.Contains(rel, "://") {
		return append(b, rel...)
	}
	b = append(b, sh.base...)
	b = append(b, '/')
	return append(b, strings.TrimPrefix(rel, "/")...)
}

// buffer returns a scratch buffer, empty; give it back with release.
func (sh *Shared) buffer() *[]byte {
	if b, ok := sh.bufs.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

// maxKept is the largest scratch buffer kept for the next page: a page with a huge graph does not pin
// its buffer.
const maxKept = 64 << 10

func (sh *Shared) release(b *[]byte) {
	if cap(*b) <= maxKept {
		sh.bufs.Put(b)
	}
}

// sameURL reports whether site.AbsURL(a) == site.AbsURL(b).
func (sh *Shared) sameURL(a, b string) bool {
	if !strings.Contains(a, "://") && !strings.Contains(b, "://") {
		return strings.TrimPrefix(a, "/") == strings.TrimPrefix(b, "/")
	}
	return sh.site.AbsURL(a) == sh.site.AbsURL(b)
}
