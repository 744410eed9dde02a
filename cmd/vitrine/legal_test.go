package main

import (
	"os"
	"path/filepath"
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
			"vitrine.toml":      "baseURL = \"https://camille-roussel.fr/\"\ntitle = \"Site\"\n" + legal,
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

// TestInitLegal: vitrine init writes [legal] from its flags, the fields not given as comments, and
// vitrine check of the new site then names what the law still asks.
func TestInitLegal(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "init", dir, "--no-input", "--kind", "freelance", "--lang", "fr", "--title", "Camille Roussel",
		"--base-url", "https://camille.example/", "--legal-status", "auto-entrepreneur", "--legal-address", "12 rue des Capucins, 69001 Lyon",
		"--siret", "12345678900012", "--legal-email", "bonjour@camille.example", "--phone", "04 78 00 00 00")
	if code != 0 {
		t.Fatalf("init: %d\n%s\n%s", code, out, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "vitrine.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[legal]\nstatus = \"auto-entrepreneur\"\nname = \"Camille Roussel\"\naddress = \"12 rue des Capucins, 69001 Lyon\"\nsiret = \"12345678900012\"\n",
		"publisher = \"Camille Roussel\"\n", "email = \"bonjour@camille.example\"\nphone = \"04 78 00 00 00\"\nhost = \"github\"\n", "# vat = "} {
		if !strings.Contains(string(data), want) {
			t.Errorf("vitrine.toml lacks %q:\n%s", want, data)
		}
	}
	code, out, _ = runCmd(t, "check", "-s", dir)
	if code == 0 || !strings.Contains(out, "legal.vat is missing") || !strings.Contains(out, "legal.hosting.phone is missing") {
		t.Errorf("check of the new site: %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(t, "init", t.TempDir(), "--no-input", "--legal-status", "sarl"); code == 0 || !strings.Contains(errOut, `legal status "sarl"`) {
		t.Errorf("init with a wrong status: %d %s", code, errOut)
	}
}
