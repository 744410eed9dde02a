package main

import (
	"strings"
	"testing"
)

// TestCheckLegal: vitrine check fails on a professional site whose [legal] lacks a field the law
// requires, naming the field, the line of [legal] and why; it passes once the table is complete.
func TestCheckLegal(t *testing.T) {
	table := "[legal]\nstatus = \"auto-entrepreneur\"\nname = \"Camille Roussel\"\naddress = \"12 rue des Capucins, Lyon\"\n" +
		"siret = \"12345678900012\"\nvatExempt = true\npublisher = \"Camille Roussel\"\nemail = \"c@camille.example\"\nhost = \"o2switch\"\n"
	site := func(legal string) string {
		return writeSite(t, map[string]string{
			"vitrine.toml":      "baseURL = \"https://example.org/\"\ntitle = \"Site\"\n" + legal,
			"content/_index.md": "---\ntitle: Accueil\ndescription: Le site de Camille, photographe à Lyon.\n---\nBonjour.\n",
		})
	}
	code, out, errOut := runCmd(t, "check", "-s", site(table))
	if code == 0 || !strings.Contains(out, `vitrine.toml:3: error: legal.phone is missing for status "auto-entrepreneur"`) ||
		!strings.Contains(out, "LCEN art. 1-1") {
		t.Errorf("check without phone: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "check", "-s", site(table+"phone = \"04 78 00 00 00\"\n"))
	if code != 0 || strings.Contains(out, "legal.") {
		t.Errorf("check with a complete [legal]: %d\n%s\n%s", code, out, errOut)
	}
	// A private person may stay anonymous: the host alone is required.
	code, out, errOut = runCmd(t, "check", "-s", site("[legal]\nstatus = \"particulier\"\n"))
	if code == 0 || !strings.Contains(out, "legal.host is missing") {
		t.Errorf("check of an anonymous site without host: %d\n%s\n%s", code, out, errOut)
	}
}
