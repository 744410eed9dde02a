package seo

import (
	"encoding/json"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture is Camille's site: a home page, a posts section with one article, an events section with one
// event at a place with registration and price, a tag page.
type fixture struct {
	site                     *model.Site
	home, posts, events, tag *model.Page
	article, event           *model.Page
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	site := &model.Site{
		BaseURL:     "https://camille.example/",
		Title:       "Camille Roussel",
		Description: "Photographe et community manager indépendante à Lyon : portraits, reportages et réseaux sociaux.",
		Language:    "fr",
		Location:    paris,
		Author: model.Author{
			Name:        "Camille Roussel",
			JobTitle:    "Photographe et community manager",
			Email:       "bonjour@camille.example",
			Image:       "/images/camille.jpg",
			Description: "Photographe installée à Lyon depuis 2019.",
		},
		Social: []model.Social{
			{Network: "bluesky", URL: "https://bsky.app/profile/camille.example"},
			{Network: "linkedin", URL: "https://www.linkedin.com/in/camille-roussel"},
			{Network: "mastodon", URL: "https://piaille.fr/@camille"},
		},
		Params: map[string]any{"tagline": "Des photos vraies, depuis Lyon."},
	}
	f := &fixture{site: site}
	f.home = &model.Page{Kind: model.KindHome, URL: "/", Title: "Accueil", Params: map[string]any{}}
	f.posts = &model.Page{Kind: model.KindSection, Section: "posts", URL: "/posts/", Title: "Articles",
		Description: "Le carnet de Camille.", Parent: f.home, Params: map[string]any{}}
	f.events = &model.Page{Kind: model.KindSection, Section: "events", URL: "/events/", Title: "Événements",
		Parent: f.home, Params: map[string]any{}}
	tags := &model.Page{Kind: model.KindTaxonomy, URL: "/tags/", Title: "Étiquettes", Parent: f.home}
	f.tag = &model.Page{Kind: model.KindTerm, URL: "/tags/lyon/", Title: "Lyon", Parent: tags}
	f.article = &model.Page{
		Kind: model.KindArticle, Section: "posts", Source: "content/posts/lumiere.md",
		URL:         "/posts/lumiere-du-soir/",
		Title:       "Lumière du soir : photographier Lyon en été",
		Description: "Les quais du Rhône à l’heure dorée, et comment régler son appareil.",
		Date:        time.Date(2026, 6, 21, 9, 30, 0, 0, paris),
		Lastmod:     time.Date(2026, 7, 2, 18, 0, 0, 0, paris),
		Tags:        []string{"photographie", "Lyon"},
		Summary:     "<p>Résumé.</p>",
		WordCount:   812,
		Parent:      f.posts,
		Params:      map[string]any{},
		Share:       &model.Image{URL: "/posts/lumiere-du-soir/card.png", Width: 1200, Height: 630, Alt: "Lumière du soir : photographier Lyon en été, par Camille Roussel"},
		Square:      &model.Image{URL: "/posts/lumiere-du-soir/card-square.png", Width: 1080, Height: 1080},
	}
	f.event = &model.Page{
		Kind: model.KindEvent, Section: "events", Source: "content/events/atelier.md",
		URL:         "/events/atelier-smartphone/",
		Title:       "Atelier photo au smartphone",
		Description: "Un après-midi pour apprendre à photographier son activité avec son téléphone.",
		Date:        time.Date(2026, 11, 12, 9, 0, 0, 0, paris),
		Tags:        []string{"associations"},
		Parent:      f.events,
		Params:      map[string]any{},
		Share:       &model.Image{URL: "/events/atelier-smartphone/card.png", Width: 1200, Height: 630, Alt: "Atelier photo au smartphone"},
		Event: &model.Event{
			Start: time.Date(2027, 1, 16, 14, 0, 0, 0, paris),
			End:   time.Date(2027, 1, 16, 17, 30, 0, 0, paris),
			Location: model.Location{Name: "Café associatif La Ficelle", Address: "8 rue d’Austerlitz",
				PostalCode: "69004", City: "Lyon", Country: "FR"},
			Status:       "scheduled",
			Registration: "https://lumieres.example/inscriptions/atelier",
			Price:        "15\u00a0€",
		},
	}
	f.home.Children = []*model.Page{f.article}
	f.posts.Children = []*model.Page{f.article}
	f.events.Children = []*model.Page{f.event}
	site.Home = f.home
	site.Sections = map[string]*model.Page{"posts": f.posts, "events": f.events}
	site.Pages = []*model.Page{f.home, f.events, f.event, f.posts, f.article, tags, f.tag}
	return f
}

func (f *fixture) input(p *model.Page) Input {
	in := Input{Site: f.site, Page: p, ThemeColor: "#fbf8f3", Feeds: []Feed{
		{Type: "application/rss+xml", Title: "Camille Roussel", URL: "/index.xml"},
		{Type: "application/atom+xml", Title: "Camille Roussel", URL: "/atom.xml"},
	}}
	if p.Kind == model.KindHome {
		in.NextURL = "/page/2/"
	}
	return in
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// graph parses the JSON-LD of a head back and returns its nodes by @type.
func graph(t *testing.T, h Head) map[string]map[string]any {
	t.Helper()
	s := string(h.JSONLD)
	const open, end = `<script type="application/ld+json">`, `</script>`
	if !strings.HasPrefix(s, open) || !strings.HasSuffix(s, end) {
		t.Fatalf("JSON-LD is not one script element: %q", s)
	}
	var doc struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(s[len(open):len(s)-len(end)]), &doc); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, s)
	}
	if doc.Context != "https://schema.org" {
		t.Errorf("@context = %q", doc.Context)
	}
	out := map[string]map[string]any{}
	for _, n := range doc.Graph {
		typ, _ := n["@type"].(string)
		if out[typ] != nil {
			t.Errorf("two %s nodes in the graph", typ)
		}
		out[typ] = n
	}
	return out
}

