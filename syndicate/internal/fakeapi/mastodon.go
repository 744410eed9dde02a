package fakeapi

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// MastodonStatus is a status the fake Mastodon holds.
type MastodonStatus struct {
	ID, URL, Content, Text, Language, Visibility string
	Created                                      time.Time
}

// Mastodon is a fake Mastodon instance with one account, reached with Token.
type Mastodon struct {
	faults
	URL   string
	Token string
	// MaxChars and URLChars are the instance's configuration.statuses limits.
	MaxChars, URLChars int

	mu       sync.Mutex
	statuses []MastodonStatus
	keys     map[string]int // Idempotency-Key → index in statuses
	threads  map[string]recordedThread
	nextID   int64
	// ignoreKeys: see IgnoreKeys.
	ignoreKeys bool
}

// IgnoreKeys makes the instance ignore Idempotency-Key, as GoToSocial and Akkoma do (and Mastodon
// after an hour): every POST makes a status.
func (m *Mastodon) IgnoreKeys() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ignoreKeys = true
}

// NewMastodon starts a fake instance that closes with the test.
func NewMastodon(t testing.TB, token string) *Mastodon {
	m := &Mastodon{Token: token, MaxChars: 500, URLChars: 23, keys: map[string]int{}, nextID: 113_500_000_000_000_000}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/instance", m.wrap("GET /api/v2/instance", m.instance))
	mux.HandleFunc("POST /api/v1/statuses", m.wrap("POST /api/v1/statuses", m.auth(m.postStatus)))
	mux.HandleFunc("GET /api/v1/accounts/verify_credentials", m.wrap("GET /api/v1/accounts/verify_credentials", m.auth(m.verify)))
	mux.HandleFunc("GET /api/v1/accounts/{id}/statuses", m.wrap("GET /api/v1/accounts/:id/statuses", m.accountStatuses))
	mux.HandleFunc("GET /api/v1/statuses/{id}", m.wrap("GET /api/v1/statuses/:id", m.getStatus))
	mux.HandleFunc("GET /api/v1/statuses/{id}/context", m.wrap("GET /api/v1/statuses/:id/context", m.getContext))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	m.URL = srv.URL
	return m
}

// Statuses returns the statuses posted so far, oldest first.
func (m *Mastodon) Statuses() []MastodonStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.statuses)
}

// ForgetKeys drops the idempotency keys, as Mastodon does after an hour.
func (m *Mastodon) ForgetKeys() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = map[string]int{}
}

const mastodonAccountID = "109348000000000001"

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func mastodonError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func (m *Mastodon) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+m.Token {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`)
			mastodonError(w, http.StatusUnauthorized, "The access token is invalid")
			return
		}
		next(w, r)
	}
}

func (m *Mastodon) instance(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"domain": strings.TrimPrefix(m.URL, "http://"),
		"title":  "Fake Mastodon",
		"configuration": map[string]any{
			"statuses": map[string]any{
				"max_characters":              m.MaxChars,
				"max_media_attachments":       4,
				"characters_reserved_per_url": m.URLChars,
			},
		},
	})
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)
var tagRE = regexp.MustCompile(`(^|\s)#([\p{L}\p{N}_]+)`)

func (m *Mastodon) length(text string) int {
	n := utf8.RuneCountInString(text)
	for _, u := range urlRE.FindAllString(text, -1) {
		n += m.URLChars - utf8.RuneCountInString(u)
	}
	return n
}

// render turns text into Mastodon's HTML: links split into invisible and ellipsis spans, hashtags linked.
func (m *Mastodon) render(text string) string {
	var b strings.Builder
	b.WriteString("<p>")
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(text, -1) {
		b.WriteString(m.renderTags(html.EscapeString(text[last:loc[0]])))
		u := text[loc[0]:loc[1]]
		scheme, rest, _ := strings.Cut(u, "://")
		shown, hidden := rest, ""
		if len(rest) > 30 {
			shown, hidden = rest[:30], rest[30:]
		}
		fmt.Fprintf(&b, `<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s://</span><span class="ellipsis">%s</span><span class="invisible">%s</span></a>`,
			html.EscapeString(u), scheme, html.EscapeString(shown), html.EscapeString(hidden))
		last = loc[1]
	}
	b.WriteString(m.renderTags(html.EscapeString(text[last:])))
	b.WriteString("</p>")
	return strings.ReplaceAll(b.String(), "\n", "<br />")
}

func (m *Mastodon) renderTags(s string) string {
	return tagRE.ReplaceAllString(s, `$1<a href="`+m.URL+`/tags/$2" class="mention hashtag" rel="tag">#<span>$2</span></a>`)
}

func (m *Mastodon) postStatus(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		mastodonError(w, http.StatusBadRequest, err.Error())
		return
	}
	text := r.PostForm.Get("status")
	if strings.TrimSpace(text) == "" {
		mastodonError(w, http.StatusUnprocessableEntity, "Validation failed: Text can't be blank")
		return
	}
	if m.length(text) > m.MaxChars {
		mastodonError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", m.MaxChars))
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	key := r.Header.Get("Idempotency-Key")
	if i, ok := m.keys[key]; ok && key != "" && !m.ignoreKeys {
		writeJSON(w, http.StatusOK, m.statusJSON(m.statuses[i]))
		return
	}
	m.nextID += 65536
	id := strconv.FormatInt(m.nextID, 10)
	s := MastodonStatus{ID: id, URL: m.URL + "/@camille/" + id, Content: m.render(text), Text: text,
		Language: r.PostForm.Get("language"), Visibility: r.PostForm.Get("visibility"), Created: time.Now()}
	m.statuses = append(m.statuses, s)
	if key != "" {
		m.keys[key] = len(m.statuses) - 1
	}
	writeJSON(w, http.StatusOK, m.statusJSON(s))
}

func (m *Mastodon) statusJSON(s MastodonStatus) map[string]any {
	return map[string]any{
		"id": s.ID, "url": s.URL, "uri": m.URL + "/users/camille/statuses/" + s.ID,
		"created_at": s.Created.UTC().Format("2006-01-02T15:04:05.000Z"), "content": s.Content,
		"language": s.Language, "visibility": s.Visibility, "reblog": nil,
		"account": map[string]any{"id": mastodonAccountID, "username": "camille", "acct": "camille"},
	}
}

func (m *Mastodon) verify(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"id": mastodonAccountID, "username": "camille", "acct": "camille",
		"url": m.URL + "/@camille"})
}

func (m *Mastodon) accountStatuses(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != mastodonAccountID {
		mastodonError(w, http.StatusNotFound, "Record not found")
		return
	}
	limit := 20
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 {
		limit = min(n, 40)
	}
	maxID, err := strconv.ParseInt(r.URL.Query().Get("max_id"), 10, 64)
	if err != nil {
		maxID = 1 << 62
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []map[string]any{}
	for i := len(m.statuses) - 1; i >= 0 && len(out) < limit; i-- {
		if id, _ := strconv.ParseInt(m.statuses[i].ID, 10, 64); id < maxID {
			out = append(out, m.statusJSON(m.statuses[i]))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// Chatter has the account post n statuses of its own, without links: what a lookup must page past.
func (m *Mastodon) Chatter(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range n {
		m.nextID += 65536
		id := strconv.FormatInt(m.nextID, 10)
		m.statuses = append(m.statuses, MastodonStatus{ID: id, URL: m.URL + "/@camille/" + id, Content: "<p>Bonne journée ☀️</p>",
			Text: "Bonne journée ☀️", Language: "fr", Visibility: "public", Created: time.Now()})
	}
}
