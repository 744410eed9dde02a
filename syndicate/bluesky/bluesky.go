// Package bluesky publishes vitrine's posts to a Bluesky account through its PDS (AT Protocol XRPC).
//
// The client logs in once with the account's handle and an app password (from the environment
// variable VITRINE_BLUESKY_APP_PASSWORD) and reuses the session for every post, refreshing it when it
// expires: createSession is limited to 30 calls per 5 minutes and 300 a day. The password and the
// session tokens are only ever sent in request bodies and Authorization headers; they are registered in
// the client's syndicate.Secrets (the password at once, each token as soon as it is received) and every
// error the client returns is scrubbed of them, whatever a server echoes.
//
// A post is an app.bsky.feed.post record created with com.atproto.repo.createRecord under a record
// key derived from the post's identity (a TID, see Key): every run and every clone picks the same
// one, and a second create with that key cannot make a second post. The reference PDS answers such a
// create with an error (a 500), which Publish recognises by asking for the record
// (com.atproto.repo.getRecord): the post is already there. syndicate.Run also looks the key up before
// every send.
//
// The article's link becomes an app.bsky.embed.external card with its title and description, and the
// post's image (the article's social card, at most 1,000,000 bytes) is uploaded as the card's thumb.
package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/xhttp"
)

// PasswordEnv is the environment variable that holds the app password.
const PasswordEnv = "VITRINE_BLUESKY_APP_PASSWORD"

// MaxThumbBytes is the largest thumb app.bsky.embed.external accepts.
const MaxThumbBytes = 1_000_000

const collection = "app.bsky.feed.post"

// Client posts to one Bluesky account.
type Client struct {
	service  string
	handle   string
	password string
	hc       *http.Client
	images   fs.FS
	now      func() time.Time

	// secrets holds the password and the session tokens; every error the client returns goes through it.
	secrets *syndicate.Secrets

	mu   sync.Mutex
	sess *session
}

var _ syndicate.Target = (*Client)(nil)

type session struct {
	access, refresh, did, handle string
}

// An Option configures a Client.
type Option func(*Client)

// Images gives the folder Post.Image paths are read from: the site's output folder.
func Images(fsys fs.FS) Option { return func(c *Client) { c.images = fsys } }

// Secrets gives the set the client registers its password and session tokens in, so that the command
// scrubs them from its output too; by default the client has a set of its own.
func Secrets(s *syndicate.Secrets) Option { return func(c *Client) { c.secrets = s } }

// Clock sets the clock used for createdAt and rate-limit resets; time.Now by default.
func Clock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client for the account handle on the PDS at service (https://bsky.social), logging in
// with appPassword. hc may be nil for http.DefaultClient; give one with a timeout.
func New(service, handle, appPassword string, hc *http.Client, opts ...Option) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{service: strings.TrimRight(service, "/"), handle: strings.TrimPrefix(handle, "@"),
		password: appPassword, hc: hc, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	if c.secrets == nil {
		c.secrets = &syndicate.Secrets{}
	}
	c.secrets.Add(appPassword)
	return c
}

// FromEnv returns a client whose app password comes from VITRINE_BLUESKY_APP_PASSWORD.
func FromEnv(service, handle string, hc *http.Client, opts ...Option) (*Client, error) {
	pw := strings.TrimSpace(os.Getenv(PasswordEnv))
	if pw == "" {
		return nil, fmt.Errorf("bluesky: %s is not set: create an app password for %s (Settings → Privacy and security → App passwords) and put it in that variable", PasswordEnv, orDefault(handle, "the account"))
	}
	if service == "" || handle == "" {
		return nil, errors.New("bluesky: set [syndicate.bluesky] service = \"https://bsky.social\" and handle = \"…\" in vitrine.toml")
	}
	return New(service, handle, pw, hc, opts...), nil
}

// Network returns syndicate.Bluesky.
func (c *Client) Network() string { return syndicate.Bluesky }

// Key returns the record key of the post: a TID derived from its identity alone, so that every run
// and clone agrees on it and a second create of the same post fails. Its time part is the article's
// date to the second, its microseconds and clock id a hash of the identity (network, page, announce
// or reminder): a valid key for app.bsky.feed.post that sorts near the article's time.
func (c *Client) Key(p syndicate.Post) string {
	sum := sha256.Sum256([]byte("bluesky\x00" + p.Key().String()))
	h := binary.BigEndian.Uint64(sum[:8])
	base := p.Date
	if base.IsZero() || base.Year() < 2000 || base.Year() > 2200 {
		base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	micros := base.Unix()*1_000_000 + int64(h%1_000_000)
	return TID(micros, uint(h>>54))
}

const s32 = "234567abcdefghijklmnopqrstuvwxyz"

// TID encodes a timestamp in microseconds (53 bits) and a clock id (10 bits) as the AT Protocol's
// 13-character base32-sortable timestamp identifier.
func TID(micros int64, clockID uint) string {
	v := (uint64(micros)&(1<<53-1))<<10 | uint64(clockID&0x3FF)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = s32[v&31]
		v >>= 5
	}
	return string(b[:])
}

var tidRE = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

// ValidTID reports whether s is a syntactically valid TID.
func ValidTID(s string) bool { return tidRE.MatchString(s) }

// record is an app.bsky.feed.post.
type record struct {
	Type      string   `json:"$type"`
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs,omitempty"`
	Facets    []facet  `json:"facets,omitempty"`
	Embed     *embed   `json:"embed,omitempty"`
}

type facet struct {
	Index struct {
		ByteStart int `json:"byteStart"`
		ByteEnd   int `json:"byteEnd"`
	} `json:"index"`
	Features []feature `json:"features"`
}

type feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
	DID  string `json:"did,omitempty"` // app.bsky.richtext.facet#mention, read in replies
}