// meta returns the values of the meta tags named key, in order.
func meta(h Head, key string) []string {
	var out []string
	for _, m := range h.Meta {
		if m.Key == key {
			out = append(out, m.Value)
		}
	}
	return out
}

func meta1(t *testing.T, h Head, key string) string {
	t.Helper()
	v := meta(h, key)
	if len(v) != 1 {
		t.Errorf("meta %s: %d tags %q, want 1", key, len(v), v)
		return ""
	}
	return v[0]
}

// path walks a decoded JSON value: path(n, "location", "address", "postalCode").
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestArticle(t *testing.T) {
	f := newFixture(t)
	h := Build(f.input(f.article))
	golden(t, "article.html", string(h.HTML()))

	if want := "Lumière du soir : photographier Lyon en été · Camille Roussel"; h.Title != want {
		t.Errorf("Title = %q, want %q", h.Title, want)
	}
	if h.Canonical != "https://camille.example/posts/lumiere-du-soir/" {
		t.Errorf("Canonical = %q", h.Canonical)
	}
	for key, want := range map[string]string{
		"og:type":                "article",
		"og:title":               f.article.Title,
		"og:description":         f.article.Description,
		"og:url":                 h.Canonical,
		"og:image":               "https://camille.example/posts/lumiere-du-soir/card.png",
		"og:image:width":         "1200",
		"og:image:height":        "630",
		"og:image:alt":           f.article.Share.Alt,
		"og:locale":              "fr_FR",
		"og:site_name":           "Camille Roussel",
		"article:published_time": "2026-06-21T09:30:00+02:00",
		"article:modified_time":  "2026-07-02T18:00:00+02:00",
		"twitter:card":           "summary_large_image",
		"twitter:image":          "https://camille.example/posts/lumiere-du-soir/card.png",
		"fediverse:creator":      "@camille@piaille.fr",
		"theme-color":            "#fbf8f3",
	} {
		if got := meta1(t, h, key); got != want {
			t.Errorf("meta %s = %q, want %q", key, got, want)
		}
	}
	if got := meta(h, "article:tag"); !slices.Equal(got, []string{"photographie", "Lyon"}) {
		t.Errorf("article:tag = %q", got)
	}

	g := graph(t, h)
	bp := g["BlogPosting"]
	if bp == nil {
		t.Fatalf("no BlogPosting in %s", h.JSONLD)
	}
	for key, want := range map[string]any{
		"headline":      f.article.Title,
		"datePublished": "2026-06-21T09:30:00+02:00",
		"dateModified":  "2026-07-02T18:00:00+02:00",
		"keywords":      "photographie, Lyon",
		"wordCount":     812.0,
		"inLanguage":    "fr",
		"url":           h.Canonical,
	} {
		if got := bp[key]; got != want {
			t.Errorf("BlogPosting.%s = %v, want %v", key, got, want)
		}
	}
	if got := path(bp, "author", "name"); got != "Camille Roussel" {
		t.Errorf("BlogPosting.author.name = %v", got)
	}
	if got := path(bp, "author", "@type"); got != "Person" {
		t.Errorf("BlogPosting.author.@type = %v", got)
	}
	if got := path(bp, "author", "url"); got != "https://camille.example/" {
		t.Errorf("BlogPosting.author.url = %v", got)
	}
	if got := path(bp, "mainEntityOfPage", "@id"); got != h.Canonical {
		t.Errorf("BlogPosting.mainEntityOfPage = %v", got)
	}
	if imgs, _ := bp["image"].([]any); len(imgs) != 2 || imgs[0] != "https://camille.example/posts/lumiere-du-soir/card.png" {
		t.Errorf("BlogPosting.image = %v", bp["image"])
	}
	if strings.Contains(string(h.JSONLD), "bonjour@camille.example") {
		t.Error("the owner's e-mail address is published in JSON-LD")
	}
	checkBreadcrumbs(t, g, []string{"Camille Roussel", "Articles", f.article.Title},
		[]string{"https://camille.example/", "https://camille.example/posts/", h.Canonical})
}

