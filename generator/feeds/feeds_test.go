package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	htmltemplate "html/template"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture is a small site: a posts section of four articles (one with a lastmod), a home page listing
// them in weight order plus a non-regular child, and a term page.
func fixture(t *testing.T) (*model.Site, *model.Page) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	site := &model.Site{
		BaseURL:     "https://example.org/",
		Title:       "Camille Dupré",
		Description: "Photographe & community manager à Lyon",
		Language:    "fr",
		Location:    paris,
		Copyright:   "© 2026 Camille Dupré",
		Author: model.Author{
			Name:  "Camille Dupré",
			Email: "camille@example.org",
			Image: "/images/camille.jpg",
		},
	}
	content := `<p>Voir <a href="/posts/b/">l’article B</a> et la <a href="#note">note</a>.</p>
<p><img src="photo.jpg" alt="x"> <a href="mailto:camille@example.org">écrire</a> <a href="https://other.example/x?a=1&amp;b=2">ailleurs</a></p>
<pre><code>&lt;a href=&quot;/pas/un/lien/&quot;&gt;
</code></pre>
<p id="note">Une note.</p>
`
	mk := func(slug, title string, date time.Time, tags ...string) *model.Page {
		summary := "<p>Résumé de <em>« " + htmltemplate.HTML(htmltemplate.HTMLEscapeString(title)) + " »</em> &amp; plus.</p>"
		return &model.Page{
			Kind:        model.KindArticle,
			Section:     "posts",
			Source:      "content/posts/" + slug + ".md",
			URL:         "/posts/" + slug + "/",
			Title:       title,
			Date:        date,
			Tags:        tags,
			Content:     "<h2 id=\"intro\">" + "Intro</h2>\n" + htmltemplate.HTML(content),
			Summary:     summary,
			SummaryText: markdown.Text(string(summary)),
			WordCount:   42,
			ReadingTime: 1,
		}
	}
	a := mk("a", "Été à Lyon", time.Date(2026, 3, 14, 9, 0, 0, 0, paris), "été", "Lyon")
	a.Description = "Les quais du Rhône, l’été <enfin>"
	b := mk("b", "Les défis d’un photographe", time.Date(2026, 4, 2, 18, 30, 0, 0, paris), "photo")
	b.Lastmod = time.Date(2026, 5, 1, 10, 0, 0, 0, paris)
	c := mk("c", "Crème brûlée & portraits", time.Date(2026, 1, 20, 8, 0, 0, 0, paris))
	d := mk("d", "Première exposition", time.Date(2025, 11, 5, 20, 0, 0, 0, time.FixedZone("", -5*3600)), "été")

	posts := &model.Page{Kind: model.KindSection, Section: "posts", URL: "/posts/", Title: "Articles",
		Description: "Carnet de route", Children: []*model.Page{b, a, c, d}}
	home := &model.Page{Kind: model.KindHome, URL: "/", Title: "Accueil",
		Children: []*model.Page{c, posts, a, d, b}}
	site.Home = home
	site.Sections = map[string]*model.Page{"posts": posts}
	site.Pages = []*model.Page{home, posts, a, b, c, d}
	return site, posts
}

func goldenCheck(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	site, posts := fixture(t)
	files, err := Build(site, posts, 3)
	if err != nil {
		t.Fatal(err)
	}
	goldenCheck(t, "posts.rss.xml", files.RSS)
	goldenCheck(t, "posts.atom.xml", files.Atom)
	goldenCheck(t, "posts.feed.json", files.JSON)
}

// TestGoldenShared builds the feeds of three lists sharing pages with one Builder, in an order where
// every page is first serialised for another list, and checks each against its golden file (the posts
// feed against TestGolden's): a page's cached item reads in every feed as it would built alone.
func TestGoldenShared(t *testing.T) {
	site, posts := fixture(t)
	a, d := posts.Children[1], posts.Children[3]
	term := &model.Page{Kind: model.KindTerm, URL: "/tags/ete/", Title: "été", Children: []*model.Page{d, a}}
	empty := &model.Page{Kind: model.KindSection, URL: "/events/", Title: "Agenda"}
	b := NewBuilder(site, 3)
	for _, tc := range []struct {
		name string
		list *model.Page
	}{{"term", term}, {"home", site.Home}, {"posts", posts}, {"term", term}, {"empty", empty}} {
		files, err := b.Build(tc.list)
		if err != nil {
			t.Fatal(err)
		}
		goldenCheck(t, tc.name+".rss.xml", files.RSS)
		goldenCheck(t, tc.name+".atom.xml", files.Atom)
		goldenCheck(t, tc.name+".feed.json", files.JSON)
		// And the same as built alone.
		alone := build(t, site, tc.list, 3)
		if !bytes.Equal(files.RSS, alone.RSS) || !bytes.Equal(files.Atom, alone.Atom) || !bytes.Equal(files.JSON, alone.JSON) {
			t.Errorf("%s: feeds built with a shared Builder differ from those built alone", tc.name)
		}
	}
}

