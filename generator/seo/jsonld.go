package seo

import (
	"cmp"
	"encoding/json"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// node is one JSON-LD object. encoding/json writes map keys sorted, which makes the bytes
// deterministic and puts "@id" and "@type" first.
type node map[string]any

// put sets k unless v is empty, so that no property is published without a value.
func (n node) put(k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if x == "" {
			return
		}
	case int:
		if x == 0 {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case node:
		if len(x) == 0 {
			return
		}
	case []node:
		if len(x) == 0 {
			return
		}
	}
	n[k] = v
}

// jsonLD is the page's schema.org graph in a <script> element. json.Marshal escapes <, > and & as
// \u003c, \u003e and \u0026, so no value can close the element or open a comment.
func jsonLD(in Input, h Head) template.HTML {
	site, page := in.Site, in.Page
	var graph []node
	switch page.Kind {
	case model.KindHome:
		graph = append(graph, webSite(site), owner(site))
	case model.KindArticle:
		graph = append(graph, blogPosting(site, page, h))
	case model.KindProject:
		graph = append(graph, creativeWork(site, page, h))
	case model.KindEvent:
		graph = append(graph, event(site, page, h))
	}
	for i, v := range page.Videos {
		graph = append(graph, videoObject(site, page, h, i, v))
	}
	if page.Kind != model.KindHome {
		if bc := breadcrumbs(site, page); bc != nil {
			graph = append(graph, bc)
		}
	}
	if len(graph) == 0 {
		return ""
	}
	data, err := json.Marshal(node{"@context": "https://schema.org", "@graph": graph})
	if err != nil {
		// Only strings, numbers, maps and slices go in: Marshal cannot fail.
		panic("seo: " + err.Error())
	}
	return template.HTML(`<script type="application/ld+json">` + string(data) + `</script>`)
}

// isOrganization reports whether the owner is an association or a company rather than a person:
// params.ownerType = "organization" in vitrine.toml.
func isOrganization(site *model.Site) bool {
	t, _ := site.Params["ownerType"].(string)
	return strings.EqualFold(t, "organization") || strings.EqualFold(t, "organisation")
}

func ownerID(site *model.Site) string {
	if isOrganization(site) {
		return site.AbsURL("/") + "#organization"
	}
	return site.AbsURL("/") + "#person"
}

func ownerName(site *model.Site) string {
	if site.Author.Name != "" {
		return site.Author.Name
	}
	return site.Title
}

// ownerRef names the owner where another node points to it (author, publisher, organizer): with
// @id for graphs that hold the whole owner, with name and url for readers that do not follow @id.
func ownerRef(site *model.Site) node {
	n := node{"@id": ownerID(site), "@type": "Person"}
	if isOrganization(site) {
		n["@type"] = "Organization"
	}
	n.put("name", ownerName(site))
	n.put("url", site.AbsURL("/"))
	return n
}

// owner is the whole Person or Organization node of the home page. The e-mail address is left out on
// purpose: structured data is read by harvesters too.
func owner(site *model.Site) node {
	n := ownerRef(site)
	n.put("description", site.Author.Description)
	if isOrganization(site) {
		logo, _ := site.Params["logo"].(string)
		if logo == "" {
			logo = site.Author.Image
		}
		if logo != "" {
			n.put("logo", site.AbsURL(logo))
		}
	} else {
		if img := site.Author.Image; img != "" {
			n.put("image", site.AbsURL(img))
		}
		n.put("jobTitle", site.Author.JobTitle)
	}
	var sameAs []string
	for _, s := range site.Social {
		if isHTTP(s.URL) {
			sameAs = append(sameAs, s.URL)
		}
	}
	n.put("sameAs", sameAs)
	return n
}

func webSite(site *model.Site) node {
	n := node{"@type": "WebSite", "@id": site.AbsURL("/") + "#website"}
	n.put("name", site.Title)
	n.put("url", site.AbsURL("/"))
	n.put("description", site.Description)
	n.put("inLanguage", site.Language)
	n.put("publisher", node{"@id": ownerID(site)})
	return n
}

// images are the page's share image and its square variant, absolute: Google picks the ratio it
// needs from the list.
func images(site *model.Site, page *model.Page) []string {
	var out []string
	for _, img := range []*model.Image{page.Share, page.Square} {
		if img != nil && img.URL != "" && !slices.Contains(out, site.AbsURL(img.URL)) {
			out = append(out, site.AbsURL(img.URL))
		}
	}
	return out
}

// author is the page's author: front matter's author (a name) when it differs from the owner, else
// the owner.
func author(site *model.Site, page *model.Page) node {
	if name, _ := page.Params["author"].(string); name != "" && name != ownerName(site) {
		return node{"@type": "Person", "name": name}
	}
	return ownerRef(site)
}

func blogPosting(site *model.Site, page *model.Page, h Head) node {
	url := site.AbsURL(page.URL)
	n := node{"@type": "BlogPosting", "@id": url + "#article"}
	n.put("headline", cut(collapse(page.Title), HeadlineMax))
	n.put("description", h.Description)
	n.put("image", images(site, page))
	n.put("datePublished", isoTime(page.Date))
	n.put("dateModified", isoTime(page.Modified()))
	n.put("author", author(site, page))
	n.put("publisher", ownerRef(site))
	n.put("mainEntityOfPage", node{"@type": "WebPage", "@id": url})
	n.put("keywords", strings.Join(page.Tags, ", "))
	n.put("wordCount", page.WordCount)
	n.put("inLanguage", site.Language)
	n.put("url", url)
	if len(page.Syndication) > 0 {
		// The same article on social networks, from the syndication ledger.
		var same []string
		for _, s := range page.Syndication {
			same = append(same, s.URL)
		}
		n.put("sameAs", same)
	}
	return n
}

func creativeWork(site *model.Site, page *model.Page, h Head) node {
	url := site.AbsURL(page.URL)
	n := node{"@type": "CreativeWork", "@id": url + "#work"}
	n.put("name", page.Title)
	n.put("description", h.Description)
	n.put("image", images(site, page))
	n.put("dateCreated", isoTime(page.Date))
	if !page.Lastmod.IsZero() {
		n.put("dateModified", isoTime(page.Lastmod))
	}
	n.put("creator", author(site, page))
	n.put("keywords", strings.Join(page.Tags, ", "))
	n.put("inLanguage", site.Language)
	n.put("url", url)
	return n
}

// videoObject describes a video the page shows. Search engines want a name, a thumbnail and an upload
// date: the page's date stands for the last.
func videoObject(site *model.Site, page *model.Page, h Head, i int, v model.Video) node {
	n := node{"@type": "VideoObject", "@id": site.AbsURL(page.URL) + "#video-" + strconv.Itoa(i+1)}
	n.put("name", v.Title)
	n.put("description", cmp.Or(h.Description, v.Title))
	if v.Thumbnail != "" {
		n.put("thumbnailUrl", site.AbsURL(v.Thumbnail))
	}
	n.put("uploadDate", isoTime(page.Date))
	if v.ContentURL != "" {
		n.put("contentUrl", site.AbsURL(v.ContentURL))
	}
	n.put("embedUrl", v.EmbedURL)
	if v.EmbedURL != "" {
		n.put("url", v.URL)
	}
	n.put("inLanguage", site.Language)
	return n
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

func event(site *model.Site, page *model.Page, h Head) node {
	url := site.AbsURL(page.URL)
	n := node{"@type": "Event", "@id": url + "#event"}
	n.put("name", page.Title)
	n.put("description", h.Description)
	n.put("image", images(site, page))
	n.put("url", url)
	n.put("inLanguage", site.Language)
	n.put("organizer", ownerRef(site))
	ev := page.Event
	if ev == nil {
		return n
	}
	n.put("startDate", isoTime(ev.Start))
	n.put("endDate", isoTime(ev.End))
	status := eventStatuses[strings.ToLower(ev.Status)]
	if status == "" {
		status = eventStatuses["scheduled"]
	}
	n.put("eventStatus", status)

	var place, virtual node
	if l := ev.Location; !l.IsZero() {
		place = node{"@type": "Place"}
		place.put("name", l.Name)
		addr := node{"@type": "PostalAddress"}
		addr.put("streetAddress", l.Address)
		addr.put("postalCode", l.PostalCode)
		addr.put("addressLocality", l.City)
		addr.put("addressCountry", l.Country)
		if len(addr) > 1 {
			place.put("address", addr)
		}
	}
	if ev.Online != "" {
		virtual = node{"@type": "VirtualLocation", "url": ev.Online}
	}
	switch {
	case place != nil && virtual != nil:
		n.put("eventAttendanceMode", "https://schema.org/MixedEventAttendanceMode")
		n.put("location", []node{virtual, place})
	case virtual != nil:
		n.put("eventAttendanceMode", "https://schema.org/OnlineEventAttendanceMode")
		n.put("location", virtual)
	case place != nil:
		n.put("eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode")
		n.put("location", place)
	}
	n.put("offers", offer(site, ev))
	return n
}

// offer is how to attend: the registration link and the price when the price text reads as one. An
// event with neither gets no offer.
func offer(site *model.Site, ev *model.Event) node {
	currency, _ := site.Params["currency"].(string)
	if currency == "" {
		currency = "EUR"
	}
	price, cur, ok := parsePrice(ev.Price, strings.ToUpper(currency))
	if ev.Registration == "" && !ok {
		return nil
	}
	n := node{"@type": "Offer", "availability": "https://schema.org/InStock"}
	n.put("url", ev.Registration)
	if ok {
		n.put("price", price)
		n.put("priceCurrency", cur)
	}
	return n
}

// breadcrumbs is the trail from the home page down to the page, through its parents; nil when the
// page has no parent to show.
func breadcrumbs(site *model.Site, page *model.Page) node {
	var chain []*model.Page
	for p := page; p != nil && !slices.Contains(chain, p); p = p.Parent {
		chain = append(chain, p)
	}
	slices.Reverse(chain)
	if chain[0].Kind != model.KindHome && site.Home != nil && site.Home != chain[0] {
		chain = slices.Insert(chain, 0, site.Home)
	}
	if len(chain) < 2 {
		return nil
	}
	items := make([]node, len(chain))
	for i, p := range chain {
		name := p.Title
		if p.Kind == model.KindHome || name == "" {
			name = site.Title
		}
		items[i] = node{"@type": "ListItem", "position": i + 1, "name": name, "item": site.AbsURL(p.URL)}
	}
	return node{"@type": "BreadcrumbList", "itemListElement": items}
}
