package shortcode

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// labels are the words of cards, in the languages of the default theme.
type labels struct {
	post, gist, details string
}

func words(lang string) labels {
	if strings.HasPrefix(lang, "fr") {
		return labels{post: "Voir la publication de %s sur %s", gist: "Voir le code", details: "Détails"}
	}
	return labels{post: "See the post by %s on %s", gist: "See the code", details: "Details"}
}

// idRe is what an id of a video or post may hold: nothing that could leave a URL path segment.
var idRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// embed returns what a shortcode that shows something becomes: the HTML of a figure or a link card,
// or the Markdown of a link to a video (md), which loads nothing from the video's site before the
// reader follows it.
func (e *expander) embed(name string, t *tag) (h, md string, err error) {
	w := words(e.ctx.Lang)
	switch name {
	case "figure":
		h, err = e.figure(t)
		return h, "", err
	case "youtube":
		id := t.get("id", 0)
		if !idRe.MatchString(id) {
			return "", "", fmt.Errorf("youtube: %q is not a YouTube video id: {{< youtube id=\"0RKpf3rK57I\" >}}", id)
		}
		q := url.Values{}
		q.Set("autoplay", "1")
		if s := t.get("start", -1); s != "" {
			q.Set("start", s)
		}
		if s := t.get("end", -1); s != "" {
			q.Set("end", s)
		}
		return "", videoLink("https://www.youtube-nocookie.com/embed/"+id+"?"+q.Encode(), t.get("title", 1)), nil
	case "vimeo":
		id := t.get("id", 0)
		// An id may carry the query of a private video's link ("55073825?h=2f3c…"): kept, as Hugo's
		// player URL keeps it.
		id, query, _ := strings.Cut(id, "?")
		if !idRe.MatchString(id) {
			return "", "", fmt.Errorf("vimeo: %q is not a Vimeo video id: {{< vimeo id=\"55073825\" >}}", id)
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			q = url.Values{}
		}
		q.Set("autoplay", "1")
		q.Set("dnt", "1")
		return "", videoLink("https://player.vimeo.com/video/"+id+"?"+q.Encode(), t.get("title", 1)), nil
	case "x", "twitter", "tweet":
		user, id := t.get("user", -1), t.get("id", -1)
		if id == "" && len(t.pos) == 1 {
			id = t.pos[0]
		} else if id == "" && len(t.pos) >= 2 {
			user, id = t.pos[0], t.pos[1]
		}
		if !idRe.MatchString(id) || user != "" && !idRe.MatchString(user) {
			return "", "", fmt.Errorf("%s: give the account and the post's number: {{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}", t.name)
		}
		href, who := "https://x.com/i/web/status/"+id, "X"
		if user != "" {
			href, who = "https://x.com/"+user+"/status/"+id, "@"+user
		}
		return linkCard("x", "X", href, fmt.Sprintf(w.post, who, "X")), "", nil
	case "instagram":
		id := t.get("id", 0)
		if !idRe.MatchString(id) {
			return "", "", fmt.Errorf("instagram: %q is not an Instagram post id: {{< instagram CxOWiQNP2MO >}}", id)
		}
		href := "https://www.instagram.com/p/" + id + "/"
		return linkCard("instagram", "Instagram", href, href), "", nil
	case "gist":
		user, id, file := t.get("user", 0), t.get("id", 1), t.get("file", 2)
		if !idRe.MatchString(user) || !idRe.MatchString(id) {
			return "", "", fmt.Errorf("gist: give the account and the gist's id: {{< gist spf13 7896402 >}}")
		}
		href := "https://gist.github.com/" + user + "/" + id
		label := w.gist
		if file != "" {
			href += "#file-" + strings.ReplaceAll(strings.ToLower(file), ".", "-")
			label += " (" + file + ")"
		}
		return linkCard("gist", "GitHub Gist", href, label), "", nil
	}
	return "", "", fmt.Errorf("no embed %s", name)
}

