package bluesky

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// TestPDSReactions makes a real thread on the reference PDS: a post published by the client, a reply
// from another account with a link facet and the reply references a Bluesky app writes, a like and a
// repost. The PDS has no AppView (it answers getPostThread with "No service configured"), so the test
// reads the records back from the repositories and serves them as the AppView's
// app.bsky.feed.defs#threadViewPost; Reader then turns records the real PDS accepted into the counts
// and replies backfeed stores. Like TestPDS, it needs VITRINE_PDS_URL.
func TestPDSReactions(t *testing.T) {
	service := os.Getenv("VITRINE_PDS_URL")
	if service == "" {
		t.Skip("no Bluesky PDS to test against: set VITRINE_PDS_URL (e.g. http://127.0.0.1:2583); .ci/run starts one")
	}
	ctx := context.Background()
	hc := &http.Client{Timeout: 30 * time.Second}
	type account struct{ Handle, DID, AccessJwt string }
	newAccount := func(name string) account {
		suffix := make([]byte, 4)
		_, _ = rand.Read(suffix)
		handle := name + hex.EncodeToString(suffix) + ".test"
		var a account
		pdsCall(t, hc, service, "com.atproto.server.createAccount", "", map[string]string{
			"handle": handle, "email": handle + "@example.com", "password": "account-" + hex.EncodeToString(suffix)}, &a)
		a.Handle = handle
		return a
	}
	author, reader := newAccount("camille"), newAccount("lea")
	var app struct{ Password string }
	pdsCall(t, hc, service, "com.atproto.server.createAppPassword", author.AccessJwt, map[string]string{"name": "vitrine"}, &app)

	client := New(service, author.Handle, app.Password, hc)
	post := syndicate.Post{Network: syndicate.Bluesky, Article: "https://camille.example/posts/ete/", Title: "L’été", Lang: "fr",
		Text: "L’été à vélo, en photos https://camille.example/posts/ete/", Link: "https://camille.example/posts/ete/"}
	pub, err := client.Publish(ctx, post, client.Key(post))
	if err != nil {
		t.Fatal(err)
	}
	rkey := pub.ID[strings.LastIndex(pub.ID, "/")+1:]
	var root struct {
		URI, CID string
		Value    json.RawMessage
	}
	pdsGet(t, hc, service, "com.atproto.repo.getRecord", url.Values{"repo": {author.DID}, "collection": {collection}, "rkey": {rkey}}, &root)
	ref := map[string]string{"uri": root.URI, "cid": root.CID}

	// Léa answers, likes and reposts, as the Bluesky app would.
	text := "Superbe ! Mes itinéraires sont là : https://velo.example/itineraires 🚲"
	i := strings.Index(text, "https://")
	created := time.Now().UTC().Truncate(time.Millisecond)
	var reply struct{ URI, CID string }
	pdsCall(t, hc, service, "com.atproto.repo.createRecord", reader.AccessJwt, map[string]any{
		"repo": reader.DID, "collection": collection, "record": map[string]any{
			"$type": collection, "text": text, "createdAt": created.Format("2006-01-02T15:04:05.000Z"), "langs": []string{"fr"},
			"facets": []any{map[string]any{"index": map[string]int{"byteStart": i, "byteEnd": i + len("https://velo.example/itineraires")},
				"features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": "https://velo.example/itineraires"}}}},
			"reply": map[string]any{"root": ref, "parent": ref}}}, &reply)
	for _, coll := range []string{"app.bsky.feed.like", "app.bsky.feed.repost"} {
		pdsCall(t, hc, service, "com.atproto.repo.createRecord", reader.AccessJwt, map[string]any{
			"repo": reader.DID, "collection": coll, "record": map[string]any{"$type": coll, "subject": ref,
				"createdAt": created.Format("2006-01-02T15:04:05.000Z")}}, nil)
	}

	// What an AppView would serve, from the repositories: the records as stored, the counts from the
	// records whose subject is the post.
	count := func(coll string) int {
		var list struct {
			Records []struct {
				Value struct {
					Subject struct{ URI string }
				}
			}
		}
		pdsGet(t, hc, service, "com.atproto.repo.listRecords", url.Values{"repo": {reader.DID}, "collection": {coll}}, &list)
		n := 0
		for _, r := range list.Records {
			if r.Value.Subject.URI == root.URI {
				n++
			}
		}
		return n
	}
	var replyRec struct {
		URI   string
		Value json.RawMessage
	}
	pdsGet(t, hc, service, "com.atproto.repo.getRecord", url.Values{"repo": {reader.DID}, "collection": {collection},
		"rkey": {reply.URI[strings.LastIndex(reply.URI, "/")+1:]}}, &replyRec)
	view := func(uri string, a account, name string, value json.RawMessage, likes, reposts, replies int) map[string]any {
		return map[string]any{"uri": uri, "cid": "bafy", "author": map[string]string{"did": a.DID, "handle": a.Handle, "displayName": name},
			"record": value, "likeCount": likes, "repostCount": reposts, "replyCount": replies, "quoteCount": 0,
			"indexedAt": created.Format(time.RFC3339)}
	}
	thread, _ := json.Marshal(map[string]any{"thread": map[string]any{
		"$type": "app.bsky.feed.defs#threadViewPost",
		"post":  view(root.URI, author, "Camille", root.Value, count("app.bsky.feed.like"), count("app.bsky.feed.repost"), 1),
		"replies": []any{map[string]any{"$type": "app.bsky.feed.defs#threadViewPost",
			"post": view(replyRec.URI, reader, "Léa", replyRec.Value, 0, 0, 0), "replies": []any{}}},
	}})
	appview := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/xrpc/app.bsky.feed.getPostThread" || r.URL.Query().Get("uri") != root.URI {
			http.Error(w, `{"error":"NotFound","message":"Post not found"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(thread)
	}))
	defer appview.Close()

	counts, replies, err := NewReader(appview.URL, hc).Reactions(ctx, syndicate.Entry{ID: pub.ID, URL: pub.URL})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Likes != 1 || counts.Reposts != 1 || counts.Replies != 1 || counts.Post != pub.URL {
		t.Errorf("counts %+v", counts)
	}
	if len(replies) != 1 {
		t.Fatalf("replies %+v", replies)
	}
	r := replies[0]
	if r.ID != "bluesky:"+replyRec.URI || r.Author.Handle != reader.Handle || r.Author.Name != "Léa" || !r.Published.Equal(created) ||
		r.URL != "https://bsky.app/profile/"+reader.Handle+"/post/"+replyRec.URI[strings.LastIndex(replyRec.URI, "/")+1:] ||
		r.Content != `<p>Superbe ! Mes itinéraires sont là : <a href="https://velo.example/itineraires">https://velo.example/itineraires</a> 🚲</p>` {
		t.Errorf("reply %+v", r)
	}
}
