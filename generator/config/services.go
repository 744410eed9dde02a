package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Analytics is [analytics]: audience measurement without cookies, whose snippet goes in every page
// vitrine build writes (never in vitrine serve).
//
// The CNIL exempts from consent the audience measurement that sets no cookie for other purposes, keeps
// to anonymous statistics and is not cross-checked with other data (délibération n° 2020-091 du
// 17 septembre 2020, art. 5; its list of tools that can be set so: cnil.fr, « Cookies : solutions pour
// les outils de mesure d'audience »). GoatCounter, Plausible and Umami set no cookie at all; Matomo is
// written with disableCookies, so that it keeps to that exemption too.
type Analytics struct {
	// Provider is "goatcounter", "plausible", "umami" or "matomo"; empty, nothing is measured.
	Provider string `toml:"provider"`
	// Code is GoatCounter's site code ("camille" for camille.goatcounter.com), Umami's website id or
	// Matomo's site id; Plausible needs none (it counts the site's domain).
	Code string `toml:"code"`
	// URL is the instance: a self-hosted GoatCounter, Plausible or Umami, and always Matomo's.
	URL string `toml:"url"`
}

// AnalyticsProviders are the values of [analytics] provider.
var AnalyticsProviders = []string{"goatcounter", "plausible", "umami", "matomo"}

func (a Analytics) validate(name string) []error {
	if a.Provider == "" {
		if a != (Analytics{}) {
			return []error{fmt.Errorf("%s: [analytics] needs a provider: one of %s", name, strings.Join(AnalyticsProviders, ", "))}
		}
		return nil
	}
	var errs []error
	if !slices.Contains(AnalyticsProviders, a.Provider) {
		errs = append(errs, fmt.Errorf("%s: analytics.provider %q: give one of %s", name, a.Provider, strings.Join(AnalyticsProviders, ", ")))
	}
	if a.Provider != "plausible" && a.Code == "" {
		errs = append(errs, fmt.Errorf("%s: analytics.code is missing: %s needs the site's code or id", name, a.Provider))
	}
	if a.Code != "" && !plainID.MatchString(a.Code) {
		errs = append(errs, fmt.Errorf("%s: analytics.code %q: letters, digits, hyphens and underscores only", name, a.Code))
	}
	if a.Provider == "matomo" && a.URL == "" {
		errs = append(errs, fmt.Errorf("%s: analytics.url is missing: give the address of the Matomo instance", name))
	}
	if a.URL != "" && !httpURL(a.URL) {
		errs = append(errs, fmt.Errorf("%s: analytics.url %q is not an absolute https URL", name, a.URL))
	}
	return errs
}

// Contact is [contact]: the contact form, posted to a form service (no server of the site's own) or
// opening the visitor's mail program.
type Contact struct {
	// Provider is "formspree", "netlify", "web3forms" or "mailto".
	Provider string `toml:"provider"`
	// ID is Formspree's form id ("xyzabcde"), Web3Forms' access key (public by design: it is written in
	// the page), Netlify's form name (default "contact"), or the address mailto writes to (default
	// [author] email).
	ID string `toml:"id"`
	// Page is the path of the page whose content is followed by the form; default "/contact/".
	Page string `toml:"page"`
}

// ContactProviders are the values of [contact] provider.
var ContactProviders = []string{"formspree", "netlify", "web3forms", "mailto"}

func (c Contact) validate(name string) []error {
	if c.Provider == "" {
		if c.ID != "" {
			return []error{fmt.Errorf("%s: [contact] needs a provider: one of %s", name, strings.Join(ContactProviders, ", "))}
		}
		return nil
	}
	var errs []error
	if !slices.Contains(ContactProviders, c.Provider) {
		errs = append(errs, fmt.Errorf("%s: contact.provider %q: give one of %s", name, c.Provider, strings.Join(ContactProviders, ", ")))
	}
	switch c.Provider {
	case "formspree", "web3forms":
		if c.ID == "" {
			errs = append(errs, fmt.Errorf("%s: contact.id is missing: %s gives it when the form is made", name, c.Provider))
		} else if !plainID.MatchString(c.ID) {
			errs = append(errs, fmt.Errorf("%s: contact.id %q: letters, digits, hyphens and underscores only", name, c.ID))
		}
	case "netlify":
		if c.ID != "" && !plainID.MatchString(c.ID) {
			errs = append(errs, fmt.Errorf("%s: contact.id %q: letters, digits, hyphens and underscores only", name, c.ID))
		}
	case "mailto":
		if c.ID == "" {
			errs = append(errs, fmt.Errorf("%s: contact.id is missing: give the address mailto writes to, or set [author] email", name))
		} else {
			if err := checkEmail(c.ID); err != nil {
				errs = append(errs, fmt.Errorf("%s: contact.id: %w", name, err))
			}
		}
	}
	if c.Page != "" && !strings.HasPrefix(c.Page, "/") {
		errs = append(errs, fmt.Errorf("%s: contact.page %q: give the page's path, such as \"/contact/\"", name, c.Page))
	}
	return errs
}

func validateHelloAsso(name string, params map[string]any) []error {
	v, ok := params["helloasso"]
	if !ok {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return []error{fmt.Errorf("%s: params.helloasso: give the address of a HelloAsso page as a string", name)}
	}
	if _, err := HelloAsso(s); err != nil {
		return []error{fmt.Errorf("%s: params.helloasso: %w", name, err)}
	}
	return nil
}

var plainID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.RawQuery == "" && u.Fragment == "" &&
		!strings.ContainsAny(s, "\"'<> ")
}

// HelloAsso reads the address of a HelloAsso page (an event's registration, a membership, a donation
// form) given as helloasso: in front matter, and returns what the layouts need: url, the page; widget,
// its embeddable form (the page's address followed by /widget), loaded only when the visitor opens it;
// kind, "event", "membership" or "donation", which names the button.
func HelloAsso(raw string) (map[string]any, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || (u.Host != "www.helloasso.com" && u.Host != "helloasso.com") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not the address of a HelloAsso page: give https://www.helloasso.com/associations/NAME/evenements/SLUG (or adhesions/, formulaires/, collectes/)", raw)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "associations" {
		return nil, fmt.Errorf("%q is not the address of a HelloAsso page: give https://www.helloasso.com/associations/NAME/evenements/SLUG (or adhesions/, formulaires/, collectes/)", raw)
	}
	kinds := map[string]string{"evenements": "event", "adhesions": "membership", "formulaires": "donation", "collectes": "donation", "boutiques": "event"}
	kind, ok := kinds[parts[2]]
	if !ok {
		return nil, fmt.Errorf("%q: a HelloAsso page is an event (evenements/), a membership (adhesions/) or a donation (formulaires/, collectes/)", raw)
	}
	if parts[len(parts)-1] == "widget" || strings.HasPrefix(parts[len(parts)-1], "widget-") {
		parts = parts[:len(parts)-1]
	}
	page := "https://www.helloasso.com/" + strings.Join(parts, "/")
	return map[string]any{"url": page, "widget": page + "/widget", "kind": kind}, nil
}