func build(t *testing.T, site *model.Site, list *model.Page, limit int) Files {
	t.Helper()
	files, err := Build(site, list, limit)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The RSS document, as encoding/xml reads it back.
type rssOut struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		AtomLinks []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Title         string `xml:"title"`
		Link          string `xml:"link"`
		Description   string `xml:"description"`
		Language      string `xml:"language"`
		Copyright     string `xml:"copyright"`
		LastBuildDate string `xml:"lastBuildDate"`
		PubDate       string `xml:"pubDate"`
		Image         struct {
			URL string `xml:"url"`
		} `xml:"image"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
			Author      string `xml:"author"`
			Encoded     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			GUID        struct {
				ID          string `xml:",chardata"`
				IsPermaLink string `xml:"isPermaLink,attr"`
			} `xml:"guid"`
			PubDate    string   `xml:"pubDate"`
			Categories []string `xml:"category"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestRSS(t *testing.T) {
	site, posts := fixture(t)
	files := build(t, site, posts, 3)
	var doc rssOut
	if err := xml.Unmarshal(files.RSS, &doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files.RSS, []byte(`xmlns:atom="http://www.w3.org/2005/Atom"`)) {
		t.Error("no xmlns:atom declaration")
	}
	ch := doc.Channel
	if doc.Version != "2.0" || ch.Title != "Articles — Camille Dupré" || ch.Link != "https://example.org/posts/" ||
		ch.Description != "Carnet de route" || ch.Language != "fr" || ch.Copyright != "© 2026 Camille Dupré" {
		t.Errorf("channel: %+v", ch)
	}
	if len(ch.AtomLinks) != 1 || ch.AtomLinks[0].Href != "https://example.org/posts/index.xml" ||
		ch.AtomLinks[0].Rel != "self" || ch.AtomLinks[0].Type != "application/rss+xml" {
		t.Errorf("atom:link = %+v", ch.AtomLinks)
	}
	// lastBuildDate is the newest modification (b's lastmod), pubDate the newest publication: never now.
	if ch.LastBuildDate != "Fri, 01 May 2026 10:00:00 +0200" || ch.PubDate != "Thu, 02 Apr 2026 18:30:00 +0200" {
		t.Errorf("lastBuildDate %q, pubDate %q", ch.LastBuildDate, ch.PubDate)
	}
	if ch.Image.URL != "https://example.org/images/camille.jpg" {
		t.Errorf("image %q", ch.Image.URL)
	}
	if len(ch.Items) != 3 {
		t.Fatalf("%d items, want 3", len(ch.Items))
	}
	var titles []string
	for _, it := range ch.Items {
		titles = append(titles, it.Title)
	}
	if want := []string{"Les défis d’un photographe", "Été à Lyon", "Crème brûlée & portraits"}; !slices.Equal(titles, want) {
		t.Errorf("titles %q, want %q", titles, want)
	}
	b, a := ch.Items[0], ch.Items[1]
	if b.GUID.ID != "https://example.org/posts/b/" || b.GUID.IsPermaLink != "true" || b.Link != b.GUID.ID {
		t.Errorf("guid %+v link %q", b.GUID, b.Link)
	}
	if b.PubDate != "Thu, 02 Apr 2026 18:30:00 +0200" || a.PubDate != "Sat, 14 Mar 2026 09:00:00 +0100" {
		t.Errorf("pubDates %q %q", b.PubDate, a.PubDate)
	}
	if b.Author != "camille@example.org (Camille Dupré)" {
		t.Errorf("author %q", b.Author)
	}
	if !slices.Equal(a.Categories, []string{"été", "Lyon"}) || !slices.Equal(b.Categories, []string{"photo"}) ||
		len(ch.Items[2].Categories) != 0 {
		t.Errorf("categories %q %q %q", a.Categories, b.Categories, ch.Items[2].Categories)
	}
	// The description is plain text escaped as HTML, readers take it as HTML.
	if a.Description != "Les quais du Rhône, l’été &lt;enfin&gt;" {
		t.Errorf("description %q", a.Description)
	}
	if b.Description != "Résumé de « Les défis d’un photographe » &amp; plus." {
		t.Errorf("description from summary %q", b.Description)
	}
	assertAbsoluteContent(t, "rss", a.Encoded, "https://example.org/posts/a/")
}

func assertAbsoluteContent(t *testing.T, format, content, page string) {
	t.Helper()
	for _, want := range []string{
		`<a href="https://example.org/posts/b/">`,
		`<a href="` + page + `#note">`,
		`<img src="` + page + `photo.jpg" alt="x">`,
		`<a href="mailto:camille@example.org">`,
		`<a href="https://other.example/x?a=1&amp;b=2">`,
		`&lt;a href=&quot;/pas/un/lien/&quot;&gt;`,
		`<h2 id="intro">Intro</h2>`,
	} {
		if !strings.Contains(content, want) {
			t.Errorf("%s content lacks %s:\n%s", format, want, content)
		}
	}
}

// The Atom document, as encoding/xml reads it back.
type atomOut struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	} `xml:"link"`
	Author struct {
		Name  string `xml:"name"`
		Email string `xml:"email"`
		URI   string `xml:"uri"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Links     []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
		Summary struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"summary"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

func TestAtom(t *testing.T) {
	site, posts := fixture(t)
	files := build(t, site, posts, 3)
	var doc atomOut
	if err := xml.Unmarshal(files.Atom, &doc); err != nil {
		t.Fatal(err)
	}
	// RFC 4287: the feed has exactly one id, title and updated; so has each entry.
	for _, el := range []string{"id", "title", "updated"} {
		if n := bytes.Count(files.Atom, []byte("<"+el+">")); n != 1+len(doc.Entries) {
			t.Errorf("%d <%s> elements, want one for the feed and one per entry", n, el)
		}
	}
	if doc.ID != "https://example.org/posts/" || doc.Title != "Articles — Camille Dupré" ||
		doc.Updated != "2026-05-01T10:00:00+02:00" || doc.Lang != "fr" {
		t.Errorf("feed id %q title %q updated %q lang %q", doc.ID, doc.Title, doc.Updated, doc.Lang)
	}
	links := map[string]string{}
	for _, l := range doc.Links {
		links[l.Rel] = l.Href + " " + l.Type
	}
	if links["self"] != "https://example.org/posts/atom.xml application/atom+xml" ||
		links["alternate"] != "https://example.org/posts/ text/html" || len(links) != 2 {
		t.Errorf("links %v", links)
	}
	if doc.Author.Name != "Camille Dupré" || doc.Author.Email != "camille@example.org" || doc.Author.URI != "https://example.org/" {
		t.Errorf("author %+v", doc.Author)
	}
	if len(doc.Entries) != 3 {
		t.Fatalf("%d entries, want 3", len(doc.Entries))
	}
	b, a := doc.Entries[0], doc.Entries[1]
	if b.ID != "https://example.org/posts/b/" || b.Title != "Les défis d’un photographe" ||
		b.Updated != "2026-05-01T10:00:00+02:00" || b.Published != "2026-04-02T18:30:00+02:00" {
		t.Errorf("entry %+v", b)
	}
	if len(b.Links) != 1 || b.Links[0].Rel != "alternate" || b.Links[0].Href != b.ID {
		t.Errorf("entry links %+v", b.Links)
	}
	if a.Updated != "2026-03-14T09:00:00+01:00" {
		t.Errorf("updated without lastmod %q", a.Updated)
	}
	if a.Content.Type != "html" || a.Summary.Type != "text" || a.Summary.Body != "Les quais du Rhône, l’été <enfin>" {
		t.Errorf("content type %q, summary %+v", a.Content.Type, a.Summary)
	}
	var terms []string
	for _, c := range a.Categories {
		terms = append(terms, c.Term)
	}
	if !slices.Equal(terms, []string{"été", "Lyon"}) {
		t.Errorf("categories %q", terms)
	}
	assertAbsoluteContent(t, "atom", a.Content.Body, "https://example.org/posts/a/")
}

func TestJSONFeed(t *testing.T) {
	site, posts := fixture(t)
	files := build(t, site, posts, 3)
	var doc struct {
		Version     string `json:"version"`
		Title       string `json:"title"`
		HomePageURL string `json:"home_page_url"`
		FeedURL     string `json:"feed_url"`
		Description string `json:"description"`
		Language    string `json:"language"`
		Icon        string `json:"icon"`
		Authors     []struct {
			Name   string `json:"name"`
			URL    string `json:"url"`
			Avatar string `json:"avatar"`
		} `json:"authors"`
		Items []struct {
			ID            *string  `json:"id"`
			URL           string   `json:"url"`
			Title         string   `json:"title"`
			ContentHTML   string   `json:"content_html"`
			Summary       string   `json:"summary"`
			DatePublished string   `json:"date_published"`
			DateModified  string   `json:"date_modified"`
			Tags          []string `json:"tags"`
			Authors       []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"items"`
	}
	if err := json.Unmarshal(files.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.Title != "Articles — Camille Dupré" ||
		doc.HomePageURL != "https://example.org/posts/" || doc.FeedURL != "https://example.org/posts/feed.json" ||
		doc.Language != "fr" || doc.Description != "Carnet de route" {
		t.Errorf("feed %+v", doc)
	}
	if len(doc.Authors) != 1 || doc.Authors[0].Name != "Camille Dupré" ||
		doc.Authors[0].Avatar != "https://example.org/images/camille.jpg" {
		t.Errorf("authors %+v", doc.Authors)
	}
	if len(doc.Items) != 3 {
		t.Fatalf("%d items, want 3", len(doc.Items))
	}
	for _, it := range doc.Items {
		// JSON Feed 1.1: every item has a string id and content_html or content_text.
		if it.ID == nil || *it.ID != it.URL || it.ContentHTML == "" || len(it.Authors) != 1 {
			t.Errorf("item %+v", it)
		}
	}
	b, a := doc.Items[0], doc.Items[1]
	if b.DatePublished != "2026-04-02T18:30:00+02:00" || b.DateModified != "2026-05-01T10:00:00+02:00" ||
		!slices.Equal(b.Tags, []string{"photo"}) {
		t.Errorf("item b %+v", b)
	}
	if a.Summary != "Les quais du Rhône, l’été <enfin>" || !slices.Equal(a.Tags, []string{"été", "Lyon"}) {
		t.Errorf("item a summary %q tags %q", a.Summary, a.Tags)
	}
	assertAbsoluteContent(t, "json", a.ContentHTML, "https://example.org/posts/a/")
	if bytes.Contains(files.JSON, []byte(`\u003c`)) {
		t.Error("HTML escaped in JSON: content_html should read as written")
	}
}

