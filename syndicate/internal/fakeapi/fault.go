// Package fakeapi has in-memory servers that answer like the parts of the Mastodon API and of a Bluesky
// PDS (AT Protocol XRPC) that vitrine uses (status codes, JSON error bodies, rate-limit headers), with
// faults that tests inject per route: an error status, a slow answer, a connection dropped after the
// request was served. They are for tests only.
package fakeapi

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// A Fault replaces the normal handling of one request. serve is the normal handler.
type Fault func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc)

// Status answers code with a JSON body and headers given as name, value pairs, without serving.
func Status(code int, body string, header ...string) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.HandlerFunc) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

// DropAfterServe serves the request (so the server stores what it was sent) and then closes the
// connection without answering: the client sees its response lost.
func DropAfterServe() Fault {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		serve(httptest.NewRecorder(), r)
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("fakeapi: connection cannot be hijacked")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

// Slow waits d (or until the client gives up) and then serves normally.
func Slow(d time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		serve(w, r)
	}
}

// Late serves the request at once (so the server stores what it was sent) and delivers the answer only
// after d: a client with a shorter timeout gives up on a request that succeeded.
func Late(d time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		rec := httptest.NewRecorder()
		serve(rec, r)
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}
}

// Block waits until release is closed, then serves.
func Block(release <-chan struct{}) Fault {
	return func(w http.ResponseWriter, r *http.Request, serve http.HandlerFunc) {
		<-release
		serve(w, r)
	}
}

// faults is a queue of faults per route ("POST /api/v1/statuses") and a count of requests per route.
type faults struct {
	mu     sync.Mutex
	queue  map[string][]Fault
	counts map[string]int
}

// Inject queues faults for the next requests to route, one per request, in order.
func (f *faults) Inject(route string, fs ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queue == nil {
		f.queue = map[string][]Fault{}
	}
	f.queue[route] = append(f.queue[route], fs...)
}

// Count returns how many requests route received.
func (f *faults) Count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[route]
}

// wrap counts the request and applies the next fault queued for its route, if any.
func (f *faults) wrap(route string, serve http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if f.counts == nil {
			f.counts = map[string]int{}
		}
		f.counts[route]++
		var fault Fault
		if q := f.queue[route]; len(q) > 0 {
			fault, f.queue[route] = q[0], q[1:]
		}
		f.mu.Unlock()
		if fault != nil {
			fault(w, r, serve)
			return
		}
		serve(w, r)
	}
}
