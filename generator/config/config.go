// Package config decodes and validates vitrine.toml, the site's configuration.
//
// Unknown keys are errors that name the key and its line: a typo must not pass silently. Defaults are
// applied here, so the rest of the generator never wonders whether a value was set.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// FileName is the configuration file at the root of a site.
const FileName = "vitrine.toml"

// Config mirrors vitrine.toml. Field comments give the key and the default.
type Config struct {
	BaseURL     string `toml:"baseURL"`     // absolute URL of the deployed site; required
	Title       string `toml:"title"`       // site title
	Description string `toml:"description"` // the home page's description
	Language    string `toml:"language"`    // default "fr"
	Timezone    string `toml:"timezone"`    // IANA name, default "Europe/Paris"
	Theme       string `toml:"theme"`       // default "default", the embedded theme
	Paginate    int    `toml:"paginate"`    // pages per list page, default 10
	Copyright   string `toml:"copyright"`

	Author Author            `toml:"author"`
	Social map[string]string `toml:"social"` // network → profile URL
	Menu   map[string][]Menu `toml:"menu"`   // [[menu.main]]
	Params map[string]any    `toml:"params"` // free for the theme
	Markup Markup            `toml:"markup"`
	Feeds  Feeds             `toml:"feeds"`

	loc *time.Location // the loaded Timezone
}

// Author is [author]: the site owner.
type Author struct {
	Name        string `toml:"name"`
	JobTitle    string `toml:"jobTitle"`
	Email       string `toml:"email"`
	Image       string `toml:"image"`
	Description string `toml:"description"`
}

// Menu is one [[menu.NAME]] entry.
type Menu struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int    `toml:"weight"`
}

// Markup is [markup]: how Markdown is rendered.
type Markup struct {
	Unsafe         bool   `toml:"unsafe"`         // let raw HTML through; default false
	HighlightStyle string `toml:"highlightStyle"` // chroma style for light mode, default "github"
	HighlightDark  string `toml:"highlightDark"`  // chroma style for dark mode, default "github-dark"
}

// Feeds is [feeds]: RSS, Atom and JSON Feed settings.
type Feeds struct {
	Limit int `toml:"limit"` // newest items per feed, default 20
}

// Default returns the configuration of a site without vitrine.toml values: every default set.
func Default() Config {
	c := Config{}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Language == "" {
		c.Language = "fr"
	}
	if c.Timezone == "" {
		c.Timezone = "Europe/Paris"
	}
	if c.Theme == "" {
		c.Theme = "default"
	}
	if c.Paginate == 0 {
		c.Paginate = 10
	}
	if c.Markup.HighlightStyle == "" {
		c.Markup.HighlightStyle = "github"
	}
	if c.Markup.HighlightDark == "" {
		c.Markup.HighlightDark = "github-dark"
	}
	if c.Feeds.Limit == 0 {
		c.Feeds.Limit = 20
	}
	if c.BaseURL != "" && !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
}

// Location returns the site's time zone; Parse has checked it exists.
func (c *Config) Location() *time.Location {
	if c.loc != nil {
		return c.loc
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Load reads vitrine.toml from the root of fsys. A missing file is an error: it is how vitrine knows it
// stands in a site.
func Load(fsys fs.FS) (Config, error) {
	data, err := fs.ReadFile(fsys, FileName)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w (run vitrine in a site's folder, or give it with -s)", FileName, err)
	}
	return Parse(FileName, data)
}

// Parse decodes a configuration file's bytes. Errors name the file and the line.
func Parse(name string, data []byte) (Config, error) {
	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			var errs []error
			for _, e := range strict.Errors {
				row, _ := e.Position()
				errs = append(errs, fmt.Errorf("%s:%d: unknown key %q (check its spelling; free keys go under [params])",
					name, row, strings.Join(e.Key(), ".")))
			}
			return Config{}, errors.Join(errs...)
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return Config{}, fmt.Errorf("%s:%d: %s", name, row, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	c.applyDefaults()
	if err := c.validate(name); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) validate(name string) error {
	var errs []error
	if c.BaseURL == "" {
		errs = append(errs, fmt.Errorf("%s: baseURL is missing: set it to the address of the deployed site, e.g. baseURL = \"https://example.org/\"", name))
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("%s: baseURL %q is not an absolute http(s) URL", name, c.BaseURL))
	}
	if loc, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("%s: timezone %q is not a known IANA time zone (e.g. \"Europe/Paris\")", name, c.Timezone))
	} else {
		c.loc = loc
	}
	if c.Paginate < 0 {
		errs = append(errs, fmt.Errorf("%s: paginate must be positive, got %d", name, c.Paginate))
	}
	if c.Feeds.Limit < 0 {
		errs = append(errs, fmt.Errorf("%s: feeds.limit must be positive, got %d", name, c.Feeds.Limit))
	}
	for network, u := range c.Social {
		if strings.TrimSpace(u) == "" {
			errs = append(errs, fmt.Errorf("%s: social.%s is empty", name, network))
		}
	}
	return errors.Join(errs...)
}