// videoLink is the Markdown of a link to a video player: [title](url), or <url> without a title.
func videoLink(href, title string) string {
	if title == "" {
		return "<" + href + ">"
	}
	return "[" + escapeMarkdown(title) + "](" + href + ")"
}

// escapeMarkdown escapes the ASCII punctuation of a text put in Markdown, so that it reads as written.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// linkCard is a post of a social network as a card with a link, without the network's script.
func linkCard(kind, network, href, label string) string {
	return `<p class="link-card link-card-` + kind + `"><a href="` + html.EscapeString(href) + `" rel="noopener"><span class="link-card-network">` +
		html.EscapeString(network) + `</span> <span class="link-card-title">` + html.EscapeString(label) + `</span></a></p>`
}

// refuse warns that the URL of a shortcode's parameter is left out by the URL policy.
func (e *expander) refuse(t *tag, param, u string) {
	e.res.Warnings = append(e.res.Warnings, Warning{Line: t.line, Name: t.name, Msg: t.name + ": " + safeurl.Refused(param, u)})
}

// figure is Hugo's figure shortcode: an image with an optional link, title, caption and attribution.
func (e *expander) figure(t *tag) (string, error) {
	src := t.get("src", -1)
	if src == "" {
		return "", fmt.Errorf("figure needs an image: {{< figure src=\"photo.jpg\" alt=\"…\" >}}")
	}
	if !safeurl.Image(src) {
		e.refuse(t, "src", src)
		return "", nil
	}
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString("<figure")
	if c := t.get("class", -1); c != "" {
		b.WriteString(` class="` + esc(c) + `"`)
	}
	b.WriteString(">")
	link := t.get("link", -1)
	if link != "" && !safeurl.Link(link) {
		e.refuse(t, "link", link)
		link = ""
	}
	if link != "" {
		b.WriteString(`<a href="` + esc(link) + `"`)
		if v := t.get("target", -1); v != "" {
			b.WriteString(` target="` + esc(v) + `"`)
		}
		if v := t.get("rel", -1); v != "" {
			b.WriteString(` rel="` + esc(v) + `"`)
		}
		b.WriteString(">")
	}
	alt := t.get("alt", -1)
	if alt == "" && !t.has("alt") {
		alt = t.get("title", -1)
		if alt == "" {
			alt = tagsRe.ReplaceAllString(e.inline(t.get("caption", -1)), "")
			alt = html.UnescapeString(alt)
		}
	}
	b.WriteString(`<img src="` + esc(src) + `" alt="` + esc(alt) + `"`)
	for _, k := range []string{"width", "height"} {
		if v := t.get(k, -1); v != "" {
			if _, err := strconv.Atoi(v); err == nil {
				b.WriteString(" " + k + `="` + v + `"`)
			}
		}
	}
	loading := t.get("loading", -1)
	if loading != "eager" {
		loading = "lazy"
	}
	b.WriteString(` loading="` + loading + `">`)
	if link != "" {
		b.WriteString("</a>")
	}
	title, caption, attr := t.get("title", -1), t.get("caption", -1), t.get("attr", -1)
	if title != "" || caption != "" || attr != "" {
		b.WriteString("<figcaption>")
		if title != "" {
			b.WriteString("<strong>" + esc(title) + "</strong>")
			if caption != "" || attr != "" {
				b.WriteString(" ")
			}
		}
		if caption != "" {
			b.WriteString(e.inline(caption))
		}
		if attr != "" {
			if caption != "" {
				b.WriteString(" ")
			}
			a := e.inline(attr)
			if l := t.get("attrlink", -1); l != "" && !safeurl.Link(l) {
				e.refuse(t, "attrlink", l)
			} else if l != "" {
				a = `<a href="` + esc(l) + `">` + a + `</a>`
			}
			b.WriteString(a)
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String(), nil
}
