package syndicate

import (
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// scheduleSummary renders items as "slug/network:status@due" lines, due in loc.
func scheduleSummary(items []Item, loc *time.Location) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(itemLabel(it) + "/" + it.Network + ":" + it.Status)
		if !it.Due.IsZero() {
			b.WriteString("@" + it.Due.In(loc).Format("Mon 02 15:04"))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestPlanSlots schedules posts to the next free slot per network: the oldest articles take the first
// slots, a slot taken by a post already sent stays taken, syndicate_at pins a post, and only what is
// due is a job.
func TestPlanSlots(t *testing.T) {
	loc := paris(t)
	site, l := planSite(), openTestLedger(t)
	if err := l.Set("https://camille-roussel.fr/posts/old/", Mastodon, Entry{State: StateSkipped}); err != nil {
		t.Fatal(err)
	}
	slots := []Slot{{Weekday: time.Tuesday, Hour: 9}, {Weekday: time.Thursday, Hour: 12, Minute: 30}}
	plan := func(now time.Time) Schedule {
		t.Helper()
		s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon}, Now: now, Slots: slots, Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Articles a to e were published from Thursday 12 to Monday 16 November; now is Sunday 22.
	want := `a/mastodon:new@Tue 17 09:00
b/mastodon:new@Thu 19 12:30
c/mastodon:scheduled@Tue 24 09:00
d/mastodon:scheduled@Thu 26 12:30
e/mastodon:scheduled@Tue 01 09:00
`
	s := plan(planNow)
	if got := scheduleSummary(s.Items, loc); got != want {
		t.Errorf("schedule:\n%s\nwant:\n%s", got, want)
	}
	if len(s.Jobs()) != 2 || len(s.Scheduled()) != 3 {
		t.Errorf("jobs %d, scheduled %d", len(s.Jobs()), len(s.Scheduled()))
	}

	// a and b are sent; at Tuesday 24 09:05, c is due, and the others keep their slots.
	for _, slug := range []string{"a", "b"} {
		if err := l.Set("https://camille-roussel.fr/posts/"+slug+"/", Mastodon, Entry{State: StatePublished, URL: "https://m.example/" + slug}); err != nil {
			t.Fatal(err)
		}
	}
	tuesday := time.Date(2026, 11, 24, 9, 5, 0, 0, loc)
	want = `a/mastodon:already published@Tue 17 09:00
b/mastodon:already published@Thu 19 12:30
c/mastodon:new@Tue 24 09:00
d/mastodon:scheduled@Thu 26 12:30
e/mastodon:scheduled@Tue 01 09:00
futur/mastodon:scheduled@Thu 03 12:30
`
	if got := scheduleSummary(plan(tuesday).Items, loc); got != want {
		t.Errorf("on Tuesday:\n%s\nwant:\n%s", got, want)
	}

	// syndicate_at pins e on Monday 23 at 08:00, before c: d and the others move up.
	for _, p := range site.Pages {
		if p.URL == "/posts/e/" {
			p.Params["syndicate_at"] = "2026-11-23T08:00"
		}
	}
	want = `a/mastodon:already published@Tue 17 09:00
b/mastodon:already published@Thu 19 12:30
c/mastodon:scheduled@Tue 24 09:00
d/mastodon:scheduled@Thu 26 12:30
e/mastodon:new@Mon 23 08:00
futur/mastodon:scheduled@Tue 01 09:00
`
	if got := scheduleSummary(plan(time.Date(2026, 11, 23, 8, 0, 0, 0, loc)).Items, loc); got != want {
		t.Errorf("with syndicate_at:\n%s\nwant:\n%s", got, want)
	}

	// Future articles, for the calendar: the future one is scheduled at its slot.
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon}, Now: planNow, Slots: slots, Location: loc, Future: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := scheduleSummary(s.Items, loc); !strings.Contains(got, "futur/mastodon:scheduled@Tue 01 09:00") {
		t.Errorf("future article:\n%s", got)
	}
}

// TestPlanReminder plans an event's announcement and its reminder (remind: 2d): the reminder waits
// until two days before the start, then is a job once; a cancelled event gets none.
func TestPlanReminder(t *testing.T) {
	loc := paris(t)
	site, l := testSite(), openTestLedger(t)
	if err := l.Set("https://camille-roussel.fr/posts/old/", Mastodon, Entry{State: StateSkipped}); err != nil {
		t.Fatal(err)
	}
	if err := l.Start([]string{Mastodon, Bluesky}, planNow.AddDate(0, -1, 0)); err != nil {
		t.Fatal(err)
	}
	ev := testArticle("atelier", "Atelier photo", "Un atelier.")
	ev.Kind, ev.URL, ev.Source = model.KindEvent, "/events/atelier/", "content/events/atelier.md"
	ev.Date = planNow.AddDate(0, 0, -1)
	ev.Event = &model.Event{Start: planNow.AddDate(0, 0, 3)}
	ev.Params["remind"] = "2d"
	cancelled := testArticle("annule", "Annulé", "")
	cancelled.Kind, cancelled.URL = model.KindEvent, "/events/annule/"
	cancelled.Event = &model.Event{Start: planNow.AddDate(0, 0, 3), Status: "cancelled"}
	cancelled.Params["remind"] = "1d"
	site.Pages = append(site.Pages, ev, cancelled)

	plan := func(now time.Time) Schedule {
		t.Helper()
		s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon, Bluesky}, Now: now, Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := `atelier/mastodon:new
atelier/bluesky:new
atelier (reminder)/mastodon:scheduled@Mon 23 13:00
atelier (reminder)/bluesky:scheduled@Mon 23 13:00
`
	if got := scheduleSummary(plan(planNow).Items, loc); got != want {
		t.Errorf("schedule:\n%s\nwant:\n%s", got, want)
	}
	later := planNow.AddDate(0, 0, 1).Add(time.Minute)
	s := plan(later)
	jobs := s.Jobs()
	if len(jobs) != 4 || !jobs[2].Reminder || jobs[2].Article != "https://camille-roussel.fr/events/atelier/#reminder" {
		t.Fatalf("jobs at the reminder's time:\n%s", scheduleSummary(jobs, loc))
	}
	posts, err := s.ComposeJobs(site, ComposeOptions{UTM: true})
	if err != nil {
		t.Fatal(err)
	}
	r := posts[2]
	if !strings.HasPrefix(r.Text, "Rappel\u00a0: Atelier photo") || r.Article != jobs[2].Article || !strings.Contains(r.Link, "utm_campaign=atelier-reminder") || r.Slug != "atelier-reminder" {
		t.Errorf("reminder post %+v", r)
	}
	if err := l.Set(r.Article, Mastodon, Entry{State: StatePublished, URL: "https://m.example/1"}); err != nil {
		t.Fatal(err)
	}
	if got := scheduleSummary(plan(later.Add(time.Hour)).Jobs(), loc); strings.Contains(got, "reminder)/mastodon") {
		t.Errorf("the reminder is planned again:\n%s", got)
	}
	// After the start, nothing new is planned for the event.
	if got := plan(planNow.AddDate(0, 0, 4)).Jobs(); len(got) != 0 {
		t.Errorf("jobs after the event:\n%s", scheduleSummary(got, loc))
	}

	ev.Params["remind"] = "2 jours"
	if _, err := Plan(site, l, PlanOptions{Now: planNow}); err == nil || !strings.Contains(err.Error(), "content/events/atelier.md: remind") {
		t.Errorf("bad remind: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"2d": 48 * time.Hour, "12h": 12 * time.Hour, "1w": 7 * 24 * time.Hour,
		"1d12h": 36 * time.Hour, "30m": 30 * time.Minute, " 3D ": 72 * time.Hour} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "2", "d", "2x", "2 jours", "-1d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}
