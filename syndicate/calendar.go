package syndicate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/vitrine-ssg/vitrine/generator/ical"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// CalendarFile is where vitrine calendar writes the editorial calendar to subscribe to, relative to
// the site.
const CalendarFile = ".vitrine/calendar.ics"

// Kinds of calendar entries.
const (
	EntryArticle  = "article"  // an article is published
	EntryEvent    = "event"    // an event starts
	EntryPost     = "post"     // an article's or event's post goes out on a network
	EntryReminder = "reminder" // an event's reminder goes out on a network
)

// CalendarEntry is one line of the editorial calendar.
type CalendarEntry struct {
	Time    time.Time
	End     time.Time // events only; zero otherwise
	Kind    string    // EntryArticle, EntryEvent, EntryPost, EntryReminder
	Network string    // posts and reminders
	Title   string
	URL     string // the article's or event's absolute URL
	// Status is a post's: scheduled, next run (due, not yet sent), retrying, published, failed, unknown
	// or gave up (with what to do); "" for articles and events.
	Status string
}

// Calendar lists what happens from from to to: articles published (by their publication date, drafts
// left out), events starting, and the posts of the schedule, each at its time (a post due but not yet
// sent at now, a published post when it was sent), per network. sched should be planned with
// PlanOptions.Future on a site loaded with its future pages, so that scheduled articles are in it.
func Calendar(site *model.Site, sched Schedule, from, to, now time.Time) []CalendarEntry {
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	var out []CalendarEntry
	for _, p := range site.Pages {
		if p.Draft || !p.IsRegular() {
			continue
		}
		switch {
		case p.Kind == model.KindArticle && in(published(p)):
			out = append(out, CalendarEntry{Time: published(p), Kind: EntryArticle, Title: p.Title, URL: site.AbsURL(p.URL)})
		case p.Kind == model.KindEvent && p.Event != nil && in(p.Event.Start):
			title := p.Title
			if p.Event.Status == "cancelled" || p.Event.Status == "postponed" {
				title += " (" + p.Event.Status + ")"
			}
			out = append(out, CalendarEntry{Time: p.Event.Start, End: p.Event.End, Kind: EntryEvent, Title: title, URL: site.AbsURL(p.URL)})
		}
	}
	for _, it := range sched.Items {
		e := CalendarEntry{Kind: EntryPost, Network: it.Network, Title: it.Page.Title, URL: site.AbsURL(it.Page.URL)}
		if it.Reminder {
			e.Kind = EntryReminder
		}
		switch it.Status {
		case StatusScheduled:
			e.Time, e.Status = it.Due, StatusScheduled
		case StatusNew, StatusLater, StatusPending, StatusTooLong:
			e.Time, e.Status = now, StatusLater
			if it.Due.After(now) {
				e.Time = it.Due
			}
		case StatusRetry:
			e.Time, e.Status = now, StatusRetry
		case StatusPublished, StatusFailed:
			e.Time, e.Status = it.Entry.Time, it.Entry.State
		case StatusUnknown:
			// Shown where it went wrong, with what to do (see UnknownAdvice).
			e.Time, e.Status = it.Entry.Time, "UNKNOWN: check the account, then vitrine syndicate mark or retry"
		case StatusGaveUp:
			e.Time, e.Status = it.Entry.Time, "gave up: vitrine syndicate retry once fixed"
		default:
			continue
		}
		if in(e.Time) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b CalendarEntry) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		if c := strings.Compare(kindOrder(a.Kind), kindOrder(b.Kind)); c != 0 {
			return c
		}
		if c := strings.Compare(a.URL, b.URL); c != 0 {
			return c
		}
		return strings.Compare(a.Network, b.Network)
	})
	return out
}

func kindOrder(k string) string {
	return map[string]string{EntryEvent: "0", EntryArticle: "1", EntryPost: "2", EntryReminder: "3"}[k]
}

// WriteCalendarTable prints the entries as a table, times in loc, a blank line between weeks.
func WriteCalendarTable(w io.Writer, entries []CalendarEntry, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHAT\tNETWORK\tSTATUS\tTITLE")
	lastWeek := -1
	for _, e := range entries {
		t := e.Time.In(loc)
		_, week := t.ISOWeek()
		if lastWeek != -1 && week != lastWeek {
			fmt.Fprintln(tw, "\t\t\t\t")
		}
		lastWeek = week
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Format("Mon 2006-01-02 15:04"), e.Kind, orDash(e.Network), orDash(e.Status), e.Title)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// CalendarICS is the entries as an iCalendar file (RFC 5545) to subscribe to in a calendar app: one
// event per entry, times in UTC, UIDs stable from run to run, DTSTAMP at now, summaries in French
// when lang is, in English otherwise.
func CalendarICS(entries []CalendarEntry, name, lang string, now time.Time) ([]byte, error) {
	words := map[string]string{EntryArticle: "Article: %s", EntryEvent: "Event: %s", EntryPost: "%s: %s", EntryReminder: "%s (reminder): %s"}
	if strings.HasPrefix(lang, "fr") {
		words = map[string]string{EntryArticle: "Article\u00a0: %s", EntryEvent: "Événement\u00a0: %s", EntryPost: "%s\u00a0: %s", EntryReminder: "%s (rappel)\u00a0: %s"}
	}
	cal := ics.NewCalendarFor("vitrine")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(ical.Text(name))
	cal.SetXWRCalName(ical.Text(name))
	for _, e := range entries {
		sum := sha256.Sum256([]byte(e.Kind + "\x00" + e.URL + "\x00" + e.Network))
		ev := cal.AddEvent(hex.EncodeToString(sum[:12]) + "@vitrine")
		ev.SetDtStampTime(now.UTC())
		ev.SetStartAt(e.Time.UTC())
		end := e.End
		if end.IsZero() || !end.After(e.Time) {
			end = e.Time.Add(15 * time.Minute)
		}
		ev.SetEndAt(end.UTC())
		summary := fmt.Sprintf(words[e.Kind], e.Title)
		if e.Network != "" {
			summary = fmt.Sprintf(words[e.Kind], networkName(e.Network), e.Title)
		}
		// A CR in a title would end the line, and the rest would be read as properties of its own.
		ev.SetSummary(ical.Text(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(summary)))
		if e.Status != "" {
			ev.SetDescription(ical.Text(e.Status))
		}
		ev.SetURL(ical.URI(e.URL))
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func networkName(n string) string {
	switch n {
	case X:
		return "X"
	case LinkedIn:
		return "LinkedIn"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
