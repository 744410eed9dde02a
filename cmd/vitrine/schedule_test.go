package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// syndicateAt runs vitrine syndicate with its clock at now.
func syndicateAt(t *testing.T, now time.Time, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := syndicateCmd(func() time.Time { return now })
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// TestSyndicateSchedule publishes with [syndicate] slots and an event's reminder: each run sends only
// what is due at its clock, and the ledger records each post once.
func TestSyndicateSchedule(t *testing.T) {
	fake := &fakeMastodon{token: "s3cret-token-value", statuses: map[string]string{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv("VITRINE_MASTODON_TOKEN", fake.token)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"vitrine.toml": `baseURL = "https://camille-roussel.fr/"
title = "Camille Roussel"
[syndicate]
networks = ["mastodon"]
slots = ["tue 09:00"]
[syndicate.mastodon]
server = "` + srv.URL + `"
`,
		"content/posts/a.md": "---\ntitle: Un article\ndate: 2026-11-20T10:00:00+01:00\ndescription: Le premier.\n---\nTexte.\n",
		"content/events/atelier.md": "---\ntitle: Atelier photo\ndate: 2026-11-21T10:00:00+01:00\ndescription: Un atelier.\n" +
			"start: 2026-12-05T14:00:00+01:00\nend: 2026-12-05T17:00:00+01:00\nremind: 2d\n---\nTexte.\n",
	})
	paris, _ := time.LoadLocation("Europe/Paris")
	run := func(now time.Time, want int) string {
		t.Helper()
		out, err := syndicateAt(t, now, "-s", dir, "--publish", "--backfill")
		if err != nil {
			t.Fatalf("%s: %v\n%s", now, err, out)
		}
		fake.mu.Lock()
		n := len(fake.order)
		fake.mu.Unlock()
		if n != want {
			t.Fatalf("at %s: %d statuses, want %d:\n%s", now, n, want, out)
		}
		return out
	}
	// Sunday: the article waits for Tuesday's slot, the event for the next Tuesday, the reminder for
	// Thursday 3 at 14:00.
	out := run(time.Date(2026, 11, 22, 10, 0, 0, 0, paris), 0)
	for _, want := range []string{"a  ", "scheduled Tue 2026-11-24 09:00", "atelier (reminder)", "scheduled Thu 2026-12-03 14:00", "scheduled Tue 2026-12-01 09:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("Sunday's table lacks %q:\n%s", want, out)
		}
	}
	run(time.Date(2026, 11, 24, 9, 1, 0, 0, paris), 1)
	run(time.Date(2026, 11, 24, 12, 0, 0, 0, paris), 1)
	run(time.Date(2026, 12, 1, 9, 0, 0, 0, paris), 2)
	run(time.Date(2026, 12, 3, 14, 5, 0, 0, paris), 3)
	run(time.Date(2026, 12, 4, 8, 0, 0, 0, paris), 3)
	fake.mu.Lock()
	last := fake.statuses[fake.order[2]]
	fake.mu.Unlock()
	if !strings.HasPrefix(last, "Rappel\u00a0: Atelier photo") {
		t.Errorf("reminder text %q", last)
	}
	l, err := syndicate.OpenLedger(filepath.Join(dir, syndicate.LedgerPath))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := l.Get("https://camille-roussel.fr/events/atelier/#reminder", "mastodon")
	if !ok || e.State != syndicate.StatePublished {
		t.Errorf("reminder in the ledger: %+v", e)
	}
	data := readLedger(t, dir)
	if n := strings.Count(data, `"state": "published"`); n != 3 {
		t.Errorf("%d published entries:\n%s", n, data)
	}
}
