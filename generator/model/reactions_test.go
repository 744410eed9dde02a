package model

import "testing"

func TestModerationStatus(t *testing.T) {
	r := Reply{URL: "https://piaille.fr/@lea/1", Author: ReplyAuthor{Name: "Léa", Handle: "@lea@piaille.fr", URL: "https://piaille.fr/@lea"},
		Content: "<p>Un <b>Casino</b> en ligne</p>", Text: "Un Casino en ligne"}
	for _, c := range []struct {
		mod    Moderation
		hand   string
		status string
	}{
		{Moderation{}, "", ReplyShown},
		{Moderation{Approve: true}, "", ReplyPending},
		{Moderation{Approve: true}, ModerationApproved, ReplyShown},
		{Moderation{}, ModerationHidden, ReplyHidden},
		{Moderation{Hide: []string{"lea@piaille.fr"}}, ModerationApproved, ReplyHidden},
		{Moderation{Hide: []string{"https://piaille.fr/@lea"}}, "", ReplyHidden},
		{Moderation{Hide: []string{"https://piaille.fr/@lea/1"}}, "", ReplyHidden},
		{Moderation{Hide: []string{"@leon@piaille.fr"}}, "", ReplyShown},
		{Moderation{BlockedWords: []string{"casino"}}, "", ReplyHidden},
		{Moderation{BlockedWords: []string{"cas"}}, "", ReplyShown},
		{Moderation{BlockedWords: []string{"en ligne"}}, "", ReplyHidden},
	} {
		r.Moderation = c.hand
		if got, why := c.mod.Status(r); got != c.status {
			t.Errorf("%+v with %q: %s (%s), want %s", c.mod, c.hand, got, why, c.status)
		}
	}
}

func TestInitials(t *testing.T) {
	for _, c := range []struct {
		a    ReplyAuthor
		want string
	}{
		{ReplyAuthor{Name: "Camille Roussel"}, "CR"},
		{ReplyAuthor{Name: "Léa · céramiste"}, "LC"},
		{ReplyAuthor{Name: "  ", Handle: "@marc@framapiaf.org"}, "M"},
		{ReplyAuthor{Name: "🚲"}, "?"},
		{ReplyAuthor{Name: "élodie de la tour"}, "ÉD"},
	} {
		if got := c.a.Initials(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
}
