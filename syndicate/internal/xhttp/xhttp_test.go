package xhttp

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, value string
		want        time.Duration
	}{
		{"Retry-After", "30", 30 * time.Second},
		{"Retry-After", "Sun, 22 Nov 2026 10:01:00 GMT", time.Minute},
		{"Retry-After", "Sun, 22 Nov 2026 09:00:00 GMT", 0},
		{"Retry-After", "soon", 0},
		{"X-RateLimit-Reset", "2026-11-22T10:05:00.133Z", 5*time.Minute + time.Second},
		{"RateLimit-Reset", "1795341720", 2 * time.Minute}, // Unix seconds, as Bluesky sends it
		{"RateLimit-Reset", "12", 12 * time.Second},
	} {
		h := http.Header{}
		h.Set(c.name, c.value)
		if got := RetryAfter(h, now); got != c.want {
			t.Errorf("%s: %s = %v, want %v", c.name, c.value, got, c.want)
		}
	}
}

func TestDoSortsFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
	}))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/x?secret=1", nil)
	_, err := Do(context.Background(), &http.Client{Timeout: 50 * time.Millisecond}, req)
	var re *syndicate.RetryableError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "timeout") || strings.Contains(err.Error(), "secret") {
		t.Errorf("timeout: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ = http.NewRequest("GET", srv.URL, nil)
	if _, err := Do(ctx, nil, req); !errors.Is(err, context.Canceled) || errors.As(err, &re) {
		t.Errorf("cancelled: %v", err)
	}

	srv.Close()
	req, _ = http.NewRequest("GET", srv.URL, nil)
	if _, err := Do(context.Background(), nil, req); !errors.As(err, &re) {
		t.Errorf("refused: %v", err)
	}
}

func TestStatusError(t *testing.T) {
	var re *syndicate.RetryableError
	r := &Response{Status: 429, Header: http.Header{"Retry-After": {"7"}}}
	if err := StatusError("op", r, "slow down", time.Now()); !errors.As(err, &re) || re.After != 7*time.Second || err.Error() != "op: 429 Too Many Requests: slow down" {
		t.Errorf("429: %v", err)
	}
	if err := StatusError("op", &Response{Status: 503}, "", time.Now()); !errors.As(err, &re) {
		t.Errorf("503: %v", err)
	}
	if err := StatusError("op", &Response{Status: 422}, "bad", time.Now()); errors.As(err, &re) {
		t.Errorf("422 retryable: %v", err)
	}
}

// TestDoNeverReplaysAPost (issue 19, scenario 5): net/http replays, on a new connection, a request
// carrying Idempotency-Key whose reused connection broke after it was written. A server that ignores
// the key (GoToSocial, Akkoma, Mastodon after an hour) then makes the post twice without vitrine
// knowing. Do sends it once: the failure is the caller's to retry, after a lookup.
func TestDoNeverReplaysAPost(t *testing.T) {
	var mu sync.Mutex
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`{}`)) // opens the connection the POST reuses
			return
		}
		_, _ = io.ReadAll(r.Body)
		mu.Lock()
		posts++
		mu.Unlock()
		// The post is stored; the connection drops before the answer.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	hc := &http.Client{Timeout: 5 * time.Second}
	for _, header := range []string{"Idempotency-Key", "X-Idempotency-Key"} {
		mu.Lock()
		posts = 0
		mu.Unlock()
		get, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/instance", nil)
		if _, err := Do(context.Background(), hc, get); err != nil {
			t.Fatal(err)
		}
		post, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/statuses", strings.NewReader("status=Bonjour"))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		post.Header.Set(header, "vitrine-0123456789abcdef")
		_, err := Do(context.Background(), hc, post)
		var re *syndicate.RetryableError
		if !errors.As(err, &re) || re.Status != 0 {
			t.Errorf("%s: the lost answer is %v, want a retryable error without a status", header, err)
		}
		mu.Lock()
		n := posts
		mu.Unlock()
		if n != 1 {
			t.Errorf("%s: the server received the POST %d times, want 1: the transport replayed it", header, n)
		}
	}
}
