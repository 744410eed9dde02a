package config

import (
	"fmt"
	"slices"
	"strings"
)

// Legal is [legal]: who publishes the site, from which vitrine writes the legal notice ("mentions
// légales") and the privacy page, in each language, linked from every page's footer.
//
// The law: article 1-1 of loi n° 2004-575 du 21 juin 2004 pour la confiance dans l'économie numérique
// (LCEN). Until loi n° 2024-449 du 21 mai 2024 (loi SREN, in force on 23 May 2024) these duties were
// article 6 III of the LCEN; the SREN law moved them, unchanged in substance, to article 1-1 and their
// penalty (one year of prison and €75,000 of fine for a person) to article 1-2. A professional
// publisher gives its identity (I, 1° a for a person: name, address, phone and registration number;
// b for a company or an association: name, registered office, phone, registration number and share
// capital), the director of the publication (c) and the host's name, address and phone (d). A
// non-professional may stay anonymous and give the host alone (II). Article 19 of the LCEN adds, for
// whoever sells goods or services online, an e-mail address and the VAT number.
type Legal struct {
	// Status is "auto-entrepreneur" (a micro-entrepreneur, a person), "societe" (a company),
	// "association" or "particulier" (a non-professional, who may stay anonymous).
	Status  string `toml:"status"`
	Name    string `toml:"name"`    // the person's full name, or the company's or association's name
	Address string `toml:"address"` // the person's address, or the registered office ("siège social")
	SIRET   string `toml:"siret"`   // 14 digits
	SIREN   string `toml:"siren"`   // 9 digits
	RCS     string `toml:"rcs"`     // "RCS Lyon 123 456 789"
	RNA     string `toml:"rna"`     // an association's number in the Répertoire national des associations
	Capital string `toml:"capital"` // a company's share capital, "10 000 €"
	Form    string `toml:"form"`    // a company's legal form, "SARL", "SAS"
	// VAT is the intra-community VAT number; VATExempt writes "TVA non applicable, art. 293 B du CGI"
	// instead, for a micro-entreprise under the franchise en base.
	VAT       string `toml:"vat"`
	VATExempt bool   `toml:"vatExempt"`
	Publisher string `toml:"publisher"` // the director of the publication ("directeur de la publication")
	Email     string `toml:"email"`
	Phone     string `toml:"phone"`
	// Host is a preset among HostPresets ("github", "ovh", "o2switch"); Hosting gives the host
	// instead, or completes the preset.
	Host    string  `toml:"host"`
	Hosting Hosting `toml:"hosting"`
}

// Hosting is [legal.hosting]: the site's host, as LCEN art. 1-1 I 1° d wants it.
type Hosting struct {
	Name    string `toml:"name"`
	Address string `toml:"address"`
	Phone   string `toml:"phone"`
	URL     string `toml:"url"`
}

// LegalStatuses are the values of [legal] status.
var LegalStatuses = []string{"auto-entrepreneur", "societe", "association", "particulier"}

// HostPresets are the hosts whose legal name and address vitrine knows. Each comes from a published
// source, given beside it; a host missing here goes in [legal.hosting].
var HostPresets = map[string]Hosting{
	// Source: the legal notice of a site hosted on GitHub Pages (github.com/hugoattal/memoire-collective,
	// src/pages/legals/legals.md).
	"github": {Name: "GitHub, Inc.", Address: "88 Colin P. Kelly Jr Street, San Francisco, CA 94107, États-Unis", URL: "https://github.com"},
	// Source: OVHcloud's own abuse page (ovhcloud.com/fr-tn/abuse/terms-and-conditions) for the
	// address, and the legal notice of code.gouv.fr for the phone.
	"ovh": {Name: "OVH SAS", Address: "2 rue Kellermann, 59100 Roubaix, France", Phone: "09 72 10 10 07", URL: "https://www.ovhcloud.com"},
	// Source: a reseller's terms quoting o2switch's registration (fancystudio.fr/cgv-abonnement-hebergement-web).
	"o2switch": {Name: "SAS o2switch", Address: "222-224 Boulevard Gustave Flaubert, 63000 Clermont-Ferrand, France", Phone: "04 44 44 60 40", URL: "https://www.o2switch.fr"},
}

// Set reports whether the site has a [legal] table.
func (l Legal) Set() bool { return l.Status != "" }

// Professional reports whether the site is published as a business or an association, whose identity
// the law requires (LCEN art. 1-1 I).
func (l Legal) Professional() bool { return l.Set() && l.Status != "particulier" }

// HostInfo returns the host: the preset, completed or replaced by [legal.hosting].
func (l Legal) HostInfo() Hosting {
	h := HostPresets[l.Host]
	for _, f := range []struct {
		to   *string
		from string
	}{
		{&h.Name, l.Hosting.Name}, {&h.Address, l.Hosting.Address}, {&h.Phone, l.Hosting.Phone}, {&h.URL, l.Hosting.URL},
	} {
		if f.from != "" {
			*f.to = f.from
		}
	}
	return h
}

