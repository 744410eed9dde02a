package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Severity tells whether a finding fails the check.
type Severity string

// Errors make `vitrine check` exit non-zero; warnings are advice for search results and sharing; infos
// say what may be intended (a page not translated yet).
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one problem, located in a source file when it comes from one.
type Finding struct {
	File     string // source file, or output file for generated pages
	Line     int    // 1-based, 0 when unknown
	Severity Severity
	Msg      string
}

func (f Finding) String() string {
	loc := f.File
	if f.Line > 0 {
		loc = fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s: %s: %s", loc, f.Severity, f.Msg)
}

// Limits of what search engines show before cutting; past them, a title or description is truncated in
// results.
const (
	MaxTitle       = 60
	MaxDescription = 160
)

// Site checks a built site: broken internal links and anchors, images without alt text (errors);
// missing, too long or duplicate titles and descriptions, and what the build left out of a page, such as
// an unknown shortcode (warnings). source is the site's folder, read to
// give line numbers.
func Site(site *model.Site, files Files, source fs.FS) []Finding {
	byOutput := map[string]*model.Page{}
	for _, p := range site.Pages {
		byOutput[model.OutputPath(p.URL)] = p
	}
	src := sources{fsys: source, cache: map[string][]string{}}
	var out []Finding
	locate := func(outFile string, needles ...string) (string, int) {
		p := byOutput[outFile]
		if p == nil || p.Source == "" {
			return outFile, 0
		}
		return p.Source, src.line(p.Source, needles...)
	}

	for _, pr := range Links(files, site.BaseURL) {
		// Links the theme writes (menus, lists) are not in any Markdown file; only a page's own
		// content can be fixed in its source.
		file, line := locate(pr.Page, pr.Link, fragment(pr.Link), lastSegment(pr.Link))
		out = append(out, Finding{File: file, Line: line, Severity: Error, Msg: "broken link " + pr.Link + ": " + pr.Reason})
	}

	for _, p := range site.Pages {
		if p.Source == "" {
			continue
		}
		for _, img := range imagesWithoutAlt(string(p.Content)) {
			// The name the source gives, not the one of the published file (camille.400.810abeccfb.jpg).
			img = sourceImage(p, img)
			out = append(out, Finding{File: p.Source, Line: src.line(p.Source, "![]("+img, "]("+img, img, path.Base(img)), Severity: Error,
				Msg: "image " + img + " has no alt text: describe it between the brackets, ![like this](" + img + ")"})
		}
	}

	// What the build left out of a page: shortcodes it does not know.
	for _, p := range site.Pages {
		for _, n := range p.Unsupported {
			out = append(out, Finding{File: p.Source, Line: n.Line, Severity: Warning, Msg: n.Msg})
		}
	}

	titles := map[string][]*model.Page{}
	for _, p := range site.Pages {
		if !p.IsRegular() && p.Kind != model.KindSection {
			continue
		}
		where := p.Source
		if where == "" {
			where = model.OutputPath(p.URL)
		}
		// Translations may share a title: only pages of one language compete in its search results.
		key := p.Lang + "\x00" + strings.ToLower(strings.TrimSpace(p.Title))
		titles[key] = append(titles[key], p)
		if n := len([]rune(p.Title)); n > MaxTitle {
			out = append(out, Finding{File: where, Line: src.line(p.Source, "title"), Severity: Warning,
				Msg: fmt.Sprintf("title is %d characters: search results cut it after about %d", n, MaxTitle)})
		}
		switch n := len([]rune(p.Description)); {
		case p.Description == "" && p.IsRegular():
			out = append(out, Finding{File: where, Line: 1, Severity: Warning,
				Msg: "no description: add description: to the front matter (shown in search results and shares)"})
		case n > MaxDescription:
			out = append(out, Finding{File: where, Line: src.line(p.Source, "description"), Severity: Warning,
				Msg: fmt.Sprintf("description is %d characters: search results cut it after about %d", n, MaxDescription)})
		}
	}
	out = append(out, untranslated(site)...)
	for _, same := range titles {
		if len(same) < 2 {
			continue
		}
		var names []string
		for _, p := range same {
			names = append(names, cmpName(p))
		}
		slices.Sort(names)
		for _, p := range same {
			if p.Source != "" {
				out = append(out, Finding{File: p.Source, Line: src.line(p.Source, "title"), Severity: Warning,
					Msg: fmt.Sprintf("title %q is shared by %s: give each page its own", p.Title, strings.Join(names, ", "))})
			}
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Msg, b.Msg)
	})
	return slices.Compact(out)
}

// untranslated lists, on a multilingual site, the pages written in one language that have no
// translation in another: often intended, so an info.
func untranslated(site *model.Site) []Finding {
	if len(site.Languages) < 2 {
		return nil
	}
	var out []Finding
	for _, p := range site.Pages {
		if p.Source == "" {
			continue
		}
		var missing []string
		for _, l := range site.Languages {
			if l.Code != p.Lang && !slices.ContainsFunc(p.Translations, func(t *model.Page) bool { return t.Lang == l.Code }) {
				missing = append(missing, l.Name)
			}
		}
		if len(missing) > 0 {
			out = append(out, Finding{File: p.Source, Severity: Info,
				Msg: "no translation in " + strings.Join(missing, ", ") + ": its language switcher leads to the home page"})
		}
	}
	return out
}

