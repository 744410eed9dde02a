package model

import "testing"

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Été à Lyon":              "ete-a-lyon",
		"  Réseaux sociaux ! ":    "reseaux-sociaux",
		"L'œuvre d'Ærø":           "l-oeuvre-d-aero",
		"C'est l'été, 2026":       "c-est-l-ete-2026",
		"économie_sociale":        "economie_sociale",
		"日本語 テキスト":                "日本語-テキスト",
		"---":                     "",
		"Straße":                  "strasse",
		"Ça va ? Oui… très bien.": "ca-va-oui-tres-bien",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
