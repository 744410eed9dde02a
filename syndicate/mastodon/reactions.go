package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

var _ syndicate.Source = (*Client)(nil)

// NewReader returns a client that only reads public statuses, for vitrine backfeed: token may be ""
// (public statuses need none), or the token of VITRINE_MASTODON_TOKEN on an instance that asks for one.
func NewReader(server, token string, hc *http.Client) *Client { return New(server, token, hc) }

// thread is a status as /api/v1/statuses/:id and /context give it, with what backfeed reads.
type thread struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	URI         string    `json:"uri"`
	CreatedAt   time.Time `json:"created_at"`
	Content     string    `json:"content"`
	Visibility  string    `json:"visibility"`
	Favourites  int       `json:"favourites_count"`
	Reblogs     int       `json:"reblogs_count"`
	RepliesSeen int       `json:"replies_count"`
	Account     struct {
		Acct        string `json:"acct"`
		DisplayName string `json:"display_name"`
		URL         string `json:"url"`
	} `json:"account"`
}

// Reactions reads the status recorded in e (GET /api/v1/statuses/:id: favourites, boosts, replies) and
// its thread (GET /api/v1/statuses/:id/context: the descendants, replies to replies included). Only
// public and unlisted replies are kept: a reply meant for few readers is not published on a site.
func (c *Client) Reactions(ctx context.Context, e syndicate.Entry) (model.NetworkReactions, []model.Reply, error) {
	if e.ID == "" {
		return model.NetworkReactions{}, nil, fmt.Errorf("mastodon: the ledger has no status id for %s", e.URL)
	}
	var st thread
	if err := c.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(e.ID), nil, nil, &st); err != nil {
		return model.NetworkReactions{}, nil, err
	}
	var ctxt struct {
		Descendants []thread `json:"descendants"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(e.ID)+"/context", nil, nil, &ctxt); err != nil {
		return model.NetworkReactions{}, nil, err
	}
	counts := model.NetworkReactions{Post: st.URL, Likes: st.Favourites, Reposts: st.Reblogs, Replies: st.RepliesSeen}
	if counts.Post == "" {
		counts.Post = e.URL
	}
	host := ""
	if u, err := url.Parse(c.server); err == nil {
		host = u.Hostname()
	}
	var replies []model.Reply
	for _, d := range ctxt.Descendants {
		if d.Visibility != "public" && d.Visibility != "unlisted" {
			continue
		}
		// A local account's acct has no domain: the one of its profile says where it lives.
		handle := "@" + d.Account.Acct
		if !strings.Contains(d.Account.Acct, "@") {
			if u, err := url.Parse(d.Account.URL); err == nil && u.Hostname() != "" {
				handle += "@" + u.Hostname()
			} else if host != "" {
				handle += "@" + host
			}
		}
		replies = append(replies, model.Reply{
			ID:        syndicate.Mastodon + ":" + d.ID,
			Network:   syndicate.Mastodon,
			URL:       orDefault(d.URL, d.URI),
			Author:    model.ReplyAuthor{Name: strings.TrimSpace(d.Account.DisplayName), Handle: handle, URL: d.Account.URL},
			Published: d.CreatedAt.UTC(),
			Content:   d.Content,
			Text:      textOf(d.Content),
		})
	}
	return counts, replies, nil
}

// textOf returns the text of a status's HTML, paragraphs and line breaks as spaces.
func textOf(s string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			if n := string(name); n == "p" || n == "br" || n == "li" {
				b.WriteByte(' ')
			}
		}
	}
}
