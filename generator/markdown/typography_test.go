package markdown

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestTypographyFrench(t *testing.T) {
	for in, want := range map[string]string{
		"Bonjour !":                         "Bonjour\u202f!",
		"Bonjour!":                          "Bonjour\u202f!",
		"Vraiment ?! Oui.":                  "Vraiment\u202f?! Oui.",
		"Note : lire ceci":                  "Note\u00a0: lire ceci",
		"Note: lire ceci":                   "Note\u00a0: lire ceci",
		"À 10:30 précises":                  "À 10:30 précises",
		"un point ; puis":                   "un point\u202f; puis",
		`Il a dit "bonjour" hier`:           "Il a dit «\u202fbonjour\u202f» hier",
		"« déjà bien »":                     "«\u202fdéjà bien\u202f»",
		"l'été":                             "l’été",
		"Et puis...":                        "Et puis…",
		"50 % de remise":                    "50\u00a0% de remise",
		"50% de remise":                     "50\u00a0% de remise",
		"à partir de 1 400 €":               "à partir de 1\u202f400\u00a0€",
		"deux  espaces":                     "deux espaces",
		"rendez-vous à 14 h 30":             "rendez-vous à 14\u00a0h 30",
		"40 km le long du Rhône":            "40\u00a0km le long du Rhône",
		"les 3 maisons, 2 heures":           "les 3 maisons, 2 heures",
		"https://exemple.fr:8080/chemin":    "https://exemple.fr:8080/chemin",
		"Déjà correct\u202f! Et\u00a0: oui": "Déjà correct\u202f! Et\u00a0: oui",
	} {
		got := Typography("fr", in)
		if got != want {
			t.Errorf("Typography(fr, %q) = %q, want %q", in, got, want)
		}
		if again := Typography("fr", got); again != got {
			t.Errorf("not idempotent on %q: %q then %q", in, got, again)
		}
	}
}

func TestTypographyEnglish(t *testing.T) {
	if got := Typography("en", `She said "hello" and it's fine... Really!`); got != "She said “hello” and it’s fine… Really!" {
		t.Errorf("en: %q", got)
	}
}

func TestTypographyInMarkdown(t *testing.T) {
	c := New(Options{Typography: "fr"})
	src := "## Été : le soir\n\nUn *beau* jour! On roule ensemble ! Voir `a : b` et [le lien](https://exemple.fr/a:b) \"cité\".\n\n```\nx = \"a\" ; y !\n```\n"
	res, err := c.Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{
		"Été\u00a0: le soir",
		"jour\u202f!",
		"ensemble\u202f!",               // the parser cuts the text before "!": no double space
		"<code>a : b</code> et",         // code spans untouched, the space after them kept
		`href="https://exemple.fr/a:b"`, // URLs untouched
		"«\u202fcité\u202f»",
		"x = &quot;a&quot; ; y !", // code blocks untouched
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q in:\n%s", want, html)
		}
	}
	if res.TOC[0].ID != "été-le-soir" {
		t.Errorf("heading id changed by typography: %q", res.TOC[0].ID)
	}
}

// TestTypographyKeepsSpaceAfterCode is a regression test: the space after inline code was taken for a
// double space when the text before the code ended with one.
func TestTypographyKeepsSpaceAfterCode(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		c := New(Options{Typography: lang})
		res, err := c.Convert([]byte("The `build` option, a <https://example.org> link and it's done.\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<code>build</code> option", "</a> link"} {
			if !strings.Contains(string(res.HTML), want) {
				t.Errorf("%s: %q lacks %q", lang, res.HTML, want)
			}
		}
	}
}

// BenchmarkTypography applies French typography to a paragraph that needs it, and to one that does not.
// TestNeedsTypography checks the cases of needsTypography that it finds other than by its table: double
// spaces, and spaces after digits.
func TestNeedsTypography(t *testing.T) {
	for _, tt := range []struct {
		s            string
		french, want bool
	}{
		{"un texte sans rien", true, false},
		{"un  texte", false, true},
		{"un texte  ", false, true},
		{"  ", false, true},
		{" un texte ", false, false},
		{"1 400", true, true},
		{"1 400", false, false},
		{"en 2026 ", true, false}, // the space ends the text: no number or unit follows here
		{"2026 a", true, true},
		{"2026a", true, false},
		{"a 1", true, false},
		{"l'été", false, true},
		{"« oui »", true, true},
		{"10 €", true, true},
		{"quoi ?", true, true},
		{"quoi ?", false, false},
		{"fin...", false, true},
		{"fin..", false, false},
	} {
		if got := needsTypography(tt.s, tt.french); got != tt.want {
			t.Errorf("needsTypography(%q, french %v) = %v, want %v", tt.s, tt.french, got, tt.want)
		}
		if got := needsTypography([]byte(tt.s), tt.french); got != tt.want {
			t.Errorf("needsTypography([]byte(%q), french %v) = %v, want %v", tt.s, tt.french, got, tt.want)
		}
	}
}

// TestNeedsTypographyWords checks needsTypography, which reads eight bytes at a time, against a plain
// reading of one byte at a time, on random text.
func TestNeedsTypographyWords(t *testing.T) {
	plain := func(s string, french bool) bool {
		mask := uint8(typoAny)
		if french {
			mask |= typoFrench
		}
		for i := 0; i < len(s); i++ {
			if s[i] == ' ' && i+1 < len(s) && s[i+1] == ' ' || typoBytes[s[i]]&mask != 0 && typoAt(s, i) {
				return true
			}
		}
		return false
	}
	alphabet := []string{"a", "é", "1", " ", " ", " ", ".", "..", "'", "\"", ":", ";", "!", "?", "%", "«", "»", "€",
		"\xc2", "\xe2", "\xe2\x82", "\u00a0", ",", "(", "@", "A", "\x7f", "\x80", "\xff"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		for range rnd.IntN(30) {
			b.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		s := b.String()
		for _, french := range []bool{false, true} {
			if got, want := needsTypography(s, french), plain(s, french); got != want {
				t.Fatalf("needsTypography(%q, french %v) = %v, want %v", s, french, got, want)
			}
			if got, want := needsTypography([]byte(s), french), plain(s, french); got != want {
				t.Fatalf("needsTypography([]byte(%q), french %v) = %v, want %v", s, french, got, want)
			}
		}
	}
}

func BenchmarkTypography(b *testing.B) {
	for name, s := range map[string]string{
		"rewrite": "Le photographe prépare sa séance: il choisit la lumière, règle l'appareil et vérifie le cadre... " +
			"Ensuite, il échange avec le client pour comprendre le projet, puis publie le résultat \"en ligne\"! Prix: 1 400 €.",
		"as-is": "Le photographe prépare sa séance, il choisit la lumière, règle l’appareil et vérifie le cadre. " +
			"Ensuite, il échange avec le client pour comprendre le projet, puis publie le résultat en ligne.",
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				Typography("fr", s)
			}
		})
	}
}
