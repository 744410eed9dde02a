package bluesky

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

// DefaultAppView is Bluesky's public AppView, which answers reads without an account.
const DefaultAppView = "https://public.api.bsky.app"

// Reader reads threads and counts through an AppView (app.bsky.feed.getPostThread), for vitrine
// backfeed. It needs no account: the public AppView serves public posts to anyone.
type Reader struct {
	c *Client
}

var _ syndicate.Source = (*Reader)(nil)

// NewReader returns a reader of the AppView at appview (DefaultAppView when ""). hc may be nil for
// http.DefaultClient; give one with a timeout.
func NewReader(appview string, hc *http.Client, opts ...Option) *Reader {
	if appview == "" {
		appview = DefaultAppView
	}
	return &Reader{c: New(appview, "", "", hc, opts...)}
}

// Network returns syndicate.Bluesky.
func (r *Reader) Network() string { return syndicate.Bluesky }

// threadView is app.bsky.feed.defs#threadViewPost, or #notFoundPost / #blockedPost (no post).
type threadView struct {
	Type    string        `json:"$type"`
	Post    *postView     `json:"post"`
	Replies []*threadView `json:"replies"`
}

// postView is app.bsky.feed.defs#postView, with what backfeed reads.
type postView struct {
	URI    string `json:"uri"`
	Author struct {
		DID         string `json:"did"`
		Handle      string `json:"handle"`
		DisplayName string `json:"displayName"`
	} `json:"author"`
	Record struct {
		Text      string    `json:"text"`
		CreatedAt time.Time `json:"createdAt"`
		Facets    []facet   `json:"facets"`
	} `json:"record"`
	IndexedAt   time.Time `json:"indexedAt"`
	ReplyCount  int       `json:"replyCount"`
	RepostCount int       `json:"repostCount"`
	LikeCount   int       `json:"likeCount"`
	QuoteCount  int       `json:"quoteCount"`
}

// Reactions reads the thread of the post recorded in e (its at:// URI, the ledger's ID) with
// app.bsky.feed.getPostThread: the post's likes, reposts (quotes included) and replies, and every
// reply of the thread, replies to replies included; removed or blocked posts are left out.
func (r *Reader) Reactions(ctx context.Context, e syndicate.Entry) (model.NetworkReactions, []model.Reply, error) {
	if !strings.HasPrefix(e.ID, "at://") {
		return model.NetworkReactions{}, nil, fmt.Errorf("bluesky: the ledger has no at:// URI for %s", e.URL)
	}
	var out struct {
		Thread *threadView `json:"thread"`
	}
	q := url.Values{"uri": {e.ID}, "depth": {"20"}, "parentHeight": {"0"}}
	if err := r.c.send(ctx, http.MethodGet, "app.bsky.feed.getPostThread", q, nil, "", "", &out); err != nil {
		return model.NetworkReactions{}, nil, err
	}
	if out.Thread == nil || out.Thread.Post == nil {
		return model.NetworkReactions{}, nil, fmt.Errorf("bluesky: getPostThread on %s: no post %s (removed?)", r.c.service, e.ID)
	}
	p := out.Thread.Post
	counts := model.NetworkReactions{Post: e.URL, Likes: p.LikeCount, Reposts: p.RepostCount + p.QuoteCount, Replies: p.ReplyCount}
	var replies []model.Reply
	var walk func(ts []*threadView)
	walk = func(ts []*threadView) {
		for _, t := range ts {
			if t == nil || t.Post == nil {
				continue
			}
			replies = append(replies, reply(t.Post))
			walk(t.Replies)
		}
	}
	walk(out.Thread.Replies)
	return counts, replies, nil
}

func reply(p *postView) model.Reply {
	rkey := p.URI[strings.LastIndex(p.URI, "/")+1:]
	profile := "https://bsky.app/profile/" + orDefault(p.Author.Handle, p.Author.DID)
	published := p.Record.CreatedAt
	if published.IsZero() {
		published = p.IndexedAt
	}
	return model.Reply{
		ID:        syndicate.Bluesky + ":" + p.URI,
		Network:   syndicate.Bluesky,
		URL:       profile + "/post/" + rkey,
		Author:    model.ReplyAuthor{Name: strings.TrimSpace(p.Author.DisplayName), Handle: p.Author.Handle, URL: profile},
		Published: published.UTC(),
		Content:   textHTML(p.Record.Text, p.Record.Facets),
		Text:      p.Record.Text,
	}
}

// textHTML turns a post's text and facets into HTML: the text escaped, link facets as links, mentions
// as links to the profile, blank lines as paragraphs and line breaks kept. Facets whose byte offsets do
// not fall on the text are ignored.
func textHTML(text string, facets []facet) string {
	type span struct {
		start, end int
		href       string
	}
	var spans []span
	for _, f := range facets {
		s, e := f.Index.ByteStart, f.Index.ByteEnd
		if s < 0 || e <= s || e > len(text) {
			continue
		}
		for _, ft := range f.Features {
			switch ft.Type {
			case "app.bsky.richtext.facet#link":
				if strings.HasPrefix(ft.URI, "https://") || strings.HasPrefix(ft.URI, "http://") {
					spans = append(spans, span{s, e, ft.URI})
				}
			case "app.bsky.richtext.facet#mention":
				if ft.DID != "" {
					spans = append(spans, span{s, e, "https://bsky.app/profile/" + ft.DID})
				}
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue // overlapping facets: the first wins
		}
		b.WriteString(html.EscapeString(text[pos:sp.start]))
		b.WriteString(`<a href="` + html.EscapeString(sp.href) + `">` + html.EscapeString(text[sp.start:sp.end]) + `</a>`)
		pos = sp.end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	var out strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			out.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>") + "</p>")
		}
	}
	return out.String()
}
