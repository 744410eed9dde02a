package syndicate

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "syndication.json")
	l, err := OpenLedger(path)
	if err != nil || l.Exists() {
		t.Fatalf("new ledger: %v, exists %v", err, l.Exists())
	}
	when := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if err := l.Set("https://e.org/posts/b/", Mastodon, Entry{State: StatePending, Key: "k1", Time: when}); err != nil {
		t.Fatal(err)
	}
	if err := l.Set("https://e.org/posts/a/", Bluesky, Entry{State: StatePublished, URL: "https://bsky.app/x", Time: when}); err != nil {
		t.Fatal(err)
	}
	again, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := again.Get("https://e.org/posts/b/", Mastodon); !ok || e.Key != "k1" || e.State != StatePending {
		t.Errorf("reopened entry: %+v %v", e, ok)
	}
	data, _ := os.ReadFile(path)
	if strings.Index(string(data), "posts/a/") > strings.Index(string(data), "posts/b/") {
		t.Errorf("articles not sorted:\n%s", data)
	}
	if got := again.Articles(); len(got) != 2 || got[0] != "https://e.org/posts/a/" {
		t.Errorf("Articles = %v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	if err := os.WriteFile(path, []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLedger(path); err == nil || !strings.Contains(err.Error(), "syndication.json") {
		t.Errorf("corrupt ledger: %v", err)
	}
}

func TestLedgerLock(t *testing.T) {
	l, _ := OpenLedger(filepath.Join(t.TempDir(), "syndication.json"))
	unlock, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Lock(); err == nil || !strings.Contains(err.Error(), "another vitrine syndicate") {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock2, err := l.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

// FuzzLedger: the ledger's readers never panic; what they accept has the shape the runs rely on
// (a page, a URL, entries in known states), writes back to the same, and merges with itself into the
// same posts.
func FuzzLedger(f *testing.F) {
	f.Add([]byte(`{"articles": {"https://e.org/posts/a/": {"mastodon": {"state": "published", "url": "https://m.example/@c/1", "time": "2026-11-22T10:00:00Z"}}, "https://e.org/events/x/#reminder": {"bluesky": {"state": "pending", "key": "3k"}}}}`))
	f.Add([]byte(`{"version": 2, "page": "content/posts/a.md", "source": "content/posts/a.md", "url": "https://e.org/posts/a/", "announce": {"mastodon": {"state": "failed", "runs": 2, "retry": "2026-11-22T10:15:00Z", "unsure": true, "time": "2026-11-22T10:00:00Z"}}, "reminder": {"x": {"state": "unknown", "time": "0001-01-01T00:00:00Z"}}}`))
	f.Add([]byte(`{"version": 2, "networks": {"mastodon": "2026-11-22T10:00:00Z"}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"articles": null}`))
	f.Add([]byte(`{"version": 2, "page": "key/été@fr", "url": "u", "announce": {"": {"state": "skipped"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if records, err := ParseLegacy(data); err == nil {
			for _, r := range records {
				if r.Page != "url:"+r.URL || r.URL == "" {
					t.Fatalf("legacy record %+v", r)
				}
				for _, m := range []map[string]Entry{r.Announce, r.Reminder} {
					for n, e := range m {
						if n == "" || !slices.Contains(states, e.State) {
							t.Fatalf("legacy entry %q %+v", n, e)
						}
					}
				}
			}
		}
		_, _ = ParseNetworks(data)
		r, err := ParseRecord(data)
		if err != nil {
			return
		}
		if r.Page == "" || r.URL == "" || r.Version < 1 || r.Version > LedgerVersion {
			t.Fatalf("accepted record %+v", r)
		}
		name := RecordFile(r.Page)
		if filepath.IsAbs(name) || strings.HasPrefix(name, "..") || strings.Contains(name, string(filepath.Separator)+"..") || !strings.HasSuffix(name, ".json") {
			t.Fatalf("record file %q of page %q escapes the ledger", name, r.Page)
		}
		out, err := marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseRecord(out)
		if err != nil || !reflect.DeepEqual(normalize(again), normalize(r)) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, r, again)
		}
		merged, err := MergeFiles(nil, out, out)
		if err != nil {
			t.Fatalf("merge with itself: %v", err)
		}
		m, err := ParseRecord(merged)
		if err != nil || len(m.Announce) != len(r.Announce) || len(m.Reminder) != len(r.Reminder) {
			t.Fatalf("merge with itself: %v\n%s", err, merged)
		}
	})
}

// normalize drops what JSON cannot tell apart (an empty map and none; times' monotonic clock).
func normalize(r *Record) *Record {
	c := r.clone()
	for _, m := range []*map[string]Entry{&c.Announce, &c.Reminder} {
		if len(*m) == 0 {
			*m = nil
			continue
		}
		for k, e := range *m {
			e.Time, e.Retry = e.Time.UTC().Round(0), e.Retry.UTC().Round(0)
			if len(e.Duplicates) == 0 {
				e.Duplicates = nil
			}
			(*m)[k] = e
		}
	}
	return c
}

// TestMergeFiles: the merge driver of two CI jobs' ledgers loses no published post.
func TestMergeFiles(t *testing.T) {
	rec := func(announce map[string]Entry) []byte {
		data, err := marshal(&Record{Version: LedgerVersion, Page: "content/posts/a.md", URL: "https://e.org/posts/a/", Announce: announce})
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	t1, t2 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
	ours := rec(map[string]Entry{
		Mastodon: {State: StatePublished, URL: "https://m.example/@c/2", Time: t2},
		Bluesky:  {State: StateFailed, Error: "502", Time: t1},
		X:        {State: StateSkipped, Time: t1},
	})
	theirs := rec(map[string]Entry{
		Mastodon: {State: StatePublished, URL: "https://m.example/@c/1", Time: t1},
		Bluesky:  {State: StatePublished, URL: "https://bsky.app/profile/c/post/3k", Time: t2},
		LinkedIn: {State: StateUnknown, Time: t2},
	})
	merged, err := MergeFiles(nil, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRecord(merged)
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Announce[Mastodon]; m.URL != "https://m.example/@c/1" || !slices.Equal(m.Duplicates, []string{"https://m.example/@c/2"}) {
		t.Errorf("two copies: %+v", m)
	}
	if b := r.Announce[Bluesky]; b.State != StatePublished {
		t.Errorf("published lost to failed: %+v", b)
	}
	if r.Announce[X].State != StateSkipped || r.Announce[LinkedIn].State != StateUnknown {
		t.Errorf("entries of one side only: %+v", r.Announce)
	}
	// networks.json keeps each network's earliest baseline.
	n1 := []byte(`{"version": 2, "networks": {"mastodon": "2026-11-22T10:00:00Z"}}`)
	n2 := []byte(`{"version": 2, "networks": {"mastodon": "2026-11-01T10:00:00Z", "bluesky": "2026-11-23T10:00:00Z"}}`)
	out, err := MergeFiles(nil, n1, n2)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ParseNetworks(out); err != nil || !n[Mastodon].Equal(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)) || n[Bluesky].IsZero() {
		t.Errorf("networks: %v %v", n, err)
	}
	if _, err := MergeFiles(nil, ours, []byte(`{}`)); err == nil {
		t.Error("merged with a file of the wrong shape")
	}
}