// TestGofeed reads the three feeds with a real feed reader's parser.
func TestGofeed(t *testing.T) {
	site, posts := fixture(t)
	files := build(t, site, posts, 3)
	for _, tc := range []struct {
		name string
		data []byte
		typ  string
	}{
		{"rss", files.RSS, "rss"},
		{"atom", files.Atom, "atom"},
		{"json", files.JSON, "json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := gofeed.NewParser().ParseString(string(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if f.FeedType != tc.typ {
				t.Errorf("type %q", f.FeedType)
			}
			if f.Title != "Articles — Camille Dupré" || f.Link != "https://example.org/posts/" || f.Language != "fr" {
				t.Errorf("title %q link %q language %q", f.Title, f.Link, f.Language)
			}
			if len(f.Items) != 3 {
				t.Fatalf("%d items", len(f.Items))
			}
			if f.UpdatedParsed == nil && tc.typ != "json" {
				t.Errorf("no updated date")
			}
			want := []string{"https://example.org/posts/b/", "https://example.org/posts/a/", "https://example.org/posts/c/"}
			for i, it := range f.Items {
				if it.Link != want[i] || it.GUID != want[i] {
					t.Errorf("item %d: link %q guid %q", i, it.Link, it.GUID)
				}
				if it.PublishedParsed == nil || it.Content == "" || len(it.Authors) == 0 {
					t.Errorf("item %d: published %v, content %d bytes, authors %v", i, it.PublishedParsed, len(it.Content), it.Authors)
				}
			}
			if got := f.Items[1].Categories; !slices.Equal(got, []string{"été", "Lyon"}) {
				t.Errorf("categories %q", got)
			}
			if !f.Items[0].PublishedParsed.Equal(time.Date(2026, 4, 2, 16, 30, 0, 0, time.UTC)) {
				t.Errorf("published %v", f.Items[0].PublishedParsed)
			}
			if !strings.Contains(f.Items[1].Content, `src="https://example.org/posts/a/photo.jpg"`) {
				t.Errorf("content %s", f.Items[1].Content)
			}
		})
	}
}