func checkBreadcrumbs(t *testing.T, g map[string]map[string]any, names, urls []string) {
	t.Helper()
	items, _ := g["BreadcrumbList"]["itemListElement"].([]any)
	if len(items) != len(names) {
		t.Fatalf("BreadcrumbList has %d items, want %d: %v", len(items), len(names), g["BreadcrumbList"])
	}
	for i, it := range items {
		if got := path(it, "position"); got != float64(i+1) {
			t.Errorf("item %d: position %v", i, got)
		}
		if got := path(it, "name"); got != names[i] {
			t.Errorf("item %d: name %v, want %s", i, got, names[i])
		}
		if got := path(it, "item"); got != urls[i] {
			t.Errorf("item %d: item %v, want %s", i, got, urls[i])
		}
	}
}

func TestEvent(t *testing.T) {
	f := newFixture(t)
	h := Build(f.input(f.event))
	golden(t, "event.html", string(h.HTML()))

	if got := meta1(t, h, "og:type"); got != "article" {
		t.Errorf("og:type = %q", got)
	}
	g := graph(t, h)
	ev := g["Event"]
	if ev == nil {
		t.Fatalf("no Event in %s", h.JSONLD)
	}
	for _, c := range []struct {
		path []string
		want any
	}{
		{[]string{"name"}, "Atelier photo au smartphone"},
		{[]string{"startDate"}, "2027-01-16T14:00:00+01:00"},
		{[]string{"endDate"}, "2027-01-16T17:30:00+01:00"},
		{[]string{"eventStatus"}, "https://schema.org/EventScheduled"},
		{[]string{"eventAttendanceMode"}, "https://schema.org/OfflineEventAttendanceMode"},
		{[]string{"location", "@type"}, "Place"},
		{[]string{"location", "name"}, "Café associatif La Ficelle"},
		{[]string{"location", "address", "@type"}, "PostalAddress"},
		{[]string{"location", "address", "streetAddress"}, "8 rue d’Austerlitz"},
		{[]string{"location", "address", "postalCode"}, "69004"},
		{[]string{"location", "address", "addressLocality"}, "Lyon"},
		{[]string{"location", "address", "addressCountry"}, "FR"},
		{[]string{"organizer", "name"}, "Camille Roussel"},
		{[]string{"organizer", "url"}, "https://camille.example/"},
		{[]string{"offers", "@type"}, "Offer"},
		{[]string{"offers", "url"}, "https://lumieres.example/inscriptions/atelier"},
		{[]string{"offers", "price"}, "15"},
		{[]string{"offers", "priceCurrency"}, "EUR"},
		{[]string{"offers", "availability"}, "https://schema.org/InStock"},
		{[]string{"url"}, "https://camille.example/events/atelier-smartphone/"},
	} {
		if got := path(ev, c.path...); got != c.want {
			t.Errorf("Event.%s = %v, want %v", strings.Join(c.path, "."), got, c.want)
		}
	}
	checkBreadcrumbs(t, g, []string{"Camille Roussel", "Événements", f.event.Title},
		[]string{"https://camille.example/", "https://camille.example/events/", h.Canonical})
}

