package mastodon

import (
	"testing"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// TestMentionsReminder tells an event's reminder from its announcement, which link to the same page.
func TestMentionsReminder(t *testing.T) {
	announcement := `<p>Atelier photo</p><p><a href="https://c.example/events/atelier/">lien</a></p>`
	reminder := `<p>Rappel : Atelier photo</p><p><a href="https://c.example/events/atelier/">lien</a></p>`
	p := syndicate.Post{Article: "https://c.example/events/atelier/#reminder", Link: "https://c.example/events/atelier/", Title: "Rappel\u00a0: Atelier photo"}
	if mentions(announcement, p) {
		t.Error("the announcement is taken for the reminder")
	}
	if !mentions(reminder, p) {
		t.Error("the reminder is not found")
	}
	p = syndicate.Post{Article: "https://c.example/events/atelier/", Link: "https://c.example/events/atelier/", Title: "Atelier photo"}
	if !mentions(announcement, p) {
		t.Error("the announcement is not found")
	}
}
