package load

import (
	"cmp"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/shortcode"
)

// This file reads the front matter Hugo gives meaning to beyond a page's own fields: cascade (values an
// _index.md passes down to the pages under it), build options (_build or build: list, render) and
// headless, and the menus a page puts itself in.

// cascadeRule is one set of values an _index.md passes down, to the pages its target matches.
type cascadeRule struct {
	path   *regexp.Regexp // Hugo glob on the page's path ("/blog/**"); nil for every page
	kind   string         // "page", "section", "home"; "" for every kind
	values map[string]any
}

// cascades reads the cascade of each _index.md once per load, on demand, from any goroutine.
type cascades struct {
	fsys fs.FS
	mu   sync.Mutex
	dirs map[string][]cascadeRule // folder in fsys → the rules of its _index.md, nil when none
}

func newCascades(fsys fs.FS) *cascades {
	return &cascades{fsys: fsys, dirs: map[string][]cascadeRule{}}
}

// of returns the rules that apply to a file, the closest folder's first.
func (c *cascades) of(f *file) []cascadeRule {
	dir := path.Dir(f.path)
	if f.bundle || f.list {
		dir = path.Dir(dir) // a bundle's own folder holds no _index.md; a list's is itself
	}
	var out []cascadeRule
	for ; dir == ContentDir || strings.HasPrefix(dir, ContentDir+"/"); dir = path.Dir(dir) {
		out = append(out, c.dir(dir)...)
	}
	return out
}

func (c *cascades) dir(dir string) []cascadeRule {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rules, ok := c.dirs[dir]; ok {
		return rules
	}
	var rules []cascadeRule
	for _, name := range []string{"_index.md", "_index.markdown"} {
		src, err := fs.ReadFile(c.fsys, path.Join(dir, name))
		if err != nil {
			continue
		}
		// Errors in the file are reported when the file itself is read.
		doc, err := split(src)
		if err != nil {
			break
		}
		meta, err := doc.decode("")
		if err != nil {
			break
		}
		for k, v := range meta {
			if strings.EqualFold(k, "cascade") {
				rules = parseCascade(v)
			}
		}
		break
	}
	c.dirs[dir] = rules
	return rules
}

// parseCascade reads cascade: a table of values for every page below, or a list of them each with a
// _target (or target) of path and kind.
func parseCascade(v any) []cascadeRule {
	var items []map[string]any
	switch c := v.(type) {
	case map[string]any:
		items = append(items, c)
	case []any:
		for _, e := range c {
			if m, ok := e.(map[string]any); ok {
				items = append(items, m)
			}
		}
	case []map[string]any:
		items = c
	}
	var rules []cascadeRule
	for _, m := range items {
		r := cascadeRule{values: map[string]any{}}
		for k, val := range m {
			switch strings.ToLower(k) {
			case "_target", "target":
				t, _ := val.(map[string]any)
				for tk, tv := range t {
					s, _ := tv.(string)
					switch strings.ToLower(tk) {
					case "path":
						if s != "" {
							r.path = globRegexp(s)
						}
					case "kind":
						r.kind = s
					}
				}
			default:
				r.values[k] = val
			}
		}
		rules = append(rules, r)
	}
	return rules
}

