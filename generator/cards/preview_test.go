package cards

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var preview = flag.String("preview", "", "write sample cards as PNG files to this folder, to look at them")

// TestPreview writes sample cards for a person to look at: go test -run Preview -preview /tmp/cards.
func TestPreview(t *testing.T) {
	if *preview == "" {
		t.Skip("no -preview folder")
	}
	photo, err := os.ReadFile("../../static/images/camille.jpg") // the demo site's author
	if err != nil {
		photo = testPhoto(t, 400, 300)
	}
	light := Style{Background: "#fbf8f3", Foreground: "#221d17", Accent: "#a8411a", SiteName: "camille-roussel.example", AuthorName: "Camille Roussel"}
	dark := Style{Background: "#17140f", Foreground: "#efe8de", Accent: "#f0946c", SiteName: "Vélo Club de la Croix-Rousse", AuthorName: "Association VCCR"}
	withPhoto := light
	withPhoto.AuthorPhoto = photo
	cases := map[string]struct {
		style Style
		card  Card
	}{
		"og-photo":  {withPhoto, Card{Title: "Été à Lyon : comment photographier la lumière du soir sur la Saône sans trépied ni flash, même en hiver", Kicker: "Article · 14 mars 2026", Width: 1200, Height: 630}},
		"og-short":  {light, Card{Title: "Bonjour, Lyon !", Kicker: "Article · 14 mars 2026", Width: 1200, Height: 630}},
		"og-dark":   {dark, Card{Title: "Bourse aux vélos d’hiver et atelier « répare ton œuvre »", Kicker: "Événement · 5 décembre 2026", Width: 1200, Height: 630}},
		"sq-photo":  {withPhoto, Card{Title: "Été à Lyon : comment photographier la lumière du soir sur la Saône sans trépied ni flash, même en hiver", Kicker: "Article · 14 mars 2026", Width: 1080, Height: 1080}},
		"sq-dark":   {dark, Card{Title: "Bourse aux vélos d’hiver et atelier « répare ton œuvre »", Kicker: "Événement · 5 décembre 2026", Width: 1080, Height: 1080}},
		"og-glyphs": {Style{Background: "#1d3557", Foreground: "#f1faee", Accent: "#457b9d", SiteName: "Banque alimentaire du Rhône"}, Card{Title: "«\u202fÇa\u00a0va\u202f?\u202f» Œuvres d’Éloïse… 🎉 ﬁn\u2011de\u2011saison, 5\u202f€", Kicker: "Événement\u00a0· 5 décembre 2026", Width: 1200, Height: 630}},
		"sq-bare":   {Style{}, Card{Title: "Un titre sans rien autour", Width: 1080, Height: 1080}},
		"og-long":   {light, Card{Title: "Anticonstitutionnellementextraordinairementincompréhensiblement long mot puis une phrase qui continue encore et encore et encore pour voir comment le texte se comporte quand il est vraiment beaucoup trop long pour la carte, avec des mots et des mots et des mots et encore des mots jusqu’à la fin", Kicker: "Article · 1er janvier 2026", Width: 1200, Height: 630}},
	}
	for name, c := range cases {
		png, err := Render(c.style, c.card)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*preview, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
