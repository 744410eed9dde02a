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

// BenchmarkSlugify slugs the names a site's URLs are made of: file names, mostly slugs already,
// and titles, some with accents.
func BenchmarkSlugify(b *testing.B) {
	names := []string{"2024-03-14-un-article-de-blog", "posts", "Photographie de rue", "Été à Lyon", "L'œuvre d'Ærø"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			Slugify(n)
		}
	}
}

// TestUrlize checks Urlize against the URL segments Hugo v0.160.0 made of the same names.
func TestUrlize(t *testing.T) {
	for in, want := range map[string]string{
		"L'été à Lyon - le retour": "lété-à-lyon-le-retour",
		"C'est l'été":              "cest-lété",
		"Installer Vitrine 2.0":    "installer-vitrine-2.0",
		"Tarte.Tatin":              "tarte.tatin",
		"Ma Note":                  "ma-note",
		"C++ & Go @home":           "c++-go-@home",
		"  espaces  ":              "espaces",
	} {
		if got := Urlize(in, false); got != want {
			t.Errorf("Urlize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Urlize("L'été à Lyon", true); got != "lete-a-lyon" {
		t.Errorf("Urlize with removePathAccents = %q, want lete-a-lyon", got)
	}
}