// globRegexp turns a Hugo path glob into a regular expression: ** crosses folders, * does not.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?i)^")
	if !strings.HasPrefix(glob, "/") && !strings.HasPrefix(glob, "*") {
		b.WriteString("/")
	}
	for i := 0; i < len(glob); i++ {
		switch {
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case glob[i] == '*':
			b.WriteString("[^/]*")
		case glob[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^\x00$`)
	}
	return re
}

// hugoPath is a file's path as Hugo's cascade targets name it: "/blog/post" for content/blog/post.md
// or content/blog/post/index.md, "/blog" for content/blog/_index.md.
func (f *file) hugoPath() string {
	p := strings.TrimSuffix(f.rel, path.Ext(f.rel))
	if f.bundle || f.list {
		p = path.Dir(p)
	}
	if p == "." {
		return "/"
	}
	return "/" + p
}

func (f *file) hugoKind() string {
	switch {
	case f.list && path.Dir(f.rel) == ".":
		return "home"
	case f.list:
		return "section"
	}
	return "page"
}

// applyCascade adds to meta the values cascaded to the file that its front matter does not set; the
// closest _index.md wins. Keys compare without case, as Hugo's do; params tables merge.
func applyCascade(meta map[string]any, rules []cascadeRule, f *file) {
	if len(rules) == 0 {
		return
	}
	present := map[string]string{}
	for k := range meta {
		present[strings.ToLower(k)] = k
	}
	for _, r := range rules {
		if r.kind != "" && !strings.EqualFold(r.kind, f.hugoKind()) {
			continue
		}
		if r.path != nil && !r.path.MatchString(f.hugoPath()) {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(r.values)) {
			lk := strings.ToLower(k)
			if lk == "cascade" {
				continue
			}
			v := r.values[k]
			own, ok := present[lk]
			if !ok {
				meta[k] = v
				present[lk] = k
				continue
			}
			if lk == "params" {
				mine, ok1 := meta[own].(map[string]any)
				theirs, ok2 := v.(map[string]any)
				if ok1 && ok2 {
					merged := maps.Clone(theirs)
					maps.Copy(merged, mine)
					meta[own] = merged
				}
			}
		}
	}
}

// setBuild reads Hugo's build options: list (always, local, never) and render (always, link, never);
// true and false stand for always and never, as in Hugo's first versions of them.
func (f *file) setBuild(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("expected a table with list and render")
	}
	for k, val := range m {
		s := fmt.Sprint(val)
		switch s {
		case "true":
			s = "always"
		case "false":
			s = "never"
		}
		switch strings.ToLower(k) {
		case "list":
			switch s {
			case "always":
				f.unlisted, f.listLocal = false, false
			case "local":
				f.listLocal = true
			case "never":
				f.unlisted = true
			default:
				return fmt.Errorf("list: %q: use always, local or never", s)
			}
		case "render":
			switch s {
			case "always":
				f.noRender = false
			case "never", "link":
				f.noRender = true
			default:
				return fmt.Errorf("render: %q: use always, link or never", s)
			}
		case "publishresources":
		default:
			return fmt.Errorf("unknown build option %q (use list, render, publishResources)", k)
		}
	}
	return nil
}

// pageMenu is an entry a page's front matter puts in a menu.
type pageMenu struct {
	menu   string
	name   string
	weight int
	parent string
}

// toMenus reads menu (or menus): a menu name, a list of them, or a table of menus each with name,
// weight and parent.
func toMenus(v any) ([]pageMenu, error) {
	var out []pageMenu
	switch m := v.(type) {
	case string:
		out = append(out, pageMenu{menu: m})
	case []any:
		for _, e := range m {
			s, err := toString(e)
			if err != nil {
				return nil, fmt.Errorf("expected menu names: %w", err)
			}
			out = append(out, pageMenu{menu: s})
		}
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(m)) {
			pm := pageMenu{menu: name}
			if entry, ok := m[name].(map[string]any); ok {
				for k, val := range entry {
					var err error
					switch strings.ToLower(k) {
					case "name":
						pm.name, err = toString(val)
					case "weight":
						pm.weight, err = toInt(val)
					case "parent":
						pm.parent, err = toString(val)
					}
					if err != nil {
						return nil, fmt.Errorf("%s.%s: %w", name, k, err)
					}
				}
			}
			out = append(out, pm)
		}
	default:
		return nil, fmt.Errorf("expected a menu name, a list of them or a table")
	}
	return out, nil
}

// addPageMenus puts the pages that ask for it in the site's menus, named by their menu entry's name,
// else linkTitle, else title. Entries under a parent are left out: vitrine's menus have one level.
func addPageMenus(site *model.Site, files []*file) {
	changed := map[string]bool{}
	for _, f := range files {
		for _, m := range f.menus {
			if m.parent != "" || m.menu == "" {
				continue
			}
			name := m.name
			if name == "" {
				name = linkTitle(f.page)
			}
			weight := m.weight
			if weight == 0 {
				weight = f.page.Weight // as in Hugo, an entry without a weight takes its page's
			}
			site.Menus[m.menu] = append(site.Menus[m.menu], model.MenuEntry{Name: name, URL: f.page.URL, Weight: weight})
			changed[m.menu] = true
		}
	}
	for name := range changed {
		slices.SortStableFunc(site.Menus[name], func(a, b model.MenuEntry) int {
			return cmp.Or(cmp.Compare(a.Weight, b.Weight), strings.Compare(a.Name, b.Name), strings.Compare(a.URL, b.URL))
		})
	}
}

// linkTitle is the page's linkTitle front matter, else its title.
func linkTitle(p *model.Page) string {
	for k, v := range p.Params {
		if strings.EqualFold(k, "linktitle") {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
	}
	return p.Title
}

// siteIndex is how shortcodes look pages up: by path, without case, as Hugo's ref does, and by name.
type siteIndex struct {
	bySource map[string]*file   // the visible files, by path in fsys
	byLower  map[string]*file   // the same, path in lower case
	byName   map[string][]*file // file name without extension (a bundle's folder name), lower case
	cfg      config.Config
	// shortcodes are the site's own, nil when it has none.
	shortcodes *siteShortcodes
}

func newSiteIndex(bySource map[string]*file, cfg config.Config) *siteIndex {
	idx := &siteIndex{bySource: bySource, byLower: make(map[string]*file, len(bySource)),
		byName: make(map[string][]*file, len(bySource)), cfg: cfg}
	for p, f := range bySource {
		idx.byLower[strings.ToLower(p)] = f
		name := strings.TrimSuffix(path.Base(p), path.Ext(p))
		if f.bundle || f.list {
			name = path.Base(path.Dir(p))
		}
		name = strings.ToLower(name)
		idx.byName[name] = append(idx.byName[name], f)
	}
	return idx
}

// refCandidates lists the files a ref to p may mean: p itself when it names a Markdown file, else p
// with an extension, or the bundle or section at p.
func refCandidates(p string) []string {
	if isMarkdown(p) {
		return []string{p}
	}
	var out []string
	for _, suffix := range []string{".md", ".markdown", "/index.md", "/_index.md", "/index.markdown", "/_index.markdown"} {
		out = append(out, p+suffix)
	}
	return out
}

// ref resolves the target of a ref or relref shortcode as Hugo does: a path from the page's folder,
// else from content/ (a leading / means content/ only), with or without extension; else the one page
// of that name. The link is recorded, so the page is converted again when the target moves.
func (f *file) ref(idx *siteIndex, target string) (string, bool) {
	t, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	t = strings.TrimSuffix(strings.TrimSpace(t), "/")
	var cands []string
	if strings.HasPrefix(t, "/") || t == "" {
		if t == "" {
			return "/" + frag, true // the home page
		}
		cands = refCandidates(path.Join(ContentDir, t))
	} else {
		dir := path.Dir(f.path)
		cands = refCandidates(path.Join(dir, t))
		if f.bundle {
			cands = append(cands, refCandidates(path.Join(path.Dir(dir), t))...)
		}
		cands = append(cands, refCandidates(path.Join(ContentDir, t))...)
	}
	for _, c := range cands {
		if g := idx.byLower[strings.ToLower(c)]; g != nil {
			f.links[g.path] = g.page.URL
			return g.page.URL + frag, true
		}
	}
	name := strings.ToLower(path.Base(t))
	if isMarkdown(name) {
		name = strings.TrimSuffix(name, path.Ext(name))
	}
	if !strings.Contains(t, "/") {
		if gs := idx.byName[name]; len(gs) == 1 {
			f.links[gs[0].path] = gs[0].page.URL
			return gs[0].page.URL + frag, true
		}
	}
	if path.Clean(t) == "." || t == "/" {
		return "/" + frag, true
	}
	f.links[cands[0]] = ""
	return "", false
}

// param finds a parameter for the param shortcode: the page's front matter, then the site's [params];
// a dotted name walks into tables. Keys compare without case, as in Hugo.
func param(name string, tables ...map[string]any) (any, bool) {
	for _, t := range tables {
		var cur any = t
		found := true
		for seg := range strings.SplitSeq(name, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				found = false
				break
			}
			cur, found = nil, false
			for k, v := range m {
				if strings.EqualFold(k, seg) {
					cur, found = v, true
					break
				}
			}
			if !found {
				break
			}
		}
		if found && cur != nil {
			return cur, true
		}
	}
	return nil, false
}

// expandShortcodes expands the shortcodes of the body, reports broken ones as errors and unknown ones
// as unsupported features of the page, with their lines in the file.
func (f *file) expandShortcodes(md *markdown.Converter, idx *siteIndex) *shortcode.Result {
	p := f.page
	lang := p.Lang
	if lang == "" {
		lang = idx.cfg.Language
	}
	own := map[string]any{"title": p.Title, "description": p.Description}
	ctx := shortcode.Context{
		Lang:  lang,
		Ref:   func(target string) (string, bool) { return f.ref(idx, target) },
		Param: func(name string) (any, bool) { return param(name, p.Params, own, idx.cfg.Params) },
		Inline: func(s string) string {
			res, err := md.Convert([]byte(s), nil)
			if err != nil {
				return html.EscapeString(s)
			}
			out := strings.TrimSpace(string(res.HTML))
			if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
				out = out[3 : len(out)-4]
			}
			return out
		},
	}
	if idx.shortcodes != nil && len(idx.shortcodes.file) > 0 {
		pg := &scPage{site: &model.Site{BaseURL: idx.cfg.BaseURL, Title: idx.cfg.Title, Language: lang, Params: idx.cfg.Params,
			HugoURLs: idx.cfg.HugoCompat, FoldAccents: idx.cfg.RemovePathAccents}, page: p, inline: ctx.Inline}
		ctx.Site = func(c shortcode.Call) (string, bool, error) { return idx.shortcodes.run(pg, c) }
	}
	exp := shortcode.Expand(f.doc.body, ctx)
	for _, e := range exp.Errors {
		f.fail(f.doc.bodyLine+e.Line-1, "%s", e.Msg)
	}
	for _, w := range exp.Warnings {
		f.notice(model.Notice{Line: f.doc.bodyLine + w.Line - 1, Feature: "shortcode " + w.Name, Msg: w.Msg})
	}
	return exp
}

// notice records something the build left out of the page: on the page, for vitrine check and the
// import's report, and among the build's warnings.
func (f *file) notice(n model.Notice) {
	f.page.Unsupported = append(f.page.Unsupported, n)
	f.warn(n.Line, "%s", n.Msg)
}

// sourceLine maps a line of the Markdown converted (its shortcodes expanded) to the file's line.
func (f *file) sourceLine(line int) int {
	return f.doc.bodyLine + f.exp.SourceLine(line) - 1
}
