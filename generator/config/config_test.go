package config

import (
	"slices"
	"strings"
	"testing"
)

func TestParseDefaults(t *testing.T) {
	c, err := Parse("vitrine.toml", []byte(`baseURL = "https://example.org"`))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://example.org/" || c.Language != "fr" || c.Timezone != "Europe/Paris" ||
		c.Paginate != 10 || c.Feeds.Limit != 20 || c.Theme != "default" || c.Markup.Unsafe {
		t.Errorf("defaults: %+v", c)
	}
	if c.Location().String() != "Europe/Paris" {
		t.Errorf("location %v", c.Location())
	}
}

func TestParseFull(t *testing.T) {
	c, err := Parse("vitrine.toml", []byte(`
baseURL = "https://example.org/"
title = "T"
language = "en"
[author]
name = "Camille"
jobTitle = "Photographe"
[social]
mastodon = "https://piaille.fr/@c"
[[menu.main]]
name = "Blog"
url = "/posts/"
weight = 2
[params]
anything = [1, 2]
[markup]
unsafe = true
[feeds]
limit = 5
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Author.JobTitle != "Photographe" || c.Social["mastodon"] == "" || c.Menu["main"][0].Weight != 2 ||
		!c.Markup.Unsafe || c.Feeds.Limit != 5 || c.Params["anything"] == nil || c.Language != "en" {
		t.Errorf("parsed: %+v", c)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"baseURL = \"https://example.org/\"\ntitel = \"x\"", `vitrine.toml:2: unknown key "titel"`},
		{"baseURL = \"https://example.org/\"\n[author]\nnom = \"x\"", `vitrine.toml:3: unknown key "author.nom"`},
		{"title = \"x\"", "baseURL is missing"},
		{"baseURL = \"example.org\"", "not an absolute http(s) URL"},
		{"baseURL = \"https://e.org/\"\ntimezone = \"Europe/Lyon\"", `timezone "Europe/Lyon"`},
		{"baseURL = \"https://e.org/\"\ntitle = ", "vitrine.toml:2:"},
		{"baseURL = \"https://e.org/\"\npaginate = \"ten\"", "vitrine.toml:2:"},
		// baseURL is written into every attribute, feed, calendar and robots.txt: what would end an
		// attribute, a string or a line is refused, with the line.
		{"title = \"x\"\nbaseURL = \"https://example.org/a\\\"b/\"", `vitrine.toml:2: baseURL "https://example.org/a\"b/" holds '"'`},
		{"baseURL = \"https://example.org/a b/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org/a<b>/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org/it's/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org/\\r\\nSitemap: https://evil.example/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"javascript:alert(1)//\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://user:pw@example.org/\"", "user name"},
		{"baseURL = \"https://example.org/?a=1\"", "query"},
		{"baseURL = \"https://example.org/#x\"", "fragment"},
		{"baseURL = \"https://exa\\\"mple.org/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org:80x/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org/%zz/\"", "vitrine.toml:1: baseURL"},
		{"baseURL = \"https://example.org/été/\"", "outside ASCII"},
		// [author] email is written into ORGANIZER of every calendar: a line break would add properties.
		{"baseURL = \"https://e.org/\"\n[author]\nname = \"A\"\nemail = \"a@e.org\\r\\nATTENDEE:mailto:x@evil.example\"", "vitrine.toml:4: author.email"},
		{"baseURL = \"https://e.org/\"\n[author]\nemail = \"A <a@e.org>\"", "vitrine.toml:3: author.email"},
		{"baseURL = \"https://e.org/\"\n[languages.en]\n[languages.en.author]\nemail = \"a;b@e.org\"", "vitrine.toml:4: languages.en.author.email"},
	} {
		_, err := Parse("vitrine.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", c.src, err, c.want)
		}
	}
}

func TestParseSyndicate(t *testing.T) {
	c, err := Parse("vitrine.toml", []byte(`baseURL = "https://example.org/"`))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Syndicate
	if !s.UTMEnabled() || s.MaxPerRun != 3 || len(s.Networks) != 7 || s.Networks[0] != "mastodon" || s.Webhook.Networks != nil {
		t.Errorf("syndicate defaults: %+v", s)
	}

	c, err = Parse("vitrine.toml", []byte(`
baseURL = "https://example.org/"
[syndicate]
hashtags = ["Lyon"]
utm = false
max_per_run = 1
[syndicate.mastodon]
server = "https://piaille.fr"
[syndicate.bluesky]
handle = "camille.bsky.social"
[syndicate.webhook]
url = "https://hook.example/abc"
`))
	if err != nil {
		t.Fatal(err)
	}
	s = c.Syndicate
	if s.UTMEnabled() || s.MaxPerRun != 1 || s.Hashtags[0] != "Lyon" || s.Mastodon.Server != "https://piaille.fr" ||
		s.Bluesky.Service != "https://bsky.social" || s.Networks[len(s.Networks)-1] != "webhook" ||
		strings.Join(s.Webhook.Networks, ",") != "linkedin,facebook,instagram" {
		t.Errorf("syndicate: %+v", s)
	}

	for _, c := range []struct{ src, want string }{
		{"[syndicate]\nnetworks = [\"myspace\"]", `unknown network "myspace"`},
		{"[syndicate]\nmax_per_run = -1", "max_per_run must be positive"},
		{"[syndicate]\nnetworks = [\"webhook\"]", "has no url"},
		{"[syndicate.webhook]\nurl = \"https://h.example/\"\nnetworks = [\"bluesky\", \"tiktok\"]", `unknown network "tiktok"`},
		{"[syndicate.mastodon]\nserver = \"piaille.fr\"", "syndicate.mastodon.server \"piaille.fr\" is not an absolute"},
		{"[syndicate.mastodon]\nserver = \"https://piaille.fr\"\ntoken = \"abc\"", "vitrine.toml:4: syndicate.mastodon.token: secrets never go in vitrine.toml"},
		{"[syndicate.bluesky]\napp_password = \"abc\"", "VITRINE_BLUESKY_APP_PASSWORD"},
		{"[syndicate.webhook]\nsecret = \"abc\"", "VITRINE_WEBHOOK_SECRET"},
		{"[syndicate]\nmaxPerRun = 2", `unknown key "syndicate.maxPerRun"`},
	} {
		_, err := Parse("vitrine.toml", []byte("baseURL = \"https://e.org/\"\n"+c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", c.src, err, c.want)
		} else if strings.Contains(err.Error(), "abc") {
			t.Errorf("Parse(%q): the error shows the secret: %v", c.src, err)
		}
	}
}

func TestLanguages(t *testing.T) {
	c, err := Parse("vitrine.toml", []byte("baseURL = \"https://e.org/\"\n[languages.en]\ntitle = \"E\"\ncontentDir = \"content/en/\"\n[languages.fr]\nlanguageName = \"Français\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Multilingual() || c.LanguagePrefix("fr") != "" || c.LanguagePrefix("en") != "/en" || c.Languages["en"].ContentDir != "content/en" {
		t.Errorf("multilingual config: %+v", c)
	}
	if c.LanguageName("fr") != "Français" || c.LanguageName("en") != "English" || c.LanguageName("pt-BR") != "Português" {
		t.Errorf("names: %q %q %q", c.LanguageName("fr"), c.LanguageName("en"), c.LanguageName("pt-BR"))
	}
	if got := c.LanguageCodes(); !slices.Equal(got, []string{"fr", "en"}) {
		t.Errorf("codes = %v", got)
	}
	c, err = Parse("vitrine.toml", []byte("baseURL = \"https://e.org/\"\ndefaultContentLanguage = \"en\"\ndefaultContentLanguageInSubdir = true\n[languages.fr]\n"))
	if err != nil || c.Language != "en" || c.LanguagePrefix("en") != "/en" {
		t.Errorf("defaultContentLanguage: %v %+v", err, c)
	}
	for _, bad := range []string{
		"language = \"fr\"\ndefaultContentLanguage = \"en\"\n",
		"[languages.\"e/n\"]\n",
		"[languages.en]\ncontentDir = \"../en\"\n",
	} {
		if _, err := Parse("vitrine.toml", []byte("baseURL = \"https://e.org/\"\n"+bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestBaseURLAccepted lists base URLs that must keep working: ports, IPv6, project sites of GitHub
// Pages, percent-encoded paths.
func TestBaseURLAccepted(t *testing.T) {
	for _, u := range []string{"https://example.org/", "http://localhost:1313/", "https://[::1]:8080/", "https://user.github.io/repo/",
		"https://example.org/mon%20site/", "https://example.org", "https://sub.example-site.fr/a/b_c/~d/"} {
		if err := CheckBaseURL(u); err != nil {
			t.Errorf("CheckBaseURL(%q) = %v", u, err)
		}
	}
}
