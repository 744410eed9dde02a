package syndicate

import (
	"strings"
	"testing"
	"time"
)

// TestCalendarICSStaysInside writes the editorial calendar with line breaks and controls in the
// calendar's name, a title and a URL: every text stays in its property, one VEVENT per entry.
func TestCalendarICSStaysInside(t *testing.T) {
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	entries := []CalendarEntry{
		{Time: at, Kind: EntryArticle, Title: "Titre\r\nEND:VEVENT\r\nBEGIN:VEVENT\rSUMMARY:x", URL: "https://example.org/a/\r\nATTENDEE:mailto:x@evil.example"},
		{Time: at, Kind: EntryPost, Network: Mastodon, Title: "B\x00\x1b", URL: "https://example.org/b/", Status: "scheduled\r\nX-INJECTED:1"},
	}
	data, err := CalendarICS(entries, "Site\rX-INJECTED:1\nMETHOD:REQUEST", "fr", at)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n ", ""), "\r\n"), "\r\n")
	events := 0
	for _, line := range lines {
		if strings.ContainsAny(line, "\r\n\x00\x1b") {
			t.Errorf("a control character in %q", line)
		}
		name, _, _ := strings.Cut(line, ":")
		name, _, _ = strings.Cut(name, ";")
		switch name {
		case "BEGIN", "END", "VERSION", "PRODID", "METHOD", "NAME", "X-WR-CALNAME", "UID", "DTSTAMP", "DTSTART", "DTEND",
			"SUMMARY", "DESCRIPTION", "URL":
		default:
			t.Errorf("a line of its own: %q", line)
		}
		if line == "BEGIN:VEVENT" {
			events++
		}
		if name == "METHOD" && line != "METHOD:PUBLISH" {
			t.Errorf("%q", line)
		}
	}
	if events != 2 {
		t.Errorf("%d events, want 2:\n%s", events, data)
	}
}