// Missing is a field the law requires for the site's status, and why.
type Missing struct {
	Field string // the key in [legal]: "phone", "hosting.name"
	Why   string
}

// Missing returns the fields [legal] lacks for its status, in the order of the law's list.
func (l Legal) Missing() []Missing {
	if !l.Set() {
		return nil
	}
	var out []Missing
	need := func(ok bool, field, why string) {
		if !ok {
			out = append(out, Missing{field, why})
		}
	}
	person := l.Status == "auto-entrepreneur"
	if l.Professional() {
		if person {
			need(l.Name != "", "name", "a professional person gives their name and first names (LCEN art. 1-1 I 1° a)")
			need(l.Address != "", "address", "a professional person gives their address (LCEN art. 1-1 I 1° a); a business domiciliation address will do")
		} else {
			need(l.Name != "", "name", "a company or an association gives its name (LCEN art. 1-1 I 1° b)")
			need(l.Address != "", "address", "a company or an association gives its registered office (LCEN art. 1-1 I 1° b)")
		}
		need(l.Phone != "", "phone", "a professional publisher gives a phone number (LCEN art. 1-1 I 1° a and b)")
		need(l.Publisher != "", "publisher", "the director of the publication must be named (LCEN art. 1-1 I 1° c)")
	}
	switch l.Status {
	case "auto-entrepreneur":
		need(l.SIRET != "" || l.SIREN != "", "siret", "a registered business gives its registration number (LCEN art. 1-1 I 1° a)")
		need(l.Email != "", "email", "whoever offers services online gives an e-mail address (LCEN art. 19)")
		need(l.VAT != "" || l.VATExempt, "vat", "give the VAT number (LCEN art. 19), or vatExempt = true for the franchise en base (art. 293 B du CGI)")
	case "societe":
		need(l.RCS != "" || l.SIREN != "" || l.SIRET != "", "rcs", "a registered company gives its registration number (LCEN art. 1-1 I 1° b)")
		need(l.Capital != "", "capital", "a registered company gives its share capital (LCEN art. 1-1 I 1° b)")
		need(l.Email != "", "email", "whoever offers services online gives an e-mail address (LCEN art. 19)")
		need(l.VAT != "" || l.VATExempt, "vat", "give the VAT number (LCEN art. 19), or vatExempt = true for the franchise en base (art. 293 B du CGI)")
	}
	h := l.HostInfo()
	need(h.Name != "", "host", "every site names its host (LCEN art. 1-1 I 1° d, and II for a non-professional): set host to a preset ("+strings.Join(presetNames(), ", ")+") or fill [legal.hosting]")
	if h.Name != "" {
		need(h.Address != "", "hosting.address", "the host's address is required (LCEN art. 1-1 I 1° d)")
	}
	if l.Professional() && h.Name != "" {
		need(h.Phone != "", "hosting.phone", "a professional publisher gives the host's phone number (LCEN art. 1-1 I 1° d)")
	}
	return out
}

func presetNames() []string {
	var names []string
	for k := range HostPresets {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

func (l Legal) validate(name string) []error {
	var errs []error
	if l.Status == "" {
		if l != (Legal{}) {
			errs = append(errs, fmt.Errorf("%s: [legal] needs a status: one of %s", name, strings.Join(LegalStatuses, ", ")))
		}
		return errs
	}
	if !slices.Contains(LegalStatuses, l.Status) {
		errs = append(errs, fmt.Errorf("%s: legal.status %q: give one of %s", name, l.Status, strings.Join(LegalStatuses, ", ")))
	}
	if _, ok := HostPresets[l.Host]; l.Host != "" && !ok {
		errs = append(errs, fmt.Errorf("%s: legal.host %q is not a preset (%s): describe the host in [legal.hosting] name, address, phone",
			name, l.Host, strings.Join(presetNames(), ", ")))
	}
	if l.Email != "" {
		if err := checkEmail(l.Email); err != nil {
			errs = append(errs, fmt.Errorf("%s: legal.email: %w", name, err))
		}
	}
	if l.VAT != "" && l.VATExempt {
		errs = append(errs, fmt.Errorf("%s: legal: vat and vatExempt are both set: keep one", name))
	}
	return errs
}

// LegalSlugs returns the URL segments of the legal notice, the privacy page and the contact form's
// thank-you page in a language: French ones for French, English ones for every other language.
func LegalSlugs(lang string) (notice, privacy, thanks string) {
	if base, _, _ := strings.Cut(strings.ToLower(lang), "-"); base == "fr" {
		return "mentions-legales", "confidentialite", "merci"
	}
	return "legal-notice", "privacy", "thanks"
}
