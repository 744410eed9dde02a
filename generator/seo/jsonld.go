package seo

import (
	"cmp"
	"encoding/json"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// The JSON-LD is appended by hand to a byte slice rather than marshalled. It was maps of any given to
// encoding/json: reflection over the maps, sorting their keys and boxing every value made it the
// costliest part of a page's head (half its CPU, most of its 227 allocations for an article, on every
// one of a site's thousands of pages). Typed structs would still go through reflection, and through
// interfaces where a value has several types (the nodes of the graph, an author, a location). The
// bytes are those encoding/json writes for the same graph in maps:
//
//   - the keys of each object are written in sorted order, as encoding/json writes a map's ("@id" and
//     "@type" first); TestJSONLDCanonical checks that re-encoding a graph changes nothing;
//   - a property without a value (empty string, zero number, empty list, no object) is left out, so
//     that no property is published without a value; the name of a breadcrumb item is always written;
//   - strings are escaped by encoding/json itself, when they need it at all (see appendJSONString):
//     <, > and & as \u003c, \u003e and \u0026, so that no value can close the <script> element or
//     open a comment.

// jsonWriter appends JSON to b.
type jsonWriter struct {
	b  []byte
	sh *Shared
	// comma says a value was written in the current object or array: the next one needs a comma.
	comma bool
}

func (w *jsonWriter) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
}

// open starts an object where a value goes; close ends it.
func (w *jsonWriter) open() {
	w.sep()
	w.b = append(w.b, '{')
	w.comma = false
}

func (w *jsonWriter) close() {
	w.b = append(w.b, '}')
	w.comma = true
}

// openArray starts an array where a value goes; closeArray ends it.
func (w *jsonWriter) openArray() {
	w.sep()
	w.b = append(w.b, '[')
	w.comma = false
}

func (w *jsonWriter) closeArray() {
	w.b = append(w.b, ']')
	w.comma = true
}

// key starts a property; k needs no escaping.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.comma = false
}

// value writes a string where a value goes.
func (w *jsonWriter) value(v string) {
	w.sep()
	w.b = appendJSONString(w.b, v)
	w.comma = true
}

// str writes the property k unless v is empty.
func (w *jsonWriter) str(k, v string) {
	if v != "" {
		w.key(k)
		w.value(v)
	}
}

// num writes the property k unless v is 0.
func (w *jsonWriter) num(k string, v int) {
	if v != 0 {
		w.key(k)
		w.b = strconv.AppendInt(w.b, int64(v), 10)
		w.comma = true
	}
}

// time writes the property k in RFC 3339 (see isoTime) unless t is zero. The text needs no escaping.
func (w *jsonWriter) time(k string, t time.Time) {
	if !t.IsZero() {
		w.key(k)
		w.b = append(w.b, '"')
		w.b = t.AppendFormat(w.b, time.RFC3339)
		w.b = append(w.b, '"')
		w.comma = true
	}
}

// url writes the property k: site.AbsURL(rel) followed by suffix, which needs no escaping.
// link writes the property k, a URL written as given (an event's online or registration link), when the
// URL policy lets it be a link; the loader has warned about the others already.
func (w *jsonWriter) link(k, u string) {
	if safeurl.Link(u) {
		w.str(k, u)
	}
}

func (w *jsonWriter) url(k, rel, suffix string) {
	w.key(k)
	w.urlValue(rel, suffix)
}

func (w *jsonWriter) urlValue(rel, suffix string) {
	w.sep()
	if w.sh.basePlain && jsonPlain(rel) {
		// The parts need no escaping, so neither does the whole.
		w.b = append(w.b, '"')
		w.b = w.sh.absURL(w.b, rel)
		w.b = append(w.b, suffix...)
		w.b = append(w.b, '"')
	} else {
		w.b = appendJSONString(w.b, w.sh.site.AbsURL(rel)+suffix)
	}
	w.comma = true
}