func TestTitlesAndDefaults(t *testing.T) {
	site, posts := fixture(t)
	files := build(t, site, site.Home, 0)
	var doc rssOut
	if err := xml.Unmarshal(files.RSS, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Channel.Title != "Camille Dupré" || doc.Channel.Link != "https://example.org/" ||
		doc.Channel.Description != "Photographe & community manager à Lyon" {
		t.Errorf("home channel %q %q %q", doc.Channel.Title, doc.Channel.Link, doc.Channel.Description)
	}
	if len(doc.Channel.Items) != 4 {
		t.Errorf("home: %d items, want the 4 regular children", len(doc.Channel.Items))
	}
	if want := "https://example.org/index.xml"; doc.Channel.AtomLinks[0].Href != want {
		t.Errorf("self %q, want %q", doc.Channel.AtomLinks[0].Href, want)
	}

	term := &model.Page{Kind: model.KindTerm, URL: "/tags/ete/", Title: "été", Children: []*model.Page{posts.Children[3], posts.Children[1]}}
	files = build(t, site, term, 10)
	f, err := gofeed.NewParser().ParseString(string(files.Atom))
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "été — Camille Dupré" || len(f.Items) != 2 || f.Items[0].Title != "Été à Lyon" {
		t.Errorf("term feed %q with %d items", f.Title, len(f.Items))
	}
	// The article of another offset keeps it.
	if f.Items[1].Published != "2025-11-05T20:00:00-05:00" {
		t.Errorf("published %q", f.Items[1].Published)
	}
}

func TestEmptyList(t *testing.T) {
	site, _ := fixture(t)
	site.Author = model.Author{}
	empty := &model.Page{Kind: model.KindSection, URL: "/events/", Title: "Agenda"}
	files := build(t, site, empty, 10)
	var doc atomOut
	if err := xml.Unmarshal(files.Atom, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Updated != "1970-01-01T00:00:00Z" || doc.Author.Name != "Camille Dupré" {
		t.Errorf("empty feed updated %q author %q", doc.Updated, doc.Author.Name)
	}
	if bytes.Contains(files.RSS, []byte("managingEditor")) || bytes.Contains(files.RSS, []byte("lastBuildDate")) {
		t.Errorf("empty RSS:\n%s", files.RSS)
	}
	for _, data := range [][]byte{files.RSS, files.Atom, files.JSON} {
		f, err := gofeed.NewParser().ParseString(string(data))
		if err != nil || len(f.Items) != 0 {
			t.Errorf("empty feed: %v, %v", f, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	site, posts := fixture(t)
	first := build(t, site, posts, 3)
	// Same pages in another order, rebuilt from scratch.
	site2, posts2 := fixture(t)
	slices.Reverse(posts2.Children)
	second := build(t, site2, posts2, 3)
	if !bytes.Equal(first.RSS, second.RSS) || !bytes.Equal(first.Atom, second.Atom) || !bytes.Equal(first.JSON, second.JSON) {
		t.Error("two builds of the same site differ")
	}
}

func TestPaths(t *testing.T) {
	for _, tc := range []struct{ url, rss, atom, json string }{
		{"/", "index.xml", "atom.xml", "feed.json"},
		{"/posts/", "posts/index.xml", "posts/atom.xml", "posts/feed.json"},
		{"/tags/ete/", "tags/ete/index.xml", "tags/ete/atom.xml", "tags/ete/feed.json"},
	} {
		rss, atom, json := Paths(&model.Site{}, &model.Page{URL: tc.url})
		if rss != tc.rss || atom != tc.atom || json != tc.json {
			t.Errorf("Paths(%q) = %q %q %q", tc.url, rss, atom, json)
		}
	}
	// A site imported from Hugo keeps the name its RSS output had.
	if rss, _, _ := Paths(&model.Site{RSSName: "feed.xml"}, &model.Page{URL: "/en/"}); rss != "en/feed.xml" {
		t.Errorf("Paths with RSSName feed.xml = %q, want en/feed.xml", rss)
	}
}

// TestNewest checks the bounded selection against a full sort, on pages in random order with ties.
func TestNewest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 200 {
		n := r.IntN(60)
		var pages []*model.Page
		for i := range n {
			kind := model.KindArticle
			if r.IntN(10) == 0 {
				kind = model.KindSection
			}
			pages = append(pages, &model.Page{
				Kind:  kind,
				URL:   fmt.Sprintf("/p/%d/", i),
				Title: fmt.Sprintf("t%d", r.IntN(5)),
				Date:  base.Add(time.Duration(r.IntN(20)) * time.Hour),
			})
		}
		limit := r.IntN(n+3) - 1
		var want []*model.Page
		for _, p := range pages {
			if p.IsRegular() {
				want = append(want, p)
			}
		}
		slices.SortFunc(want, model.ByDateDesc)
		if limit > 0 && len(want) > limit {
			want = want[:limit]
		}
		before := slices.Clone(pages)
		got := Newest(pages, limit)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: Newest(%d pages, %d) differs from sorting", round, n, limit)
		}
		if !slices.Equal(pages, before) {
			t.Fatalf("round %d: Newest modified its input", round)
		}
	}
}

func TestAbsolutize(t *testing.T) {
	const base = "https://example.org/posts/a/"
	for _, tc := range []struct{ in, want string }{
		{`<a href="/posts/b/">b</a>`, `<a href="https://example.org/posts/b/">b</a>`},
		{`<a href="#note">n</a>`, `<a href="https://example.org/posts/a/#note">n</a>`},
		{`<a href="../b/?x=1&amp;y=2">b</a>`, `<a href="https://example.org/posts/b/?x=1&amp;y=2">b</a>`},
		{`<img src="photo.jpg" alt="x &amp; &quot;y&quot;">`, `<img src="https://example.org/posts/a/photo.jpg" alt="x &amp; &quot;y&quot;">`},
		{`<img src="photo.jpg" alt="x" />`, `<img src="https://example.org/posts/a/photo.jpg" alt="x" />`},
		{`<img srcset="a.webp 480w, /b.webp 800w" src="a.jpg">`, `<img srcset="https://example.org/posts/a/a.webp 480w, https://example.org/b.webp 800w" src="https://example.org/posts/a/a.jpg">`},
		{`<video poster="p.jpg" src="//cdn.example/v.mp4"></video>`, `<video poster="https://example.org/posts/a/p.jpg" src="https://cdn.example/v.mp4"></video>`},
		{`<A HREF='x/'>X</A>`, `<a href="https://example.org/posts/a/x/">X</A>`},
		{`<VIDEO PoStEr=p.jpg><SOURCE SrcSet="b.webp"></VIDEO>`, `<video poster="https://example.org/posts/a/p.jpg"><source srcset="https://example.org/posts/a/b.webp"></VIDEO>`},
		{`<span class="nx">x</span><a class="u" data-x="1" href="/c/">c</a>`, `<span class="nx">x</span><a class="u" data-x="1" href="https://example.org/c/">c</a>`},
		// Left alone, byte for byte.
		{`<a href="mailto:a@example.org">m</a> <a href="https://x.example/?a=1&amp;b=2" class="u">x</a>`, ``},
		{`<a href="tel:+33100000000">t</a><img src="data:image/png;base64,AAAA">`, ``},
		{`<pre><code>&lt;a href=&quot;/x/&quot;&gt;</code></pre>`, ``},
		{`<p>no link, just src and href as words</p><!-- <a href="/c/"> -->`, ``},
		{`<script>var s = '<a href="/x/">';</script>`, ``},
		{`<p>unterminated <a href="/x/"`, ``},
	} {
		want := tc.want
		if want == "" {
			want = tc.in
		}
		got, err := absolutize(tc.in, base)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("absolutize(%s)\n got %s\nwant %s", tc.in, got, want)
		}
	}
}

// BenchmarkBuild builds the feeds of a term that lists 10,000 articles.
func BenchmarkBuild(b *testing.B) {
	site := &model.Site{BaseURL: "https://example.org/", Title: "Bench", Language: "fr"}
	list := &model.Page{Kind: model.KindTerm, URL: "/tags/x/", Title: "x"}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		list.Children = append(list.Children, &model.Page{
			Kind:    model.KindArticle,
			URL:     fmt.Sprintf("/posts/%d/", i),
			Title:   fmt.Sprintf("Article %d", i),
			Date:    base.Add(time.Duration(i*7919%10_000) * time.Hour),
			Tags:    []string{"x", "y"},
			Content: `<p>Texte <a href="/posts/1/">lien</a> <img src="a.jpg" alt=""></p>`,
			Summary: "<p>Texte</p>", SummaryText: "Texte",
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(site, list, 20); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSite is a site like the benchmark corpus's (bench/corpus): n articles of about 12 kB of HTML
// each, with links, footnotes, a table and highlighted code, 2 to 4 tags of 80 and one category of 8;
// lists are the home page, the section and every term, as writeFeeds builds them.
func benchSite(n int) (*model.Site, []*model.Page) {
	site := &model.Site{BaseURL: "https://example.org/", Title: "Bench", Description: "Carnet", Language: "fr",
		Author: model.Author{Name: "Camille", Email: "camille@example.org", Image: "/images/camille.jpg"}}
	home := &model.Page{Kind: model.KindHome, URL: "/", Title: "Accueil"}
	section := &model.Page{Kind: model.KindSection, URL: "/posts/", Title: "Articles"}
	terms := map[string]*model.Page{}
	term := func(tax, name string) *model.Page {
		t := terms[tax+name]
		if t == nil {
			t = &model.Page{Kind: model.KindTerm, URL: "/" + tax + "/" + name + "/", Title: name}
			terms[tax+name] = t
		}
		return t
	}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		var body strings.Builder
		prose := "Réseau été rivière image client colline ombre exposition association musique histoire " +
			"printemps atelier. Lumière café marché quartier ville appareil papier, cadrage rue atelier budget. "
		for j := 0; body.Len() < 12_000; j++ {
			fmt.Fprintf(&body, "<h2 id=\"partie-%d\">Partie %d</h2>\n<p>%s%s</p>\n", j, j, prose, prose)
			fmt.Fprintf(&body, "<p>%sVoir <a href=\"/posts/%d/\">l’article</a> et la note<sup id=\"fnref:%d\">"+
				"<a href=\"#fn:%d\" class=\"footnote-ref\" role=\"doc-noteref\">%d</a></sup>.</p>\n", prose, (i*31+j)%n, j, j, j)
			body.WriteString("<ul>\n<li>Abonnés regard article audience semaine récit.</li>\n" +
				"<li>Association place saison écran récit.</li>\n<li>Matin carnet tarif partage.</li>\n</ul>\n")
			switch j % 3 {
			case 0:
				body.WriteString(`<div class="highlight"><pre tabindex="0" class="chroma"><code class="language-go" data-lang="go">` +
					`<span class="line"><span class="cl"><span class="kd">func</span> <span class="nf">main</span><span class="p">()</span> ` +
					`<span class="p">{</span> <span class="nx">fmt</span><span class="p">.</span><span class="nf">Println</span>` +
					`<span class="p">(</span><span class="s">&#34;a &lt; b &amp;&amp; c&#34;</span><span class="p">)</span> <span class="p">}</span>` +
					"\n</span></span></code></pre></div>\n")
			case 1:
				body.WriteString("<table>\n<thead>\n<tr>\n<th>Ville</th>\n<th>Jours</th>\n</tr>\n</thead>\n<tbody>\n" +
					"<tr>\n<td>Lyon</td>\n<td>3</td>\n</tr>\n</tbody>\n</table>\n")
			default:
				fmt.Fprintf(&body, "<p><img src=\"photo-%d.jpg\" alt=\"Photo\"></p>\n", j)
			}
		}
		p := &model.Page{
			Kind:    model.KindArticle,
			Section: "posts",
			URL:     fmt.Sprintf("/posts/%d/", i),
			Title:   fmt.Sprintf("Article %d : « été » & co", i),
			Date:    base.Add(time.Duration(i*7919%n) * time.Hour),
			Content: htmltemplate.HTML(body.String()),
			Summary: "<p>Le café est au bout de la rue&nbsp;: <em>voir</em> l’article.</p>",
		}
		p.SummaryText = markdown.Text(string(p.Summary))
		for k := range 2 + i%3 {
			p.Tags = append(p.Tags, fmt.Sprintf("tag-%d", (i*7+k*13)%80))
		}
		p.Categories = []string{fmt.Sprintf("cat-%d", i%8)}
		home.Children = append(home.Children, p)
		section.Children = append(section.Children, p)
		for _, t := range p.Tags {
			term("tags", t).Children = append(term("tags", t).Children, p)
		}
		term("categories", p.Categories[0]).Children = append(term("categories", p.Categories[0]).Children, p)
	}
	lists := []*model.Page{home, section}
	for _, k := range slices.Sorted(maps.Keys(terms)) {
		lists = append(lists, terms[k])
	}
	return site, lists
}

// BenchmarkBuildLists builds the feeds of every list of a 1,000-article site, with one Builder, as a
// build does.
func BenchmarkBuildLists(b *testing.B) {
	site, lists := benchSite(1000)
	b.ReportAllocs()
	for b.Loop() {
		fb := NewBuilder(site, 20)
		for _, l := range lists {
			if _, err := fb.Build(l); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkAppendLists is BenchmarkBuildLists with the buffers of each list handed back for the next,
// and the items kept in a temporary file, as writeFeeds does.
func BenchmarkAppendLists(b *testing.B) {
	site, lists := benchSite(1000)
	b.ReportAllocs()
	var buf Files
	for b.Loop() {
		fb := NewBuilder(site, 20)
		f, err := os.CreateTemp(b.TempDir(), "items")
		if err != nil {
			b.Fatal(err)
		}
		fb.Store = f
		for _, l := range lists {
			var err error
			if buf, err = fb.Append(Files{RSS: buf.RSS[:0], Atom: buf.Atom[:0], JSON: buf.JSON[:0]}, l); err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
}

// TestStore checks that a Builder keeping its items in a Store makes the feeds it makes in memory, and
// reads each item from the Store, not from memory.
func TestStore(t *testing.T) {
	site, lists := benchSite(60)
	fixtureSite, posts := fixture(t)
	for _, tc := range []struct {
		site  *model.Site
		lists []*model.Page
	}{{site, lists}, {fixtureSite, []*model.Page{fixtureSite.Home, posts}}} {
		mem := NewBuilder(tc.site, 5)
		stored := NewBuilder(tc.site, 5)
		f, err := os.CreateTemp(t.TempDir(), "items")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		stored.Store = f
		for _, l := range tc.lists {
			want, err := mem.Build(l)
			if err != nil {
				t.Fatal(err)
			}
			got, err := stored.Build(l)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.RSS, want.RSS) || !bytes.Equal(got.Atom, want.Atom) || !bytes.Equal(got.JSON, want.JSON) {
				t.Fatalf("%s: feeds with a Store differ:\n%s\nwant\n%s", l.URL, got.RSS, want.RSS)
			}
		}
		for _, it := range stored.items {
			if it.data != nil {
				t.Fatal("an item is kept in memory beside the Store")
			}
		}
		if st, err := f.Stat(); err != nil || st.Size() == 0 {
			t.Fatalf("nothing in the Store: %v", err)
		}
	}
}

// TestAppend checks that feeds appended to used buffers are those Build makes.
func TestAppend(t *testing.T) {
	site, posts := fixture(t)
	b := NewBuilder(site, 3)
	want, err := b.Build(posts)
	if err != nil {
		t.Fatal(err)
	}
	dst := Files{RSS: []byte("r"), Atom: []byte("a"), JSON: []byte("j")}
	got, err := b.Append(dst, site.Home)
	if err != nil {
		t.Fatal(err)
	}
	got, err = b.Append(Files{RSS: got.RSS[:1], Atom: got.Atom[:1], JSON: got.JSON[:1]}, posts)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.RSS) != "r"+string(want.RSS) || string(got.Atom) != "a"+string(want.Atom) || string(got.JSON) != "j"+string(want.JSON) {
		t.Errorf("appended feeds differ from built ones:\n%s", got.RSS)
	}
}

// TestInvalidCharacters checks that control characters and invalid UTF-8 in content, which CDATA
// cannot hold, do not break the XML feeds.
func TestInvalidCharacters(t *testing.T) {
	site, posts := fixture(t)
	posts.Children[0].Content = "<p>saut\fde page, octet \xff perdu, fin ]]> de CDATA, «\u00a0ok\u00a0»</p>"
	posts.Children[0].Title = "Titre\x01"
	files := build(t, site, posts, 1)
	for name, data := range map[string][]byte{"rss": files.RSS, "atom": files.Atom} {
		f, err := gofeed.NewParser().ParseString(string(data))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, data)
		}
		want := "<p>saut\uFFFDde page, octet \uFFFD perdu, fin ]]> de CDATA, «\u00a0ok\u00a0»</p>"
		if got := f.Items[0].Content; got != want {
			t.Errorf("%s content %q, want %q", name, got, want)
		}
		var v struct{ XMLName xml.Name }
		if err := xml.Unmarshal(data, &v); err != nil {
			t.Errorf("%s: encoding/xml: %v", name, err)
		}
	}
}

// TestCDATA checks that appendCDATA writes a section as encoding/xml writes a ",cdata" field.
func TestCDATA(t *testing.T) {
	for _, s := range []string{"", "a", "<p>x</p>", "]]>", "a]]>b]]>c", "]]]>>", "]]", "x]]"} {
		var v struct {
			XMLName xml.Name `xml:"c"`
			S       string   `xml:",cdata"`
		}
		v.S = s
		want, err := xml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := "<c>" + string(appendCDATA(nil, s)) + "</c>"; got != string(want) {
			t.Errorf("appendCDATA(%q) = %s, want %s", s, got, want)
		}
		if n := len(appendCDATA(nil, s)); n != cdataSize(s) {
			t.Errorf("cdataSize(%q) = %d, appendCDATA appends %d bytes", s, cdataSize(s), n)
		}
	}
}

func TestXMLSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                                 "",
		"déjà\t\n\r ok 🙂":                  "déjà\t\n\r ok 🙂",
		"a\x00b\x1fc":                      "a\uFFFDb\uFFFDc",
		"a\xc3b":                           "a\uFFFDb",
		"\uFFFD\uFFFE":                     "\uFFFD\uFFFD",
		"\x7f\u0085\U0001F600\xed\xa0\x80": "\x7f\u0085\U0001F600\uFFFD\uFFFD\uFFFD",
		"fin\xe2\x82":                      "fin\uFFFD\uFFFD",
	} {
		if got := xmlSafe(in); got != want {
			t.Errorf("xmlSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzAbsolutize checks that rewriting never fails, that it makes what the tokenizer alone makes when
// it reads the whole content (absolutizeTokenizer), and that it is idempotent: once absolute, URLs stay
// as they are.
func FuzzAbsolutize(f *testing.F) {
	f.Add(`<p><a href="/b/">b</a> <img src="x.jpg" srcset="a.jpg 1x, b.jpg 2x"> <a href="#n">n</a></p>`)
	f.Add(`<A HREF='x/'>X</A><script>"<a href=/y/>"</script>`)
	f.Add(`<a href="?q=1&amp;r=2">`)
	for _, s := range absolutizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once, err := absolutize(s, "https://example.org/posts/a/")
		if err != nil {
			t.Fatal(err)
		}
		if want := absolutizeTokenizer(s, "https://example.org/posts/a/"); once != want {
			t.Errorf("differs from the tokenizer's:\n%q\n%q\n%q", s, once, want)
		}
		twice, err := absolutize(once, "https://example.org/posts/a/")
		if err != nil {
			t.Fatal(err)
		}
		if once != twice {
			t.Errorf("not idempotent:\n%q\n%q\n%q", s, once, twice)
		}
	})
}

// absolutizeSeeds are HTML where the tokenizer's rules for where a token ends matter.
var absolutizeSeeds = []string{
	`<span class="nx">a</span> <a title=">" href="/x/">x</a> <a title='>' href=/y/>y</a>`,
	`<a b = "c>d" href = "/x/" >x</a><a href=/x/>`,
	`<a =href="/x/" href="/y/">`,
	`<img/src="a.jpg"/><img src=a.jpg/><img src="a.jpg" / ><br/>`,
	`</a href="/x/"><a href="/y/"></ x><a href="/z/"></>`,
	`<!-- <a href="/x/"> --><a href="/y/"><!--> <a href="/z/"><!---> <a href="/w/">`,
	`<!-- a --!> <a href="/x/"> <!-- b --!- c --> <a href="/y/"> <!-- -- > <a href="/z/"> -->`,
	`<!DOCTYPE html><!doctype x><![CDATA[ <a href="/x/"> ]]><a href="/y/"><?xml <a href="/z/">?>`,
	`<title><a href="/x/"></title><a href="/y/"><TEXTAREA></textarea ><a href="/z/">`,
	`<style>a[href="/x/"]{}</STYLE><iframe src="/e/"><a href="/y/"></iframe><a href="/z/">`,
	`<script src="/s.js"></script><script><!--<script>"</script>"--></script><a href="/x/">`,
	`<script>a<b</script foo><noscript><a href="/x/"></noscript><xmp><a href="/y/"></xmp>`,
	`<noembed><a href="/x/"></noembed><noframes><a href="/y/"></noframes><a href="/z/">`,
	`<plaintext><a href="/x/">`,
	`<title/><a href="/x/"></title><script/>`,
	`a < b <3 <<a href="/x/">x</a> <a\nhref="/y/"\t/>`,
	`<a href="/x/"`,
	`<a href="/x/>`,
	`<a title="x" href=/y/ `,
	`<p>unterminated <a href="/x/"><!--`,
	`<A HREF=/x/ HREF=/y/><video poster=p.jpg src=v.mp4 srcset="a.jpg 1x">`,
	`<a href=/x/ href=/y/><a href="/x/"class="c"><video controls/><video controls src=/v/ /><a href=/x/ /><a download href=x>`,
	`<img src=a.jpg/><img/src=a.jpg><a href="/x/" download/ class="y"><a href= ><a href =/x/ = "y"><a "q"=/x/ href='/y/'>`,
	"<a href=\"/x/?a&amp;b\"><a href=\"/x/\r\n\"><a href=\"/x\x00/\"><a hr\x00ef=\"/x/\"><a\x00 href=\"/x/\"><a href=\"/é/\">",
	`<a href="/x/"` + strings.Repeat(" title=\"t\"", 500) + `>` + strings.Repeat("é<span class=\"a\">b</span>", 400),
}

// absolutizeTokenizer is absolutize as it was before it scanned for where tokens end: the tokenizer
// reads the whole content, and every start tag that may hold a URL is rewritten.
func absolutizeTokenizer(content, base string) string {
	if !strings.Contains(content, "=") {
		return content
	}
	b, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	var out []byte
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return string(append(out, z.Raw()...))
		}
		mark := len(out)
		raw := z.Raw()
		out = append(out, raw...)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken || !mayHoldURL(raw) {
			continue
		}
		name, more := z.TagName()
		var attrs []attr
		changed := false
		for more {
			var a attr
			a.key, a.val, more = z.TagAttr()
			switch {
			case urlAttrs[string(a.key)]:
				a.resolved = resolve(b, string(a.val))
			case string(a.key) == "srcset":
				a.resolved = resolveSrcset(b, string(a.val))
			default:
				attrs = append(attrs, a)
				continue
			}
			a.changed = a.resolved != string(a.val)
			changed = changed || a.changed
			attrs = append(attrs, a)
		}
		if changed {
			out = appendTag(out[:mark], name, attrs, tt == html.SelfClosingTagToken)
		}
	}
}

// TestAbsolutizeTokenizer checks absolutize against the tokenizer on the fuzzer's seeds and on HTML
// like the corpus's, whole and cut at every byte, where tokens run to the end.
func TestAbsolutizeTokenizer(t *testing.T) {
	const base = "https://example.org/posts/a/"
	_, lists := benchSite(3)
	body := string(lists[0].Children[0].Content)
	for _, s := range append(slices.Clone(absolutizeSeeds), body, body[:2000]) {
		for _, in := range []string{s, strings.ToUpper(s)} {
			for i := range len(in) + 1 {
				if len(in) > 2000 && i < len(in) {
					continue
				}
				got, err := absolutize(in[:i], base)
				if err != nil {
					t.Fatal(err)
				}
				if want := absolutizeTokenizer(in[:i], base); got != want {
					t.Fatalf("absolutize(%q)\n got %q\nwant %q", in[:i], got, want)
				}
			}
		}
	}
}

// BenchmarkAbsolutize rewrites the body of an article like the corpus's, against the tokenizer alone.
func BenchmarkAbsolutize(b *testing.B) {
	_, lists := benchSite(3)
	body := string(lists[0].Children[0].Content)
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := absolutize(body, "https://example.org/posts/a/"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tokenizer", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			absolutizeTokenizer(body, "https://example.org/posts/a/")
		}
	})
}

// xmlSafeSeeds hold what xmlSafe's word-at-a-time scan must stop at, at every offset of a word.
var xmlSafeSeeds = []string{
	"", "a", "abcdefgh", "abcdefg\n", "<p>déjà «\u00a0vu\u00a0»</p>\n", "\b\f\r\t",
	"a\x00b\x1fc\x7f\u0085\u2028\u2029\ufffe\uffff\xff\xc3\xed\xa0\x80", "\xc2\x7f\xc1\xbf\xdf\xbf\xe0\x80",
	"0123456]]>789abcdef\U0001F600 fin\xe2\x82",
}

// FuzzXMLSafe checks xmlSafe against replacing rune by rune.
func FuzzXMLSafe(f *testing.F) {
	for _, s := range xmlSafeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := xmlSafe(s), xmlReplace(s); got != want {
			t.Errorf("xmlSafe(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestXMLSafeShifted checks xmlSafe on the fuzzer's seeds, shifted across a word.
func TestXMLSafeShifted(t *testing.T) {
	for _, s := range xmlSafeSeeds {
		for i := range 9 {
			for _, in := range []string{strings.Repeat("x", i) + s, s + strings.Repeat("é", i)} {
				if got, want := xmlSafe(in), xmlReplace(in); got != want {
					t.Errorf("xmlSafe(%q) = %q, want %q", in, got, want)
				}
			}
		}
	}
}
