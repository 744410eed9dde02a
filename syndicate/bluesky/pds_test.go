package bluesky

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// TestPDS publishes through syndicate.Run to the reference Bluesky PDS (npm @atproto/pds) and reads
// the records back. .ci/run installs and starts one; by hand:
//
//	../shared/peers/bluesky-pds/setup.sh ~/.cache/vitrine-ci/pds
//	../shared/peers/bluesky-pds/start-pds.sh ~/.cache/vitrine-ci/pds "$(mktemp -d)" 2582 2583 &
//	VITRINE_PDS_URL=http://127.0.0.1:2583 go test ./syndicate/bluesky/ -run PDS -v
func TestPDS(t *testing.T) {
	service := os.Getenv("VITRINE_PDS_URL")
	if service == "" {
		t.Skip("no Bluesky PDS to test against: set VITRINE_PDS_URL (e.g. http://127.0.0.1:2583); .ci/run starts one")
	}
	ctx := context.Background()
	hc := &http.Client{Timeout: 30 * time.Second}

	// An account and an app password for it, as a user would make them.
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	handle := "vitrine" + hex.EncodeToString(suffix) + ".test"
	var acct struct{ AccessJwt, DID string }
	pdsCall(t, hc, service, "com.atproto.server.createAccount", "", map[string]string{
		"handle": handle, "email": handle + "@example.com", "password": "account-" + hex.EncodeToString(suffix)}, &acct)
	var app struct{ Password string }
	pdsCall(t, hc, service, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "vitrine"}, &app)

	site := t.TempDir()
	card := pngCard(t)
	if err := os.MkdirAll(filepath.Join(site, "posts", "lumiere"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "posts", "lumiere", "card.png"), card, 0o644); err != nil {
		t.Fatal(err)
	}
	client := New(service, handle, app.Password, hc, Images(os.DirFS(site)))

	rich := richPost()
	plainLink := "https://camille.example/posts/ete/"
	plain := syndicate.Post{Network: syndicate.Bluesky, Article: plainLink, Title: "L’été", Lang: "fr",
		Text: "Deuxième billet : l’été à vélo ☀️🚲 " + plainLink}
	long := syndicate.Post{Network: syndicate.Bluesky, Article: "https://camille.example/posts/long/", Lang: "fr",
		Text: strings.Repeat("é", 301)}
	ledgerPath := filepath.Join(site, syndicate.LedgerPath)
	run := func(posts ...syndicate.Post) []syndicate.Outcome {
		t.Helper()
		l, err := syndicate.OpenLedger(ledgerPath)
		if err != nil {
			t.Fatal(err)
		}
		out, err := syndicate.Run(ctx, l, map[string]syndicate.Target{syndicate.Bluesky: client}, posts,
			syndicate.RunOptions{MaxAttempts: 2, BaseDelay: 10 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	out := run(rich, plain, long)
	for _, o := range out[:2] {
		if o.State != syndicate.StatePublished || !o.Sent || !strings.HasPrefix(o.URL, "https://bsky.app/profile/"+handle+"/post/") {
			t.Errorf("outcome %+v", o)
		}
	}
	// The PDS checks the length in graphemes itself.
	if out[2].State != syndicate.StateFailed || !strings.Contains(out[2].Error, "maximum 300") {
		t.Errorf("too long: %+v", out[2])
	}

	l, _ := syndicate.OpenLedger(ledgerPath)
	richKey := entryKey(t, l, rich)
	var got struct {
		URI   string
		Value struct {
			Type      string `json:"$type"`
			Text      string
			CreatedAt string
			Langs     []string
			Facets    []struct {
				Index    struct{ ByteStart, ByteEnd int }
				Features []map[string]string
			}
			Embed *struct {
				Type     string `json:"$type"`
				External struct {
					URI, Title, Description string
					Thumb                   struct {
						Type     string `json:"$type"`
						MimeType string
						Size     int
						Ref      map[string]string
					}
				}
			}
		}
	}
	did := getRecord(t, hc, service, handle, richKey, &got)
	v := got.Value
	if v.Type != "app.bsky.feed.post" || v.Text != rich.Text || len(v.Langs) != 1 || v.Langs[0] != "fr" {
		t.Errorf("record %+v", v)
	}
	if _, err := time.Parse(time.RFC3339, v.CreatedAt); err != nil {
		t.Errorf("createdAt %q", v.CreatedAt)
	}
	if len(v.Facets) != 3 {
		t.Fatalf("facets %+v", v.Facets)
	}
	for i, f := range v.Facets {
		want := rich.Facets[i]
		covered := v.Text[f.Index.ByteStart:f.Index.ByteEnd]
		if f.Index.ByteStart != want.ByteStart || f.Index.ByteEnd != want.ByteEnd || len(f.Features) != 1 {
			t.Errorf("facet %d: %+v", i, f)
		}
		switch ft := f.Features[0]; ft["$type"] {
		case "app.bsky.richtext.facet#link":
			if ft["uri"] != rich.Link || covered != rich.Link {
				t.Errorf("link facet %v over %q", ft, covered)
			}
		case "app.bsky.richtext.facet#tag":
			if covered != "#"+ft["tag"] {
				t.Errorf("tag facet %v over %q", ft, covered)
			}
		default:
			t.Errorf("facet feature %v", ft)
		}
	}
	if v.Embed == nil || v.Embed.Type != "app.bsky.embed.external" {
		t.Fatalf("embed %+v", v.Embed)
	}
	x := v.Embed.External
	if x.URI != rich.Link || x.Title != rich.Title || x.Description != rich.Description {
		t.Errorf("external %+v", x)
	}
	if x.Thumb.Type != "blob" || x.Thumb.MimeType != "image/png" || x.Thumb.Size != len(card) || x.Thumb.Ref["$link"] == "" {
		t.Errorf("thumb %+v", x.Thumb)
	}
	blob := getBlob(t, hc, service, did, x.Thumb.Ref["$link"])
	if !bytes.Equal(blob, card) {
		t.Errorf("thumb blob: %d bytes, want the card's %d", len(blob), len(card))
	}

	var second struct{ Value map[string]any }
	getRecord(t, hc, service, handle, entryKey(t, l, plain), &second)
	if second.Value["text"] != plain.Text {
		t.Errorf("second record %v", second.Value)
	}
	if n := countRecords(t, hc, service, did); n != 2 {
		t.Fatalf("%d records after the first run", n)
	}

	// A second run sends nothing.
	for _, o := range run(rich, plain) {
		if o.Sent || o.State != syndicate.StatePublished {
			t.Errorf("second run: %+v", o)
		}
	}
	if n := countRecords(t, hc, service, did); n != 2 {
		t.Errorf("%d records after the second run", n)
	}

	// A post that went out while the ledger still says pending (a crash, a lost answer, another
	// clone): the real PDS refuses a second create with its key (a 500), which Publish recognises as
	// "already there" by asking for the record.
	third := plain
	third.Article, third.Text = "https://camille.example/posts/automne/", "L’automne https://camille.example/posts/automne/"
	key := client.Key(third)
	first, err := client.Publish(ctx, third, key)
	if err != nil {
		t.Fatal(err)
	}
	again, err := client.Publish(ctx, third, key)
	if err != nil || again.URL != first.URL || !strings.HasSuffix(again.URL, "/post/"+key) {
		t.Errorf("second create with the same key: %+v %v", again, err)
	}
	if err := l.Set(third.Article, syndicate.Bluesky, syndicate.Entry{State: syndicate.StatePending, Key: key, Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if out := run(third); out[0].State != syndicate.StatePublished || out[0].Sent || !strings.HasSuffix(out[0].URL, "/post/"+key) {
		t.Errorf("pending post: %+v", out[0])
	}
	if n := countRecords(t, hc, service, did); n != 3 {
		t.Errorf("%d records after the pending post", n)
	}
	data, _ := os.ReadFile(ledgerPath)
	if strings.Contains(string(data), app.Password) {
		t.Errorf("the app password is in the ledger")
	}
}

func entryKey(t *testing.T, l *syndicate.Ledger, p syndicate.Post) string {
	t.Helper()
	e, ok := l.Get(p.Article, p.Network)
	if !ok || !ValidTID(e.Key) {
		t.Fatalf("ledger entry of %s: %+v", p.Article, e)
	}
	return e.Key
}

func pdsCall(t *testing.T, hc *http.Client, service, nsid, bearer string, in, out any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, service+"/xrpc/"+nsid, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	pdsDo(t, hc, req, out)
}

func pdsGet(t *testing.T, hc *http.Client, service, nsid string, q url.Values, out any) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, service+"/xrpc/"+nsid+"?"+q.Encode(), nil)
	return pdsDo(t, hc, req, out)
}

func pdsDo(t *testing.T, hc *http.Client, req *http.Request, out any) []byte {
	t.Helper()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s %s", req.Method, req.URL.Path, resp.Status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s: %v", req.URL.Path, err)
		}
	}
	return data
}

// getRecord reads an app.bsky.feed.post of the account and returns the account's DID.
func getRecord(t *testing.T, hc *http.Client, service, handle, rkey string, out any) string {
	t.Helper()
	var head struct{ URI string }
	data := pdsGet(t, hc, service, "com.atproto.repo.getRecord", url.Values{"repo": {handle}, "collection": {"app.bsky.feed.post"}, "rkey": {rkey}}, &head)
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
	did, _, _ := strings.Cut(strings.TrimPrefix(head.URI, "at://"), "/")
	return did
}

func getBlob(t *testing.T, hc *http.Client, service, did, cid string) []byte {
	t.Helper()
	return pdsGet(t, hc, service, "com.atproto.sync.getBlob", url.Values{"did": {did}, "cid": {cid}}, nil)
}

func countRecords(t *testing.T, hc *http.Client, service, did string) int {
	t.Helper()
	var list struct{ Records []json.RawMessage }
	pdsGet(t, hc, service, "com.atproto.repo.listRecords", url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}, "limit": {"100"}}, &list)
	return len(list.Records)
}
