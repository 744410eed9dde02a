// Package syndicate turns newly published articles into social posts, one per network, and publishes
// them where an open API exists, exactly once (POSSE: publish on your own site, syndicate elsewhere).
//
// # Types
//
// A Post is the composed text of one article for one network, with its links, facets and image. Its
// identity (PostKey) is its page (PageID: the translationKey, else the Markdown file), its network, and
// whether it is an event's reminder: not its URL, which a domain move or a new slug changes. A Target is
// one network's client: it publishes a Post under a key derived from that identity and can tell whether
// the network already holds the post. The Ledger, a folder of small JSON files committed with the site
// (one per page), records per post what happened: pending, published (with the URL), skipped, failed
// (with when to try again), unknown, gave up.
//
// # Exactly once
//
// Before sending, the entry is written as pending with its key, durably (temp file, fsync, rename),
// under the ledger's lock. Before every send, the first one included, the network is asked whether it
// has the post (Target.Lookup): another run, another CI clone, or a send whose answer was lost may have
// made it. Keys are the same in every run and clone, so that a second create fails (Bluesky) or returns
// the first (Mastodon's Idempotency-Key). A post whose answer was lost on a network that cannot be asked
// is unknown: never sent again until the user says (Ledger.Retry, Ledger.Mark). Two ledgers changed by
// two CI jobs merge with MergeFiles, which loses no published post.
//
// # Scheduling
//
// Plan gives each post a time: the next slot free on its network ([syndicate] slots) at or after its
// article's publication, the time syndicate_at pins, or, for an event's reminder (remind: 2d), its start
// less that long. A post whose time has not come is scheduled: composed into the outbox, not published.
// A reminder's Post.Article is the event's URL with ReminderSuffix. Calendar lists the
// schedule with the articles and events for vitrine calendar and the dev server's dashboard.
//
// # Reactions
//
// Backfeed reads, through a Source per network, the counts and replies of every published post and
// merges them into data/reactions/SLUG.json (model.ReactionsFile), which the build shows on the page,
// moderated and sanitized. Decisions taken by hand on a reply (Decide) survive later runs.
package syndicate

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Network names, as used in vitrine.toml, the ledger and the outbox.
const (
	Mastodon  = "mastodon"
	Bluesky   = "bluesky"
	X         = "x"
	LinkedIn  = "linkedin"
	Threads   = "threads"
	Facebook  = "facebook"
	Instagram = "instagram"
	Webhook   = "webhook"
)

// Post is one composed post for one network.
type Post struct {
	Network string `json:"network"`
	// Article is the article's canonical URL (without tracking parameters), with ReminderSuffix for an
	// event's reminder. It is where the post links to, not its identity: see Page.
	Article string `json:"article"`
	// Page is the identity of the post's page (PageID): what the ledger and the network-side keys are
	// derived from, so that a new domain, scheme or slug keeps the post.
	Page string `json:"page,omitempty"`
	// Date is when the article was published (or the reminder is due): how far back a lookup of the
	// account's posts must go.
	Date  time.Time `json:"date,omitzero"`
	Slug  string    `json:"slug"`
	Title string    `json:"title"`
	// Text is the whole post as it will be published.
	Text string `json:"text"`
	// Link is the article URL as it appears in Text, tracking parameters included.
	Link        string   `json:"link,omitempty"`
	Description string   `json:"description,omitempty"`
	Hashtags    []string `json:"hashtags,omitempty"` // without '#'
	Lang        string   `json:"lang,omitempty"`     // BCP 47, e.g. "fr"
	// Facets are Bluesky's rich-text annotations over UTF-8 byte offsets of Text.
	Facets []Facet `json:"facets,omitempty"`
	// Image is the path of the image that goes with the post (the social card), relative to the site's
	// output folder; "" for none. ImageAlt describes it.
	Image    string `json:"image,omitempty"`
	ImageAlt string `json:"imageAlt,omitempty"`
	// Length is the post's length as the network counts it, Limit the network's maximum.
	Length int `json:"length"`
	Limit  int `json:"limit"`
}

// Facet is a link or hashtag over Text's UTF-8 bytes [ByteStart, ByteEnd).
type Facet struct {
	ByteStart int    `json:"byteStart"`
	ByteEnd   int    `json:"byteEnd"`
	Link      string `json:"link,omitempty"` // app.bsky.richtext.facet#link
	Tag       string `json:"tag,omitempty"`  // app.bsky.richtext.facet#tag, without '#'
}

// Published is what a network answers for a post it holds.
type Published struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

