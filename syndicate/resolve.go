package syndicate

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Moved is a page whose record the ledger found under another identity or URL and rebound.
type Moved struct {
	Page     string // PageID
	From, To string // the URLs
}

// BindPages gives every article and event of site its record in the ledger under its current
// identity and URL (Ledger.Bind): after a domain move, a change of scheme or slug, or a file moved, the
// posts stay with their page and are never sent again. It returns what moved.
func BindPages(site *model.Site, l *Ledger) ([]Moved, error) {
	var moved []Moved
	for _, p := range site.Pages {
		if (p.Kind != model.KindArticle && p.Kind != model.KindEvent) || !p.IsRegular() {
			continue
		}
		id, url := PageID(p), site.AbsURL(p.URL)
		r := l.Find(id, p.Source, url)
		if r == nil {
			continue
		}
		from := r.URL
		changed, err := l.Bind(id, p.Source, url)
		if err != nil {
			return moved, err
		}
		if changed && from != url {
			moved = append(moved, Moved{Page: id, From: from, To: url})
		}
	}
	return moved, nil
}

// FindPage returns the article or event that slug names: its slug (the last part of its URL), its
// URL's path, or its Markdown file. An ambiguous slug is an error listing the pages it could be.
func FindPage(site *model.Site, slug string) (*model.Page, error) {
	want := strings.Trim(slug, "/")
	var found []*model.Page
	for _, p := range site.Pages {
		if (p.Kind != model.KindArticle && p.Kind != model.KindEvent) || !p.IsRegular() {
			continue
		}
		if articleSlug(p) == want || strings.Trim(p.URL, "/") == want || p.Source == slug || strings.TrimPrefix(p.Source, "content/") == slug {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no article or event %q: give its slug (the end of its URL), its path or its file", slug)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, p := range found {
		names = append(names, p.Source)
	}
	return nil, fmt.Errorf("%q names %d pages (%s): give its file instead", slug, len(found), strings.Join(names, ", "))
}

// Retry asks the next run to send a post again: an unknown, failed or given-up post is set to
// StateRetry, its key and history kept. The next run looks it up first and sends it only if the
// network does not have it (a webhook cannot be asked: retry says it is not there).
func (l *Ledger) Retry(k PostKey, url string, now time.Time) (Entry, error) {
	var prev Entry
	err := l.update(func() ([]string, error) {
		r := l.records[k.Page]
		e, ok := Entry{}, false
		if r != nil {
			e, ok = r.entries(k.Reminder)[k.Network]
		}
		if !ok {
			return nil, fmt.Errorf("the ledger has no post of %s on %s: nothing to retry (a new article is posted by the next run)", url, k.Network)
		}
		prev = e
		if e.State == StatePublished {
			return nil, fmt.Errorf("%s on %s is published (%s): nothing to retry", url, k.Network, e.URL)
		}
		r.set(k.Reminder, k.Network, Entry{State: StateRetry, Key: e.Key, Error: e.Error, Time: now.UTC()})
		return []string{k.Page}, nil
	})
	return prev, err
}

// Mark records a post made by hand, or the post an unknown one turned out to be, as published at
// postURL.
func (l *Ledger) Mark(k PostKey, url, postURL string, now time.Time) error {
	u, err := urlParse(postURL)
	if err != nil {
		return err
	}
	return l.update(func() ([]string, error) {
		r := l.records[k.Page]
		if r == nil {
			r = &Record{Version: LedgerVersion, Page: k.Page, URL: url}
			l.records[k.Page] = r
		}
		e := r.entries(k.Reminder)[k.Network]
		r.set(k.Reminder, k.Network, Entry{State: StatePublished, Key: e.Key, ID: postID(k.Network, u), URL: postURL, Time: now.UTC(), Duplicates: e.Duplicates})
		return []string{k.Page}, nil
	})
}

func urlParse(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%q is not the post's address (https://…)", s)
	}
	return u, nil
}

// postID is what the ledger's id of a post marked by hand can be: a Mastodon status's id (the end of
// its URL), a Bluesky post's AT URI (from https://bsky.app/profile/HANDLE/post/RKEY), else none.
func postID(network string, u *url.URL) string {
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch network {
	case Mastodon:
		last := parts[len(parts)-1]
		if last != "" && strings.Trim(last, "0123456789") == "" {
			return last
		}
	case Bluesky:
		if len(parts) == 4 && parts[0] == "profile" && parts[2] == "post" {
			return "at://" + parts[1] + "/app.bsky.feed.post/" + parts[3]
		}
	}
	return ""
}

// MergeFiles merges two versions of one ledger file (a Record, or networks.json) that two runs wrote
// from a common base: what `vitrine syndicate merge`, the git merge driver of the ledger, does. No
// published post is lost: for each post, published wins over every other state; two different
// published copies keep the earlier as the post and the other in Duplicates; otherwise the most
// telling state wins (unknown, pending, then the latest of failed, given up and retry, then skipped).
// networks.json keeps each network's earliest baseline. base may be empty (both added the file).
func MergeFiles(base, ours, theirs []byte) ([]byte, error) {
	if no, err := ParseNetworks(ours); err == nil {
		nt, err := ParseNetworks(theirs)
		if err != nil {
			return nil, fmt.Errorf("theirs: %w", err)
		}
		out := maps.Clone(no)
		for n, t := range nt {
			if o, ok := out[n]; !ok || t.Before(o) {
				out[n] = t
			}
		}
		return marshal(struct {
			Version  int                  `json:"version"`
			Networks map[string]time.Time `json:"networks"`
		}{LedgerVersion, out})
	}
	o, err := ParseRecord(ours)
	if err != nil {
		return nil, fmt.Errorf("ours: %w", err)
	}
	t, err := ParseRecord(theirs)
	if err != nil {
		return nil, fmt.Errorf("theirs: %w", err)
	}
	if o.Page != t.Page {
		return nil, fmt.Errorf("the two versions are of different pages (%s, %s)", o.Page, t.Page)
	}
	out := o.clone()
	if b, err := ParseRecord(base); err == nil && o.URL == b.URL && t.URL != b.URL {
		out.URL, out.Source = t.URL, t.Source
	}
	for _, reminder := range []bool{false, true} {
		for n, te := range t.entries(reminder) {
			oe, ok := o.entries(reminder)[n]
			if !ok {
				out.set(reminder, n, te)
				continue
			}
			out.set(reminder, n, mergeEntry(oe, te))
		}
	}
	return marshal(out)
}

var stateRank = map[string]int{StatePublished: 5, StateUnknown: 4, StatePending: 3, StateFailed: 2, StateGaveUp: 2, StateRetry: 2, StateSkipped: 1}

func mergeEntry(a, b Entry) Entry {
	if a.State == StatePublished && b.State == StatePublished {
		if a.URL == b.URL {
			if b.Time.Before(a.Time) {
				a.Time = b.Time
			}
			a.Duplicates = union(a.Duplicates, b.Duplicates)
			return a
		}
		first, second := a, b
		if b.Time.Before(a.Time) || b.Time.Equal(a.Time) && b.URL < a.URL {
			first, second = b, a
		}
		first.Duplicates = union(union(first.Duplicates, second.Duplicates), []string{second.URL})
		return first
	}
	ra, rb := stateRank[a.State], stateRank[b.State]
	switch {
	case ra > rb:
		a.Duplicates = union(a.Duplicates, b.Duplicates)
		return a
	case rb > ra:
		b.Duplicates = union(a.Duplicates, b.Duplicates)
		return b
	case b.Time.After(a.Time):
		return b
	}
	return a
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}
