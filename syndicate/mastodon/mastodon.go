// Package mastodon publishes vitrine's posts to a Mastodon account through the Mastodon REST API.
//
// The client needs an access token with the scopes write:statuses (to post) and read:accounts (to find
// its own recent statuses when it checks whether a post went out). The token comes from the environment
// variable VITRINE_MASTODON_TOKEN; it is sent only in the Authorization header and is scrubbed from
// every error the client returns (syndicate.Secrets), whatever the instance echoes.
//
// Publishing is idempotent twice over: each status is sent with an Idempotency-Key header derived from
// the post's identity (the same in every run and every clone), which makes Mastodon answer a repeated
// request with the status it already created (it keeps keys about an hour; GoToSocial and Akkoma
// ignore them), and Lookup finds a post among the account's own statuses by the article's URL, paging
// back to the article's date, which holds past that hour and on every server.
package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/xhttp"
)

// TokenEnv is the environment variable that holds the access token.
const TokenEnv = "VITRINE_MASTODON_TOKEN"

// Client posts to one Mastodon account.
type Client struct {
	server string
	token  string
	hc     *http.Client
	// Now is the clock used to read rate-limit reset times; time.Now when nil.
	Now func() time.Time

	// secrets holds the token; every error the client returns goes through it.
	secrets syndicate.Secrets

	mu        sync.Mutex
	accountID string
}

var _ syndicate.Target = (*Client)(nil)

// New returns a client for the instance at server (https://mastodon.example) with an access token.
// hc may be nil for http.DefaultClient; give one with a timeout.
func New(server, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{server: strings.TrimRight(server, "/"), token: token, hc: hc}
	c.secrets.Add(token)
	return c
}

// FromEnv returns a client whose token comes from VITRINE_MASTODON_TOKEN.
func FromEnv(server string, hc *http.Client) (*Client, error) {
	token := strings.TrimSpace(os.Getenv(TokenEnv))
	if token == "" {
		return nil, fmt.Errorf("mastodon: %s is not set: create an access token with the scopes write:statuses and read:accounts (Preferences → Development on %s) and put it in that variable", TokenEnv, server)
	}
	if server == "" {
		return nil, errors.New("mastodon: no server: set [syndicate.mastodon] server = \"https://…\" in vitrine.toml")
	}
	return New(server, token, hc), nil
}

// Network returns syndicate.Mastodon.
func (c *Client) Network() string { return syndicate.Mastodon }

