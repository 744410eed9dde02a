package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/fakeapi"
)

const (
	handle   = "camille.test"
	password = "app-pw-4kd9-x2mq-77ab"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// pngCard is a small PNG standing in for the social card.
func pngCard(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 120, 63))
	for x := range 120 {
		for y := range 63 {
			img.Set(x, y, color.RGBA{uint8(x * 2), 90, uint8(y * 4), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// richPost is a French post with a link facet, two tag facets, an emoji and a card.
func richPost() syndicate.Post {
	link := "https://camille.example/posts/lumiere/?utm_source=bluesky&utm_medium=social&utm_campaign=lumiere"
	text := "Lumière d’hiver sur la côte 📷 " + link + " #Photo #Hiver"
	i := strings.Index(text, link)
	j := strings.Index(text, "#Photo")
	k := strings.Index(text, "#Hiver")
	return syndicate.Post{
		Network: syndicate.Bluesky, Article: "https://camille.example/posts/lumiere/", Slug: "lumiere",
		Title: "Lumière d’hiver", Description: "Une série de photos de la côte en hiver.", Text: text, Link: link,
		Lang: "fr", Image: "posts/lumiere/card.png", ImageAlt: "Carte de l’article",
		Facets: []syndicate.Facet{
			{ByteStart: i, ByteEnd: i + len(link), Link: link},
			{ByteStart: j, ByteEnd: j + len("#Photo"), Tag: "Photo"},
			{ByteStart: k, ByteEnd: k + len("#Hiver"), Tag: "Hiver"},
		},
	}
}

func newClient(t testing.TB, p *fakeapi.PDS, opts ...Option) *Client {
	files := fstest.MapFS{"posts/lumiere/card.png": {Data: pngCard(t)}}
	opts = append([]Option{Images(files), Clock(func() time.Time { return now })}, opts...)
	return New(p.URL, p.Handle, p.Password, &http.Client{Timeout: 2 * time.Second}, opts...)
}

func TestWrongPassword(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	c := New(p.URL, handle, "wrong-"+password, nil, Images(fstest.MapFS{"posts/lumiere/card.png": {Data: pngCard(t)}}))
	_, err := c.Publish(context.Background(), richPost(), TID(now.UnixMicro(), 1))
	if err == nil || !strings.Contains(err.Error(), "Invalid identifier or password") || !strings.Contains(err.Error(), PasswordEnv) || strings.Contains(err.Error(), password) {
		t.Fatalf("wrong password: %v", err)
	}
	var re *syndicate.RetryableError
	if errors.As(err, &re) {
		t.Errorf("retryable: %v", err)
	}
}

func TestTID(t *testing.T) {
	c := New("https://pds.example", handle, password, nil)
	p := richPost()
	p.Page = "content/posts/ete.md"
	p.Date = now
	a := c.Key(p)
	if !ValidTID(a) || len(a) != 13 || a != c.Key(p) {
		t.Errorf("key %q: not a TID, or not stable", a)
	}
	// The key is the post's identity's: a new domain or slug keeps it, another page or a reminder
	// does not.
	moved := p
	moved.Article = "https://camille.fr/posts/ete-a-lyon/"
	if c.Key(moved) != a {
		t.Errorf("a new URL changed the key")
	}
	other := p
	other.Page = "content/posts/autre.md"
	reminder := p
	reminder.Article += syndicate.ReminderSuffix
	if c.Key(other) == a || c.Key(reminder) == a {
		t.Errorf("two posts share a key")
	}
	// A TID from the spec's example: 2023-ish times start with "3".
	if k := TID(time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC).UnixMicro(), 0); k[0] != '3' {
		t.Errorf("TID of 2023 = %s", k)
	}
	if TID(0, 0) != "2222222222222" || TID(1<<53-1, 0x3FF) != "bzzzzzzzzzzzz" {
		t.Errorf("bounds: %s %s", TID(0, 0), TID(1<<53-1, 0x3FF))
	}
}

func TestPublishRecord(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	c := newClient(t, p)
	post := richPost()
	key := c.Key(post)
	pub, err := c.Publish(context.Background(), post, key)
	if err != nil {
		t.Fatal(err)
	}
	if pub.URL != "https://bsky.app/profile/camille.test/post/"+key || pub.ID != "at://"+p.DID+"/app.bsky.feed.post/"+key {
		t.Errorf("published %+v", pub)
	}
	var rec struct {
		Text   string
		Langs  []string
		Facets []struct {
			Index    struct{ ByteStart, ByteEnd int }
			Features []map[string]string
		}
		Embed struct {
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
	raw := p.Records()[key]
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if m["$type"] != "app.bsky.feed.post" || m["createdAt"] != "2026-11-22T10:00:00.000Z" || rec.Text != post.Text {
		t.Errorf("record %s", raw)
	}
	if len(rec.Langs) != 1 || rec.Langs[0] != "fr" {
		t.Errorf("langs %v", rec.Langs)
	}
	if len(rec.Facets) != 3 || rec.Facets[0].Features[0]["$type"] != "app.bsky.richtext.facet#link" ||
		rec.Facets[0].Features[0]["uri"] != post.Link || rec.Facets[1].Features[0]["tag"] != "Photo" {
		t.Errorf("facets %s", raw)
	}
	// Offsets are UTF-8 bytes: the link starts after the accents, apostrophe and emoji.
	if got := post.Text[rec.Facets[0].Index.ByteStart:rec.Facets[0].Index.ByteEnd]; got != post.Link {
		t.Errorf("link facet covers %q", got)
	}
	x := rec.Embed.External
	if rec.Embed.Type != "app.bsky.embed.external" || x.URI != post.Link || x.Title != post.Title || x.Description != post.Description {
		t.Errorf("embed %s", raw)
	}
	if x.Thumb.Type != "blob" || x.Thumb.MimeType != "image/png" || x.Thumb.Size != len(pngCard(t)) || !strings.HasPrefix(x.Thumb.Ref["$link"], "bafkrei") {
		t.Errorf("thumb %+v", x.Thumb)
	}
}

func TestDuplicateKeyAndLookup(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	c := newClient(t, p)
	post := richPost()
	key := c.Key(post)
	ctx := context.Background()
	if _, ok, err := c.Lookup(ctx, post, key); ok || err != nil {
		t.Fatalf("Lookup before: %v %v", ok, err)
	}
	pub, err := c.Publish(ctx, post, key)
	if err != nil {
		t.Fatal(err)
	}
	// The reference PDS answers 500 to a second create with the same key (another run or clone made
	// the post): Publish recognises the post as already there.
	again, err := c.Publish(ctx, post, key)
	if err != nil || again != pub {
		t.Fatalf("duplicate create: %+v %v, want %+v", again, err, pub)
	}
	if n := p.Count("POST /xrpc/com.atproto.repo.createRecord"); n != 2 {
		t.Errorf("%d creates", n)
	}
	got, ok, err := c.Lookup(ctx, post, key)
	if err != nil || !ok || got != pub {
		t.Fatalf("Lookup = %+v %v %v, want %+v", got, ok, err, pub)
	}
	if len(p.Records()) != 1 {
		t.Errorf("%d records", len(p.Records()))
	}
	if _, _, err := c.Lookup(ctx, post, "not-a-tid"); err == nil {
		t.Errorf("Lookup with an invalid key")
	}
}

func TestOneSessionForManyPostsAndRefresh(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	c := newClient(t, p)
	ctx := context.Background()
	for i := range 6 {
		post := richPost()
		post.Article += string(rune('a' + i))
		post.Page = "content/posts/" + string(rune('a'+i)) + ".md"
		if i == 3 {
			p.ExpireSessions()
		}
		key := c.Key(post)
		if _, ok, err := c.Lookup(ctx, post, key); ok || err != nil {
			t.Fatal(ok, err)
		}
		if _, err := c.Publish(ctx, post, key); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Count("POST /xrpc/com.atproto.server.createSession"); n != 1 {
		t.Errorf("createSession called %d times", n)
	}
	if n := p.Count("POST /xrpc/com.atproto.server.refreshSession"); n != 1 {
		t.Errorf("refreshSession called %d times", n)
	}
	if len(p.Records()) != 6 {
		t.Errorf("%d records", len(p.Records()))
	}
}

func TestXRPCErrors(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	c := newClient(t, p)
	ctx := context.Background()
	var re *syndicate.RetryableError

	long := richPost()
	long.Text = strings.Repeat("é", 301)
	long.Facets = nil
	_, err := c.Publish(ctx, long, c.Key(long))
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "400 Bad Request: InvalidRequest: Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301)") {
		t.Errorf("too long: %v", err)
	}

	post := richPost()
	p.Inject("POST /xrpc/com.atproto.repo.createRecord",
		fakeapi.Status(429, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`,
			"RateLimit-Limit", "5000", "RateLimit-Remaining", "0", "RateLimit-Reset", strconv.FormatInt(now.Add(150*time.Second).Unix(), 10)),
		fakeapi.Status(502, `<html>Bad Gateway</html>`),
	)
	_, err = c.Publish(ctx, post, c.Key(post))
	if !errors.As(err, &re) || re.After != 150*time.Second || !strings.Contains(err.Error(), "Rate Limit Exceeded") {
		t.Errorf("429: %v", err)
	}
	_, err = c.Publish(ctx, post, c.Key(post))
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "502") {
		t.Errorf("502: %v", err)
	}
	if len(p.Records()) != 0 {
		t.Errorf("records after errors: %v", p.RecordKeys())
	}
}

func TestBadInputFailsBeforeSending(t *testing.T) {
	p := fakeapi.NewPDS(t, handle, password)
	big := fstest.MapFS{"card.png": {Data: append(pngCard(t), make([]byte, MaxThumbBytes)...)}}
	for name, c := range map[string]struct {
		client *Client
		edit   func(*syndicate.Post)
		want   string
	}{
		"facet past the end":    {newClient(t, p), func(p *syndicate.Post) { p.Facets[0].ByteEnd = len(p.Text) + 1 }, "outside the post"},
		"facet without feature": {newClient(t, p), func(p *syndicate.Post) { p.Facets[0].Link = "" }, "neither a link nor a tag"},
		"missing image":         {newClient(t, p), func(p *syndicate.Post) { p.Image = "posts/none.png" }, "build the site"},
		"image too big":         {New(p.URL, handle, password, nil, Images(big)), func(p *syndicate.Post) { p.Image = "/card.png" }, "over the 1000000"},
		"no image folder":       {New(p.URL, handle, password, nil), func(*syndicate.Post) {}, "bluesky.Images"},
	} {
		post := richPost()
		c.edit(&post)
		_, err := c.client.Publish(context.Background(), post, TID(now.UnixMicro(), 7))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := p.Count("POST /xrpc/com.atproto.repo.createRecord") + p.Count("POST /xrpc/com.atproto.repo.uploadBlob"); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if _, err := newClient(t, p).Publish(context.Background(), richPost(), "3lbbbbbbbbbbbb"); err == nil {
		t.Errorf("invalid key accepted")
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	if _, err := FromEnv("https://bsky.social", handle, nil); err == nil || !strings.Contains(err.Error(), PasswordEnv) {
		t.Errorf("missing password: %v", err)
	}
	t.Setenv(PasswordEnv, password)
	if c, err := FromEnv("https://bsky.social/", "@"+handle, nil); err != nil || c.handle != handle || c.Network() != syndicate.Bluesky {
		t.Errorf("FromEnv: %v", err)
	}
}

// TestErrorsHoldNoSecret: a PDS that echoes each request whole (headers and body) in its error answers
// never gets the app password or a session token into an error the client returns.
func TestErrorsHoldNoSecret(t *testing.T) {
	const (
		access1, refresh1 = "eyJhbGciOiJFUzI1NksifQ.access-one.sig1", "eyJhbGciOiJFUzI1NksifQ.refresh-one.sig1"
		access2, refresh2 = "eyJhbGciOiJFUzI1NksifQ.access-two.sig2", "eyJhbGciOiJFUzI1NksifQ.refresh-two.sig2"
		pw                = `app-"pw"<4kd9>/x2mq`
	)
	logins := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dump, _ := httputil.DumpRequest(r, true)
		echo := func(status int, name string) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": name, "message": "request was: " + string(dump)})
		}
		switch r.URL.Path {
		case "/xrpc/com.atproto.server.createSession":
			logins++
			if logins == 1 {
				echo(http.StatusUnauthorized, "AuthenticationRequired") // the password, JSON-escaped
				return
			}
			_, _ = w.Write([]byte(`{"accessJwt":"` + access1 + `","refreshJwt":"` + refresh1 + `","did":"did:plc:x","handle":"camille.test"}`))
		case "/xrpc/com.atproto.server.refreshSession":
			_, _ = w.Write([]byte(`{"accessJwt":"` + access2 + `","refreshJwt":"` + refresh2 + `"}`))
		default:
			if strings.Contains(r.Header.Get("Authorization"), access1) {
				echo(http.StatusBadRequest, "ExpiredToken")
				return
			}
			echo(http.StatusBadRequest, "InvalidRequest")
		}
	}))
	defer srv.Close()
	c := New(srv.URL, handle, pw, srv.Client(), Clock(func() time.Time { return now }))
	p := syndicate.Post{Network: syndicate.Bluesky, Article: "https://camille.example/a/", Text: "Un article"}
	var errs []error
	_, err := c.Publish(context.Background(), p, TID(now.UnixMicro(), 1)) // login refused
	errs = append(errs, err)
	_, err = c.Publish(context.Background(), p, TID(now.UnixMicro(), 2)) // expired, refreshed, refused
	errs = append(errs, err)
	_, _, err = c.Lookup(context.Background(), p, TID(now.UnixMicro(), 2))
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d: no error", i)
		}
		for _, s := range []string{"4kd9", "access-one", "refresh-one", "access-two", "refresh-two"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("call %d: the error holds %q: %v", i, s, err)
			}
		}
		if !strings.Contains(err.Error(), "***") {
			t.Errorf("call %d: the echo did not reach the error, nothing tested: %v", i, err)
		}
	}
}
