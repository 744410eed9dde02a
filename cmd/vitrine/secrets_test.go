package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// echoRequest is the whole request as text, headers and body: what a careless server puts in its error
// answers.
func echoRequest(r *http.Request) string {
	dump, err := httputil.DumpRequest(r, true)
	if err != nil {
		return err.Error()
	}
	return string(dump)
}

// echoingPDS logs in for real (createSession gives a session), then answers every other call with an
// error that holds the whole request it got: first "the token expired", then, to the refresh, a 500
// echoing the refresh token, then 400s echoing the access token.
type echoingPDS struct {
	mu        sync.Mutex
	refreshed bool
	echoes    int
}

func (p *echoingPDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	echo := echoRequest(r)
	fail := func(status int, name string) {
		p.echoes++
		if status >= 500 {
			w.Header().Set("Retry-After", "86400") // so that the run gives up at once instead of waiting
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": name, "message": "could not handle " + echo})
	}
	switch r.URL.Path {
	case "/xrpc/com.atproto.server.createSession":
		_, _ = io.WriteString(w, `{"accessJwt":"`+accessJWT+`","refreshJwt":"`+refreshJWT+`","did":"did:plc:echo","handle":"camille.test"}`)
	case "/xrpc/com.atproto.server.refreshSession":
		p.refreshed = true
		fail(http.StatusBadGateway, "UpstreamFailure")
	default:
		if !p.refreshed {
			fail(http.StatusBadRequest, "ExpiredToken")
			return
		}
		fail(http.StatusBadRequest, "InvalidRequest")
	}
}

// Session tokens as a PDS hands them out: JWTs, whose parts are base64url.
const (
	accessJWT  = "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.eyJzY29wZSI6ImFjY2VzcyIsInN1YiI6ImRpZDpwbGM6ZWNobyJ9.c2lnbmF0dXJlLWFjY2Vzcw"
	refreshJWT = "eyJ0eXAiOiJyZWZyZXNoK2p3dCIsImFsZyI6IkVTMjU2SyJ9.eyJzY29wZSI6InJlZnJlc2giLCJzdWIiOiJkaWQ6cGxjOmVjaG8ifQ.c2lnbmF0dXJlLXJlZnJlc2g"
)

// TestSecretsNeverWritten publishes to servers that echo every request they get in their error answers
// (headers and body: the Authorization header, the app password in createSession's body) and greps
// everything vitrine wrote (stdout, stderr, the ledger, the outbox) for every credential, in the forms
// a server would echo it in.
func TestSecretsNeverWritten(t *testing.T) {
	pds := &echoingPDS{}
	pdsSrv := httptest.NewServer(pds)
	defer pdsSrv.Close()
	var mastoEchoes int
	var mu sync.Mutex
	masto := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v2/instance" {
			_, _ = io.WriteString(w, `{"configuration":{"statuses":{"max_characters":500,"characters_reserved_per_url":23}}}`)
			return
		}
		mastoEchoes++
		w.WriteHeader(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "Validation failed for " + echoRequest(r)})
	}))
	defer masto.Close()
	var hookEchoes int
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hookEchoes++
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "bad request " + echoRequest(r)})
	}))
	defer hook.Close()

	// Credentials with characters that JSON, URLs and HTML escape, as they would be echoed.
	creds := map[string]string{
		"VITRINE_MASTODON_TOKEN":       "mastodon-tok_en.With+Slash/And=Equals",
		"VITRINE_BLUESKY_APP_PASSWORD": `pass<word>&"quote"/x`,
		"VITRINE_WEBHOOK_SECRET":       "webhook-secret-value-42",
	}
	for k, v := range creds {
		t.Setenv(k, v)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"vitrine.toml": `baseURL = "https://camille-roussel.fr/"
title = "Camille Roussel"
[syndicate]
networks = ["mastodon", "bluesky", "linkedin", "webhook"]
[syndicate.mastodon]
server = "` + masto.URL + `"
[syndicate.bluesky]
service = "` + pdsSrv.URL + `"
handle = "camille.test"
[syndicate.webhook]
url = "` + hook.URL + `/hook"
networks = ["linkedin"]
`,
		"content/posts/a.md": "---\ntitle: Un article\ndate: 2025-01-10\ndescription: Le premier.\n---\nTexte.\n",
		"content/posts/b.md": "---\ntitle: Un autre\ndate: 2025-02-10\ndescription: Le second.\n---\nTexte.\n",
	})

	code, out, errOut := runCmd(t, "syndicate", "-s", dir, "--backfill", "--publish")
	if code == 0 {
		t.Fatalf("every server failed, yet the run succeeded:\n%s", out)
	}
	if pds.echoes == 0 || mastoEchoes == 0 || hookEchoes == 0 {
		t.Fatalf("the servers echoed %d (PDS), %d (Mastodon), %d (webhook) requests: the test tests nothing\n%s%s", pds.echoes, mastoEchoes, hookEchoes, out, errOut)
	}
	if !pds.refreshed {
		t.Fatalf("the client never refreshed its session: the refresh token was never sent\n%s", out)
	}

	everything := map[string]string{"stdout": out, "stderr": errOut}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"content"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		everything[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{accessJWT, refreshJWT}
	for _, v := range creds {
		secrets = append(secrets, v)
	}
	found := false
	for name, text := range everything {
		for _, s := range secrets {
			for _, form := range echoForms(s) {
				if strings.Contains(text, form) {
					t.Errorf("%s holds the credential %q (as %q)", name, s[:8]+"…", form)
					break
				}
			}
		}
		found = found || strings.Contains(text, "***")
	}
	if !found {
		t.Errorf("nothing was scrubbed: the servers' echoes did not reach the output?\n%s%s", out, errOut)
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", out, errOut)
	}
}

// echoForms are the forms a secret takes in an echo: raw, and JSON-escaped (for its part that a
// JSON encoder changes), at least 8 bytes long.
func echoForms(s string) []string {
	b, _ := json.Marshal(s)
	forms := []string{s, string(b[1 : len(b)-1])}
	// Any 12-byte run of the secret is as telling as the whole.
	if len(s) > 24 {
		for i := 0; i+12 <= len(s); i += 6 {
			forms = append(forms, s[i:i+12])
		}
	}
	return forms
}
