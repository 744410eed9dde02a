package load

import (
	"path"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// languages tells which language each content file is written in, as Hugo users know it:
//
//   - a file under a language's contentDir (content/en/ by default when it exists) is in that
//     language, and its path under that folder is its path on the site;
//   - a file named NAME.LANG.md (index.en.md, _index.en.md) is in LANG, wherever it lies;
//   - any other file is in the default language.
//
// Files of different languages with the same path on the site (content/about.md and
// content/about.en.md, or content/fr/about.md and content/en/about.md) are translations of each other;
// front matter's translationKey links pages with different paths.
type languages struct {
	def    string
	codes  []string          // default first; one on a monolingual site
	multi  bool              // more than one language
	dirs   map[string]string // content folder → language
	prefix map[string]string // language → URL prefix ("" or "/en")
	// mounted is set when, as Hugo does with every language's contentDir given, only the languages'
	// folders are read: content/hr/ of a language the configuration does not list is not published.
	mounted bool
}

// outside reports whether a file of content/ lies outside every language's folder on a site that reads
// those folders only.
func (l *languages) outside(p string) bool {
	if !l.mounted {
		return false
	}
	for dir := range l.dirs {
		if within(p, dir) {
			return false
		}
	}
	return true
}

func newLanguages(cfg config.Config) *languages {
	l := &languages{def: cfg.Language, codes: cfg.LanguageCodes(), multi: cfg.Multilingual(),
		dirs: map[string]string{}, prefix: map[string]string{}}
	for _, code := range l.codes {
		l.prefix[code] = cfg.LanguagePrefix(code)
		if !l.multi {
			continue
		}
		dir := cfg.Languages[code].ContentDir
		if dir == "" {
			dir = ContentDir + "/" + code
		}
		l.dirs[dir] = code
	}
	if l.multi && cfg.HugoCompat {
		l.mounted = true
		for _, code := range l.codes {
			if cfg.Languages[code].ContentDir == "" {
				l.mounted = false
			}
		}
	}
	return l
}

// classify sets the file's language, its path on the site (rel, without the language folder nor the
// language in its name), whether it is a bundle or a list, and its translation key.
func (l *languages) classify(f *file) {
	rel := strings.TrimPrefix(f.path, ContentDir+"/")
	lang := l.def
	f.explicit = false
	if l.multi {
		for dir, code := range l.dirs {
			if within(f.path, dir) {
				lang, rel = code, strings.TrimPrefix(f.path, dir+"/")
				f.explicit = true
				break
			}
		}
		name := path.Base(rel)
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		if i := strings.LastIndexByte(base, '.'); i > 0 && slices.Contains(l.codes, base[i+1:]) {
			lang = base[i+1:]
			rel = path.Join(path.Dir(rel), base[:i]+ext)
			f.explicit = true
		}
	}
	name := path.Base(rel)
	f.rel, f.lang = rel, lang
	stem := strings.TrimSuffix(name, path.Ext(name)) // index.md and index.markdown alike
	f.bundle, f.list = stem == "index", stem == "_index"
	switch {
	case f.bundle:
		f.key = path.Dir(rel)
	case f.list:
		f.key = listKey(path.Dir(rel))
	default:
		f.key = strings.TrimSuffix(rel, path.Ext(rel))
	}
}

// listKey is the translation key of the list of a folder ("." for the home page), generated or not.
func listKey(dir string) string {
	if dir == "." {
		return "_index"
	}
	return dir + "/_index"
}

// outputDir maps a file of content/ that is no page (an image, a PDF) to where it is copied: its path
// on the site, under its language's prefix.
func (l *languages) outputDir(p string) string {
	rel := strings.TrimPrefix(p, ContentDir+"/")
	if !l.multi {
		return rel
	}
	for dir, code := range l.dirs {
		if within(p, dir) {
			return strings.TrimPrefix(l.prefix[code]+"/"+strings.TrimPrefix(p, dir+"/"), "/")
		}
	}
	return rel
}

// linkTranslations sets each page's Translations: the pages of the other languages with the same
// translation key, in the order of the languages.
func linkTranslations(sites []*model.Site) {
	byKey := map[string][]*model.Page{}
	for _, s := range sites {
		for _, p := range s.Pages {
			if p.TranslationKey != "" {
				byKey[p.TranslationKey] = append(byKey[p.TranslationKey], p)
			}
		}
	}
	for _, group := range byKey {
		if len(group) < 2 {
			continue
		}
		for _, p := range group {
			p.Translations = make([]*model.Page, 0, len(group)-1)
			for _, q := range group {
				if q != p && q.Lang != p.Lang {
					p.Translations = append(p.Translations, q)
				}
			}
		}
	}
}

// linkIndex finds the page a Markdown link leads to. On a multilingual site a link to a file that does
// not say its language goes to the version of the page in the language of the page that links, when
// there is one: a link to about.md from about.en.md leads to about.en.md, from content/en/contact.md to
// content/en/about.md, else to content/fr/about.md. A link to a file that says its language, by its
// name or its folder (about.fr.md, ../fr/about.md), goes there.
type linkIndex struct {
	langs    *languages
	bySource map[string]*file // the visible files, by path
	byPath   map[string]*file // by language and path on the site: "en\x00about"
	byKey    map[string]*file // by language and translation key
	hugo     *siteIndex       // the same files, as Hugo's shortcodes (ref, relref) look pages up
	// broken are the files whose front matter could not be read, by path, with the URL they had when
	// last read: a link to one is not also an error of the page that links (see brokenFiles).
	broken map[string]*file
}

// brokenFiles adds to x the files whose front matter could not be read, so that links to them resolve:
// their own error says what is wrong, and the pages that link to them must not say "no such page" as
// well. A link leads to the URL the file had the last time it was read (urls, by path), as the server
// still serves it, else to the URL its path gives.
func (x *linkIndex) brokenFiles(files []*file, urls map[string]string) {
	for _, f := range files {
		url, ok := urls[f.path]
		if !ok {
			url = "/" + strings.TrimSuffix(strings.TrimSuffix(f.key, "/index"), "_index") + "/"
			url = strings.ReplaceAll(url, "//", "/")
		}
		if x.broken == nil {
			x.broken = map[string]*file{}
		}
		x.broken[f.path] = &file{path: f.path, lang: f.lang, key: f.key, explicit: true, page: &model.Page{URL: url, Lang: f.lang, TranslationKey: f.key}}
	}
}

func newLinkIndex(langs *languages, visible []*file) *linkIndex {
	x := &linkIndex{langs: langs, bySource: make(map[string]*file, len(visible))}
	for _, f := range visible {
		x.bySource[f.path] = f
	}
	if langs.multi {
		x.byPath = make(map[string]*file, len(visible))
		x.byKey = make(map[string]*file, len(visible))
		for _, f := range visible {
			x.byPath[f.lang+"\x00"+f.key] = f
			x.byKey[f.lang+"\x00"+f.page.TranslationKey] = f
		}
	}
	return x
}

// resolve returns the file a link from one file to target (a path in the source) leads to, or nil.
func (x *linkIndex) resolve(from *file, target string) *file {
	if t := x.resolveVisible(from, target); t != nil {
		return t
	}
	return x.broken[target]
}

// resolveVisible is resolve among the visible files.
func (x *linkIndex) resolveVisible(from *file, target string) *file {
	t := x.bySource[target]
	if !x.langs.multi {
		return t
	}
	if t == nil {
		// A link to a page of the site by its path, whose file is in another language's folder or
		// name: content/en/contact.md links to about.md, written only as content/fr/about.md.
		probe := &file{path: target}
		x.langs.classify(probe)
		if t = x.byPath[from.lang+"\x00"+probe.key]; t == nil {
			for _, code := range x.langs.codes {
				if t = x.byPath[code+"\x00"+probe.key]; t != nil {
					break
				}
			}
		}
		if t == nil {
			return nil
		}
	}
	if t.lang != from.lang && !t.explicit {
		if own := x.byKey[from.lang+"\x00"+t.page.TranslationKey]; own != nil {
			return own
		}
	}
	return t
}