type embed struct {
	Type     string   `json:"$type"`
	External external `json:"external"`
}

type external struct {
	URI         string          `json:"uri"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Thumb       json.RawMessage `json:"thumb,omitempty"`
}

// Record returns the app.bsky.feed.post record for p, created at createdAt, with thumb (a blob as
// uploadBlob returns it, or nil) as the link card's image. It checks the facets against the text.
func Record(p syndicate.Post, createdAt time.Time, thumb json.RawMessage) (json.RawMessage, error) {
	r := record{Type: collection, Text: p.Text, CreatedAt: createdAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if p.Lang != "" {
		r.Langs = []string{p.Lang}
	}
	for _, f := range p.Facets {
		if f.ByteStart < 0 || f.ByteEnd <= f.ByteStart || f.ByteEnd > len(p.Text) {
			return nil, fmt.Errorf("bluesky: facet [%d, %d) is outside the post's %d bytes of text", f.ByteStart, f.ByteEnd, len(p.Text))
		}
		var out facet
		out.Index.ByteStart, out.Index.ByteEnd = f.ByteStart, f.ByteEnd
		if f.Link != "" {
			out.Features = append(out.Features, feature{Type: "app.bsky.richtext.facet#link", URI: f.Link})
		}
		if f.Tag != "" {
			out.Features = append(out.Features, feature{Type: "app.bsky.richtext.facet#tag", Tag: f.Tag})
		}
		if len(out.Features) == 0 {
			return nil, fmt.Errorf("bluesky: facet [%d, %d) has neither a link nor a tag", f.ByteStart, f.ByteEnd)
		}
		r.Facets = append(r.Facets, out)
	}
	if link := orDefault(p.Link, p.Article); link != "" {
		r.Embed = &embed{Type: "app.bsky.embed.external", External: external{URI: link, Title: p.Title, Description: p.Description, Thumb: thumb}}
	}
	return json.Marshal(r)
}

// Publish uploads the post's image, if any, and creates the post under the record key key.
func (c *Client) Publish(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, error) {
	if !ValidTID(key) {
		return syndicate.Published{}, fmt.Errorf("bluesky: %q is not a valid record key (a TID)", key)
	}
	if _, err := Record(p, c.now(), nil); err != nil {
		return syndicate.Published{}, err
	}
	img, mimeType, err := c.image(p)
	if err != nil {
		return syndicate.Published{}, err
	}
	s, err := c.session(ctx)
	if err != nil {
		return syndicate.Published{}, err
	}
	var thumb json.RawMessage
	if img != nil {
		var up struct {
			Blob json.RawMessage `json:"blob"`
		}
		if err := c.xrpc(ctx, http.MethodPost, "com.atproto.repo.uploadBlob", nil, img, mimeType, &up); err != nil {
			return syndicate.Published{}, err
		}
		if len(up.Blob) == 0 {
			return syndicate.Published{}, &syndicate.RetryableError{Err: fmt.Errorf("bluesky: uploadBlob on %s: the answer has no blob", c.service)}
		}
		thumb = up.Blob
	}
	rec, err := Record(p, c.now(), thumb)
	if err != nil {
		return syndicate.Published{}, err
	}
	body, err := json.Marshal(map[string]any{"repo": s.did, "collection": collection, "rkey": key, "record": rec})
	if err != nil {
		return syndicate.Published{}, err
	}
	var out struct {
		URI string `json:"uri"`
	}
	if err := c.xrpc(ctx, http.MethodPost, "com.atproto.repo.createRecord", nil, body, "application/json", &out); err != nil {
		var xe *xrpcError
		if errors.As(err, &xe) {
			// The PDS answered no: a record with this key may be there already (a create with a key in
			// use fails), made by another run or clone.
			if pub, found, lerr := c.Lookup(ctx, p, key); lerr == nil && found {
				return pub, nil
			}
		}
		return syndicate.Published{}, err
	}
	return c.published(out.URI, key), nil
}

// Lookup asks the PDS for the post with record key key (com.atproto.repo.getRecord); ok is false when
// the repository has none.
func (c *Client) Lookup(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, bool, error) {
	if !ValidTID(key) {
		return syndicate.Published{}, false, fmt.Errorf("bluesky: %q is not a valid record key (a TID)", key)
	}
	s, err := c.session(ctx)
	if err != nil {
		return syndicate.Published{}, false, err
	}
	var out struct {
		URI string `json:"uri"`
	}
	q := url.Values{"repo": {s.did}, "collection": {collection}, "rkey": {key}}
	err = c.xrpc(ctx, http.MethodGet, "com.atproto.repo.getRecord", q, nil, "", &out)
	var xe *xrpcError
	if errors.As(err, &xe) && (xe.Name == "RecordNotFound" || strings.Contains(xe.Message, "Could not locate record")) {
		return syndicate.Published{}, false, nil
	}
	if err != nil {
		return syndicate.Published{}, false, err
	}
	return c.published(orDefault(out.URI, "at://"+s.did+"/"+collection+"/"+key), key), true, nil
}

func (c *Client) published(uri, rkey string) syndicate.Published {
	handle := c.handle
	c.mu.Lock()
	if c.sess != nil && c.sess.handle != "" {
		handle = c.sess.handle
	}
	c.mu.Unlock()
	return syndicate.Published{ID: uri, URL: "https://bsky.app/profile/" + handle + "/post/" + rkey}
}

// image reads the post's image from the images folder.
func (c *Client) image(p syndicate.Post) ([]byte, string, error) {
	if p.Image == "" {
		return nil, "", nil
	}
	if c.images == nil {
		return nil, "", fmt.Errorf("bluesky: the post has the image %s but the client was given no folder to read it from (bluesky.Images)", p.Image)
	}
	name := strings.TrimPrefix(path.Clean("/"+p.Image), "/")
	data, err := fs.ReadFile(c.images, name)
	if err != nil {
		return nil, "", fmt.Errorf("bluesky: the post's image: %w (build the site before publishing)", err)
	}
	if len(data) > MaxThumbBytes {
		return nil, "", fmt.Errorf("bluesky: the post's image %s has %d bytes, over the %d a link card's thumb may have", p.Image, len(data), MaxThumbBytes)
	}
	mimeType := mime.TypeByExtension(path.Ext(name))
	if !strings.HasPrefix(mimeType, "image/") {
		mimeType = http.DetectContentType(data)
	}
	if !strings.HasPrefix(mimeType, "image/") {
		return nil, "", fmt.Errorf("bluesky: the post's image %s is not an image (%s)", p.Image, mimeType)
	}
	mimeType, _, _ = strings.Cut(mimeType, ";")
	return data, mimeType, nil
}

// session returns the current session, logging in the first time.
func (c *Client) session(ctx context.Context) (session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess != nil {
		return *c.sess, nil
	}
	return c.login(ctx)
}

// login calls createSession; c.mu is held.
func (c *Client) login(ctx context.Context) (session, error) {
	body, _ := json.Marshal(map[string]string{"identifier": c.handle, "password": c.password})
	var out struct {
		AccessJwt, RefreshJwt, DID, Handle string
	}
	err := c.send(ctx, http.MethodPost, "com.atproto.server.createSession", nil, body, "application/json", "", &out)
	c.secrets.Add(out.AccessJwt, out.RefreshJwt) // before anything else can echo them
	var xe *xrpcError
	if errors.As(err, &xe) && xe.Status == http.StatusUnauthorized {
		return session{}, fmt.Errorf("%w: the handle %s or its app password is wrong; set %s to an app password of %s (Settings → Privacy and security → App passwords)", err, c.handle, PasswordEnv, c.handle)
	}
	if err != nil {
		return session{}, err
	}
	if out.AccessJwt == "" || out.DID == "" {
		return session{}, fmt.Errorf("bluesky: createSession on %s: the answer has no session", c.service)
	}
	c.sess = &session{access: out.AccessJwt, refresh: out.RefreshJwt, did: out.DID, handle: out.Handle}
	return *c.sess, nil
}

// renew replaces an expired session: refreshSession with the refresh token, or a new login when that
// fails too. c.mu is held.
func (c *Client) renew(ctx context.Context, expired string) (session, error) {
	if c.sess != nil && c.sess.access != expired {
		return *c.sess, nil // another call renewed it already
	}
	if c.sess != nil && c.sess.refresh != "" {
		var out struct {
			AccessJwt, RefreshJwt, DID, Handle string
		}
		err := c.send(ctx, http.MethodPost, "com.atproto.server.refreshSession", nil, nil, "", c.sess.refresh, &out)
		c.secrets.Add(out.AccessJwt, out.RefreshJwt)
		if err == nil && out.AccessJwt != "" {
			c.sess = &session{access: out.AccessJwt, refresh: out.RefreshJwt, did: orDefault(out.DID, c.sess.did), handle: orDefault(out.Handle, c.sess.handle)}
			return *c.sess, nil
		}
		var re *syndicate.RetryableError
		if errors.As(err, &re) {
			return session{}, err
		}
	}
	c.sess = nil
	return c.login(ctx)
}

// xrpc calls an authenticated method, renewing the session once when the PDS says it expired.
func (c *Client) xrpc(ctx context.Context, method, nsid string, q url.Values, body []byte, contentType string, out any) error {
	s, err := c.session(ctx)
	if err != nil {
		return err
	}
	err = c.send(ctx, method, nsid, q, body, contentType, s.access, out)
	var xe *xrpcError
	if !errors.As(err, &xe) || (xe.Name != "ExpiredToken" && xe.Name != "InvalidToken") {
		return err
	}
	c.mu.Lock()
	s, err = c.renew(ctx, s.access)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return c.send(ctx, method, nsid, q, body, contentType, s.access, out)
}

// xrpcError is an XRPC error answer: {"error": Name, "message": Message}.
type xrpcError struct {
	Status        int
	Name, Message string
	err           error
}

func (e *xrpcError) Error() string { return e.err.Error() }
func (e *xrpcError) Unwrap() error { return e.err }

// send makes one XRPC call with the bearer token (none when ""), decoding a 2xx JSON answer into out.
// Errors are *syndicate.RetryableError when worth retrying, wrapped in *xrpcError when the PDS answered.
func (c *Client) send(ctx context.Context, method, nsid string, q url.Values, body []byte, contentType, bearer string, out any) error {
	op := "bluesky: " + nsid + " on " + c.service
	u := c.service + "/xrpc/" + nsid
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := xhttp.Do(ctx, c.hc, req)
	if err != nil {
		return c.scrub(fmt.Errorf("bluesky: %w", err))
	}
	if !resp.OK() {
		var e struct{ Error, Message string }
		_ = json.Unmarshal(resp.Body, &e)
		msg := e.Message
		if e.Error != "" && e.Error != e.Message {
			msg = strings.TrimSuffix(e.Error+": "+e.Message, ": ")
		}
		return &xrpcError{Status: resp.Status, Name: e.Error, Message: c.scrubText(e.Message),
			err: c.scrub(xhttp.StatusError(op, resp, msg, c.now()))}
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return c.scrub(fmt.Errorf("%s: the answer is not the expected JSON: %v", op, err))
		}
	}
	return nil
}

// scrub and scrubText keep the app password and the session tokens out of errors, whatever a server
// echoes.
func (c *Client) scrub(err error) error     { return c.secrets.Error(err) }
func (c *Client) scrubText(s string) string { return c.secrets.Scrub(s) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
