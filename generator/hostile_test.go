package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// hostile is what anyone with commit access could write in a title, a tag, a description or a name:
// markup, a script end tag inside JSON-LD, quotes for attributes, template syntax, an iCalendar line
// injection.
const hostile = `Ça <script>alert("x")</script> & 'q' </script><!-- {{ template "x" }} ${x}`

const hostileSite = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "</title><script>alert('site')</script>"
description = "\"><script>alert('desc')</script>"
[author]
name = "</script><script>alert('author')</script>; \"x\": y,"
[social]
mastodon = "javascript:alert('social')"
[[menu.main]]
name = "<b onmouseover=alert(1)>Menu</b>"
url = "javascript:alert('menu')"
weight = 1
-- content/_index.md --
---
title: "Accueil <img src=x onerror=alert(1)>"
---
-- content/posts/a.md --
---
title: 'Ça <script>alert("x")</script> & ''q'' </script><!-- {{ template "x" }} ${x}'
description: "\"' onfocus=alert(1) autofocus x=\" javascript:alert(1) </script>"
date: 2026-01-10
tags: ["<script>alert(1)</script>", "\" onmouseover=\"alert(1)", "{{ .Site }}", "javascript:alert(1)"]
categories: ["</script>"]
---
Texte <script>alert(1)</script> et [un lien](javascript:alert(1)) et <img src=x onerror=alert(1)>.

[autre](JaVaScRiPt:alert(1)) {{ template "x" }} et ` + "`<script>`" + `.

{{< figure src="javascript:alert('src')" >}}

{{< figure src="photo.png" link="javascript:alert('figure')" attr="x" attrlink=" vbscript:alert(1)" >}}
-- content/projects/p/index.md --
---
title: Projet
date: 2026-01-05
gallery:
  - src: photo.png
    alt: "\" onerror=\"alert('alt')"
    caption: "</figcaption><script>alert('caption')</script>"
videos:
  - url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
    title: "\"><script>alert('video')</script>"
---
![" onerror="alert(1)](photo.png "</figcaption><script>alert(2)</script>")

https://www.youtube.com/watch?v=dQw4w9WgXcQ

https://www.instagram.com/p/"><script>alert(3)</script>/
-- data/syndication.json --
{"entries": []}
-- data/reactions/a.json --
{"article": "https://example.org/posts/a/",
 "networks": {"mastodon": {"post": "javascript:alert('post')", "likes": 1, "reposts": 0, "replies": 1}},
 "replies": [{"id": "mastodon:1", "network": "mastodon", "url": "javascript:alert('reply')",
   "author": {"name": "<script>alert('name')</script>", "handle": "@x\"onmouseover=alert(1)", "url": "javascript:alert('author')"},
   "published": "2026-01-11T10:00:00Z",
   "content": "<p onclick=alert(1)>Hi <script>alert(1)</script><img src=https://tracker.example/p.gif><a href=javascript:alert(1)>x</a><style>body{}</style><iframe src=//evil></iframe></p>",
   "text": "Hi"}]}
-- content/events/e.md --
---
title: "Atelier\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injecté"
description: "a;b,c\\d\nDTSTART:19700101T000000Z"
start: 2026-12-05T14:00:00+01:00
location:
  name: "<script>alert('lieu')</script>; salle, 2"
registration: "javascript:alert('inscription')"
---
Un atelier.
`

// TestHostileContent builds a site whose every writable field is hostile and checks each output context:
// HTML text and attributes, JSON-LD, feeds, the sitemap and the calendars.
func TestHostileContent(t *testing.T) {
	var photo bytes.Buffer
	if err := pngEncode(&photo, 40, 30); err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse([]byte(hostileSite))
	ar.Files = append(ar.Files, txtar.File{Name: "content/projects/p/photo.png", Data: photo.Bytes()})
	fsys, err := txtar.FS(ar)
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	var pages int
	for _, name := range mem.Names() {
		data, _ := mem.Get(name)
		// In every output, HTML or not (feed.json's content_html, JSON-LD, the feeds' escaped HTML), no
		// attribute or URL property holds a URL that runs code.
		low := strings.ToLower(string(data))
		for _, bad := range []string{`href="javascript:`, `src="javascript:`, `href=\"javascript:`, `src=\"javascript:`,
			`href=&#34;javascript:`, `href=&quot;javascript:`, `src=&quot;javascript:`, `"url":"javascript:`, `href=\"vbscript:`, `href="vbscript:`,
			`href=&quot;vbscript:`, "url:javascript:", "location:javascript:"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s holds %s", name, bad)
			}
		}
		switch path.Ext(name) {
		case ".html":
			pages++
			checkHTML(t, name, data)
		case ".xml":
			checkXML(t, name, data)
		case ".json", ".webmanifest":
			if !json.Valid(data) {
				t.Errorf("%s is not valid JSON", name)
			}
		case ".ics":
			checkICS(t, name, data)
		}
	}
	if pages < 5 {
		t.Fatalf("only %d pages built", pages)
	}
	// The hostile title shows, as text, where it belongs: escaped, not run.
	a, _ := mem.Get("posts/a/index.html")
	if title := textOf(t, a, "h1"); !strings.Contains(title, `<script>alert(`) || !strings.Contains(title, `{{ template `) {
		t.Errorf("the article's h1 does not show its title as text: %q", title)
	}
	if p, _ := mem.Get("projects/p/index.html"); !bytes.Contains(p, []byte("<picture")) || !bytes.Contains(p, []byte("youtube-nocookie")) {
		t.Errorf("the project page lost its pictures or its video: the hostile media were not rendered")
	}
	if !bytes.Contains(a, []byte("Hi")) || bytes.Contains(a, []byte("tracker.example")) {
		t.Errorf("a tracking image of a reply reached the page")
	}
	feed, _ := mem.Get("index.xml")
	if !bytes.Contains(feed, []byte("&lt;script&gt;alert(")) {
		t.Errorf("the RSS feed lost the title's text")
	}
	cal, _ := mem.Get("events/calendar.ics")
	if n := bytes.Count(cal, []byte("\nBEGIN:VEVENT")); n != 1 {
		t.Errorf("calendar.ics has %d events, want 1: a title injected lines", n)
	}
}