// Words reports the theme's words missing in a language, by language: shown in the default language
// (or in English) instead. Each language's words are read from i18n/LANG.toml of the site and the theme.
func Words(missing map[string][]string) []Finding {
	var out []Finding
	for _, lang := range slices.Sorted(maps.Keys(missing)) {
		for _, key := range missing[lang] {
			out = append(out, Finding{File: "i18n/" + lang + ".toml", Severity: Warning,
				Msg: fmt.Sprintf("no %q: pages in %s show it in another language; add %s = \"…\"", key, lang, key)})
		}
	}
	return out
}

func cmpName(p *model.Page) string {
	if p.Source != "" {
		return p.Source
	}
	return p.URL
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

func fragment(link string) string {
	if _, frag, ok := strings.Cut(link, "#"); ok && frag != "" {
		return "#" + frag
	}
	return ""
}

func lastSegment(link string) string {
	link, _, _ = strings.Cut(link, "#")
	link = strings.TrimSuffix(link, "/")
	if i := strings.LastIndexByte(link, '/'); i >= 0 {
		link = link[i+1:]
	}
	return link
}

// variantName matches the name of a published variant of an image: stem.WIDTH.HASH.ext.
var variantName = regexp.MustCompile(`^(.+)\.\d+\.[0-9a-f]{10}\.[a-z0-9]+$`)

// sourceImage returns the name of the source file of a published image src of page p, as the page's
// Markdown likely writes it: its name beside the page, or src itself when it is not a variant.
func sourceImage(p *model.Page, src string) string {
	m := variantName.FindStringSubmatch(path.Base(src))
	if m == nil {
		return src
	}
	for _, mf := range p.Media {
		base := path.Base(mf.Source)
		if strings.TrimSuffix(base, path.Ext(base)) == m[1] {
			if path.Dir(mf.Source) == path.Dir(p.Source) {
				return base
			}
			return "/" + strings.TrimPrefix(strings.TrimPrefix(mf.Source, "static/"), "content/")
		}
	}
	return src
}

// imagesWithoutAlt returns the src of each <img> of a page's content with a missing or empty alt. An
// image in a link that has text of its own (the theme's click-to-load video posters) needs none: the
// link's text already says where it leads.
func imagesWithoutAlt(content string) []string {
	var out []string
	var inLink []string // images without alt in the open link
	link, linkText := false, false
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return append(out, inLink...)
		case html.TextToken:
			if link && len(bytes.TrimSpace(z.Text())) > 0 {
				linkText = true
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" && link {
				if !linkText {
					out = append(out, inLink...)
				}
				link, linkText, inLink = false, false, nil
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) == "a" {
				out = append(out, inLink...)
				link, linkText, inLink = true, false, nil
				continue
			}
			if string(name) != "img" {
				continue
			}
			var src string
			alt := false
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "src":
					src = string(v)
				case "alt":
					alt = len(bytes.TrimSpace(v)) > 0
				}
			}
			if !alt && link {
				inLink = append(inLink, src)
			} else if !alt {
				out = append(out, src)
			}
		}
	}
}

// sources reads source files to find the line a problem comes from.
type sources struct {
	fsys  fs.FS
	cache map[string][]string
}

// line returns the first line of file containing one of the needles, tried in order; 0 when none is
// found.
func (s sources) line(file string, needles ...string) int {
	if s.fsys == nil || file == "" {
		return 0
	}
	lines, ok := s.cache[file]
	if !ok {
		data, err := fs.ReadFile(s.fsys, file)
		if err == nil {
			lines = strings.Split(string(data), "\n")
		}
		s.cache[file] = lines
	}
	for _, n := range needles {
		if n == "" {
			continue
		}
		for i, l := range lines {
			if strings.Contains(l, n) {
				return i + 1
			}
		}
	}
	return 0
}

// BaseURL reports a site whose baseURL is still a placeholder: a host of the example. top-level domain
// (what vitrine init writes when it is given no address, https://mon-site.example/) or example.com,
// .org or .net, which no site is published at. Its canonical URLs, feeds and social cards would point
// nowhere. A demo site, never published, says so with demo = true under [params].
func BaseURL(site *model.Site, source fs.FS) []Finding {
	if demo, _ := site.Params["demo"].(bool); demo {
		return nil
	}
	u, err := url.Parse(site.BaseURL)
	if err != nil {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	reserved := host == "example" || strings.HasSuffix(host, ".example")
	for _, d := range []string{"example.com", "example.org", "example.net"} {
		reserved = reserved || host == d || strings.HasSuffix(host, "."+d)
	}
	if !reserved {
		return nil
	}
	src := sources{fsys: source, cache: map[string][]string{}}
	return []Finding{{File: "vitrine.toml", Line: src.line("vitrine.toml", "baseURL", "baseurl"), Severity: Error,
		Msg: "baseURL " + site.BaseURL + " is a placeholder: write the address the site is published at (https://mon-site.fr/), or demo = true under [params] for a site never published"}}
}
