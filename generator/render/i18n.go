package render

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Words holds the theme's words in one language: i18n/LANG.toml of the theme, overridden key by key by
// the site's i18n/LANG.toml. A key missing there is taken from the site's default language, then from
// English.
type Words struct {
	lang     string
	words    map[string]any
	def      map[string]any // the default language's, when it is another one
	fallback map[string]any
}

// LoadWords reads the words of lang from the theme and the site (which may be nil), for a site whose
// default language is lang.
func LoadWords(lang string, theme, site fs.FS) (*Words, error) {
	return LoadLangWords(lang, lang, theme, site)
}

// LoadLangWords reads the words of lang from the theme and the site (which may be nil); missing ones
// fall back to those of def, the site's default language, then to English.
func LoadLangWords(lang, def string, theme, site fs.FS) (*Words, error) {
	c := &Words{lang: lang, words: map[string]any{}, fallback: map[string]any{}}
	if def != lang {
		c.def = map[string]any{}
	}
	layers := []fs.FS{theme, site}
	if l, ok := theme.(interface{ Layers() []fs.FS }); ok {
		// A theme over the default one (themes.WithFallback): its words over the default theme's.
		layers = append(l.Layers(), site)
	}
	for _, fsys := range layers {
		if fsys == nil {
			continue
		}
		if err := readWords(fsys, "i18n/"+lang+".toml", c.words); err != nil {
			return nil, err
		}
		if c.def != nil {
			if err := readWords(fsys, "i18n/"+def+".toml", c.def); err != nil {
				return nil, err
			}
		}
		if err := readWords(fsys, "i18n/en.toml", c.fallback); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Missing lists, sorted, the keys of the default language's words (of English on the default
// language) that this language lacks: those shown in another language.
func (c *Words) Missing() []string {
	ref := c.def
	if ref == nil {
		ref = c.fallback
	}
	var out []string
	for k := range ref {
		if _, ok := c.words[k]; !ok && !optional[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// formats are the keys that say how a language writes dates and times: a language without them takes
// English's, never the default language's ("1er novembre" has no place in German).
var formats = map[string]bool{"months": true, "days": true, "dateFormat": true, "longDateFormat": true,
	"clockFormat": true, "clockFormatHour": true, "day1": true}

// optional are the keys a language may well lack: English has no special first of the month.
var optional = map[string]bool{"clockFormatHour": true, "day1": true}

// Lang is the language of the words.
func (c *Words) Lang() string { return c.lang }

func readWords(fsys fs.FS, name string, into map[string]any) error {
	data, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return fmt.Errorf("%s:%d: %v", name, row, err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	for k, v := range m {
		into[k] = v
	}
	return nil
}

func (c *Words) lookup(key string) any {
	if v, ok := c.words[key]; ok {
		return v
	}
	if v, ok := c.def[key]; ok && !formats[key] {
		return v
	}
	return c.fallback[key]
}

// T returns the word for key, formatted with args when given (printf verbs). A missing key is shown as
// the key itself, so that a gap is visible on the page.
func (c *Words) T(key string, args ...any) string {
	s, ok := c.lookup(key).(string)
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Date writes a day as the language writes it, from the dateFormat pattern ("{day} {month} {year}") and
// the months list; day1 replaces the first of the month ("1er" in French).
func (c *Words) Date(t time.Time) string {
	return c.date(t, "dateFormat", "{month} {day}, {year}")
}

// LongDate writes a day with its weekday, from longDateFormat ("{weekday} {day} {month} {year}") and the
// days list (Sunday first): "mardi 3 mars 2026".
func (c *Words) LongDate(t time.Time) string {
	return c.date(t, "longDateFormat", "{weekday}, {month} {day}, {year}")
}

func (c *Words) date(t time.Time, key, fallback string) string {
	if t.IsZero() {
		return ""
	}
	month := t.Month().String()
	if months, ok := c.lookup("months").([]any); ok && len(months) == 12 {
		month = fmt.Sprint(months[t.Month()-1])
	}
	day := strconv.Itoa(t.Day())
	if d1, ok := c.lookup("day1").(string); ok && t.Day() == 1 {
		day = d1
	}
	weekday := t.Weekday().String()
	if days, ok := c.lookup("days").([]any); ok && len(days) == 7 {
		weekday = fmt.Sprint(days[t.Weekday()])
	}
	pattern, ok := c.lookup(key).(string)
	if !ok {
		pattern = fallback
	}
	return expand(pattern, "{weekday}", weekday, "{day}", day, "{month}", month, "{year}", strconv.Itoa(t.Year()))
}

// Clock writes a time of day from the clockFormat pattern: {H} hours 0-23, {h} 1-12, {MM} minutes,
// {ampm} am or pm ("19 h 30" in French); clockFormatHour, when set, is used on the hour ("19 h").
func (c *Words) Clock(t time.Time) string {
	pattern, ok := c.lookup("clockFormat").(string)
	if hour, isSet := c.lookup("clockFormatHour").(string); isSet && t.Minute() == 0 {
		pattern, ok = hour, true // "14 h" rather than "14 h 00" in French
	}
	if !ok {
		pattern = "{H}:{MM}"
	}
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	ampm := "am"
	if t.Hour() >= 12 {
		ampm = "pm"
	}
	return expand(pattern, "{H}", strconv.Itoa(t.Hour()), "{h}", strconv.Itoa(h12),
		"{MM}", fmt.Sprintf("%02d", t.Minute()), "{ampm}", ampm)
}
