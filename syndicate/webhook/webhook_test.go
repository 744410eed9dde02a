package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

const secret = "whsec-9f8e7d6c5b4a"

var post = syndicate.Post{Network: syndicate.Webhook, Article: "https://asso.example/events/velo/", Title: "Sortie vélo",
	Text: "Sortie vélo dimanche ! https://asso.example/events/velo/", Lang: "fr"}

type receiver struct {
	mu    sync.Mutex
	seen  map[string]bool
	posts []syndicate.Post
}

// handler verifies signatures and drops repeated Idempotency-Keys, as the package doc asks receivers to.
func (rc *receiver) handler(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !Verify([]byte(secret), body, r.Header.Get(SignatureHeader)) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"bad signature"}`))
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	key := r.Header.Get("Idempotency-Key")
	if !rc.seen[key] {
		rc.seen[key] = true
		var p syndicate.Post
		_ = json.Unmarshal(body, &p)
		rc.posts = append(rc.posts, p)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"id":"zap-1","url":"https://www.linkedin.com/feed/update/urn:li:share:1"}`))
}

func TestWebhook(t *testing.T) {
	rc := &receiver{seen: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(rc.handler))
	defer srv.Close()
	ctx := context.Background()

	_, err := New(srv.URL+"/hook?token=abc", []byte("wrong"), nil).Publish(ctx, post, "k1")
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "bad signature") || strings.Contains(err.Error(), "token=abc") {
		t.Errorf("bad signature: %v", err)
	}
	c := New(srv.URL, []byte(secret), nil)
	for range 2 {
		pub, err := c.Publish(ctx, post, "k1")
		if err != nil || pub.ID != "zap-1" || !strings.HasPrefix(pub.URL, "https://www.linkedin.com/") {
			t.Fatalf("Publish: %+v %v", pub, err)
		}
	}
	if len(rc.posts) != 1 || rc.posts[0].Text != post.Text || rc.posts[0].Article != post.Article {
		t.Errorf("received %+v", rc.posts)
	}
	// A webhook cannot be asked: Lookup says so, and a lost answer makes the post unknown.
	if _, ok, err := c.Lookup(ctx, post, "k1"); ok || !errors.Is(err, syndicate.ErrNoLookup) {
		t.Errorf("Lookup: %v %v", ok, err)
	}
}

func TestWebhookErrors(t *testing.T) {
	codes := []int{503, 422}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := codes[0]
		codes = codes[1:]
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"message":"scenario paused"}`))
	}))
	defer srv.Close()
	c := New(srv.URL, []byte(secret), nil)
	var re *syndicate.RetryableError
	if _, err := c.Publish(context.Background(), post, "k"); !errors.As(err, &re) || re.After.Seconds() != 3 {
		t.Errorf("503: %v", err)
	}
	if _, err := c.Publish(context.Background(), post, "k"); errors.As(err, &re) || !strings.Contains(err.Error(), "scenario paused") {
		t.Errorf("422: %v", err)
	}
}

func TestSignatureAndEnv(t *testing.T) {
	// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the well-known test vector.
	if got := Sign([]byte("key"), []byte("The quick brown fox jumps over the lazy dog")); got != "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8" {
		t.Errorf("Sign = %s", got)
	}
	t.Setenv(SecretEnv, "")
	if _, err := FromEnv("https://hooks.example/x", nil); err == nil || !strings.Contains(err.Error(), SecretEnv) {
		t.Errorf("missing secret: %v", err)
	}
	t.Setenv(SecretEnv, secret)
	if _, err := FromEnv("hooks.example/x", nil); err == nil {
		t.Errorf("URL without scheme accepted")
	}
	if c, err := FromEnv("https://hooks.example/x", nil); err != nil || c.Network() != syndicate.Webhook {
		t.Errorf("FromEnv: %v", err)
	}
}
