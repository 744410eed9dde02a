package mastodon

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/fakeapi"
)

const token = "tok-Zq8Vx2mK9pLw4nR7"

var post = syndicate.Post{
	Network: syndicate.Mastodon,
	Article: "https://camille.example/posts/lumiere-d-hiver/",
	Title:   "Lumière d’hiver",
	Text:    "Lumière d’hiver : mes photos de la côte 📷\n\nhttps://camille.example/posts/lumiere-d-hiver/?utm_source=mastodon&utm_medium=social&utm_campaign=lumiere-d-hiver #Photo",
	Link:    "https://camille.example/posts/lumiere-d-hiver/?utm_source=mastodon&utm_medium=social&utm_campaign=lumiere-d-hiver",
	Lang:    "fr-FR",
}

func client(m *fakeapi.Mastodon, tok string) *Client {
	return New(m.URL, tok, &http.Client{Timeout: 2 * time.Second})
}

func retryable(err error) (*syndicate.RetryableError, bool) {
	var re *syndicate.RetryableError
	return re, errors.As(err, &re)
}

func TestUnauthorized(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	_, err := client(m, "wrong-"+token).Publish(context.Background(), post, "k1")
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), TokenEnv) ||
		!strings.Contains(err.Error(), "write:statuses") || strings.Contains(err.Error(), token) {
		t.Fatalf("401: %v", err)
	}
	if _, ok := retryable(err); ok {
		t.Errorf("401 is retryable: %v", err)
	}
	if _, _, err := client(m, "wrong-"+token).Lookup(context.Background(), post, "k1"); err == nil || !strings.Contains(err.Error(), TokenEnv) {
		t.Errorf("Lookup 401: %v", err)
	}
}

func TestForbiddenScope(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	m.Inject("GET /api/v1/accounts/verify_credentials", fakeapi.Status(403, `{"error":"This action is outside the authorized scopes"}`))
	_, _, err := client(m, token).Lookup(context.Background(), post, "k1")
	if err == nil || !strings.Contains(err.Error(), "outside the authorized scopes") || !strings.Contains(err.Error(), "read:accounts") {
		t.Errorf("403: %v", err)
	}
}

func TestValidationFailed(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	long := post
	long.Text = strings.Repeat("é", 501)
	_, err := client(m, token).Publish(context.Background(), long, "k1")
	if err == nil || !strings.Contains(err.Error(), "422") || !strings.Contains(err.Error(), "Text character limit of 500 exceeded") {
		t.Fatalf("422: %v", err)
	}
	if _, ok := retryable(err); ok {
		t.Errorf("422 is retryable")
	}
}

func TestRetryableFailures(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	c := client(m, token)
	reset := time.Date(2026, 11, 22, 10, 5, 0, 0, time.UTC)
	c.Now = func() time.Time { return reset.Add(-90 * time.Second) }
	m.Inject("POST /api/v1/statuses",
		fakeapi.Status(500, `{"error":"We're sorry, but something went wrong on our end."}`),
		fakeapi.Status(429, `{"error":"Too many requests"}`, "X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset.Format(time.RFC3339Nano)),
		fakeapi.Status(503, `<html>upstream</html>`, "Retry-After", "12"),
	)
	for i, want := range []time.Duration{0, 90 * time.Second, 12 * time.Second} {
		_, err := c.Publish(context.Background(), post, "k1")
		re, ok := retryable(err)
		if !ok || re.After != want {
			t.Errorf("fault %d: %v (retryable %v)", i, err, ok)
		}
	}
	if len(m.Statuses()) != 0 {
		t.Fatalf("statuses after faults: %d", len(m.Statuses()))
	}
	if _, err := c.Publish(context.Background(), post, "k1"); err != nil {
		t.Fatal(err)
	}
}

func TestTimeoutVersusSlowServer(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	c := New(m.URL, token, &http.Client{Timeout: 300 * time.Millisecond})
	m.Inject("POST /api/v1/statuses", fakeapi.Slow(50*time.Millisecond), fakeapi.Late(2*time.Second))
	if _, err := c.Publish(context.Background(), post, "k1"); err != nil {
		t.Fatalf("slow but in time: %v", err)
	}
	other := post
	other.Article, other.Link = "https://camille.example/posts/autre/", "https://camille.example/posts/autre/"
	other.Text = "Autre https://camille.example/posts/autre/"
	_, err := c.Publish(context.Background(), other, "k2")
	if _, ok := retryable(err); !ok || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("late answer: %v", err)
	}
	// The server stored it: the same key gives back the same status.
	pub, err := c.Publish(context.Background(), other, "k2")
	if err != nil || len(m.Statuses()) != 2 || pub.ID != m.Statuses()[1].ID {
		t.Fatalf("re-send: %v, %d statuses", err, len(m.Statuses()))
	}
}

