package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// TestContactForm: the form of each provider follows the content of the contact page alone, with
// labelled fields, the provider's honeypot, a consent line and a thank-you page to come back to.
func TestContactForm(t *testing.T) {
	pages := `
-- content/_index.md --
---
title: Accueil
---
-- content/contact.md --
---
title: Contact
---
Écrivez-moi.
-- content/about.md --
---
title: À propos
---
`
	labelled := []string{`<label for="contact-name">Votre nom</label>`, `<input id="contact-name" name="name" type="text" autocomplete="name" required>`,
		`<label for="contact-email">`, `<input id="contact-email" name="email" type="email" autocomplete="email" required>`,
		`<label for="contact-message">`, `<textarea id="contact-message" name="message" rows="6" required></textarea>`,
		`<p class="contact-consent">Ces informations ne servent qu’à vous répondre. <a href="/confidentialite/">Politique de confidentialité</a>.</p>`,
		`<button class="button" type="submit">Envoyer</button>`}
	for _, tc := range []struct {
		table string
		want  []string
	}{
		{"provider = \"formspree\"\nid = \"xyzabcde\"", []string{`<form action="https://formspree.io/f/xyzabcde" method="post">`,
			`<input type="hidden" name="_next" value="https://example.org/merci/">`, `name="_gotcha" type="text" tabindex="-1" autocomplete="off"`}},
		{"provider = \"web3forms\"\nid = \"0a1b2c3d-key\"", []string{`<form action="https://api.web3forms.com/submit" method="post">`,
			`<input type="hidden" name="access_key" value="0a1b2c3d-key">`, `<input type="hidden" name="redirect" value="https://example.org/merci/">`, `name="botcheck"`}},
		{"provider = \"netlify\"", []string{`<form name="contact" action="/merci/" method="post" data-netlify="true" data-netlify-honeypot="bot-field">`,
			`<input type="hidden" name="form-name" value="contact">`, `name="bot-field"`}},
	} {
		t.Run(tc.table, func(t *testing.T) {
			mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntitle = \"Site\"\n[legal]\nstatus = \"particulier\"\nhost = \"github\"\n[contact]\n"+tc.table+"\n"+pages, generator.Options{})
			assertFile(t, mem, "contact/index.html", append(labelled, tc.want...)...)
			assertFile(t, mem, "contact/index.html", `<p class="contact-hp" aria-hidden="true"><label for="contact-hp">Laissez ce champ vide</label>`)
			assertFile(t, mem, "merci/index.html", "<h1>Merci</h1>", "Votre message est bien parti.")
			assertFile(t, mem, "confidentialite/index.html", "Formulaire de contact", "passent par le service")
			data, _ := mem.Get("about/index.html")
			if strings.Contains(string(data), `id="contact-name"`) { // the header's search box is a form too
				t.Error("the form is on another page than the contact page")
			}
		})
	}
	t.Run("mailto", func(t *testing.T) {
		mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n[author]\nemail = \"bonjour@camille.example\"\n[contact]\nprovider = \"mailto\"\n"+pages, generator.Options{})
		assertFile(t, mem, "contact/index.html", `<form action="mailto:bonjour@camille.example" method="post" enctype="text/plain">`, `<label for="contact-message">`)
		assertNoFile(t, mem, "merci/index.html")
		data, _ := mem.Get("contact/index.html")
		if strings.Contains(string(data), "contact-hp") {
			t.Error("a honeypot in a form that goes to the visitor's own mail program")
		}
	})
}
