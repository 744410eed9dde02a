package fakeapi

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// PDS is a fake Bluesky PDS with one account (Handle, Password), answering the XRPC methods vitrine uses
// as the reference PDS does: errors as {"error": NAME, "message": …}, an expired access token as
// 400 ExpiredToken, a missing record as 400 RecordNotFound, and a create whose record key already
// exists as 500 InternalServerError.
type PDS struct {
	faults
	URL      string
	Handle   string
	Password string
	DID      string

	mu      sync.Mutex
	n       int
	access  map[string]bool // access token → still valid
	refresh map[string]bool
	blobs   map[string]int // CID → size
	records map[string]json.RawMessage
}

// NewPDS starts a fake PDS that closes with the test.
func NewPDS(t testing.TB, handle, password string) *PDS {
	p := &PDS{Handle: handle, Password: password, DID: "did:plc:fakevitrine7rtest4kq2xm",
		access: map[string]bool{}, refresh: map[string]bool{}, blobs: map[string]int{}, records: map[string]json.RawMessage{}}
	mux := http.NewServeMux()
	route := func(method, nsid string, h http.HandlerFunc) {
		r := method + " /xrpc/" + nsid
		mux.HandleFunc(r, p.wrap(r, h))
	}
	route("POST", "com.atproto.server.createSession", p.createSession)
	route("POST", "com.atproto.server.refreshSession", p.refreshSession)
	route("POST", "com.atproto.repo.uploadBlob", p.auth(p.uploadBlob))
	route("POST", "com.atproto.repo.createRecord", p.auth(p.createRecord))
	route("GET", "com.atproto.repo.getRecord", p.getRecord)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Records returns the app.bsky.feed.post records by record key.
func (p *PDS) Records() map[string]json.RawMessage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.records)
}

// RecordKeys returns the record keys, sorted.
func (p *PDS) RecordKeys() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Sorted(maps.Keys(p.records))
}

// ExpireSessions makes every access token issued so far expired.
func (p *PDS) ExpireSessions() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k := range p.access {
		p.access[k] = false
	}
}

func xrpcError(w http.ResponseWriter, code int, name, msg string) {
	writeJSON(w, code, map[string]string{"error": name, "message": msg})
}

func (p *PDS) tokens() map[string]any {
	p.n++
	a, r := fmt.Sprintf("access-%d-%d", p.n, time.Now().UnixNano()), fmt.Sprintf("refresh-%d", p.n)
	p.access[a], p.refresh[r] = true, true
	return map[string]any{"accessJwt": a, "refreshJwt": r, "handle": p.Handle, "did": p.DID, "active": true}
}

func (p *PDS) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct{ Identifier, Password string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Request body must be JSON")
		return
	}
	if (in.Identifier != p.Handle && in.Identifier != p.DID) || in.Password != p.Password {
		xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	writeJSON(w, http.StatusOK, p.tokens())
}

func (p *PDS) refreshSession(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !p.refresh[tok] {
		xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has been revoked")
		return
	}
	delete(p.refresh, tok)
	writeJSON(w, http.StatusOK, p.tokens())
}

func (p *PDS) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		p.mu.Lock()
		valid, known := p.access[tok]
		p.mu.Unlock()
		switch {
		case !ok || !known:
			xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
		case !valid:
			xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		default:
			next(w, r)
		}
	}
}

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func (p *PDS) uploadBlob(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	sum := sha256.Sum256(data)
	cid := "bafkrei" + b32.EncodeToString(sum[:])
	p.mu.Lock()
	p.blobs[cid] = len(data)
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"blob": map[string]any{
		"$type": "blob", "ref": map[string]string{"$link": cid}, "mimeType": r.Header.Get("Content-Type"), "size": len(data)}})
}

var tidRE = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

type postRecord struct {
	Type      string `json:"$type"`
	Text      string `json:"text"`
	CreatedAt string `json:"createdAt"`
	Embed     *struct {
		External struct {
			Thumb *struct {
				Ref struct {
					Link string `json:"$link"`
				} `json:"ref"`
				Size int `json:"size"`
			} `json:"thumb"`
		} `json:"external"`
	} `json:"embed"`
}

func (p *PDS) createRecord(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Repo, Collection, Rkey string
		Record                 json.RawMessage
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Request body must be JSON")
		return
	}
	if in.Repo != p.DID && in.Repo != p.Handle {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid repo")
		return
	}
	if in.Collection != "app.bsky.feed.post" || !tidRE.MatchString(in.Rkey) {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid record key")
		return
	}
	var rec postRecord
	if err := json.Unmarshal(in.Record, &rec); err != nil || rec.Type != in.Collection {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/$type must be app.bsky.feed.post")
		return
	}
	if _, err := time.Parse(time.RFC3339, rec.CreatedAt); err != nil {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime")
		return
	}
	if n := graphemes(rec.Text); n > 300 {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", fmt.Sprintf("Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got %d) at $.record.text", n))
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if rec.Embed != nil && rec.Embed.External.Thumb != nil {
		if _, ok := p.blobs[rec.Embed.External.Thumb.Ref.Link]; !ok {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Could not find blob: "+rec.Embed.External.Thumb.Ref.Link)
			return
		}
		if rec.Embed.External.Thumb.Size > 1_000_000 {
			xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Invalid app.bsky.feed.post record: Record/embed/external/thumb file too large")
			return
		}
	}
	if _, ok := p.records[in.Rkey]; ok {
		// What the reference PDS answers when the repository already holds the key.
		xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
		return
	}
	p.records[in.Rkey] = in.Record
	writeJSON(w, http.StatusOK, map[string]any{
		"uri": "at://" + p.DID + "/" + in.Collection + "/" + in.Rkey, "cid": "bafyreig" + strconv.Itoa(len(p.records)),
		"commit": map[string]string{"cid": "bafyreic", "rev": in.Rkey}, "validationStatus": "valid"})
}

func (p *PDS) getRecord(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	repo, coll, rkey := q.Get("repo"), q.Get("collection"), q.Get("rkey")
	if repo == "" || coll == "" || rkey == "" {
		xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Error: Params must have the properties \"repo\", \"collection\" and \"rkey\"")
		return
	}
	uri := "at://" + repo + "/" + coll + "/" + rkey
	p.mu.Lock()
	rec, ok := p.records[rkey]
	p.mu.Unlock()
	if !ok || (repo != p.DID && repo != p.Handle) || coll != "app.bsky.feed.post" {
		xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+uri)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"uri": "at://" + p.DID + "/" + coll + "/" + rkey, "cid": "bafyreig", "value": rec})
}

// graphemes approximates a grapheme count well enough for the fake: composed runes.
func graphemes(s string) int {
	return len([]rune(norm.NFC.String(s)))
}