// checkHTML fails on anything a browser would run: a script that is not our JSON-LD, an event-handler
// attribute, a javascript: URL. JSON-LD must parse and never hold "</script" or "<!--".
func checkHTML(t *testing.T, name string, data []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(data))
	inScript, jsonLD := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Errorf("%s: %v", name, z.Err())
			}
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s> has an event handler %s=%q", name, tok.Data, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") && strings.HasPrefix(v, "javascript:") {
					t.Errorf("%s: <%s %s=%q>", name, tok.Data, a.Key, a.Val)
				}
			}
			if tok.Data == "script" {
				inScript, jsonLD = true, false
				for _, a := range tok.Attr {
					if a.Key == "type" && a.Val == "application/ld+json" {
						jsonLD = true
					}
				}
				if !jsonLD && !searchScript(name, tok) {
					t.Errorf("%s: a script that is not JSON-LD: %s", name, tok)
				}
			}
		case html.EndTagToken:
			inScript = false
		case html.TextToken:
			if inScript && jsonLD {
				text := z.Text()
				low := bytes.ToLower(text)
				if bytes.Contains(low, []byte("</script")) || bytes.Contains(low, []byte("<!--")) {
					t.Errorf("%s: JSON-LD holds a script end or a comment: %s", name, text)
				}
				if !json.Valid(text) {
					t.Errorf("%s: JSON-LD does not parse: %s", name, text)
				}
			}
		}
	}
}

// textOf returns the text of the first element named tag.
func textOf(t *testing.T, data []byte, tag string) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var find func(*html.Node) *html.Node
	find = func(n *html.Node) *html.Node {
		if n.Type == html.ElementNode && n.Data == tag {
			return n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	n := find(doc)
	if n == nil {
		t.Fatalf("no <%s>", tag)
	}
	var b strings.Builder
	var text func(*html.Node)
	text = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c)
		}
	}
	text(n)
	return b.String()
}

// checkXML parses the whole document strictly and checks that every URL in it stays on the site.
func checkXML(t *testing.T, name string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var inLoc bool
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inLoc = tok.Name.Local == "loc" || tok.Name.Local == "link" || tok.Name.Local == "guid"
			for _, a := range tok.Attr {
				if a.Name.Local == "href" && !strings.HasPrefix(a.Value, "https://example.org/") {
					t.Errorf("%s: href %q leaves the site", name, a.Value)
				}
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); inLoc && s != "" && !strings.HasPrefix(s, "https://example.org/") {
				t.Errorf("%s: URL %q leaves the site", name, s)
			}
		case xml.EndElement:
			inLoc = false
		}
	}
}

// checkICS parses the calendar and checks its lines: CRLF, folded at 75 octets, one event per VEVENT.
func checkICS(t *testing.T, name string, data []byte) {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("%s: line of %d octets: %q", name, len(line), line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("%s: bare CR or LF in %q", name, line)
		}
	}
	unfolded := strings.ReplaceAll(string(data), "\r\n ", "")
	for _, line := range strings.Split(unfolded, "\r\n") {
		if params, _, _ := strings.Cut(line, ":"); strings.Contains(params, "\\") {
			t.Errorf("%s: a backslash in parameters, which RFC 5545 does not escape: %q", name, line)
		}
	}
	for _, ev := range cal.Events() {
		summary := ev.GetProperty(ics.ComponentPropertySummary)
		if summary == nil || !strings.Contains(summary.Value, "END:VEVENT") {
			t.Errorf("%s: the SUMMARY lost its text: %v", name, summary)
		}
	}
}

// searchScript reports whether tok is the site search's script on a search page, the one page where a
// script runs (see package search).
func searchScript(name string, tok html.Token) bool {
	if !strings.HasSuffix(name, "recherche/index.html") && !strings.HasSuffix(name, "search/index.html") {
		return false
	}
	for _, a := range tok.Attr {
		if a.Key == "src" && strings.HasPrefix(a.Val, "/search-index/search.") && strings.HasSuffix(a.Val, ".js") {
			return true
		}
	}
	return false
}
