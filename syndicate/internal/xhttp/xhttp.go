// Package xhttp holds what the network clients of vitrine's syndication share: sending a request and
// sorting its failures into those worth retrying (*syndicate.RetryableError: transport errors, timeouts,
// 429 and 5xx, with the wait the server asked for) and the others. Keeping secrets out of errors is
// syndicate.Secrets' work: each client passes the errors it forms from an answer through it.
package xhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// UserAgent identifies vitrine to the networks.
const UserAgent = "vitrine (+https://github.com/vitrine-ssg/vitrine)"

// maxBody bounds what is read of an answer: enough for 40 Mastodon statuses, not a runaway stream.
const maxBody = 8 << 20

// Response is a whole answer, its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Do sends req once and reads the whole answer: a request other than GET and HEAD is never replayed by
// the transport (see below). A transport failure (connection refused or dropped, a timeout)
// is a *syndicate.RetryableError naming the request, unless ctx itself is done: then it is ctx's error,
// so that a cancelled run stops instead of retrying. The error never contains the request's headers.
func Do(ctx context.Context, hc *http.Client, req *http.Request) (*Response, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	req = req.WithContext(ctx)
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		// Without GetBody, net/http cannot replay the request on a new connection when a reused one
		// breaks, which it does on its own for a request carrying Idempotency-Key: a POST to a server
		// that ignores the key would be carried out twice. Every retry is the caller's, after a lookup.
		req.GetBody = nil
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", UserAgent)
	}
	what := req.Method + " " + req.URL.Scheme + "://" + req.URL.Host + req.URL.Path
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", what, ctx.Err())
		}
		return nil, &syndicate.RetryableError{Err: fmt.Errorf("%s: %s", what, transportReason(err))}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", what, ctx.Err())
		}
		return nil, &syndicate.RetryableError{Err: fmt.Errorf("%s: reading the answer: %s", what, transportReason(err))}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// transportReason says what went wrong without repeating the URL (the caller names the request).
func transportReason(err error) string {
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "no answer in time (timeout)"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// StatusError is the error for a non-2xx answer to op: a *syndicate.RetryableError for 429 and 5xx, with
// the wait the server asked for, a plain error otherwise. msg is the server's explanation, if any.
func StatusError(op string, r *Response, msg string, now time.Time) error {
	text := fmt.Sprintf("%s: %d %s", op, r.Status, http.StatusText(r.Status))
	if msg = strings.TrimSpace(msg); msg != "" {
		text += ": " + msg
	}
	err := errors.New(text)
	if r.Status == http.StatusTooManyRequests || r.Status >= 500 {
		return &syndicate.RetryableError{Err: err, After: RetryAfter(r.Header, now), Status: r.Status}
	}
	return err
}

// RetryAfter is how long the server asked to wait: Retry-After (seconds or an HTTP date), else the
// rate-limit reset (X-RateLimit-Reset, as Mastodon sends it, an ISO 8601 time; RateLimit-Reset, as
// Bluesky sends it, Unix seconds; or a number of seconds to wait). 0 when it said nothing usable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return positive(t.Sub(now))
		}
	}
	for _, name := range []string{"X-RateLimit-Reset", "RateLimit-Reset"} {
		v := strings.TrimSpace(h.Get(name))
		if v == "" {
			continue
		}
		if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
			// Large numbers are Unix times, small ones delays in seconds (the IETF RateLimit draft).
			if n > 1e9 {
				return positive(time.Unix(int64(n), 0).Sub(now))
			}
			return time.Duration(n * float64(time.Second))
		}
		for _, layout := range []string{time.RFC3339Nano, http.TimeFormat} {
			if t, err := time.Parse(layout, v); err == nil {
				return positive(t.Sub(now))
			}
		}
	}
	return 0
}

func positive(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	// Round up to the second so that a reset 300ms away is not retried too early.
	return (d + time.Second - 1).Truncate(time.Second)
}