func TestDroppedConnectionAndIdempotencyKey(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	c := client(m, token)
	m.Inject("POST /api/v1/statuses", fakeapi.DropAfterServe())
	_, err := c.Publish(context.Background(), post, "k1")
	if _, ok := retryable(err); !ok {
		t.Fatalf("dropped connection: %v", err)
	}
	pub, err := c.Publish(context.Background(), post, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Statuses(); len(got) != 1 || got[0].ID != pub.ID || pub.URL != got[0].URL {
		t.Fatalf("statuses %+v, published %+v", got, pub)
	}
	s := m.Statuses()[0]
	if s.Language != "fr" || s.Visibility != "public" || s.Text != post.Text {
		t.Errorf("status %+v", s)
	}
}

func TestLookup(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	c := client(m, token)
	ctx := context.Background()
	if _, ok, err := c.Lookup(ctx, post, "k1"); ok || err != nil {
		t.Fatalf("empty account: %v %v", ok, err)
	}
	pub, err := c.Publish(ctx, post, "k1")
	if err != nil {
		t.Fatal(err)
	}
	m.ForgetKeys() // more than an hour later
	got, ok, err := c.Lookup(ctx, post, "another key")
	if err != nil || !ok || got != pub {
		t.Fatalf("Lookup = %+v %v %v, want %+v", got, ok, err, pub)
	}
	// An article whose URL starts like the published one's is a different article.
	child := post
	child.Article = post.Article + "suite/"
	child.Link = child.Article + "?utm_source=mastodon"
	if _, ok, err := c.Lookup(ctx, child, "k2"); ok || err != nil {
		t.Errorf("child article found: %v %v", ok, err)
	}
	// Without the tracked link, the article's URL is enough.
	bare := post
	bare.Link = ""
	if _, ok, _ := c.Lookup(ctx, bare, "k1"); !ok {
		t.Errorf("not found by article URL")
	}
	if n := m.Count("GET /api/v1/accounts/verify_credentials"); n != 1 {
		t.Errorf("verify_credentials called %d times", n)
	}
}

func TestLimits(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	m.MaxChars, m.URLChars = 1000, 23
	max, per, err := client(m, token).Limits(context.Background())
	if err != nil || max != 1000 || per != 23 {
		t.Errorf("Limits = %d %d %v", max, per, err)
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(TokenEnv, "")
	if _, err := FromEnv("https://mastodon.example", nil); err == nil || !strings.Contains(err.Error(), TokenEnv) {
		t.Errorf("missing token: %v", err)
	}
	t.Setenv(TokenEnv, token)
	c, err := FromEnv("https://mastodon.example/", nil)
	if err != nil || c.server != "https://mastodon.example" || c.Network() != syndicate.Mastodon {
		t.Errorf("FromEnv: %v", err)
	}
}

// TestKey: the Idempotency-Key is derived from the post's identity, not the time: two runs (two CI
// clones) send the same one, and a new domain keeps it.
func TestKey(t *testing.T) {
	c := New("https://m.example", token, nil)
	p := post
	p.Page = "content/posts/a.md"
	a := c.Key(p)
	moved := p
	moved.Article = "https://nouveau-domaine.fr/posts/a/"
	other := p
	other.Page = "content/posts/b.md"
	if len(a) < 16 || a != c.Key(p) || a != c.Key(moved) || a == c.Key(other) {
		t.Errorf("keys %q %q %q", a, c.Key(moved), c.Key(other))
	}
}

// TestLookupPagesBack (issue 19, scenario 6): the account posted more than 40 statuses since the post;
// Lookup pages back (max_id) until it finds it, and stops at the article's date.
func TestLookupPagesBack(t *testing.T) {
	m := fakeapi.NewMastodon(t, token)
	m.IgnoreKeys()
	c := client(m, token)
	ctx := context.Background()
	p := post
	p.Date = time.Now().Add(-time.Hour)
	if _, err := c.Publish(ctx, p, c.Key(p)); err != nil {
		t.Fatal(err)
	}
	m.Chatter(130)
	got, ok, err := c.Lookup(ctx, p, c.Key(p))
	if err != nil || !ok || got.URL != m.Statuses()[0].URL {
		t.Fatalf("Lookup past 130 statuses = %+v %v %v", got, ok, err)
	}
	if n := m.Count("GET /api/v1/accounts/:id/statuses"); n != 4 {
		t.Errorf("%d pages read, want 4", n)
	}
	// Another article, never posted: the lookup stops once the statuses are older than its date less
	// two days, not at the end of the account.
	old := p
	old.Article, old.Link = "https://camille.example/posts/autre/", ""
	old.Date = time.Now().Add(72 * time.Hour)
	before := m.Count("GET /api/v1/accounts/:id/statuses")
	if _, ok, err := c.Lookup(ctx, old, c.Key(old)); ok || err != nil {
		t.Fatalf("Lookup of a post never made: %v %v", ok, err)
	}
	if n := m.Count("GET /api/v1/accounts/:id/statuses") - before; n != 1 {
		t.Errorf("%d pages read for an article of after every status, want 1", n)
	}
}
