package load

import (
	"errors"
	"fmt"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"path"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// taxonomyTitles names the taxonomies in the languages the default theme speaks.
var taxonomyTitles = map[string]map[string]string{
	"fr": {"tags": "Étiquettes", "categories": "Catégories"},
	"en": {"tags": "Tags", "categories": "Categories"},
}

// assemble links the loaded pages into the site: home, sections, neighbours, taxonomies; and checks that
// no two pages or aliases claim the same URL.
// Every page's URL starts with prefix, the language's ("/en") on a multilingual site, else "". The URLs
// are checked by the caller, across languages.
func assemble(site *model.Site, files []*file, cfg config.Config, prefix string) {
	var regular []*model.Page
	lists := map[string]*model.Page{} // folder under content/ → its _index.md page
	rels := make(map[*model.Page]string, len(files))
	// Pages built but kept out of lists (Hugo's build option list: never), or out of all lists but
	// their section's (list: local).
	unlisted, local := map[*model.Page]bool{}, map[*model.Page]bool{}
	for _, f := range files {
		rels[f.page] = f.rel
		if f.list {
			lists[path.Dir(f.rel)] = f.page
		} else {
			regular = append(regular, f.page)
			unlisted[f.page], local[f.page] = f.unlisted, f.listLocal
		}
	}
	addPageMenus(site, files)

	site.Home = lists["."]
	if site.Home == nil {
		site.Home = &model.Page{Kind: model.KindHome, URL: prefix + "/", Params: map[string]any{}, TranslationKey: listKey(".")}
	}
	if site.Home.Title == "" {
		site.Home.Title = site.Title
	}
	if site.Home.Description == "" {
		site.Home.Description = site.Description
	}

	// Sections: one list page per top-level folder that has pages or an _index.md.
	for _, p := range regular {
		if p.Section == "" {
			p.Parent = site.Home
			continue
		}
		sec := site.Sections[p.Section]
		if sec == nil {
			sec = lists[p.Section]
			if sec == nil {
				sec = &model.Page{Kind: model.KindSection, Section: p.Section, URL: prefix + "/" + site.Slug(p.Section) + "/",
					Title: titleFromName(p.Section, false), Parent: site.Home, Params: map[string]any{}, TranslationKey: listKey(p.Section)}
			}
			site.Sections[p.Section] = sec
		}
		p.Parent = sec
		if !unlisted[p] {
			sec.Children = append(sec.Children, p)
		}
	}
	for dir, l := range lists {
		if dir == "." {
			continue
		}
		l.Section = strings.Split(dir, "/")[0]
		l.Parent = site.Home
		if !strings.Contains(dir, "/") {
			if site.Sections[dir] == nil {
				site.Sections[dir] = l
			}
			continue
		}
		// A nested list (content/posts/2024/_index.md) lists the pages under its folder.
		for _, p := range regular {
			if strings.HasPrefix(rels[p], dir+"/") && !unlisted[p] {
				l.Children = append(l.Children, p)
			}
		}
		slices.SortFunc(l.Children, model.ByDateDesc)
	}
	for _, sec := range site.Sections {
		sortChildren(sec)
		if sec.Kind == model.KindSection && sec.Title == "" {
			sec.Title = titleFromName(sec.Section, false)
		}
		linkNeighbours(sec)
	}

	var listed []*model.Page // the pages of site-wide lists: home, taxonomies
	for _, p := range regular {
		if !unlisted[p] && !local[p] {
			listed = append(listed, p)
		}
	}
	for _, p := range listed {
		if p.Kind == model.KindArticle {
			site.Home.Children = append(site.Home.Children, p)
		}
	}
	slices.SortFunc(site.Home.Children, model.ByDateDesc)

	pages := append([]*model.Page{site.Home}, regular...)
	for _, l := range lists {
		if l != site.Home {
			pages = append(pages, l)
		}
	}
	for _, sec := range site.Sections {
		if !slices.Contains(pages, sec) {
			pages = append(pages, sec)
		}
	}
	termPatterns, _ := cfg.PagePermalinks()
	pages = append(pages, buildTaxonomies(site, listed, cfg.Language, prefix, termPatterns, cfg.UglyURLs)...)
	slices.SortFunc(pages, func(a, b *model.Page) int { return strings.Compare(a.URL, b.URL) })
	for _, p := range pages {
		p.Lang = cfg.Language
	}
	site.Pages = pages
}

// linkNeighbours sets Prev and Next: for articles (listed newest first) Prev is the older one and Next
// the newer one; for projects they follow the portfolio's order.
func linkNeighbours(sec *model.Page) {
	kind := model.KindForSection(sec.Section)
	if kind != model.KindArticle && kind != model.KindProject {
		return
	}
	c := sec.Children
	for i, p := range c {
		var before, after *model.Page
		if i > 0 {
			before = c[i-1]
		}
		if i+1 < len(c) {
			after = c[i+1]
		}
		if kind == model.KindArticle {
			p.Prev, p.Next = after, before
		} else {
			p.Prev, p.Next = before, after
		}
	}
}

// sortChildren orders a section: projects by weight, events soonest first, anything else newest first.
func sortChildren(sec *model.Page) {
	switch model.KindForSection(sec.Section) {
	case model.KindProject:
		slices.SortFunc(sec.Children, model.ByWeight)
	case model.KindEvent:
		slices.SortFunc(sec.Children, model.ByStart)
	default:
		slices.SortFunc(sec.Children, model.ByDateDesc)
	}
}

func buildTaxonomies(site *model.Site, regular []*model.Page, lang, prefix string, patterns map[string]string, ugly bool) []*model.Page {
	titles := taxonomyTitles[lang]
	if titles == nil {
		titles = taxonomyTitles["en"]
	}
	var pages []*model.Page
	// Ten thousand pages use a hundred tags: each spelling is slugged once.
	slugs := map[string]string{}
	for _, name := range []string{"categories", "tags"} {
		tax := &model.Taxonomy{Name: name}
		bySlug := map[string]*model.Term{}
		spellings := map[*model.Term]map[string]int{}
		for _, p := range regular {
			values := p.Tags
			if name == "categories" {
				values = p.Categories
			}
			for _, v := range values {
				slug, ok := slugs[v]
				if !ok {
					slug = site.Slug(v)
					slugs[v] = slug
				}
				if slug == "" {
					continue
				}
				t := bySlug[slug]
				if t == nil {
					t = &model.Term{Name: v, Slug: slug}
					bySlug[slug] = t
					tax.Terms = append(tax.Terms, t)
					spellings[t] = map[string]int{}
				}
				spellings[t][v]++
				if len(t.Pages) == 0 || t.Pages[len(t.Pages)-1] != p {
					t.Pages = append(t.Pages, p)
				}
			}
		}
		if len(tax.Terms) == 0 {
			continue
		}
		tax.Page = &model.Page{Kind: model.KindTaxonomy, URL: prefix + "/" + name + "/", Title: titles[name],
			Taxonomy: tax, Parent: site.Home, Params: map[string]any{}, TranslationKey: "taxonomy:" + name}
		for _, t := range tax.Terms {
			t.Name = mostUsed(spellings[t])
		}
		// Terms are listed as a reader of the language expects: with French collation, Économie sorts
		// with the E, and case does not split the list. The slug breaks ties, so the order is total.
		coll := collate.New(language.Make(lang), collate.IgnoreCase)
		slices.SortFunc(tax.Terms, func(a, b *model.Term) int {
			if c := coll.CompareString(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.Slug, b.Slug)
		})
		pages = append(pages, tax.Page)
		for _, t := range tax.Terms {
			slices.SortFunc(t.Pages, model.ByDateDesc)
			url := tax.Page.URL + t.Slug + "/"
			if pattern, ok := patterns[name]; ok {
				url = termPermalink(prefix, pattern, t.Slug, site.FoldAccents)
			}
			if ugly {
				url = strings.TrimSuffix(url, "/") + ".html" // Hugo's uglyURLs: /tags/lyon.html
			}
			t.Page = &model.Page{Kind: model.KindTerm, URL: url, Title: t.Name,
				Term: t, Taxonomy: tax, Parent: tax.Page, Children: t.Pages, Params: map[string]any{}, TranslationKey: "taxonomy:" + name + "/" + t.Slug}
			pages = append(pages, t.Page)
		}
		site.Taxonomies[name] = tax
	}
	return pages
}

// termPermalink is the URL of a term from a [permalinks] pattern ("/sujet/:slug/"): the tokens that
// name a page (:slug, :title, :filename…) are the term's slug, as Hugo expands them for terms.
func termPermalink(prefix, pattern, slug string, fold bool) string {
	expanded := permalinkTokenRe.ReplaceAllStringFunc(pattern, func(tok string) string {
		switch strings.ToLower(tok[1:]) {
		case "slug", "title", "slugorfilename", "filename", "contentbasename", "slugorcontentbasename":
			return slug
		}
		return ""
	})
	var segs []string
	for s := range strings.SplitSeq(expanded, "/") {
		if s != "" && s != "." && s != ".." {
			segs = append(segs, model.Urlize(s, fold))
		}
	}
	if len(segs) == 0 {
		return prefix + "/" + slug + "/"
	}
	return prefix + "/" + strings.Join(segs, "/") + "/"
}

// mostUsed returns the spelling of a term written most often; on a tie, the one with more accents
// ("Été" before "ete"), then the one that sorts first ("Lyon" before "lyon"), so that the name never
// depends on the order files are read in.
func mostUsed(counts map[string]int) string {
	best, n := "", 0
	better := func(s string) bool {
		if a, b := nonASCII(s), nonASCII(best); a != b {
			return a > b
		}
		return s < best
	}
	for s, c := range counts {
		if c > n || c == n && better(s) {
			best, n = s, c
		}
	}
	return best
}

func nonASCII(s string) int {
	n := 0
	for _, r := range s {
		if r > 127 {
			n++
		}
	}
	return n
}

// checkURLs reports every URL claimed twice, by pages or aliases, naming the files involved.
func checkURLs(pages []*model.Page) error {
	owner := map[string]*model.Page{}
	aliased := map[string]bool{} // URLs claimed by an alias
	var errs []error
	name := func(p *model.Page) string {
		if p.Source != "" {
			return p.Source
		}
		return "the generated page " + p.URL
	}
	for _, p := range pages {
		if o := owner[p.URL]; o != nil {
			errs = append(errs, fmt.Errorf("%s: URL %s is also the URL of %s: change slug or url in one of them", name(p), p.URL, name(o)))
			continue
		}
		owner[p.URL] = p
	}
	for _, p := range pages {
		if len(p.Aliases) == 0 {
			continue
		}
		kept := make([]string, 0, len(p.Aliases))
		for _, a := range p.Aliases {
			clean, err := cleanURL(a)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: aliases: %v", name(p), err))
				continue
			}
			if o := owner[clean]; o != nil {
				switch {
				case o == p:
					// An alias to the page itself redirects nowhere: Hugo skips it, so does vitrine.
				case aliased[clean]:
					// Two pages say they were once at the same address, which Hugo lets pass: the first
					// keeps the redirect, the other is told.
					p.Unsupported = append(slices.Clip(p.Unsupported), model.Notice{Feature: "alias",
						Msg: fmt.Sprintf("alias %s is also an alias of %s, whose redirect is kept: remove it from one of them", clean, name(o))})
				default:
					// The address is a page's now: the page stays, the redirect goes, as in Hugo.
					p.Unsupported = append(slices.Clip(p.Unsupported), model.Notice{Feature: "alias",
						Msg: fmt.Sprintf("alias %s is the URL of %s: no redirect is written there; remove the alias", clean, name(o))})
				}
				continue
			}
			owner[clean], aliased[clean] = p, true
			kept = append(kept, clean)
		}
		p.Aliases = kept
	}
	return errors.Join(errs...)
}
