package shortcode

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// labels are the words of video links and cards, in the languages of the default theme.
type labels struct {
	video, post, gist, details string
	colon                      string // before a title: "\u00a0: " in French, ": " in English
}

func words(lang string) labels {
	if strings.HasPrefix(lang, "fr") {
		return labels{video: "Regarder la vidéo sur %s", post: "Voir la publication de %s sur %s",
			gist: "Voir le code sur GitHub Gist", details: "Détails", colon: "\u00a0: "}
	}
	return labels{video: "Watch the video on %s", post: "See the post by %s on %s",
		gist: "See the code on GitHub Gist", details: "Details", colon: ": "}
}

// idRe is what an id of a video or post may hold: nothing that could leave a URL path segment.
var idRe = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// embed returns the HTML of a shortcode that shows something: a figure, or a link to a video or a post
// elsewhere that loads nothing from there before the reader follows it.
func (e *expander) embed(name string, t *tag) (string, error) {
	w := words(e.ctx.Lang)
	attr := html.EscapeString
	switch name {
	case "figure":
		return e.figure(t)
	case "youtube":
		id := t.get("id", 0)
		if !idRe.MatchString(id) {
			return "", fmt.Errorf("youtube: %q is not a YouTube video id: {{< youtube id=\"0RKpf3rK57I\" >}}", id)
		}
		q := url.Values{}
		q.Set("autoplay", "1")
		if s := t.get("start", -1); s != "" {
			q.Set("start", s)
		}
		if s := t.get("end", -1); s != "" {
			q.Set("end", s)
		}
		return videoLink("youtube", "https://www.youtube-nocookie.com/embed/"+id+"?"+q.Encode(), "YouTube", t.get("title", 1), t.get("class", -1), w), nil
	case "vimeo":
		id := t.get("id", 0)
		if !idRe.MatchString(id) {
			return "", fmt.Errorf("vimeo: %q is not a Vimeo video id: {{< vimeo id=\"55073825\" >}}", id)
		}
		return videoLink("vimeo", "https://player.vimeo.com/video/"+id+"?dnt=1&autoplay=1", "Vimeo", t.get("title", 1), t.get("class", -1), w), nil
	case "x", "twitter", "tweet":
		user, id := t.get("user", -1), t.get("id", -1)
		if id == "" && len(t.pos) == 1 {
			id = t.pos[0]
		} else if id == "" && len(t.pos) >= 2 {
			user, id = t.pos[0], t.pos[1]
		}
		if !idRe.MatchString(id) || user != "" && !idRe.MatchString(user) {
			return "", fmt.Errorf("%s: give the account and the post's number: {{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}", t.name)
		}
		href, who := "https://x.com/i/web/status/"+id, "X"
		if user != "" {
			href, who = "https://x.com/"+user+"/status/"+id, "@"+user
		}
		return card("x", href, fmt.Sprintf(w.post, who, "X")), nil
	case "instagram":
		id := t.get("id", 0)
		if !idRe.MatchString(id) {
			return "", fmt.Errorf("instagram: %q is not an Instagram post id: {{< instagram CxOWiQNP2MO >}}", id)
		}
		return card("instagram", "https://www.instagram.com/p/"+id+"/", fmt.Sprintf(w.post, "Instagram", "Instagram")), nil
	case "gist":
		user, id, file := t.get("user", 0), t.get("id", 1), t.get("file", 2)
		if !idRe.MatchString(user) || !idRe.MatchString(id) {
			return "", fmt.Errorf("gist: give the account and the gist's id: {{< gist spf13 7896402 >}}")
		}
		href := "https://gist.github.com/" + user + "/" + id
		label := w.gist
		if file != "" {
			href += "#file-" + strings.ReplaceAll(strings.ToLower(file), ".", "-")
			label += " (" + file + ")"
		}
		return `<p class="embed embed-gist"><a href="` + attr(href) + `">` + html.EscapeString(label) + `</a></p>`, nil
	}
	return "", fmt.Errorf("no embed %s", name)
}

// videoLink is a video as a link that opens the player on its site: nothing is loaded from there until
// the reader clicks.
func videoLink(kind, href, site, title, class string, w labels) string {
	label := fmt.Sprintf(w.video, site)
	if title != "" {
		label += w.colon + title
	}
	cls := "embed embed-video embed-" + kind
	if class != "" {
		cls += " " + class
	}
	return `<p class="` + html.EscapeString(cls) + `"><a class="embed-play" href="` + html.EscapeString(href) +
		`" rel="noopener"><span aria-hidden="true">▶</span> ` + html.EscapeString(label) + `</a></p>`
}

// card is a post of a social network as a link, without its script.
func card(kind, href, label string) string {
	return `<blockquote class="embed embed-` + kind + `"><p><a href="` + html.EscapeString(href) + `" rel="noopener">` +
		html.EscapeString(label) + `</a></p></blockquote>`
}

// figure is Hugo's figure shortcode: an image with an optional link, title, caption and attribution.
func (e *expander) figure(t *tag) (string, error) {
	src := t.get("src", -1)
	if src == "" {
		return "", fmt.Errorf("figure needs an image: {{< figure src=\"photo.jpg\" alt=\"…\" >}}")
	}
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString("<figure")
	if c := t.get("class", -1); c != "" {
		b.WriteString(` class="` + esc(c) + `"`)
	}
	b.WriteString(">")
	link := t.get("link", -1)
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
			if l := t.get("attrlink", -1); l != "" {
				a = `<a href="` + esc(l) + `">` + a + `</a>`
			}
			b.WriteString(a)
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String(), nil
}
