package generator

import (
	"context"
	"fmt"

	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/search"
)

// searchScript returns the URL of the search script, or "" when the site has search turned off.
func searchScript(on bool) string {
	if !on {
		return ""
	}
	return "/" + search.ScriptPath()
}

// writeSearch writes the script of the site search and the index of each language, in
// search-index/LANG/, from every page that is not a list. It reads every body again: the index of a
// rebuild is made whole, like the other site-wide files that are cheap to make (see Session).
func writeSearch(ctx context.Context, w output.Writer, site *model.Site, bodies *bodyStore) error {
	if err := w.WriteFile(search.ScriptPath(), search.Script); err != nil {
		return err
	}
	for _, s := range langSites(site) {
		var pages []*model.Page
		for _, p := range s.Pages {
			if !p.Kind.IsList() && p.Params["search"] != false {
				pages = append(pages, p)
			}
		}
		// Reading the bodies back and taking their text is most of the work: on all cores.
		docs := make([]search.Doc, len(pages))
		err := parallel.Do(ctx, len(pages), func(i int) error {
			p := pages[i]
			body, err := bodies.get(p)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Source, err)
			}
			d := search.Doc{URL: p.URL, Title: p.Title, Description: p.Description, Body: search.Text(string(body))}
			if !p.Date.IsZero() {
				d.Date = p.Date.Format("2006-01-02")
			}
			d.Tags = append(append(d.Tags, p.Tags...), p.Categories...)
			for _, h := range p.TOC {
				d.Headings = append(d.Headings, h.Text)
			}
			docs[i] = d
			return nil
		})
		if err != nil {
			return err
		}
		for _, f := range search.Build(s.Language, docs) {
			if err := w.WriteFile(search.Dir+s.Language+"/"+f.Path, f.Data); err != nil {
				return err
			}
		}
	}
	return nil
}
