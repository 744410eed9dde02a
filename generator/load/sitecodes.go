package load

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/shortcode"
)

// siteShortcodes are the shortcodes a Hugo site defines in layouts/shortcodes/ (or _shortcodes/), its
// own first, then its Hugo theme's, where vitrine import hugo leaves them (hugo/layouts/) or where they
// lie. They run as html/template templates with a context shaped like Hugo's for the constructs real
// shortcodes use most: .Get (by name or position), .Inner, .InnerDeindent, .Params, .IsNamedParams,
// .Ordinal, .Name, .Page (Title, Params, Permalink, RelPermalink, Lang), .Site (Params, BaseURL, Title,
// Language.Lang), and the functions of funcs. html/template escapes what they print; the functions touch
// no file and no network. A template that does not parse, or calls what vitrine lacks, is reported at
// each use, with what it encloses kept.
type siteShortcodes struct {
	tmpl map[string]*template.Template // by name ("note", "docs/note")
	errs map[string]string             // why a shortcode's template cannot run
	file map[string]string             // the template's file, for messages
}

// shortcodeDirs are where a Hugo site's shortcodes are looked for, the site's own first.
var shortcodeDirs = []string{
	"layouts/shortcodes", "layouts/_shortcodes", "hugo/layouts/shortcodes", "hugo/layouts/_shortcodes",
}

func loadSiteShortcodes(fsys fs.FS) *siteShortcodes {
	sc := &siteShortcodes{tmpl: map[string]*template.Template{}, errs: map[string]string{}, file: map[string]string{}}
	dirs := append([]string(nil), shortcodeDirs...)
	if themes, err := fs.ReadDir(fsys, "themes"); err == nil {
		for _, t := range themes {
			if t.IsDir() {
				dirs = append(dirs, "themes/"+t.Name()+"/layouts/shortcodes", "themes/"+t.Name()+"/layouts/_shortcodes")
			}
		}
	}
	for _, dir := range dirs {
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return nil
			}
			name := strings.TrimSuffix(strings.TrimPrefix(p, dir+"/"), ".html")
			// Hugo's output-format and language variants (note.en.html, note.html.html) stand for the same
			// shortcode; the first one found is used.
			if i := strings.IndexByte(path.Base(name), '.'); i >= 0 {
				name = path.Join(path.Dir(name), path.Base(name)[:i])
			}
			if _, seen := sc.file[name]; seen {
				return nil
			}
			sc.file[name] = p
			src, err := fs.ReadFile(fsys, p)
			if err != nil {
				sc.errs[name] = err.Error()
				return nil
			}
			t, err := template.New(name).Funcs(shortcodeFuncs(nil)).Parse(string(src))
			if err != nil {
				sc.errs[name] = templateError(name, p, err)
				return nil
			}
			sc.tmpl[name] = t
			return nil
		})
	}
	return sc
}

