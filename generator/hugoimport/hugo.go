package hugoimport

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2/styles"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Note is one thing of the Hugo site that the import could not carry over, and what to do about it.
type Note struct {
	Key string // the setting or file: "permalinks.posts", "layouts/"
	Msg string
}

func (n Note) String() string { return n.Key + ": " + n.Msg }

// Import is what importing a Hugo site does: the vitrine.toml to write, the folders to move aside, and
// the notes.
type Import struct {
	Config []byte      // the content of vitrine.toml
	Moves  [][2]string // folders moved aside, from → to, relative to the site
	Notes  []Note
	Files  []string // the Hugo configuration files read
}

// MovedDir is where the folders only Hugo can use go.
const MovedDir = "hugo"

// Convert reads the Hugo site in fsys and works out its import; nothing is written.
func Convert(fsys fs.FS) (*Import, error) {
	conf, files, names, err := readConfigNames(fsys)
	if err != nil {
		return nil, err
	}
	im := &Import{Files: files}
	c := &converter{conf: conf, im: im, fsys: fsys, names: names}
	out := c.convert()
	c.content(fsys)
	for _, dir := range []string{"layouts", "i18n"} {
		if st, err := fs.Stat(fsys, dir); err == nil && st.IsDir() {
			im.Moves = append(im.Moves, [2]string{dir, MovedDir + "/" + dir})
		}
	}
	if im.Config, err = c.encode(out); err != nil {
		return nil, err
	}
	return im, nil
}

// Apply writes the import into the site folder dir: moves the folders aside and writes vitrine.toml,
// which must not exist yet.
func (im *Import) Apply(dir string) error {
	target := filepath.Join(dir, config.FileName)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists already: this site was imported; remove it to import again", target)
	}
	for _, m := range im.Moves {
		to := filepath.Join(dir, filepath.FromSlash(m[1]))
		if _, err := os.Stat(to); err == nil {
			return fmt.Errorf("cannot move %s/ aside: %s exists already", m[0], to)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(dir, filepath.FromSlash(m[0])), to); err != nil {
			return err
		}
	}
	return os.WriteFile(target, im.Config, 0o644)
}

// vitrineConfig is what the import writes of vitrine.toml, in the order it is written.
type vitrineConfig struct {
	BaseURL     string                    `toml:"baseURL"`
	Title       string                    `toml:"title,omitempty"`
	Description string                    `toml:"description,omitempty"`
	Language    string                    `toml:"language"`
	Timezone    string                    `toml:"timezone"`
	Paginate    int                       `toml:"paginate,omitempty"`
	Copyright   string                    `toml:"copyright,omitempty"`
	Author      *author                   `toml:"author,omitempty"`
	Markup      *markup                   `toml:"markup,omitempty"`
	Feeds       *feeds                    `toml:"feeds,omitempty"`
	Menu        map[string][]menuEntry    `toml:"menu,omitempty"`
	Params      map[string]any            `toml:"params,omitempty"`
	Languages   map[string]map[string]any `toml:"languages,omitempty"`
	InSubdir    *bool                     `toml:"defaultContentLanguageInSubdir,omitempty"`
	// RelativeURLs is Hugo's relativeURLs, which vitrine does too.
	RelativeURLs bool `toml:"relativeURLs,omitempty"`
	// What keeps the Hugo site's addresses: Hugo's URL model, its permalinks and ugly URLs.
	HugoCompat        bool              `toml:"hugoCompat"`
	RemovePathAccents bool              `toml:"removePathAccents,omitempty"`
	UglyURLs          bool              `toml:"uglyURLs,omitempty"`
	Taxonomies        map[string]string `toml:"taxonomies,omitempty"`
	Permalinks        map[string]any    `toml:"permalinks,omitempty"`
}

type author struct {
	Name  string `toml:"name,omitempty"`
	Email string `toml:"email,omitempty"`
}

type markup struct {
	Unsafe         bool   `toml:"unsafe,omitempty"`
	HighlightStyle string `toml:"highlightStyle,omitempty"`
}

type feeds struct {
	Limit   int    `toml:"limit,omitempty"`
	RSSName string `toml:"rssName,omitempty"`
}

type menuEntry struct {
	Name   string `toml:"name"`
	URL    string `toml:"url"`
	Weight int    `toml:"weight,omitempty"`
}

