package config_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

// complete are [legal] tables with every field the law requires for their status; each line marked
// with the field it gives is taken out in turn, and Missing must name that field.
var complete = map[string][]string{
	"auto-entrepreneur": {`name = "Camille Roussel"`, `address = "12 rue des Capucins, 69001 Lyon"`,
		`phone = "04 78 00 00 00"`, `publisher = "Camille Roussel"`, `siret = "12345678900012"`,
		`email = "bonjour@camille.example"`, `vatExempt = true`, `host = "o2switch"`},
	"societe": {`name = "Atelier Lumière"`, `address = "3 place Bellecour, 69002 Lyon"`, `phone = "04 78 11 11 11"`,
		`publisher = "Jeanne Martin"`, `rcs = "RCS Lyon 987 654 321"`, `capital = "10 000 €"`,
		`email = "contact@atelier.example"`, `vat = "FR12987654321"`, `host = "ovh"`},
	"association": {`name = "Les Amis du Vieux Lyon"`, `address = "5 rue Saint-Jean, 69005 Lyon"`,
		`phone = "04 78 22 22 22"`, `publisher = "Paul Durand"`, `host = "o2switch"`},
	"particulier": {`host = "github"`},
}

var fieldOf = map[string]string{"siret": "siret", "rcs": "rcs", "vatExempt": "vat", "vat": "vat"}

func parseLegal(t *testing.T, status string, lines []string) config.Config {
	t.Helper()
	src := "baseURL = \"https://example.org/\"\n[legal]\nstatus = \"" + status + "\"\n" + strings.Join(lines, "\n") + "\n"
	c, err := config.Parse("vitrine.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLegalMissingEachField(t *testing.T) {
	for status, lines := range complete {
		if m := parseLegal(t, status, lines).Legal.Missing(); len(m) != 0 {
			t.Errorf("%s: complete table reported missing %v", status, m)
		}
		for i, line := range lines {
			key := strings.TrimSpace(strings.SplitN(line, "=", 2)[0])
			want := key
			if f, ok := fieldOf[key]; ok {
				want = f
			}
			rest := append(append([]string{}, lines[:i]...), lines[i+1:]...)
			missing := parseLegal(t, status, rest).Legal.Missing()
			if len(missing) != 1 || missing[0].Field != want || !strings.Contains(missing[0].Why, "LCEN") && !strings.Contains(missing[0].Why, "CGI") {
				t.Errorf("%s without %s: got %+v, want one finding naming %s and the law", status, key, missing, want)
			}
		}
	}
}

func TestLegalHostPhoneForProfessionals(t *testing.T) {
	// GitHub's preset has no phone: a professional must give it; a private person need not.
	m := parseLegal(t, "association", append(complete["association"][:4:4], `host = "github"`)).Legal.Missing()
	if len(m) != 1 || m[0].Field != "hosting.phone" {
		t.Errorf("got %+v, want hosting.phone", m)
	}
}

func TestLegalBadValues(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"[legal]\nstatus = \"sarl\"", `legal.status "sarl"`},
		{"[legal]\nstatus = \"particulier\"\nhost = \"geocities\"", `legal.host "geocities" is not a preset`},
		{"[legal]\nname = \"x\"", "[legal] needs a status"},
		{"[legal]\nstatus = \"societe\"\nvat = \"FR1\"\nvatExempt = true", "vat and vatExempt"},
		{"[legal]\nstatus = \"societe\"\nsirett = \"1\"", `unknown key "legal.sirett"`},
		{"[analytics]\nprovider = \"google\"", `analytics.provider "google"`},
		{"[analytics]\nprovider = \"matomo\"\ncode = \"1\"", "analytics.url is missing"},
		{"[analytics]\nprovider = \"goatcounter\"", "analytics.code is missing"},
		{"[analytics]\nprovider = \"umami\"\ncode = \"a\"\nurl = \"javascript:alert(1)\"", "not an absolute https URL"},
		{"[contact]\nprovider = \"formspree\"", "contact.id is missing"},
		{"[contact]\nprovider = \"web3forms\"\nid = \"a\\\"b\"", "letters, digits"},
		{"[contact]\nprovider = \"typeform\"\nid = \"a\"", `contact.provider "typeform"`},
		{"[contact]\nprovider = \"mailto\"", "contact.id is missing"},
	} {
		_, err := config.Parse("vitrine.toml", []byte("baseURL = \"https://example.org/\"\n"+tc.src+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.src, err, tc.want)
		}
	}
}