// Target publishes posts to one network.
//
// Implementations must be idempotent on key: publishing twice with the same key must not create two
// posts where the network offers a way to prevent it (Mastodon's Idempotency-Key header, a Bluesky
// record key chosen by the caller). Keys are derived from the post's identity (Post.Key), never from
// the time or chance, so that two runs anywhere (two CI clones) send the same key for the same post.
type Target interface {
	// Network returns the network's name (Mastodon, Bluesky, Webhook).
	Network() string
	// Key returns the idempotency key of a post: a pure function of p.Key(), stored in the ledger
	// before Publish.
	Key(p Post) string
	// Publish sends the post with the key. Errors that may succeed on retry are *RetryableError.
	Publish(ctx context.Context, p Post, key string) (Published, error)
	// Lookup returns the post published with key (or, on networks without a lookup by key, the
	// account's post that links to p's article, searched back to p.Date), and ok == false when the
	// network has none. A network that cannot be asked returns ErrNoLookup.
	Lookup(ctx context.Context, p Post, key string) (pub Published, ok bool, err error)
}

// ErrNoLookup is Lookup's error on a network that cannot be asked whether it holds a post (a
// webhook): after a lost answer the post's outcome is unknown, and it is not sent again blindly.
var ErrNoLookup = errors.New("this network cannot be asked whether a post arrived")

// PostKey is the identity of one post: a page, a network, its announcement or its reminder. It is
// what the ledger records and what network-side keys are derived from.
type PostKey struct {
	Page     string
	Network  string
	Reminder bool
}

// String is "PAGE NETWORK" or "PAGE NETWORK reminder": the text keys are hashed from.
func (k PostKey) String() string {
	s := k.Page + " " + k.Network
	if k.Reminder {
		s += " reminder"
	}
	return s
}

// Key returns the post's identity: its Page (its Article without the reminder suffix for a post made
// without one), its network, and whether it is a reminder.
func (p Post) Key() PostKey {
	reminder := strings.HasSuffix(p.Article, ReminderSuffix)
	page := p.Page
	if page == "" {
		page = "url:" + strings.TrimSuffix(p.Article, ReminderSuffix)
	}
	return PostKey{Page: page, Network: p.Network, Reminder: reminder}
}

// RetryableError is an error after which the same call may succeed: a timeout, a 5xx, a 429.
type RetryableError struct {
	Err error
	// After is how long the server asked to wait (Retry-After, rate-limit reset); 0 when it did not say.
	After time.Duration
	// Status is the HTTP status the server answered, 0 when no answer came (a timeout, a dropped
	// connection): then the request may have been carried out.
	Status int
}

func (e *RetryableError) Error() string { return e.Err.Error() }
func (e *RetryableError) Unwrap() error { return e.Err }

// States of a ledger entry.
const (
	// StatePending: about to be sent, or sent by a run that stopped before it knew the answer.
	StatePending   = "pending"
	StatePublished = "published"
	StateSkipped   = "skipped"
	// StateFailed: the last attempt failed; a later run looks it up and retries after Entry.Retry.
	StateFailed = "failed"
	// StateUnknown: an answer was lost and the network cannot be asked; never sent again until
	// `vitrine syndicate mark` or `retry` says what happened.
	StateUnknown = "unknown"
	// StateGaveUp: failed MaxRuns runs in a row; only `vitrine syndicate retry` tries again.
	StateGaveUp = "gave up"
	// StateRetry: `vitrine syndicate retry` asked for a new try: sent by the next run after a lookup.
	StateRetry = "retry"
)

// states are the valid Entry.State values.
var states = []string{StatePending, StatePublished, StateSkipped, StateFailed, StateUnknown, StateGaveUp, StateRetry}

// Entry is what the ledger knows of one post.
type Entry struct {
	State string    `json:"state"`
	Key   string    `json:"key,omitempty"` // idempotency key, chosen before sending
	ID    string    `json:"id,omitempty"`
	URL   string    `json:"url,omitempty"`
	Error string    `json:"error,omitempty"`
	Time  time.Time `json:"time"`
	// Runs counts the runs whose attempts failed in a row; Retry is when the next run may try again.
	Runs  int       `json:"runs,omitempty"`
	Retry time.Time `json:"retry,omitzero"`
	// Unsure is set on a failed post whose last send may have reached the network (no answer came):
	// it is looked up, and on a network that cannot be asked it becomes unknown, not sent again.
	Unsure bool `json:"unsure,omitempty"`
	// Duplicates keeps the URLs of other copies of the post the network holds (found by a merge of
	// two ledgers or a lookup), so that no published URL is ever lost.
	Duplicates []string `json:"duplicates,omitempty"`
}
