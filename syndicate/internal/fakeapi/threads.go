package fakeapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// recordedThread is what a Mastodon instance answered for one status: GET /api/v1/statuses/:id and
// GET /api/v1/statuses/:id/context, as recorded.
type recordedThread struct {
	status, context json.RawMessage
}

// SetThread makes the instance answer GET /api/v1/statuses/ID and its /context with recorded answers
// (JSON as Mastodon sends them); nil context answers an empty thread.
func (m *Mastodon) SetThread(id string, status, context json.RawMessage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.threads == nil {
		m.threads = map[string]recordedThread{}
	}
	if context == nil {
		context = json.RawMessage(`{"ancestors":[],"descendants":[]}`)
	}
	m.threads[id] = recordedThread{status, context}
}

// DeleteThread makes the status gone: 404, as for a deleted status.
func (m *Mastodon) DeleteThread(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.threads, id)
}

func (m *Mastodon) thread(id string) (recordedThread, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.threads[id]
	return t, ok
}

func (m *Mastodon) getStatus(w http.ResponseWriter, r *http.Request) {
	t, ok := m.thread(r.PathValue("id"))
	if !ok {
		mastodonError(w, http.StatusNotFound, "Record not found")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(t.status)
}

func (m *Mastodon) getContext(w http.ResponseWriter, r *http.Request) {
	t, ok := m.thread(r.PathValue("id"))
	if !ok {
		mastodonError(w, http.StatusNotFound, "Record not found")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(t.context)
}

// AppView is a fake Bluesky AppView answering app.bsky.feed.getPostThread with recorded threads, and
// 400 NotFound for a post it does not hold, as the real one does.
type AppView struct {
	faults
	URL string

	mu      sync.Mutex
	threads map[string]json.RawMessage // at:// URI → the whole answer
}

// NewAppView starts a fake AppView that closes with the test.
func NewAppView(t testing.TB) *AppView {
	a := &AppView{threads: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	route := "GET /xrpc/app.bsky.feed.getPostThread"
	mux.HandleFunc(route, a.wrap(route, a.getPostThread))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// SetThread makes the AppView answer getPostThread for uri with answer ({"thread": …}, as recorded).
func (a *AppView) SetThread(uri string, answer json.RawMessage) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.threads[uri] = answer
}

// DeleteThread makes the post gone.
func (a *AppView) DeleteThread(uri string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.threads, uri)
}

func (a *AppView) getPostThread(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.Query().Get("uri")
	if uri == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", `Error: Params must have the property "uri"`)
		return
	}
	a.mu.Lock()
	answer, ok := a.threads[uri]
	a.mu.Unlock()
	if !ok {
		xrpcError(w, http.StatusBadRequest, "NotFound", "Post not found: "+uri)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(answer)
}