type converter struct {
	conf  map[string]any
	im    *Import
	fsys  fs.FS
	names map[string]string // top-level keys as the site spells them, by their lower case
}

// name is a top-level key as the site spells it.
func (c *converter) name(lower string) string {
	if n, ok := c.names[lower]; ok {
		return n
	}
	return lower
}

func (c *converter) note(key, format string, args ...any) {
	c.im.Notes = append(c.im.Notes, Note{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// handled are the settings the import carries over or that vitrine does as Hugo by itself: nothing to
// say about them.
var handled = map[string]bool{
	"baseurl": true, "title": true, "languagecode": true, "defaultcontentlanguage": true, "timezone": true,
	"copyright": true, "params": true, "paginate": true, "pagination": true, "menu": true, "menus": true,
	"taxonomies": true, "permalinks": true, "languages": true, "markup": true, "rsslimit": true,
	"services": true, "theme": true, "author": true, "contentdir": true, "removepathaccents": true,
	"description": true,
	// Done by vitrine anyway, or flags of the command line.
	"enablerobotstxt": true, "sitemap": true, "builddrafts": true, "buildfuture": true, "buildexpired": true,
	"relativeurls": true, "canonifyurls": true, // relativeURLs is carried "minify": true, "caches": true, "security": true,
	"build": true, "imaging": true, "server": true, "deployment": true, "publishdir": true, "summarylength": true,
	"pygmentsusesclasses": true, "pygmentscodefences": true, "pygmentsstyle": true, "timeout": true, "cleandestinationdir": true,
	"enablemissingtranslationplaceholders": true, "disablepathtolower": true, "titlecasestyle": true,
	"archetypedir": true, "assetdir": true, "datadir": true, "layoutdir": true, "i18ndir": true, "themesdir": true,
	"staticdir": true, "resourcedir": true, "workingdir": true, "newcontenteditor": true, "ignorefiles": true,
	"hascjklanguage": true, "enableinlineshortcodes": true, "privacy": true, "footnotereturnlinkcontents": true,
	"ignorelogs": true, "ignoreerrors": true, "capitalizelisttitles": true, "pluralizelisttitles": true,
	"refLinksErrorLevel": true, "reflinkserrorlevel": true, "reflinksnotfoundurl": true, "enablegitinfo": true,
	"frontmatter": true, "disablekinds": true, "outputs": true, "outputformats": true, "mediatypes": true,
	"module": true, "defaultcontentlanguageinsubdir": true, "uglyurls": true, "enableemoji": true,
	"googleanalytics": true, "disqusshortname": true, "related": true, "cascade": true, "segments": true,
	"mainsections": true, "disablelanguages": true, "disablealiases": true, "disablehugogeneratorinject": true,
	"locale": true, "nobuildlock": true, "renderSegments": true, "rendersegments": true,
}

// convert maps Hugo's settings to vitrine's.
func (c *converter) convert() *vitrineConfig {
	conf := c.conf
	out := &vitrineConfig{}

	out.BaseURL = getString(conf, "baseurl")
	if out.BaseURL == "" || out.BaseURL == "/" || !strings.Contains(out.BaseURL, "://") {
		c.note("baseURL", "%q is not an absolute address: vitrine.toml says https://example.org/; set it to the deployed address", out.BaseURL)
		out.BaseURL = "https://example.org/"
	}
	if !strings.HasSuffix(out.BaseURL, "/") {
		out.BaseURL += "/"
	}
	out.Title = getString(conf, "title")
	out.Copyright = getString(conf, "copyright")

	// Languages: the default one is the site's; Hugo's default is English.
	lang := strings.ToLower(getString(conf, "defaultcontentlanguage"))
	langs, _ := conf["languages"].(map[string]any)
	if lang == "" && len(langs) == 1 {
		lang = slices.Collect(maps.Keys(langs))[0]
	}
	if lang == "" {
		if code := cmpOr(getString(conf, "locale"), getString(conf, "languagecode")); code != "" {
			lang = primary(code)
		}
	}
	if lang == "" {
		lang = "en"
	}
	out.Language = primary(lang)

	params := map[string]any{}
	if p, ok := conf["params"].(map[string]any); ok {
		maps.Copy(params, p)
	}
	menus := menusOf(conf)
	if own, ok := langs[lang].(map[string]any); ok {
		// The default language's own settings are the site's.
		if t := getString(own, "title"); t != "" {
			out.Title = t
		}
		if cp := getString(own, "copyright"); cp != "" {
			out.Copyright = cp
		}
		if p, ok := own["params"].(map[string]any); ok {
			maps.Copy(params, p)
		}
		for name, entries := range menusOf(own) {
			menus[name] = entries
		}
		if len(langs) < 2 {
			c.contentDir("languages."+lang+".contentDir", getString(own, "contentdir"))
		}
	}
	c.contentDir("contentDir", getString(conf, "contentdir"))
	if getBool(conf, "defaultcontentlanguageinsubdir") && len(langs) > 1 {
		t := true
		out.InSubdir = &t
	}

	tz := getString(conf, "timezone")
	if tz == "" {
		tz = "UTC"
		c.note("timeZone", "not set: Hugo reads dates without an offset as UTC, and so does vitrine.toml (timezone = \"UTC\"); set your own, e.g. \"Europe/Paris\", if your dates are local times")
	} else if _, err := time.LoadLocation(tz); err != nil {
		c.note("timeZone", "%q is not a time zone vitrine knows: vitrine.toml says UTC; set an IANA name such as \"Europe/Paris\"", tz)
		tz = "UTC"
	}
	out.Timezone = tz

	if n, ok := getInt(conf, "pagination.pagersize"); ok && n > 0 {
		out.Paginate = n
	} else if n, ok := getInt(conf, "paginate"); ok && n > 0 {
		out.Paginate = n
	}
	if n, ok := getInt(conf, "services.rss.limit"); ok && n > 0 {
		out.Feeds = &feeds{Limit: n}
	} else if n, ok := getInt(conf, "rsslimit"); ok && n > 0 {
		out.Feeds = &feeds{Limit: n}
	}

	if base := getString(conf, "outputformats.rss.basename"); base != "" && base != "index" {
		if out.Feeds == nil {
			out.Feeds = &feeds{}
		}
		out.Feeds.RSSName = base + ".xml"
	}

	out.RelativeURLs = getBool(conf, "relativeurls")

	// Description and author: Hugo has none of its own; themes read them from params.
	out.Description = firstString(params, "description", "Description", "subtitle")
	if out.Description == "" {
		out.Description = getString(conf, "description")
	}
	a := &author{}
	for _, src := range []map[string]any{conf, params} {
		switch v := lookupFold(src, "author").(type) {
		case string:
			a.Name = v
		case map[string]any:
			a.Name = firstString(v, "name", "Name")
			a.Email = firstString(v, "email", "Email")
		}
	}
	if a.Name != "" || a.Email != "" {
		out.Author = a
	}

	var mk markup
	mk.Unsafe = getBool(conf, "markup.goldmark.renderer.unsafe")
	if s := getString(conf, "markup.highlight.style"); s != "" {
		if _, ok := styles.Registry[strings.ToLower(s)]; ok {
			mk.HighlightStyle = strings.ToLower(s)
		} else {
			c.note("markup.highlight.style", "%q is not a chroma style vitrine knows: the theme's colours are used", s)
		}
	}
	if mk != (markup{}) {
		out.Markup = &mk
	}
	if v, ok := get(conf, "markup.defaultmarkdownhandler"); ok && v != "goldmark" {
		c.note("markup.defaultMarkdownHandler", "%v: vitrine renders Markdown with goldmark, as Hugo does by default", v)
	}

	out.Menu = c.menus(menus, "menu")
	if len(params) > 0 {
		if p, ok := tomlSafe(params); ok {
			out.Params = p.(map[string]any)
		}
	}
	out.Languages = c.languages(langs, lang)

	out.HugoCompat = true
	out.RemovePathAccents = getBool(conf, "removepathaccents")
	out.UglyURLs = getBool(conf, "uglyurls")
	out.Taxonomies = c.taxonomies()
	out.Permalinks = c.permalinks()
	c.others()
	return out
}

// primary is the language of a language tag: "fr-FR" → "fr".
func primary(code string) string {
	code = strings.ToLower(strings.ReplaceAll(code, "_", "-"))
	p, _, _ := strings.Cut(code, "-")
	return p
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func lookupFold(m map[string]any, key string) any {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func (c *converter) contentDir(key, dir string) {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	if dir == "" || dir == "content" {
		return
	}
	c.note(key, "%q: vitrine reads its pages from content/: move the files of %s/ into content/", dir, dir)
}

// menusOf returns the menus of a configuration table (menu or menus), by name.
func menusOf(m map[string]any) map[string][]any {
	out := map[string][]any{}
	for _, key := range []string{"menu", "menus"} {
		t, _ := m[key].(map[string]any)
		for name, v := range t {
			if entries, ok := v.([]any); ok {
				out[name] = append(out[name], entries...)
			}
		}
	}
	return out
}

// menus converts Hugo's menu entries; vitrine's menus have one level, so entries under a parent are
// left out and said so.
func (c *converter) menus(menus map[string][]any, key string) map[string][]menuEntry {
	out := map[string][]menuEntry{}
	for _, name := range slices.Sorted(maps.Keys(menus)) {
		children := 0
		for _, e := range menus[name] {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			if getString(m, "parent") != "" {
				children++
				continue
			}
			entry := menuEntry{Name: getString(m, "name"), URL: getString(m, "url")}
			entry.Weight, _ = getInt(m, "weight")
			if ref := getString(m, "pageref"); entry.URL == "" && ref != "" {
				entry.URL = pageRefURL(ref, getBool(c.conf, "removepathaccents"))
				if entry.Name == "" {
					entry.Name = c.pageTitle(ref)
				}
			}
			if entry.Name == "" {
				entry.Name = getString(m, "identifier")
			}
			if entry.URL == "" || entry.Name == "" {
				c.note(key+"."+name, "entry %q has no address (an entry that only opens a submenu): left out", entry.Name)
				continue
			}
			out[name] = append(out[name], entry)
		}
		if children > 0 {
			c.note(key+"."+name, "%s under a parent left out: vitrine's menus have one level; add those you want as top-level entries", plural(children, "entry", "entries"))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// pageRefURL turns a menu entry's pageRef ("/about", "posts/_index.md") into the address vitrine gives
// that page: Hugo's, since the import keeps Hugo's URL model.
func pageRefURL(ref string, fold bool) string {
	if ref == "" {
		return ""
	}
	ref = strings.Trim(ref, "/")
	ext := path.Ext(ref)
	if ext == ".md" || ext == ".markdown" {
		ref = strings.TrimSuffix(ref, ext)
	}
	ref = strings.TrimSuffix(strings.TrimSuffix(ref, "/_index"), "/index")
	if ref == "_index" || ref == "index" || ref == "" {
		return "/"
	}
	var segs []string
	for s := range strings.SplitSeq(ref, "/") {
		segs = append(segs, model.Urlize(s, fold))
	}
	return "/" + strings.Join(segs, "/") + "/"
}

// pageTitle reads the linkTitle, else the title, of the page a menu's pageRef names, as Hugo names the
// entry; the site's title for the home page.
func (c *converter) pageTitle(ref string) string {
	ref = strings.Trim(ref, "/")
	var cands []string
	if e := path.Ext(ref); e == ".md" || e == ".markdown" {
		cands = []string{ref}
	} else {
		for _, s := range []string{".md", "/_index.md", "/index.md", ".markdown", "/_index.markdown", "/index.markdown"} {
			cands = append(cands, ref+s)
		}
		if ref == "" {
			cands = []string{"_index.md", "_index.markdown"}
		}
	}
	for _, cand := range cands {
		data, err := fs.ReadFile(c.fsys, path.Join("content", cand))
		if err != nil {
			continue
		}
		if t := frontTitle(data); t != "" {
			return t
		}
	}
	if ref == "" {
		return getString(c.conf, "title")
	}
	return ""
}

var titleLine = regexp.MustCompile(`(?im)^(linktitle|title)\s*[:=]\s*["']?(.*?)["']?\s*$`)

// frontTitle finds linkTitle, else title, in a content file's front matter, without decoding it all.
func frontTitle(data []byte) string {
	s := string(data)
	if len(s) > 4096 {
		s = s[:4096]
	}
	found := map[string]string{}
	for _, m := range titleLine.FindAllStringSubmatch(s, -1) {
		k := strings.ToLower(m[1])
		if _, ok := found[k]; !ok {
			found[k] = m[2]
		}
	}
	return cmpOr(found["linktitle"], found["title"])
}

// languages converts the languages other than the default one.
func (c *converter) languages(langs map[string]any, def string) map[string]map[string]any {
	out := map[string]map[string]any{}
	if len(langs) < 2 {
		return nil
	}
	for _, code := range slices.Sorted(maps.Keys(langs)) {
		m, _ := langs[code].(map[string]any)
		l := map[string]any{}
		if code == def {
			// The default language's title, params and menus are the site's, written above.
			if s := getString(m, "languagename"); s != "" {
				l["languageName"] = s
			}
			if w, ok := getInt(m, "weight"); ok && w != 0 {
				l["weight"] = w
			}
			if d := getString(m, "contentdir"); d != "" {
				l["contentDir"] = d
			}
			out[code] = l
			continue
		}
		if s := getString(m, "languagename"); s != "" {
			l["languageName"] = s
		}
		if w, ok := getInt(m, "weight"); ok && w != 0 {
			l["weight"] = w
		}
		if s := getString(m, "title"); s != "" {
			l["title"] = s
		}
		if p, ok := m["params"].(map[string]any); ok {
			if d := firstString(p, "description", "Description"); d != "" {
				l["description"] = d
			}
			if sp, ok := tomlSafe(p); ok {
				l["params"] = sp
			}
		}
		if menus := c.menus(menusOf(m), "languages."+code+".menu"); menus != nil {
			l["menu"] = menus
		}
		if d := getString(m, "contentdir"); d != "" {
			l["contentDir"] = d
		}
		if getBool(m, "disabled") {
			c.note("languages."+code, "disabled in Hugo: left out")
			continue
		}
		out[code] = l
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// taxonomies carries [taxonomies]; vitrine lists tags and categories, the others are noted.
func (c *converter) taxonomies() map[string]string {
	t, ok := c.conf["taxonomies"].(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, singular := range slices.Sorted(maps.Keys(t)) {
		plural, _ := t[singular].(string)
		if plural == "" {
			continue
		}
		out[singular] = plural
		if plural == "tags" || plural == "categories" {
			continue
		}
		c.note("taxonomies."+singular, "vitrine lists tags and categories only: the pages' %s stay in their front matter, unlisted; move them to tags to list them", plural)
	}
	return out
}

// permalinks carries [permalinks] as it is: vitrine expands Hugo's tokens. Patterns of kinds vitrine
// does not expand (taxonomy lists) are noted.
func (c *converter) permalinks() map[string]any {
	t, ok := c.conf["permalinks"].(map[string]any)
	if !ok || len(t) == 0 {
		return nil
	}
	out := map[string]any{}
	for k, v := range t {
		switch x := v.(type) {
		case string:
			out[k] = x
		case map[string]any:
			kind := strings.ToLower(k)
			switch kind {
			case "page", "section", "term":
				sub := map[string]any{}
				for k2, v2 := range x {
					if s, ok := v2.(string); ok {
						sub[k2] = s
					}
				}
				if kind == "term" {
					// A term's pattern is given flat, as Hugo reads a flat key for pages and terms.
					for k2, v2 := range sub {
						out[k2] = v2
					}
					continue
				}
				out[kind] = sub
				if kind == "section" {
					c.note("permalinks.section", "section lists keep their folder's address in vitrine: add aliases for the old list addresses")
				}
			default:
				c.note("permalinks."+k, "not carried: vitrine expands patterns of pages, sections and terms")
			}
		}
	}
	return out
}

// outputs notes the output formats vitrine does not make: those of outputs beyond HTML and RSS
// (vitrine makes RSS, Atom and JSON Feed, a sitemap and robots.txt), and custom ones; RSS's baseName is
// carried as feeds.rssName.
func (c *converter) outputs() {
	made := map[string]bool{"html": true, "rss": true, "sitemap": true, "robots": true, "json": false}
	lost := map[string][]string{}
	if t, ok := c.conf["outputs"].(map[string]any); ok {
		for kind, v := range t {
			list, _ := v.([]any)
			for _, f := range list {
				name := strings.ToLower(fmt.Sprint(f))
				if !made[name] {
					lost[name] = append(lost[name], kind)
				}
			}
		}
	}
	if t, ok := c.conf["outputformats"].(map[string]any); ok {
		for name, v := range t {
			if name == "rss" {
				if m, ok := v.(map[string]any); ok {
					for k := range m {
						if k != "basename" && k != "mediatype" {
							c.note("outputFormats.RSS."+k, "not carried: vitrine's RSS is RSS 2.0 at LIST/%s", "index.xml or feeds.rssName")
						}
					}
				}
				continue
			}
			if _, ok := lost[name]; !ok {
				lost[name] = nil
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(lost)) {
		kinds := slices.Sorted(slices.Values(lost[name]))
		where := ""
		if len(kinds) > 0 {
			where = " (for " + strings.Join(slices.Compact(kinds), ", ") + ")"
		}
		c.note("outputs."+name, "the %s output%s is not made: its files (a search index, a calendar…) are missing from the build; vitrine makes HTML, RSS, Atom, JSON Feed, .ics for events, the sitemap", name, where)
	}
}

// others notes the settings the import does not carry, with what to do.
func (c *converter) others() {
	conf := c.conf
	if t := getString(conf, "theme"); t != "" {
		c.note("theme", "%q is not used: vitrine builds with its own theme; to change how pages look, add html/template layouts in layouts/ (see the README)", t)
	} else if v, ok := conf["theme"].([]any); ok && len(v) > 0 {
		c.note("theme", "%v are not used: vitrine builds with its own theme", v)
	}
	advice := map[string]string{
		"frontmatter":     "vitrine reads dates from date, publishDate, lastmod and expiryDate only (not from file names or git): set them in the front matter",
		"disablekinds":    "vitrine builds every kind of page; nothing to do unless you relied on this",
		"mediatypes":      "custom media types are not used",
		"module":          "Hugo modules are not fetched: copy the content they mount into content/ or static/",
		"enableemoji":     "emoji codes such as :smile: are left as written",
		"googleanalytics": "vitrine adds no tracker: add your snippet to a layout (layouts/partials/) if you need one",
		"disqusshortname": "comments through Disqus are not carried: vitrine brings replies from Mastodon and Bluesky instead (vitrine backfeed)",
		"enablegitinfo":   "lastmod is not read from git: set lastmod in the front matter",
		"related":         "related content is not listed",
		"cascade":         "a site-wide cascade is not applied: put it in content/_index.md, which vitrine reads",
		"segments":        "segments are not used: vitrine builds everything",
		"disablealiases":  "vitrine always writes the redirect pages of aliases",
	}
	c.outputs()
	for _, k := range slices.Sorted(maps.Keys(conf)) {
		if k == "outputs" || k == "outputformats" {
			continue
		}
		if msg, ok := advice[k]; ok {
			if v, _ := conf[k].(bool); k == "enableemoji" || k == "enablegitinfo" || k == "defaultcontentlanguageinsubdir" || k == "disablealiases" {
				if !v {
					continue
				}
			}
			c.note(c.name(k), "%s", msg)
			continue
		}
		if handled[k] {
			continue
		}
		c.note(c.name(k), "vitrine has no such setting: left out")
	}
	if v, ok := get(conf, "services.disqus.shortname"); ok && v != "" {
		c.note("services.disqus", "%s", advice["disqusshortname"])
	}
	if v, ok := get(conf, "services.googleanalytics.id"); ok && v != "" {
		c.note("services.googleAnalytics", "%s", advice["googleanalytics"])
	}
}

// content notes what in the site's files vitrine does not read as Hugo does.
func (c *converter) content(fsys fs.FS) {
	other := map[string]int{}
	_ = fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && p != "content" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Name() == "_content.gotmpl" {
			c.note(p, "a content adapter: vitrine does not run it; the pages it makes are missing, write them as Markdown files")
			return nil
		}
		switch ext := strings.ToLower(path.Ext(p)); ext {
		case ".html", ".htm":
			// With front matter, a page vitrine publishes as Hugo did; without, a file it copies.
			if data, err := fs.ReadFile(fsys, p); err == nil && (bytes.HasPrefix(data, []byte("---")) || bytes.HasPrefix(data, []byte("+++"))) {
				return nil
			}
			other[ext]++
		case ".adoc", ".asciidoc", ".org", ".rst", ".pdc", ".pandoc":
			other[ext]++
		}
		return nil
	})
	for _, ext := range slices.Sorted(maps.Keys(other)) {
		c.note("content/*"+ext, "%s without front matter: vitrine copies them as they are (Hugo made pages of them); add front matter to make pages of them, or convert them to Markdown", plural(other[ext], "file", "files"))
	}
	for _, dir := range []string{"layouts/shortcodes", "layouts/_shortcodes"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range entries {
			if !e.IsDir() {
				names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
			}
		}
		names = slices.Compact(names)
		if len(names) > 0 {
			c.note(dir+"/", "the site's shortcodes (%s) run as Go templates with Hugo's common functions; one that calls a partial or a function vitrine lacks is left out with a warning naming file and line, what it encloses kept; vitrine check lists them", strings.Join(names, ", "))
		}
	}
	for _, dir := range []string{"layouts/_markup", "layouts/_default/_markup"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil || len(entries) == 0 {
			continue
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		c.note(dir+"/", "render hooks (%s) are not run: links, images and code blocks are rendered as vitrine does; vitrine check finds the links that relied on them", strings.Join(names, ", "))
	}
	for _, dir := range []string{"layouts", "i18n"} {
		if st, err := fs.Stat(fsys, dir); err == nil && st.IsDir() {
			c.note(dir+"/", "Hugo templates and translations vitrine cannot run: moved to %s/%s/ so that vitrine's theme is used", MovedDir, dir)
		}
	}
	for _, dir := range []string{"assets", "data"} {
		if st, err := fs.Stat(fsys, dir); err == nil && st.IsDir() {
			c.note(dir+"/", "read by Hugo templates only: not used by vitrine")
		}
	}
}

// plural writes a count with its noun: "1 file", "2 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

var unknownKeyRe = regexp.MustCompile(`unknown key "([^"]+)"`)

// encode writes vitrine.toml and checks that vitrine reads it back; what it refuses is left out with a
// note. Languages vitrine cannot build yet are the usual case.
func (c *converter) encode(out *vitrineConfig) ([]byte, error) {
	dirs := map[string]string{} // each language's contentDir
	for code, l := range out.Languages {
		if d, ok := l["contentDir"].(string); ok {
			dirs[code] = d
		}
	}
	var pruned []string // language settings this vitrine does not know
	defer func() {
		for _, k := range pruned {
			c.note(k, "vitrine has no such setting yet: left out")
		}
	}()
	for range 8 {
		data, err := encodeTOML(out)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", config.FileName, err)
		}
		_, perr := config.Parse(config.FileName, data)
		if perr == nil {
			return append([]byte(header), data...), nil
		}
		fixed := false
		for _, m := range unknownKeyRe.FindAllStringSubmatch(perr.Error(), -1) {
			key := strings.Split(m[1], ".")
			switch {
			case len(key) >= 3 && key[0] == "languages" && out.Languages[key[1]] != nil:
				pruned = append(pruned, m[1])
				delete(out.Languages[key[1]], key[2])
				fixed = true
			case m[1] == "defaultContentLanguageInSubdir" && out.InSubdir != nil:
				out.InSubdir = nil
				c.note("defaultContentLanguageInSubdir", "vitrine serves the default language at the root: add aliases for the old /LANG/ addresses")
				fixed = true
			}
		}
		if !fixed && out.Languages != nil && strings.Contains(perr.Error(), "languages") {
			// This vitrine builds one language: say so once per language, and where its pages are.
			for _, code := range slices.Sorted(maps.Keys(out.Languages)) {
				if code == out.Language {
					continue
				}
				c.note("languages."+code, "left out: %s", firstLine(perr.Error()))
			}
			c.contentDir("languages."+out.Language+".contentDir", dirs[out.Language])
			out.Languages, pruned = nil, nil
			fixed = true
		}
		if !fixed {
			return nil, fmt.Errorf("the %s written for this site is refused: %w", config.FileName, perr)
		}
	}
	return nil, errors.New("could not write a vitrine.toml vitrine accepts")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, config.FileName) {
		s = s[i+2:]
	}
	return s
}

const header = "# Written by vitrine import hugo from the Hugo configuration. See the README for every setting.\n\n"
