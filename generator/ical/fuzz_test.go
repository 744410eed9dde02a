package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// FuzzEvent writes the calendar of one event whose texts are the input and reads it back with an
// iCalendar parser: it must parse, hold one event, fold its lines at 75 octets with CRLF, and give back
// the title as written (line breaks as LF).
func FuzzEvent(f *testing.F) {
	f.Add("Balade; vélo, et \\ pique-nique", "a\r\nEND:VEVENT", "Parc, 2; x", "Vélo \"Club\"; L'asso", int64(0), false)
	f.Add(strings.Repeat("é", 80), strings.Repeat("👩‍💻", 40), "", "", int64(86400*400), true)
	f.Add("\r", "\n", "\\n", ":;,", int64(-86400*365*30), false)
	f.Fuzz(func(t *testing.T, title, description, place, author string, shift int64, allDay bool) {
		for _, s := range []string{title, description, place, author} {
			if !utf8.ValidString(s) {
				return
			}
		}
		site := testSite()
		site.Author.Name = author
		p := events(t)[0]
		p.Title, p.Description, p.Event.Location.Name, p.Event.AllDay = title, description, place, allDay
		d := time.Duration(shift%(86400*365*50)) * time.Second
		p.Event.Start, p.Event.End = p.Event.Start.Add(d), p.Event.End.Add(d)
		data, err := Event(site, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
			if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
				t.Fatalf("line %q", line)
			}
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events\n%s", len(evs), data)
		}
		if got := evs[0].GetProperty(ics.ComponentPropertySummary); got == nil || got.Value != text(title) {
			t.Errorf("SUMMARY %v, want %q\n%s", got, text(title), data)
		}
	})
}
