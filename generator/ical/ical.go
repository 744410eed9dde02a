// Package ical writes events as iCalendar files (RFC 5545): one per event, for "add to my calendar",
// and one calendar of all events that people subscribe to.
//
// Serialization, escaping and line folding (75 octets, CRLF) are github.com/arran4/golang-ical's. What
// it does not do is describe a time zone: VTIMEZONE components are computed here from Go's time zone
// database, as the transitions of the years the events cover.
//
// Output is deterministic: UID is the event's URL path at the site's host, DTSTAMP its last modification,
// SEQUENCE the minutes between its publication and its last modification (so it grows each time lastmod
// is moved forward, which is how to tell calendars that an event changed).
package ical

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// FileName is the name of an event's own .ics file, in the event page's folder; CalendarName the name of
// the calendar of all events, in the events section's folder.
const (
	FileName     = "event.ics"
	CalendarName = "calendar.ics"
)

// Event returns the .ics file of one event.
func Event(site *model.Site, p *model.Page) ([]byte, error) {
	return Calendar(site, p.Title, []*model.Page{p})
}

// Calendar returns a calendar of the events among pages (other pages are ignored), in the order given.
func Calendar(site *model.Site, name string, pages []*model.Page) ([]byte, error) {
	cal := ics.NewCalendarFor("vitrine")
	cal.SetProductId(Text("-//vitrine//" + hostOf(site) + "//" + strings.ToUpper(site.Language)))
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(Text(name))
	cal.SetXWRCalName(Text(name))

	zones := map[string]*time.Location{}
	years := map[string][2]int{}
	var events []*model.Page
	for _, p := range pages {
		if p.Event == nil || p.Event.Start.IsZero() {
			continue
		}
		events = append(events, p)
		if p.Event.AllDay {
			continue
		}
		loc := location(site, p)
		zones[loc.String()] = loc
		from, to := p.Event.Start.Year(), end(p).Year()
		if y, ok := years[loc.String()]; ok {
			from, to = min(from, y[0]), max(to, y[1])
		}
		years[loc.String()] = [2]int{from, to}
	}
	names := make([]string, 0, len(zones))
	for n := range zones {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		addTimezone(cal, zones[n], years[n][0], years[n][1])
	}
	for _, p := range events {
		addEvent(cal, site, p)
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("ical: %w", err)
	}
	return b.Bytes(), nil
}

