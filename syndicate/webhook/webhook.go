// Package webhook publishes vitrine's posts by POSTing them as JSON to a URL: how a site reaches
// networks without an open API (LinkedIn, Facebook, Instagram) through Zapier, Make or n8n.
//
// The body is the syndicate.Post as JSON. Two headers go with it:
//
//	Idempotency-Key: KEY                     the same for every attempt to send one post
//	X-Vitrine-Signature: sha256=HEX          HMAC-SHA256 of the body with the shared secret
//
// The secret comes from the environment variable VITRINE_WEBHOOK_SECRET. The receiver should check the
// signature and should drop a request whose Idempotency-Key it has already seen (the key is derived
// from the post's identity). A webhook cannot be asked whether a post arrived, so after a lost answer
// the post is recorded unknown and only sent again when `vitrine syndicate retry` says so.
//
// A 2xx answer is success. When its body is JSON with "id" and "url" (the post the receiver made),
// they go to the ledger.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/xhttp"
)

// SecretEnv is the environment variable that holds the signing secret.
const SecretEnv = "VITRINE_WEBHOOK_SECRET"

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body.
const SignatureHeader = "X-Vitrine-Signature"

// Client posts to one webhook.
type Client struct {
	url    string
	secret []byte
	hc     *http.Client
	// Now is the clock used to read rate-limit reset times; time.Now when nil.
	Now func() time.Time

	// secrets holds the signing secret; every error the client returns goes through it.
	secrets syndicate.Secrets
}

var _ syndicate.Target = (*Client)(nil)

// New returns a client for the webhook at url, signing with secret. hc may be nil for
// http.DefaultClient; give one with a timeout.
func New(url string, secret []byte, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{url: url, secret: secret, hc: hc}
	c.secrets.Add(string(secret))
	return c
}

// FromEnv returns a client whose secret comes from VITRINE_WEBHOOK_SECRET.
func FromEnv(target string, hc *http.Client) (*Client, error) {
	secret := os.Getenv(SecretEnv)
	if secret == "" {
		return nil, fmt.Errorf("webhook: %s is not set: put the secret shared with the receiver in that variable (it signs every request)", SecretEnv)
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("webhook: set [syndicate.webhook] url = \"https://…\" in vitrine.toml")
	}
	return New(target, []byte(secret), hc), nil
}

// Network returns syndicate.Webhook.
func (c *Client) Network() string { return syndicate.Webhook }

// Key returns the post's Idempotency-Key: a hash of its identity, the same in every run and clone.
func (c *Client) Key(p syndicate.Post) string {
	sum := sha256.Sum256([]byte("webhook\x00" + p.Key().String()))
	return "vitrine-" + hex.EncodeToString(sum[:16])
}

// Sign returns the X-Vitrine-Signature value of body: "sha256=" and the hex HMAC-SHA256 with secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's signature with secret, in constant time: what a receiver
// written in Go does.
func Verify(secret, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// Publish POSTs the post as JSON with its Idempotency-Key and signature.
func (c *Client) Publish(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return syndicate.Published{}, err
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return syndicate.Published{}, fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set(SignatureHeader, Sign(c.secret, body))
	resp, err := xhttp.Do(ctx, c.hc, req)
	if err != nil {
		return syndicate.Published{}, c.scrub(fmt.Errorf("webhook: %w", err))
	}
	op := "webhook: POST " + redact(c.url)
	if !resp.OK() {
		return syndicate.Published{}, c.scrub(xhttp.StatusError(op, resp, message(resp.Body), c.now()))
	}
	var out syndicate.Published
	if json.Unmarshal(resp.Body, &out) != nil || out.ID == "" {
		out.ID = key
	}
	return out, nil
}

// Lookup cannot ask a webhook whether a post arrived: it returns syndicate.ErrNoLookup. A post whose
// answer was lost is then recorded unknown, not sent again blindly (a receiver may not drop repeated
// keys, as it should).
func (c *Client) Lookup(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, bool, error) {
	return syndicate.Published{}, false, syndicate.ErrNoLookup
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// scrub keeps the secret out of errors, whatever the receiver echoes.
func (c *Client) scrub(err error) error { return c.secrets.Error(err) }

// message is the receiver's explanation: the "error" or "message" of a JSON body, else the start of
// a text body.
func message(body []byte) string {
	var e struct{ Error, Message string }
	if json.Unmarshal(body, &e) == nil {
		if e.Error != "" {
			return e.Error
		}
		return e.Message
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 || strings.HasPrefix(s, "<") {
		return ""
	}
	return s
}

// redact keeps a webhook URL's query out of messages: services put tokens there.
func redact(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}