// shortcodeFuncs are the functions of Hugo that site shortcodes use most, under Hugo's names. c gives
// those that need the page (markdownify, relURL, absURL); nil when parsing.
func shortcodeFuncs(c *scPage) template.FuncMap {
	site := func() *model.Site {
		if c == nil {
			return &model.Site{}
		}
		return c.site
	}
	str := func(v any) string {
		switch s := v.(type) {
		case string:
			return s
		case template.HTML:
			return string(s)
		case nil:
			return ""
		}
		return fmt.Sprint(v)
	}
	return template.FuncMap{
		"relURL": func(v any) string { return site().RelURL(str(v)) },
		"absURL": func(v any) string { return site().AbsURL(str(v)) },
		"relLangURL": func(v any) string {
			return site().RelURL(str(v))
		},
		"absLangURL": func(v any) string { return site().AbsURL(str(v)) },
		"markdownify": func(v any) template.HTML {
			if c == nil || c.inline == nil {
				return template.HTML(template.HTMLEscapeString(str(v)))
			}
			return template.HTML(c.inline(str(v)))
		},
		"safeHTML": func(v any) template.HTML { return template.HTML(str(v)) },
		"safeURL":  func(v any) template.URL { return template.URL(str(v)) },
		"safeCSS":  func(v any) template.CSS { return template.CSS(str(v)) },
		"safeHTMLAttr": func(v any) template.HTMLAttr {
			return template.HTMLAttr(str(v))
		},
		"default": func(def any, v ...any) any {
			if len(v) == 0 || v[0] == nil || v[0] == "" || v[0] == false || v[0] == 0 {
				return def
			}
			return v[0]
		},
		"urlize":    func(v any) string { return site().Slug(str(v)) },
		"lower":     func(v any) string { return strings.ToLower(str(v)) },
		"upper":     func(v any) string { return strings.ToUpper(str(v)) },
		"trim":      func(v any, cut string) string { return strings.Trim(str(v), cut) },
		"replace":   func(v any, old, new string) string { return strings.ReplaceAll(str(v), old, new) },
		"hasPrefix": func(v any, p string) bool { return strings.HasPrefix(str(v), p) },
		"hasSuffix": func(v any, p string) bool { return strings.HasSuffix(str(v), p) },
		"in":        func(set any, v any) bool { return strings.Contains(str(set), str(v)) },
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"int":       func(v any) (int, error) { return strconv.Atoi(strings.TrimSpace(str(v))) },
		"string":    str,
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key and value pairs")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				m[str(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"slice":      func(v ...any) []any { return v },
		"split":      func(v any, sep string) []string { return strings.Split(str(v), sep) },
		"delimit":    func(v []string, sep string) string { return strings.Join(v, sep) },
		"htmlEscape": func(v any) string { return template.HTMLEscapeString(str(v)) },
		"plainify":   func(v any) string { return stripTags(str(v)) },
		"isset":      func(m map[string]any, k string) bool { _, ok := m[k]; return ok },
		"errorf":     func(format string, args ...any) (string, error) { return "", fmt.Errorf(format, args...) },
		"warnf":      func(string, ...any) string { return "" },
		"partial": func(name string, _ ...any) (string, error) {
			return "", fmt.Errorf("partial %q: vitrine does not run Hugo partials", name)
		},
		"partialCached": func(name string, _ ...any) (string, error) {
			return "", fmt.Errorf("partial %q: vitrine does not run Hugo partials", name)
		},
	}
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// scPage is what a site shortcode sees of the page and the site.
type scPage struct {
	site   *model.Site
	page   *model.Page
	inline func(string) string
}

// scContext is a shortcode's . as Hugo gives it.
type scContext struct {
	call     shortcode.Call
	Inner    template.HTML
	Ordinal  int
	Name     string
	Page     scPageView
	Site     scSiteView
	Position string
}

type scPageView struct {
	Title, Description, Permalink, RelPermalink, Lang, Section string
	Params                                                     map[string]any
}

type scSiteView struct {
	Title, BaseURL string
	Params         map[string]any
	Language       struct{ Lang string }
}

// Get returns a parameter by name or by position (an int), "" when not given, as Hugo's .Get.
func (c *scContext) Get(key any) any {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(c.call.Positional) {
			return c.call.Positional[k]
		}
		return nil
	case string:
		if v, ok := c.call.Named[k]; ok {
			return v
		}
		return nil
	}
	return nil
}

// Params is the parameters: the named ones as a map, else the positional ones as a list.
func (c *scContext) Params() any {
	if len(c.call.Named) > 0 {
		m := make(map[string]any, len(c.call.Named))
		for k, v := range c.call.Named {
			m[k] = v
		}
		return m
	}
	out := make([]any, len(c.call.Positional))
	for i, v := range c.call.Positional {
		out[i] = v
	}
	return out
}

// IsNamedParams reports whether the shortcode was called with named parameters.
func (c *scContext) IsNamedParams() bool { return len(c.call.Named) > 0 }

// InnerDeindent is Inner without the indentation common to its lines.
func (c *scContext) InnerDeindent() template.HTML {
	lines := strings.Split(string(c.Inner), "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
	}
	return template.HTML(strings.Join(lines, "\n"))
}

// Parent is nil: vitrine runs each shortcode on its own.
func (c *scContext) Parent() any { return nil }

// run executes a site shortcode; ok is false when the site has no shortcode of that name.
func (sc *siteShortcodes) run(pg *scPage, call shortcode.Call) (string, bool, error) {
	if sc == nil {
		return "", false, nil
	}
	t, ok := sc.tmpl[call.Name]
	if !ok {
		if why, bad := sc.errs[call.Name]; bad {
			return "", true, fmt.Errorf("%s", why)
		}
		return "", false, nil
	}
	t, err := t.Clone()
	if err != nil {
		return "", true, err
	}
	t.Funcs(shortcodeFuncs(pg))
	p := pg.page
	ctx := &scContext{call: call, Inner: template.HTML(call.Inner), Ordinal: call.Ordinal, Name: call.Name,
		Page: scPageView{Title: p.Title, Description: p.Description, Permalink: pg.site.AbsURL(p.URL),
			RelPermalink: pg.site.RelURL(p.URL), Lang: p.Lang, Section: p.Section, Params: p.Params},
		Site: scSiteView{Title: pg.site.Title, BaseURL: pg.site.BaseURL, Params: pg.site.Params}}
	ctx.Site.Language.Lang = pg.site.Language
	var buf bytes.Buffer
	if err := t.Execute(&buf, ctx); err != nil {
		return "", true, fmt.Errorf("%s", templateError(call.Name, sc.file[call.Name], err))
	}
	return buf.String(), true, nil
}

// templateError names the template's file and line in an error of html/template, which names the
// template ("template: note:3:5: …").
func templateError(name, file string, err error) string {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	if rest, ok := strings.CutPrefix(msg, name+":"); ok {
		return file + ":" + rest
	}
	return file + ": " + msg
}