func TestEventOnlineAndMixed(t *testing.T) {
	f := newFixture(t)
	ev := f.event.Event
	ev.Online = "https://visio.example/atelier"
	ev.Status = "postponed"
	ev.Price = "Gratuit"
	g := graph(t, Build(f.input(f.event)))["Event"]
	if got := g["eventAttendanceMode"]; got != "https://schema.org/MixedEventAttendanceMode" {
		t.Errorf("mixed: eventAttendanceMode = %v", got)
	}
	if got := g["eventStatus"]; got != "https://schema.org/EventPostponed" {
		t.Errorf("eventStatus = %v", got)
	}
	locs, _ := g["location"].([]any)
	if len(locs) != 2 || path(locs[0], "@type") != "VirtualLocation" || path(locs[1], "@type") != "Place" {
		t.Errorf("mixed: location = %v", g["location"])
	}
	if path(g, "offers", "price") != "0" || path(g, "offers", "priceCurrency") != "EUR" {
		t.Errorf("free event: offers = %v", g["offers"])
	}

	ev.Location = model.Location{}
	ev.Registration, ev.Price = "", "10 € / 5 € tarif réduit"
	g = graph(t, Build(f.input(f.event)))["Event"]
	if got := g["eventAttendanceMode"]; got != "https://schema.org/OnlineEventAttendanceMode" {
		t.Errorf("online: eventAttendanceMode = %v", got)
	}
	if got := path(g, "location", "url"); got != "https://visio.example/atelier" {
		t.Errorf("online: location = %v", g["location"])
	}
	if _, ok := g["offers"]; ok {
		t.Errorf("no registration and no readable price, yet offers = %v", g["offers"])
	}
}

func TestHome(t *testing.T) {
	f := newFixture(t)
	h := Build(f.input(f.home))
	golden(t, "home.html", string(h.HTML()))

	if want := "Camille Roussel — Des photos vraies, depuis Lyon."; h.Title != want {
		t.Errorf("Title = %q, want %q", h.Title, want)
	}
	if h.Description != f.site.Description {
		t.Errorf("Description = %q, want the site's", h.Description)
	}
	if got := meta1(t, h, "og:type"); got != "website" {
		t.Errorf("og:type = %q", got)
	}
	if got := meta1(t, h, "og:image"); got != "https://camille.example/images/camille.jpg" {
		t.Errorf("og:image = %q, want the owner's portrait", got)
	}
	if got := meta1(t, h, "twitter:card"); got != "summary" {
		t.Errorf("twitter:card = %q, want summary for a portrait", got)
	}
	var me []string
	for _, l := range h.Links {
		if l.Rel == "me" {
			me = append(me, l.Href)
		}
	}
	if want := []string{"https://bsky.app/profile/camille.example", "https://www.linkedin.com/in/camille-roussel", "https://piaille.fr/@camille"}; !slices.Equal(me, want) {
		t.Errorf("rel=me = %q, want %q", me, want)
	}

	g := graph(t, h)
	if _, ok := g["BreadcrumbList"]; ok {
		t.Error("the home page has a BreadcrumbList")
	}
	ws := g["WebSite"]
	if ws["name"] != "Camille Roussel" || ws["url"] != "https://camille.example/" || ws["inLanguage"] != "fr" ||
		path(ws, "publisher", "@id") != "https://camille.example/#person" {
		t.Errorf("WebSite = %v", ws)
	}
	p := g["Person"]
	if p == nil {
		t.Fatalf("no Person in %s", h.JSONLD)
	}
	for key, want := range map[string]any{
		"@id":         "https://camille.example/#person",
		"name":        "Camille Roussel",
		"jobTitle":    "Photographe et community manager",
		"image":       "https://camille.example/images/camille.jpg",
		"description": "Photographe installée à Lyon depuis 2019.",
		"url":         "https://camille.example/",
	} {
		if got := p[key]; got != want {
			t.Errorf("Person.%s = %v, want %v", key, got, want)
		}
	}
	var sameAs []string
	for _, s := range p["sameAs"].([]any) {
		sameAs = append(sameAs, s.(string))
	}
	if !slices.Equal(sameAs, me) {
		t.Errorf("Person.sameAs = %q, want the social accounts %q", sameAs, me)
	}
	if _, ok := p["email"]; ok {
		t.Error("Person has an email")
	}
}