// raw writes the property k, JSON made beforehand.
func (w *jsonWriter) raw(k, json string) {
	w.key(k)
	w.b = append(w.b, json...)
	w.comma = true
}

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes it. Most strings of a
// head need no escaping (jsonPlain) and are copied as they are; the others go through encoding/json,
// so that its rules (HTML characters, invalid UTF-8, U+2028) are the only ones.
func appendJSONString(b []byte, s string) []byte {
	if jsonPlain(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	data, err := json.Marshal(s)
	if err != nil {
		panic("seo: " + err.Error()) // a string always marshals
	}
	return append(b, data...)
}

// jsonPlain reports whether encoding/json writes s as it is between quotes: valid UTF-8 without
// control characters, quotes, backslashes, <, >, &, U+2028 or U+2029.
func jsonPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// jsonLD is the page's schema.org graph in a <script> element, "" when the page has none.
func (sh *Shared) jsonLD(in Input, h *Head) template.HTML {
	page := in.Page
	buf := sh.buffer()
	defer sh.release(buf)
	w := jsonWriter{b: *buf, sh: sh}
	const open = `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[`
	w.b = append(w.b, open...)
	switch page.Kind {
	case model.KindHome:
		w.sep()
		w.b = append(w.b, sh.homeGraph...)
		w.comma = true
	case model.KindArticle:
		w.blogPosting(page, h)
	case model.KindProject:
		w.creativeWork(page, h)
	case model.KindEvent:
		w.event(page, h)
	}
	for i, v := range page.Videos {
		w.videoObject(page, h, i, v)
	}
	if page.Kind != model.KindHome {
		w.breadcrumbs(page)
	}
	*buf = w.b
	if len(w.b) == len(open) {
		return ""
	}
	w.b = append(w.b, "]}</script>"...)
	*buf = w.b
	return template.HTML(w.b)
}

// isOrganization reports whether the owner is an association or a company rather than a person:
// params.ownerType = "organization" in vitrine.toml.
func isOrganization(site *model.Site) bool {
	t, _ := site.Params["ownerType"].(string)
	return strings.EqualFold(t, "organization") || strings.EqualFold(t, "organisation")
}

// ownerFragment is the end of the owner's @id.
func (w *jsonWriter) ownerFragment() string {
	if w.sh.org {
		return "#organization"
	}
	return "#person"
}

func ownerName(site *model.Site) string {
	if site.Author.Name != "" {
		return site.Author.Name
	}
	return site.Title
}

// ownerType is the schema.org type of the owner.
func (w *jsonWriter) ownerType() string {
	if w.sh.org {
		return "Organization"
	}
	return "Person"
}

// ownerRef names the owner where another node points to it (author, publisher, organizer): with
// @id for graphs that hold the whole owner, with name and url for readers that do not follow @id.
func (w *jsonWriter) ownerRef() {
	w.open()
	w.url("@id", "/", w.ownerFragment())
	w.str("@type", w.ownerType())
	w.str("name", w.sh.ownerName)
	w.url("url", "/", "")
	w.close()
}

// owner is the whole Person or Organization node of the home page. The e-mail address is left out on
// purpose: structured data is read by harvesters too.
func (w *jsonWriter) owner() {
	site := w.sh.site
	w.open()
	w.url("@id", "/", w.ownerFragment())
	w.str("@type", w.ownerType())
	w.str("description", site.Author.Description)
	if w.sh.org {
		logo, _ := site.Params["logo"].(string)
		if logo == "" {
			logo = site.Author.Image
		}
		if logo != "" {
			w.url("logo", logo, "")
		}
	} else {
		if img := site.Author.Image; img != "" {
			w.url("image", img, "")
		}
		w.str("jobTitle", site.Author.JobTitle)
	}
	w.str("name", w.sh.ownerName)
	if len(w.sh.me) > 0 {
		w.key("sameAs")
		w.openArray()
		for _, l := range w.sh.me {
			if safeurl.Link(l.Href) {
				w.value(l.Href)
			}
		}
		w.closeArray()
	}
	w.url("url", "/", "")
	w.close()
}

func (w *jsonWriter) webSite() {
	site := w.sh.site
	w.open()
	w.url("@id", "/", "#website")
	w.str("@type", "WebSite")
	w.str("description", site.Description)
	w.str("inLanguage", site.Language)
	w.str("name", site.Title)
	w.key("publisher")
	w.open()
	w.url("@id", "/", w.ownerFragment())
	w.close()
	w.url("url", "/", "")
	w.close()
}

// images are the page's share image and its square variant, absolute: Google picks the ratio it
// needs from the list.
func (w *jsonWriter) images(page *model.Page) {
	var urls [2]string
	n := 0
	for _, img := range [...]*model.Image{page.Share, page.Square} {
		if img != nil && img.URL != "" {
			urls[n] = img.URL
			n++
		}
	}
	if n == 2 && w.sh.sameURL(urls[0], urls[1]) {
		n = 1
	}
	if n == 0 {
		return
	}
	w.key("image")
	w.openArray()
	for _, u := range urls[:n] {
		w.urlValue(u, "")
	}
	w.closeArray()
}

// author is the page's author: front matter's author (a name) when it differs from the owner, else
// the owner.
func (w *jsonWriter) author(k string, page *model.Page) {
	w.key(k)
	if name, _ := page.Params["author"].(string); name != "" && name != w.sh.ownerName {
		w.open()
		w.str("@type", "Person")
		w.str("name", name)
		w.close()
		return
	}
	w.b = append(w.b, w.sh.ownerRef...)
	w.comma = true
}

// keywords writes the page's tags, comma-separated.
func (w *jsonWriter) keywords(tags []string) {
	n := 0
	plain := true
	for _, t := range tags {
		n += len(t)
		plain = plain && jsonPlain(t)
	}
	if n == 0 && len(tags) < 2 {
		return // strings.Join gives ""
	}
	w.key("keywords")
	w.sep()
	if !plain {
		w.b = appendJSONString(w.b, strings.Join(tags, ", "))
	} else {
		w.b = append(w.b, '"')
		for i, t := range tags {
			if i > 0 {
				w.b = append(w.b, ", "...)
			}
			w.b = append(w.b, t...)
		}
		w.b = append(w.b, '"')
	}
	w.comma = true
}

func (w *jsonWriter) blogPosting(page *model.Page, h *Head) {
	w.open()
	w.url("@id", page.URL, "#article")
	w.str("@type", "BlogPosting")
	w.author("author", page)
	w.time("dateModified", page.Modified())
	w.time("datePublished", page.Date)
	w.str("description", h.Description)
	w.str("headline", cut(collapse(page.Title), HeadlineMax))
	w.images(page)
	w.str("inLanguage", w.sh.site.Language)
	w.keywords(page.Tags)
	w.key("mainEntityOfPage")
	w.open()
	w.url("@id", page.URL, "")
	w.str("@type", "WebPage")
	w.close()
	w.raw("publisher", w.sh.ownerRef)
	if len(page.Syndication) > 0 {
		// The same article on social networks, from the syndication ledger.
		w.key("sameAs")
		w.openArray()
		for _, s := range page.Syndication {
			if safeurl.Link(s.URL) {
				w.value(s.URL)
			}
		}
		w.closeArray()
	}
	w.url("url", page.URL, "")
	w.num("wordCount", page.WordCount)
	w.close()
}

func (w *jsonWriter) creativeWork(page *model.Page, h *Head) {
	w.open()
	w.url("@id", page.URL, "#work")
	w.str("@type", "CreativeWork")
	w.author("creator", page)
	w.time("dateCreated", page.Date)
	w.time("dateModified", page.Lastmod)
	w.str("description", h.Description)
	w.images(page)
	w.str("inLanguage", w.sh.site.Language)
	w.keywords(page.Tags)
	w.str("name", page.Title)
	w.url("url", page.URL, "")
	w.close()
}

// videoObject describes a video the page shows. Search engines want a name, a thumbnail and an upload
// date: the page's date stands for the last.
func (w *jsonWriter) videoObject(page *model.Page, h *Head, i int, v model.Video) {
	w.open()
	w.url("@id", page.URL, "#video-"+strconv.Itoa(i+1))
	w.str("@type", "VideoObject")
	if v.ContentURL != "" {
		w.url("contentUrl", v.ContentURL, "")
	}
	w.str("description", cmp.Or(h.Description, v.Title))
	w.str("embedUrl", v.EmbedURL)
	w.str("inLanguage", w.sh.site.Language)
	w.str("name", v.Title)
	if v.Thumbnail != "" {
		w.url("thumbnailUrl", v.Thumbnail, "")
	}
	w.time("uploadDate", page.Date)
	if v.EmbedURL != "" {
		w.str("url", v.URL)
	}
	w.close()
}

// eventStatuses maps front matter's status to schema.org's EventStatusType.
var eventStatuses = map[string]string{
	"scheduled":   "https://schema.org/EventScheduled",
	"cancelled":   "https://schema.org/EventCancelled",
	"canceled":    "https://schema.org/EventCancelled",
	"postponed":   "https://schema.org/EventPostponed",
	"rescheduled": "https://schema.org/EventRescheduled",
	"online":      "https://schema.org/EventMovedOnline",
}

func (w *jsonWriter) event(page *model.Page, h *Head) {
	w.open()
	w.url("@id", page.URL, "#event")
	w.str("@type", "Event")
	w.str("description", h.Description)
	ev := page.Event
	if ev != nil {
		w.time("endDate", ev.End)
		place, virtual := !ev.Location.IsZero(), ev.Online != ""
		switch {
		case place && virtual:
			w.str("eventAttendanceMode", "https://schema.org/MixedEventAttendanceMode")
		case virtual:
			w.str("eventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode")
		case place:
			w.str("eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode")
		}
		status := eventStatuses[strings.ToLower(ev.Status)]
		if status == "" {
			status = eventStatuses["scheduled"]
		}
		w.str("eventStatus", status)
	}
	w.images(page)
	w.str("inLanguage", w.sh.site.Language)
	if ev != nil {
		place, virtual := !ev.Location.IsZero(), ev.Online != ""
		if place || virtual {
			w.key("location")
		}
		if place && virtual {
			w.openArray()
		}
		if virtual {
			w.open()
			w.str("@type", "VirtualLocation")
			w.link("url", ev.Online)
			w.close()
		}
		if place {
			w.place(ev.Location)
		}
		if place && virtual {
			w.closeArray()
		}
	}
	w.str("name", page.Title)
	if ev != nil {
		w.offer(ev)
	}
	w.raw("organizer", w.sh.ownerRef)
	if ev != nil {
		w.time("startDate", ev.Start)
	}
	w.url("url", page.URL, "")
	w.close()
}

func (w *jsonWriter) place(l model.Location) {
	w.open()
	w.str("@type", "Place")
	if l.Address != "" || l.PostalCode != "" || l.City != "" || l.Country != "" {
		w.key("address")
		w.open()
		w.str("@type", "PostalAddress")
		w.str("addressCountry", l.Country)
		w.str("addressLocality", l.City)
		w.str("postalCode", l.PostalCode)
		w.str("streetAddress", l.Address)
		w.close()
	}
	w.str("name", l.Name)
	w.close()
}

// offer is how to attend: the registration link and the price when the price text reads as one. An
// event with neither gets no offer.
func (w *jsonWriter) offer(ev *model.Event) {
	price, cur, ok := parsePrice(ev.Price, w.sh.currency)
	if ev.Registration == "" && !ok {
		return
	}
	w.key("offers")
	w.open()
	w.str("@type", "Offer")
	w.str("availability", "https://schema.org/InStock")
	if ok {
		w.str("price", price)
		w.str("priceCurrency", cur)
	}
	w.link("url", ev.Registration)
	w.close()
}

// breadcrumbs writes the trail from the home page down to the page, through its parents; nothing when
// the page has no parent to show.
func (w *jsonWriter) breadcrumbs(page *model.Page) {
	site := w.sh.site
	var room [8]*model.Page
	chain := room[:0]
	for p := page; p != nil && !slices.Contains(chain, p); p = p.Parent {
		chain = append(chain, p)
	}
	slices.Reverse(chain)
	if chain[0].Kind != model.KindHome && site.Home != nil && site.Home != chain[0] {
		chain = slices.Insert(chain, 0, site.Home)
	}
	if len(chain) < 2 {
		return
	}
	w.open()
	w.str("@type", "BreadcrumbList")
	w.key("itemListElement")
	w.openArray()
	for i, p := range chain {
		name := p.Title
		if p.Kind == model.KindHome || name == "" {
			name = site.Title
		}
		w.open()
		w.str("@type", "ListItem")
		w.url("item", p.URL, "")
		w.key("name")
		w.value(name)
		w.num("position", i+1)
		w.close()
	}
	w.closeArray()
	w.close()
}
