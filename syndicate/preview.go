package syndicate

import (
	"bytes"
	_ "embed" // the preview page's template
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ReadOutbox reads the posts of the outbox folder written by WriteOutbox, sorted by article then
// network. A missing folder is an empty outbox.
func ReadOutbox(dir string) ([]Post, error) {
	var posts []Post
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var post Post
		if err := json.Unmarshal(data, &post); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		posts = append(posts, post)
		return nil
	})
	slices.SortFunc(posts, func(a, b Post) int {
		if c := strings.Compare(a.Article, b.Article); c != 0 {
			return c
		}
		return strings.Compare(a.Network, b.Network)
	})
	return posts, err
}

//go:embed preview.html
var previewHTML string

var previewTemplate = template.Must(template.New("preview").Funcs(template.FuncMap{
	"rich": richText,
	"over": func(p Post) bool { return p.Limit > 0 && p.Length > p.Limit },
	"initial": func(name string) string {
		for _, r := range name {
			return string(r)
		}
		return "?"
	},
}).Parse(previewHTML))

// PreviewOptions are what the preview page shows besides the posts.
type PreviewOptions struct {
	SiteTitle  string
	AuthorName string
	// ImageBase is prefixed to a post's Image path to show it: "/" when the site is served alongside.
	ImageBase string
}

// Preview renders the posts as a page of previews that look like each network's post, for review
// before publishing: `vitrine serve` shows it at /_vitrine/syndication.
func Preview(posts []Post, opts PreviewOptions) ([]byte, error) {
	type group struct {
		Article, Title string
		Posts          []Post
	}
	var groups []*group
	for _, p := range posts {
		if len(groups) == 0 || groups[len(groups)-1].Article != p.Article {
			groups = append(groups, &group{Article: p.Article, Title: p.Title})
		}
		g := groups[len(groups)-1]
		g.Posts = append(g.Posts, p)
	}
	var b bytes.Buffer
	err := previewTemplate.Execute(&b, map[string]any{"Opts": opts, "Groups": groups, "Count": len(posts)})
	return b.Bytes(), err
}

// richText escapes a post's text and makes its links and hashtags look as the networks show them.
func richText(p Post) template.HTML {
	text := p.Text
	var b strings.Builder
	// Facets give exact spans for Bluesky; elsewhere links and hashtags are found in the text.
	for _, word := range splitKeep(text) {
		esc := template.HTMLEscapeString(word)
		switch {
		case strings.HasPrefix(word, "http://") || strings.HasPrefix(word, "https://"):
			b.WriteString(`<a href="` + esc + `">` + esc + `</a>`)
		case strings.HasPrefix(word, "#") && len(word) > 1:
			b.WriteString(`<span class="tag">` + esc + `</span>`)
		default:
			b.WriteString(esc)
		}
	}
	return template.HTML(strings.ReplaceAll(b.String(), "\n", "<br>"))
}

// splitKeep cuts text into words and the spaces between them, keeping both.
func splitKeep(text string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range text {
		space := r == ' ' || r == '\n' || r == '\u00a0'
		if i > start && space != inSpace {
			out = append(out, text[start:i])
			start = i
		}
		inSpace = space
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
