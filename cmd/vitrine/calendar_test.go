package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// TestCalendarDemo shows the demo site's editorial calendar on Sunday 22 November 2026: the events,
// the future article and its post pinned by syndicate_at, the events' reminders, the announcements
// due; and parses the .ics file it writes.
func TestCalendarDemo(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"content", "static", "data"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS("../../"+d)); err != nil {
			t.Fatal(err)
		}
	}
	toml, err := os.ReadFile("../../vitrine.toml")
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"vitrine.toml": string(toml)})
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, paris)
	var out bytes.Buffer
	cmd := calendarCmd(func() time.Time { return now })
	cmd.SetArgs([]string{"-s", dir, "--weeks", "12"})
	cmd.SetOut(&out)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Titles carry French typography's no-break spaces; the table is read with plain ones.
	text := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(out.String())
	for _, want := range []string{
		"WHEN                  WHAT      NETWORK   STATUS     TITLE",
		"Sun 2026-11-22 10:00  post      mastodon  next run   Webinaire : le calendrier éditorial d’une association",
		"Sat 2026-11-28 10:00  event     -         -          Exposition « Regards de quartier » (postponed)",
		"Tue 2026-12-08 09:00  article   -         -          Préparer sa grille éditoriale 2027 en une matinée",
		"Thu 2026-12-10 12:30  post      bluesky   scheduled  Préparer sa grille éditoriale 2027 en une matinée",
		"Thu 2027-01-14 14:00  reminder  mastodon  scheduled  Atelier photo au smartphone à la Croix-Rousse",
		"Tue 2027-02-02 18:30  reminder  bluesky   scheduled  Webinaire : le calendrier éditorial d’une association",
		"Tue 2027-02-09 18:30  event     -         -          Webinaire : le calendrier éditorial d’une association",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the calendar lacks %q:\n%s", want, text)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, syndicate.CalendarFile))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) < 15 {
		t.Errorf("%d events in the .ics", len(events))
	}
	uids := map[string]bool{}
	for _, e := range events {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart, ics.ComponentPropertySummary} {
			if e.GetProperty(p) == nil {
				t.Errorf("event without %s: %v", p, e.Id())
			}
		}
		uid := e.GetProperty(ics.ComponentPropertyUniqueId).Value
		if uids[uid] {
			t.Errorf("UID %s twice", uid)
		}
		uids[uid] = true
	}
	if !strings.Contains(string(data), "SUMMARY:Mastodon (rappel)\u00a0: Atelier photo au smartphone") {
		t.Errorf("no reminder in the .ics:\n%s", data)
	}
	// The same input gives the same file.
	first := data
	cmd = calendarCmd(func() time.Time { return now })
	cmd.SetArgs([]string{"-s", dir, "--weeks", "12"})
	cmd.SetOut(&bytes.Buffer{})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, syndicate.CalendarFile)); !bytes.Equal(again, first) {
		t.Error("a second run wrote another file")
	}
}