// Key returns the post's Idempotency-Key: a hash of its identity, the same in every run and clone.
func (c *Client) Key(p syndicate.Post) string {
	sum := sha256.Sum256([]byte("mastodon\x00" + p.Key().String()))
	return "vitrine-" + hex.EncodeToString(sum[:16])
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Limits returns the instance's maximum status length and the length every URL counts for, from
// GET /api/v2/instance (configuration.statuses); 500 and 23 when the instance does not say.
func (c *Client) Limits(ctx context.Context) (maxChars, urlChars int, err error) {
	var inst struct {
		Configuration struct {
			Statuses struct {
				MaxCharacters            int `json:"max_characters"`
				CharactersReservedPerURL int `json:"characters_reserved_per_url"`
			} `json:"statuses"`
		} `json:"configuration"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v2/instance", nil, nil, &inst); err != nil {
		return 0, 0, err
	}
	maxChars, urlChars = inst.Configuration.Statuses.MaxCharacters, inst.Configuration.Statuses.CharactersReservedPerURL
	if maxChars <= 0 {
		maxChars = 500
	}
	if urlChars <= 0 {
		urlChars = 23
	}
	return maxChars, urlChars, nil
}

type status struct {
	ID        string          `json:"id"`
	CreatedAt time.Time       `json:"created_at"`
	URL       string          `json:"url"`
	URI       string          `json:"uri"`
	Content   string          `json:"content"`
	Reblog    json.RawMessage `json:"reblog"`
}

func (s status) published() syndicate.Published {
	u := s.URL
	if u == "" {
		u = s.URI
	}
	return syndicate.Published{ID: s.ID, URL: u}
}

// Publish posts p.Text as a public status in p.Lang with the Idempotency-Key header set to key.
func (c *Client) Publish(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, error) {
	form := url.Values{"status": {p.Text}, "visibility": {"public"}}
	if lang := language(p.Lang); lang != "" {
		form.Set("language", lang)
	}
	var s status
	err := c.call(ctx, http.MethodPost, "/api/v1/statuses", form, http.Header{"Idempotency-Key": {key}}, &s)
	if err != nil {
		return syndicate.Published{}, err
	}
	if s.ID == "" {
		return syndicate.Published{}, &syndicate.RetryableError{Err: fmt.Errorf("mastodon: POST %s/api/v1/statuses: the answer has no status id", c.server)}
	}
	return s.published(), nil
}

// MaxLookupPages bounds how many pages of 40 statuses Lookup reads when the article's date does not
// stop it sooner.
const MaxLookupPages = 250

// lookupMargin is how long before the article's date Lookup still reads: clocks differ.
const lookupMargin = 48 * time.Hour

// Lookup finds the post for p among the account's own statuses (reblogs excluded), newest first, by
// the article's URL in a link of the status, paging back (max_id) until the statuses are older than
// p.Date, less two days. key is not needed: Mastodon offers no lookup by Idempotency-Key. When it can
// go back no further (MaxLookupPages pages, or no date to stop at) without finding the post, the
// error wraps syndicate.ErrNoLookup: it cannot tell.
func (c *Client) Lookup(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, bool, error) {
	id, err := c.account(ctx)
	if err != nil {
		return syndicate.Published{}, false, err
	}
	since := time.Time{}
	if !p.Date.IsZero() {
		since = p.Date.Add(-lookupMargin)
	}
	maxID := ""
	for page := 0; page < MaxLookupPages; page++ {
		var recent []status
		path := "/api/v1/accounts/" + url.PathEscape(id) + "/statuses?limit=40&exclude_reblogs=true"
		if maxID != "" {
			path += "&max_id=" + url.QueryEscape(maxID)
		}
		if err := c.call(ctx, http.MethodGet, path, nil, nil, &recent); err != nil {
			return syndicate.Published{}, false, err
		}
		older := false
		for _, s := range recent {
			if !s.CreatedAt.IsZero() && !since.IsZero() && s.CreatedAt.Before(since) {
				older = true
			}
			if len(s.Reblog) > 0 && string(s.Reblog) != "null" {
				continue
			}
			if mentions(s.Content, p) {
				return s.published(), true, nil
			}
		}
		if len(recent) == 0 || older || recent[len(recent)-1].ID == maxID {
			return syndicate.Published{}, false, nil
		}
		maxID = recent[len(recent)-1].ID
	}
	reach := "the article's date"
	if !p.Date.IsZero() {
		reach = p.Date.Format("2006-01-02")
	}
	return syndicate.Published{}, false, fmt.Errorf("mastodon: read %d statuses of the account without reaching %s: %w", MaxLookupPages*40, reach, syndicate.ErrNoLookup)
}

// account returns the id of the token's account, asked once.
func (c *Client) account(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accountID != "" {
		return c.accountID, nil
	}
	var acct struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/accounts/verify_credentials", nil, nil, &acct); err != nil {
		return "", err
	}
	if acct.ID == "" {
		return "", fmt.Errorf("mastodon: GET %s/api/v1/accounts/verify_credentials: the answer has no account id", c.server)
	}
	c.accountID = acct.ID
	return acct.ID, nil
}

// mentions reports whether a status's HTML links to the post's link or to its article: an href equal
// to it, or to the article followed by a query or fragment; for a reminder, the status must also hold
// the first word of its title.
func mentions(content string, p syndicate.Post) bool {
	if strings.Contains(p.Article, "#") {
		// An event's reminder links to the page its announcement links to: its text tells them apart
		// ("Rappel : …").
		if words := strings.Fields(p.Title); len(words) > 0 && !strings.Contains(textOf(content), words[0]) {
			return false
		}
	}
	for _, href := range hrefs(content) {
		if p.Link != "" && href == p.Link {
			return true
		}
		if p.Article != "" && (href == p.Article || strings.HasPrefix(href, p.Article+"?") || strings.HasPrefix(href, p.Article+"#")) {
			return true
		}
	}
	return false
}

// hrefs returns the unescaped href attributes of the links in Mastodon's status HTML.
func hrefs(content string) []string {
	var out []string
	for {
		i := strings.Index(content, `href="`)
		if i < 0 {
			return out
		}
		content = content[i+len(`href="`):]
		j := strings.IndexByte(content, '"')
		if j < 0 {
			return out
		}
		out = append(out, html.UnescapeString(content[:j]))
		content = content[j+1:]
	}
}

// language reduces a BCP 47 tag to the ISO 639 language Mastodon takes ("fr-CA" → "fr").
func language(tag string) string {
	lang, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	lang, _, _ = strings.Cut(lang, "_")
	return strings.ToLower(lang)
}

// call sends a request (form-encoded when form is not nil) and decodes a 2xx JSON answer into out.
func (c *Client) call(ctx context.Context, method, path string, form url.Values, header http.Header, out any) error {
	op := "mastodon: " + method + " " + c.server + strings.SplitN(path, "?", 2)[0]
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.server+path, body)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := xhttp.Do(ctx, c.hc, req)
	if err != nil {
		return c.secrets.Error(fmt.Errorf("mastodon: %w", err))
	}
	if !resp.OK() {
		return c.secrets.Error(c.statusError(op, resp))
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return c.secrets.Error(fmt.Errorf("%s: the answer is not the expected JSON: %v", op, err))
	}
	return nil
}

func (c *Client) statusError(op string, resp *xhttp.Response) error {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(resp.Body, &e)
	msg := e.Error
	if e.Description != "" && e.Description != e.Error {
		msg = strings.TrimSpace(msg + " (" + e.Description + ")")
	}
	switch resp.Status {
	case http.StatusUnauthorized:
		return fmt.Errorf("%s: 401 Unauthorized: %s: the access token is wrong, revoked, or lacks the write:statuses scope; set %s to a token of this account with the scopes write:statuses and read:accounts", op, orDefault(msg, "token refused"), TokenEnv)
	case http.StatusForbidden:
		return fmt.Errorf("%s: 403 Forbidden: %s: the access token lacks a scope; set %s to a token with the scopes write:statuses and read:accounts", op, orDefault(msg, "forbidden"), TokenEnv)
	}
	return xhttp.StatusError(op, resp, msg, c.now())
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
