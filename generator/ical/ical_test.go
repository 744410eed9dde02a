package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

func testSite() *model.Site {
	paris, _ := time.LoadLocation("Europe/Paris")
	return &model.Site{BaseURL: "https://asso.example/", Title: "Vélo Club", Language: "fr", Location: paris,
		Author: model.Author{Name: "Vélo Club", Email: "contact@asso.example"}}
}

func events(t *testing.T) []*model.Page {
	paris, _ := time.LoadLocation("Europe/Paris")
	montreal, _ := time.LoadLocation("America/Montreal")
	return []*model.Page{
		{URL: "/events/balade/", Title: "Balade; vélo, et \\ pique-nique", Description: strings.Repeat("Une très longue description accentuée, ", 6),
			Date: time.Date(2026, 5, 1, 9, 0, 0, 0, paris), Lastmod: time.Date(2026, 5, 3, 9, 0, 0, 0, paris),
			Event: &model.Event{Start: time.Date(2026, 6, 13, 9, 30, 0, 0, paris), End: time.Date(2026, 6, 13, 12, 0, 0, 0, paris),
				Location: model.Location{Name: "Parc de la Tête d’Or", City: "Lyon", PostalCode: "69006"}, Status: "scheduled"}},
		{URL: "/events/annule/", Title: "Atelier annulé", Date: time.Date(2026, 10, 1, 9, 0, 0, 0, paris),
			Event: &model.Event{Start: time.Date(2026, 12, 5, 14, 0, 0, 0, paris), Status: "cancelled", Online: "https://visio.example/x"}},
		{URL: "/events/fete/", Title: "Fête du club", Date: time.Date(2026, 10, 1, 9, 0, 0, 0, paris),
			Event: &model.Event{Start: time.Date(2027, 7, 3, 0, 0, 0, 0, paris), End: time.Date(2027, 7, 4, 0, 0, 0, 0, paris), AllDay: true}},
		{URL: "/events/quebec/", Title: "Rencontre à Montréal", Date: time.Date(2026, 10, 1, 9, 0, 0, 0, paris),
			Event: &model.Event{Start: time.Date(2027, 1, 20, 18, 0, 0, 0, montreal), TimeZone: montreal}},
	}
}

func TestCalendarParsesAndHasRequiredProperties(t *testing.T) {
	data, err := Calendar(testSite(), "Vélo Club", events(t))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("line %d has a bare LF", i+1)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 4 {
		t.Fatalf("%d events", len(evs))
	}
	for _, e := range evs {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart, ics.ComponentPropertySummary} {
			if e.GetProperty(p) == nil {
				t.Errorf("%s: no %s", e.Id(), p)
			}
		}
	}
	first := evs[0]
	if got := first.GetProperty(ics.ComponentPropertySummary).Value; got != "Balade; vélo, et \\ pique-nique" {
		t.Errorf("summary round trip: %q", got)
	}
	for _, want := range []string{
		"SUMMARY:Balade\\; vélo\\, et \\\\ pique-nique",
		"UID:events/balade@asso.example",
		"DTSTART;TZID=Europe/Paris:20260613T093000",
		"DTSTAMP:20260503T070000Z",
		"SEQUENCE:2880",
		"STATUS:CANCELLED",
		"DTSTART;VALUE=DATE:20270703",
		"DTEND;VALUE=DATE:20270705",
		"DTSTART;TZID=America/Montreal:20270120T180000",
		"TZID:America/Montreal",
		"BEGIN:DAYLIGHT",
		"TZOFFSETFROM:+0100",
		"LOCATION:Parc de la Tête d’Or\\, 69006 Lyon",
		"LOCATION:https://visio.example/x",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in:\n%s", want, s)
		}
	}
	again, _ := Calendar(testSite(), "Vélo Club", events(t))
	if !bytes.Equal(data, again) {
		t.Error("two calendars of the same events differ")
	}
}

func TestTimezoneCoversTheFirstEvent(t *testing.T) {
	data, _ := Event(testSite(), events(t)[3])
	s := string(data)
	// Montréal in January 2027 is on EST, given by the change of November 2026.
	if !strings.Contains(s, "DTSTART:20261101T020000") || !strings.Contains(s, "TZOFFSETTO:-0500") {
		t.Errorf("no transition before the event:\n%s", s)
	}
}