func hostOf(site *model.Site) string {
	if u, err := url.Parse(site.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return "vitrine"
}

// location is the event's time zone: its own, else the site's.
func location(site *model.Site, p *model.Page) *time.Location {
	if p.Event.TimeZone != nil {
		return p.Event.TimeZone
	}
	if site.Location != nil {
		return site.Location
	}
	return time.UTC
}

// end is the event's end, or its start when it has none.
func end(p *model.Page) time.Time {
	if p.Event.End.IsZero() {
		return p.Event.Start
	}
	return p.Event.End
}

func addEvent(cal *ics.Calendar, site *model.Site, p *model.Page) {
	e := cal.AddEvent(Text(strings.Trim(p.URL, "/") + "@" + hostOf(site)))
	modified := p.Modified()
	if modified.IsZero() {
		modified = p.Event.Start
	}
	e.SetDtStampTime(modified.UTC())
	if !p.Lastmod.IsZero() && !p.Date.IsZero() && p.Lastmod.After(p.Date) {
		e.SetSequence(int(p.Lastmod.Sub(p.Date) / time.Minute))
		e.SetLastModifiedAt(p.Lastmod.UTC())
	} else {
		e.SetSequence(0)
	}
	ev := p.Event
	if ev.AllDay {
		e.SetAllDayStartAt(ev.Start)
		// DTEND of an all-day event is exclusive: the day after its last day.
		e.SetAllDayEndAt(end(p).AddDate(0, 0, 1))
	} else {
		loc := location(site, p)
		tz := ics.WithTZID(loc.String())
		e.SetProperty(ics.ComponentPropertyDtStart, ev.Start.In(loc).Format("20060102T150405"), tz)
		if !ev.End.IsZero() {
			e.SetProperty(ics.ComponentPropertyDtEnd, ev.End.In(loc).Format("20060102T150405"), tz)
		}
	}
	e.SetSummary(Text(p.Title))
	if p.Description != "" {
		e.SetDescription(Text(p.Description))
	}
	if where := place(ev); where != "" {
		e.SetLocation(Text(where))
	}
	e.SetURL(URI(site.AbsURL(p.URL)))
	switch ev.Status {
	case "cancelled":
		e.SetStatus(ics.ObjectStatusCancelled)
	case "postponed":
		e.SetStatus(ics.ObjectStatusTentative)
	default:
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	if site.Author.Name != "" {
		e.SetProperty(ics.ComponentPropertyOrganizer, "mailto:"+URI(orDefault(site.Author.Email, "noreply@"+hostOf(site))), ics.WithCN(param(site.Author.Name)))
	}
}

// Text makes a TEXT value one the library writes safely: every line break becomes a LF, the only one it
// escapes (as \n), since a CR left in a title would end the line and let the text write properties of
// its own; other control characters, which RFC 5545 does not allow in TEXT, go.
func Text(s string) string {
	s = lineBreaks.Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// URI makes a value of type URI or CAL-ADDRESS (URL, ORGANIZER), which the library writes without any
// escaping, one that stays on its line and in its property: the bytes a URI cannot hold as they are
// (controls, spaces, quotes, angle brackets, backslashes, bytes outside ASCII) are percent-encoded.
// The base URL and the author's address were checked when vitrine.toml was read; this holds whatever
// reaches a calendar another way.
func URI(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// param makes a parameter value (a CN) one that every reader takes as written. RFC 5545 has no escape
// in parameter values (a value with ";:," is put in double quotes, and a double quote or a line break
// cannot be written at all), and the library escapes with backslashes that readers then show: "L\'Atelier".
// So the apostrophe becomes the typographic one, ";:," a space, and what cannot be written goes.
func param(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\'':
			return '’'
		case r == ';' || r == ':' || r == ',':
			return ' '
		case r == '"' || r == '\\' || r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// place writes the event's place on one line, or its online link.
func place(ev *model.Event) string {
	l := ev.Location
	var parts []string
	for _, s := range []string{l.Name, l.Address, strings.TrimSpace(l.PostalCode + " " + l.City)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ev.Online
	}
	return strings.Join(parts, ", ")
}

// addTimezone describes loc for the years from..to: one STANDARD or DAYLIGHT component per offset change,
// found by scanning the years day by day and narrowing each change to the second. The scan starts a year
// early, so that the offset in force at the first event is given by a change before it.
func addTimezone(cal *ics.Calendar, loc *time.Location, from, to int) {
	tz := cal.AddTimezone(loc.String())
	start := time.Date(from-1, 1, 1, 0, 0, 0, 0, loc)
	stop := time.Date(to+1, 1, 1, 0, 0, 0, 0, loc)
	found := false
	for day := start; day.Before(stop); {
		next := day.Add(24 * time.Hour)
		_, off1 := day.Zone()
		_, off2 := next.Zone()
		if off1 != off2 {
			lo, hi := day, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == off1 {
					lo = mid
				} else {
					hi = mid
				}
			}
			addTransition(tz, hi, off1)
			found = true
		}
		day = next
	}
	if !found {
		// No change in those years: one STANDARD component with the zone's offset.
		name, off := start.Zone()
		std := tz.AddStandard()
		std.AddProperty(ics.ComponentPropertyDtStart, "19700101T000000")
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(off))
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(off))
		std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	}
}

// addTransition adds the change at instant t, from the offset before it.
func addTransition(tz *ics.VTimezone, t time.Time, before int) {
	name, after := t.Zone()
	// DTSTART is the local time of the change as the clocks showed it before.
	onset := t.UTC().Add(time.Duration(before) * time.Second).Format("20060102T150405")
	var c interface {
		AddProperty(ics.ComponentProperty, string, ...ics.PropertyParameter)
	}
	if t.IsDST() {
		// The library makes STANDARD components only; a DAYLIGHT one is added the same way.
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		c = d
	} else {
		c = tz.AddStandard()
	}
	c.AddProperty(ics.ComponentPropertyDtStart, onset)
	c.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(before))
	c.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(after))
	c.AddProperty(ics.ComponentProperty(ics.PropertyTzname), name)
}

// offset writes a UTC offset as iCalendar does: +0100, -0430.
func offset(seconds int) string {
	sign := '+'
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	return fmt.Sprintf("%c%02d%02d", sign, seconds/3600, seconds%3600/60)
}
