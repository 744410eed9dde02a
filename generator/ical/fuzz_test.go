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
		if got := evs[0].GetProperty(ics.ComponentPropertySummary); got == nil || got.Value != Text(title) {
			t.Errorf("SUMMARY %v, want %q\n%s", got, Text(title), data)
		}
	})
}

// FuzzFieldsStayInside writes the calendar of one event whose every other text reaching a property, a
// parameter or a value (the author's address and name, the online link, the page's URL, the base URL's
// host, the language) is the input: whatever it holds, the calendar has the properties vitrine writes
// and no other, each once, in one event.
func FuzzFieldsStayInside(f *testing.F) {
	f.Add("a@e.org\r\nATTENDEE:mailto:x@evil.example", "https://visio.example/x\r\nEND:VEVENT", "/events/a\r\nX:y/", "Nom\";X=1:y", "asso.example", "fr")
	f.Add("a@e.org\nORGANIZER:mailto:b@e.org", "\r", "/e/\x00\x7f/", "\r\n ", "h\rBEGIN:VEVENT", "fr\nX:1")
	f.Fuzz(func(t *testing.T, email, online, path, author, host, lang string) {
		site := testSite()
		site.Author.Email, site.Author.Name, site.BaseURL, site.Language = email, author, "https://"+host+"/", lang
		p := events(t)[1]
		p.URL, p.Event.Online = path, online
		data, err := Event(site, p)
		if err != nil {
			t.Fatal(err)
		}
		allowed := map[string]bool{"BEGIN": true, "END": true, "VERSION": true, "PRODID": true, "METHOD": true, "NAME": true,
			"X-WR-CALNAME": true, "TZID": true, "DTSTART": true, "TZOFFSETFROM": true, "TZOFFSETTO": true, "TZNAME": true,
			"UID": true, "DTSTAMP": true, "SEQUENCE": true, "SUMMARY": true, "LOCATION": true, "URL": true, "STATUS": true,
			"ORGANIZER": true}
		got := map[string]int{}
		for _, line := range strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n ", ""), "\r\n"), "\r\n") {
			name := line
			if i := strings.IndexAny(line, ";:"); i >= 0 {
				name = line[:i]
			}
			if !allowed[name] {
				t.Fatalf("a field wrote a line of its own, %q\n%s", line, data)
			}
			if name == "BEGIN" || name == "END" {
				_, v, _ := strings.Cut(line, ":")
				name += " " + v
			}
			got[name]++
		}
		for _, one := range []string{"BEGIN VEVENT", "END VEVENT", "BEGIN VCALENDAR", "END VCALENDAR"} {
			if got[one] != 1 {
				t.Fatalf("%s: %d times\n%s", one, got[one], data)
			}
		}
		for _, name := range []string{"VERSION", "PRODID", "METHOD", "NAME", "X-WR-CALNAME", "UID", "DTSTAMP", "SEQUENCE",
			"SUMMARY", "LOCATION", "URL", "STATUS", "ORGANIZER"} {
			if got[name] > 1 {
				t.Fatalf("%s appears %d times\n%s", name, got[name], data)
			}
		}
		if _, err := ics.ParseCalendar(bytes.NewReader(data)); err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
	})
}