func TestOrganization(t *testing.T) {
	f := newFixture(t)
	f.site.Params["ownerType"] = "organization"
	f.site.Params["logo"] = "/images/logo.png"
	g := graph(t, Build(f.input(f.home)))
	o := g["Organization"]
	if o == nil || g["Person"] != nil {
		t.Fatalf("want an Organization and no Person: %v", g)
	}
	if o["logo"] != "https://camille.example/images/logo.png" || o["@id"] != "https://camille.example/#organization" {
		t.Errorf("Organization = %v", o)
	}
	if _, ok := o["jobTitle"]; ok {
		t.Error("an Organization has a jobTitle")
	}
	if got := path(graph(t, Build(f.input(f.event)))["Event"], "organizer", "@type"); got != "Organization" {
		t.Errorf("organizer @type = %v", got)
	}
}

func TestDescription(t *testing.T) {
	f := newFixture(t)
	long := "Les quais du Rhône à l’heure dorée : où se placer, quelle ouverture choisir, comment garder les " +
		"hautes lumières et pourquoi le ciel de Lyon change tout en été, entre Fourvière et la Croix-Rousse, " +
		"quand la ville se vide."
	f.article.Description = long
	d := Build(f.input(f.article)).Description
	if n := utf8.RuneCountInString(d); n > DescriptionMax || n < DescriptionMax-30 {
		t.Errorf("description has %d characters, want at most %d and not much less: %q", n, DescriptionMax, d)
	}
	body, ok := strings.CutSuffix(d, "…")
	if !ok {
		t.Fatalf("cut description does not end with …: %q", d)
	}
	// The cut falls between words; punctuation left hanging before "…" goes.
	if rest, ok := strings.CutPrefix(long, body); !ok || !strings.HasPrefix(strings.TrimLeft(rest, ",;:"), " ") {
		t.Errorf("not cut on a word boundary: %q", d)
	}

	// No description: the summary's text, without its markup.
	f.article.Description = ""
	f.article.Summary = "<p>Un <em>été</em> &amp; des\n<a href=\"/x/\">photos</a>.</p>\n<p>Suite.</p>"
	f.article.SummaryText = markdown.Text(string(f.article.Summary))
	if d := Build(f.input(f.article)).Description; d != "Un été & des photos. Suite." {
		t.Errorf("description from summary = %q", d)
	}
	// Neither: the site's.
	f.article.Summary, f.article.SummaryText = "", ""
	if d := Build(f.input(f.article)).Description; d != f.site.Description {
		t.Errorf("description fallback = %q", d)
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in    string
		limit int
		want  string
	}{
		{"court", 10, "court"},
		{"exactement", 10, "exactement"},
		{"un deux trois quatre", 12, "un deux…"},
		{"un deux, trois quatre", 12, "un deux…"},
		{"anticonstitutionnellement", 10, "anticonst…"},
		{"Vraiment\u00a0? Oui vraiment", 12, "Vraiment\u00a0?…"},
		{"Quoi\u00a0: tout", 8, "Quoi…"},
	} {
		if got := cut(c.in, c.limit); got != c.want {
			t.Errorf("cut(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
	}
}

func FuzzCut(f *testing.F) {
	f.Add("Les quais du Rhône à l’heure dorée", 12)
	f.Add("a\u00a0b c", 3)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if !utf8.ValidString(s) || limit < 2 || limit > 400 {
			return
		}
		got := cut(s, limit)
		if utf8.RuneCountInString(got) > limit {
			t.Errorf("cut(%q, %d) = %q: too long", s, limit, got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("cut(%q, %d) = %q: invalid UTF-8", s, limit, got)
		}
	})
}

func TestScriptInjection(t *testing.T) {
	f := newFixture(t)
	evil := `Titre </script><script>alert(1)</script> <!-- & "guillemets"`
	f.article.Title = evil
	f.article.Description = evil
	f.article.Tags = []string{"</script>"}
	h := Build(f.input(f.article))
	out := string(h.HTML())
	if n := strings.Count(strings.ToLower(out), "</script"); n != 1 {
		t.Errorf("%d </script in the head, want 1 (the JSON-LD's own):\n%s", n, out)
	}
	if strings.Contains(out, "<script>") || strings.Contains(out, "<!--") {
		t.Errorf("markup broke out:\n%s", out)
	}
	if got := graph(t, h)["BlogPosting"]["headline"]; got != evil {
		t.Errorf("headline = %q, want the title back intact", got)
	}
}

func FuzzJSONLDStaysInside(f *testing.F) {
	f.Add("</script>", "<!--", "&amp;")
	f.Fuzz(func(t *testing.T, title, desc, tag string) {
		fx := newFixture(t)
		fx.article.Title, fx.article.Description, fx.article.Tags = title, desc, []string{tag}
		h := Build(fx.input(fx.article))
		s := string(h.JSONLD)
		inner := strings.TrimSuffix(strings.TrimPrefix(s, `<script type="application/ld+json">`), `</script>`)
		if strings.ContainsAny(inner, "<>") {
			t.Errorf("JSON-LD body holds < or >: %s", s)
		}
		graph(t, h)
	})
}

func TestFediverseCreator(t *testing.T) {
	for _, c := range []struct{ network, url, want string }{
		{"mastodon", "https://piaille.fr/@camille", "@camille@piaille.fr"},
		{"mastodon", "https://piaille.fr/@camille/", "@camille@piaille.fr"},
		{"Mastodon", "https://Mastodon.Social/@Camille_R", "@Camille_R@mastodon.social"},
		{"mastodon", "https://piaille.fr/users/camille", "@camille@piaille.fr"},
		{"mastodon", "https://mastodon.social/@bob@framapiaf.org", "@bob@framapiaf.org"},
		{"mastodon", "@camille@piaille.fr", "@camille@piaille.fr"},
		{"mastodon", "camille@piaille.fr", "@camille@piaille.fr"},
		{"mastodon", "https://piaille.fr/", ""},
		{"mastodon", "https://piaille.fr/about", ""},
		{"bluesky", "https://bsky.app/profile/camille.example", ""},
	} {
		got := fediverseCreator([]model.Social{{Network: c.network, URL: c.url}})
		if got != c.want {
			t.Errorf("fediverseCreator(%s %s) = %q, want %q", c.network, c.url, got, c.want)
		}
	}
	if got := twitterHandle([]model.Social{{Network: "x", URL: "https://x.com/camille_photo"}}); got != "@camille_photo" {
		t.Errorf("twitterHandle = %q", got)
	}
}

func TestNoindex(t *testing.T) {
	f := newFixture(t)
	nf := &model.Page{Kind: model.KindPage, URL: "/404.html", Title: "Page introuvable"}
	in := f.input(nf)
	in.NotFound = true
	h := Build(in)
	if h.Robots != "noindex" || h.Canonical != "" || h.JSONLD != "" {
		t.Errorf("404: Robots %q, Canonical %q, JSON-LD %q", h.Robots, h.Canonical, h.JSONLD)
	}
	if v := meta(h, "og:url"); len(v) != 0 {
		t.Errorf("404 has OpenGraph tags: %v", h.Meta)
	}
	out := string(h.HTML())
	if !strings.Contains(out, `<meta name="robots" content="noindex">`) || strings.Contains(out, `rel="canonical"`) {
		t.Errorf("404 head:\n%s", out)
	}

	f.article.Draft = true
	in = f.input(f.article)
	in.Preview = true
	if h := Build(in); h.Robots != "noindex" || h.Canonical == "" {
		t.Errorf("preview draft: Robots %q, Canonical %q", h.Robots, h.Canonical)
	}
	f.article.Draft = false
	if h := Build(in); h.Robots != "" {
		t.Errorf("preview, not a draft: Robots %q", h.Robots)
	}
}

func TestHreflang(t *testing.T) {
	f := newFixture(t)
	in := f.input(f.article)
	in.Translations = []Translation{{Lang: "fr", URL: "/posts/lumiere-du-soir/"}, {Lang: "en", URL: "/en/posts/evening-light/"}}
	h := Build(in)
	var got []string
	for _, l := range h.Links {
		if l.Hreflang != "" {
			got = append(got, l.Hreflang+" "+l.Href)
		}
	}
	want := []string{
		"fr https://camille.example/posts/lumiere-du-soir/",
		"en https://camille.example/en/posts/evening-light/",
		"x-default https://camille.example/posts/lumiere-du-soir/",
	}
	if !slices.Equal(got, want) {
		t.Errorf("hreflang links = %q, want %q", got, want)
	}
	if got := meta(h, "og:locale:alternate"); !slices.Equal(got, []string{"en_US"}) {
		t.Errorf("og:locale:alternate = %q", got)
	}
	if !strings.Contains(string(h.HTML()), `<link rel="alternate" hreflang="x-default" href="https://camille.example/posts/lumiere-du-soir/">`) {
		t.Errorf("x-default missing from:\n%s", h.HTML())
	}

	in.Translations = in.Translations[:1]
	for _, l := range Build(in).Links {
		if l.Hreflang != "" {
			t.Errorf("one language, yet %v", l)
		}
	}
}

func TestPager(t *testing.T) {
	f := newFixture(t)
	in := f.input(f.posts)
	in.URL, in.PrevURL, in.NextURL = "/posts/page/2/", "/posts/", "/posts/page/3/"
	h := Build(in)
	if h.Canonical != "https://camille.example/posts/page/2/" {
		t.Errorf("Canonical = %q", h.Canonical)
	}
	if want := "Articles – page 2 · Camille Roussel"; h.Title != want {
		t.Errorf("Title = %q, want %q", h.Title, want)
	}
	if got := meta1(t, h, "og:url"); got != h.Canonical {
		t.Errorf("og:url = %q", got)
	}
	out := string(h.HTML())
	for _, want := range []string{
		`<link rel="canonical" href="https://camille.example/posts/page/2/">`,
		`<link rel="prev" href="https://camille.example/posts/">`,
		`<link rel="next" href="https://camille.example/posts/page/3/">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in:\n%s", want, out)
		}
	}
	checkBreadcrumbs(t, graph(t, h), []string{"Camille Roussel", "Articles"},
		[]string{"https://camille.example/", "https://camille.example/posts/"})

	in = f.input(f.home)
	in.URL, in.PrevURL = "/page/3/", "/page/2/"
	if h := Build(in); h.Title != "Camille Roussel – page 3" {
		t.Errorf("home page 3: Title = %q", h.Title)
	}
}

func TestTermBreadcrumbs(t *testing.T) {
	f := newFixture(t)
	h := Build(f.input(f.tag))
	if h.Title != "Lyon · Camille Roussel" {
		t.Errorf("Title = %q", h.Title)
	}
	checkBreadcrumbs(t, graph(t, h), []string{"Camille Roussel", "Étiquettes", "Lyon"},
		[]string{"https://camille.example/", "https://camille.example/tags/", "https://camille.example/tags/lyon/"})
}

func TestDeterministic(t *testing.T) {
	f := newFixture(t)
	for _, p := range []*model.Page{f.home, f.article, f.event, f.posts} {
		a, b := Build(f.input(p)).HTML(), Build(f.input(p)).HTML()
		if a != b {
			t.Errorf("%s: two builds differ", p.URL)
		}
	}
}

func TestParsePrice(t *testing.T) {
	for _, c := range []struct{ in, price, cur string }{
		{"15 €", "15", "EUR"},
		{"15\u202f€", "15", "EUR"},
		{"15€", "15", "EUR"},
		{"12,50 €", "12.50", "EUR"},
		{"€8", "8", "EUR"},
		{"20 euros", "20", "EUR"},
		{"CHF 20", "20", "CHF"},
		{"$15", "15", "USD"},
		{"25", "25", "EUR"},
		{"Gratuit", "0", "EUR"},
		{"Entrée libre", "0", "EUR"},
		{"free", "0", "EUR"},
		{"10 € / 5 € tarif réduit", "", ""},
		{"Prix libre", "", ""},
		{"€ 5 €", "", ""},
		{"", "", ""},
	} {
		price, cur, ok := parsePrice(c.in, "EUR")
		if price != c.price || cur != c.cur || ok != (c.price != "") {
			t.Errorf("parsePrice(%q) = %q %q %v, want %q %q", c.in, price, cur, ok, c.price, c.cur)
		}
	}
}

func TestOGLocale(t *testing.T) {
	for in, want := range map[string]string{"fr": "fr_FR", "en": "en_US", "fr-CA": "fr_CA", "en-GB": "en_GB",
		"de": "de_DE", "pt-BR": "pt_BR", "": "", "not a tag!": ""} {
		if got := ogLocale(in); got != want {
			t.Errorf("ogLocale(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	h := Head{Title: `A & B <i>`, Description: `"quoted"`, Links: []Link{{Rel: "alternate", Href: "https://x.example/?a=1&b=2", Type: "application/rss+xml", Title: `<T>`}}}
	want := "<title>A &amp; B &lt;i&gt;</title>\n" +
		"<meta name=\"description\" content=\"&#34;quoted&#34;\">\n" +
		"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"&lt;T&gt;\" href=\"https://x.example/?a=1&amp;b=2\">\n"
	if got := string(h.HTML()); got != want {
		t.Errorf("HTML() =\n%s\nwant\n%s", got, want)
	}
}

func TestTitle(t *testing.T) {
	f := newFixture(t)
	delete(f.site.Params, "tagline")
	if h := Build(f.input(f.home)); h.Title != "Camille Roussel" {
		t.Errorf("home, long description, no tagline: Title = %q", h.Title)
	}
	f.site.Description = "Photographe à Lyon"
	if h := Build(f.input(f.home)); h.Title != "Camille Roussel — Photographe à Lyon" {
		t.Errorf("home, short description: Title = %q", h.Title)
	}
	about := &model.Page{Kind: model.KindPage, URL: "/about/", Title: "Camille Roussel", Parent: f.home}
	if h := Build(f.input(about)); h.Title != "Camille Roussel" {
		t.Errorf("page titled as the site: Title = %q", h.Title)
	}
	f.article.Params["author"] = "Léa Martin"
	if got := path(graph(t, Build(f.input(f.article)))["BlogPosting"], "author", "name"); got != "Léa Martin" {
		t.Errorf("guest author: %v", got)
	}
}

// TestJSONLDCanonical checks that the JSON-LD written by hand is what encoding/json writes for the same
// graph held in maps: keys sorted, strings escaped alike.
func TestJSONLDCanonical(t *testing.T) {
	f := newFixture(t)
	f.article.Videos = []model.Video{{Title: "Making-of", EmbedURL: "https://video.example/embed/1", URL: "https://video.example/1",
		Thumbnail: "/posts/lumiere-du-soir/poster.jpg", ContentURL: "/v.mp4"}}
	f.article.Syndication = []model.Syndication{{Network: "mastodon", URL: "https://piaille.fr/@camille/1"}}
	f.article.Title = `Q&A : <l'été> "à Lyon"` + "\u2028"
	f.event.Event.Online = "https://visio.example/atelier"
	for _, org := range []bool{false, true} {
		if org {
			f.site.Params["ownerType"] = "organization"
		}
		for _, p := range []*model.Page{f.home, f.article, f.event, f.posts, f.tag} {
			s := string(Build(f.input(p)).JSONLD)
			const open, end = `<script type="application/ld+json">`, `</script>`
			body := strings.TrimSuffix(strings.TrimPrefix(s, open), end)
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatalf("%s: %v\n%s", p.URL, err, body)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != body {
				t.Errorf("%s: JSON-LD is not in encoding/json's form:\n got %s\nwant %s", p.URL, body, again)
			}
		}
	}
}

// TestShared checks that a head built with the site's Shared is the one built without.
func TestShared(t *testing.T) {
	f := newFixture(t)
	sh := NewShared(f.site)
	for _, p := range []*model.Page{f.home, f.article, f.event, f.posts, f.tag} {
		in := f.input(p)
		want := Build(in).HTML()
		in.Shared = sh
		if got := Build(in).HTML(); got != want {
			t.Errorf("%s: with Shared\n%s\nwithout\n%s", p.URL, got, want)
		}
	}
}

// FuzzEscaping checks the shortcuts of the escaping functions against the library functions they stand
// in for.
func FuzzEscaping(f *testing.F) {
	for _, s := range []string{"", "plain", "é à ç", `<a href="x">&amp;</a>`, "l'été", "\u2028\u2029", "\xff\xfe", "\x00\x1f\x7f", " a  b ", "\u00a0x\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
		var b strings.Builder
		writeEscaped(&b, s)
		if got, want := b.String(), template.HTMLEscapeString(s); got != want {
			t.Errorf("writeEscaped(%q) = %q, want %q", s, got, want)
		}
		if got, want := collapse(s), collapseCopy(s); got != want {
			t.Errorf("collapse(%q) = %q, want %q", s, got, want)
		}
	})
}
