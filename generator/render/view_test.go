package render

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/themes"
)

func TestPaginate(t *testing.T) {
	var items []*model.Page
	for i := range 95 {
		items = append(items, &model.Page{URL: fmt.Sprintf("/p/%d/", i)})
	}
	site := &model.Site{BaseURL: "https://example.org/"}
	pagers := paginate(newSiteView(site, "", time.Time{}), "/posts/", items, 10)
	if len(pagers) != 10 || len(pagers[9].Items) != 5 || pagers[0].URL != "/posts/" || pagers[1].URL != "/posts/page/2/" {
		t.Fatalf("pagers: %d, last has %d items", len(pagers), len(pagers[9].Items))
	}
	show := func(pg *Pager) string {
		var b strings.Builder
		for _, l := range pg.Links {
			switch {
			case l.Gap:
				b.WriteString("… ")
			case l.Current:
				fmt.Fprintf(&b, "[%d] ", l.Number)
			default:
				fmt.Fprintf(&b, "%d ", l.Number)
			}
		}
		return strings.TrimSpace(b.String())
	}
	for n, want := range map[int]string{
		1:  "[1] 2 3 … 10",
		4:  "1 2 3 [4] 5 6 … 10",
		5:  "1 … 3 4 [5] 6 7 … 10",
		10: "1 … 8 9 [10]",
	} {
		if got := show(pagers[n-1]); got != want {
			t.Errorf("page %d links: %s, want %s", n, got, want)
		}
	}
	if pagers[0].PrevURL != "" || pagers[0].NextURL != "/posts/page/2/" || pagers[9].NextURL != "" || pagers[9].PrevURL != "/posts/page/9/" {
		t.Error("prev/next URLs")
	}
	empty := paginate(newSiteView(site, "", time.Time{}), "/tags/x/", nil, 10)
	if len(empty) != 1 || len(empty[0].Items) != 0 || show(empty[0]) != "[1]" {
		t.Errorf("an empty list still gets its first page: %d", len(empty))
	}
}

func TestCandidates(t *testing.T) {
	for _, c := range []struct {
		page *model.Page
		want string
	}{
		{&model.Page{Kind: model.KindEvent, Section: "agenda"}, "agenda/single.html events/single.html _default/single.html"},
		{&model.Page{Kind: model.KindEvent, Section: "events", Layout: "big"}, "events/big.html _default/big.html events/single.html _default/single.html"},
		{&model.Page{Kind: model.KindPage}, "_default/single.html"},
		{&model.Page{Kind: model.KindSection, Section: "portfolio"}, "portfolio/list.html projects/list.html _default/list.html"},
		{&model.Page{Kind: model.KindHome}, "index.html _default/list.html"},
	} {
		if got := strings.Join(candidates(c.page), " "); got != c.want {
			t.Errorf("%+v: %s, want %s", c.page, got, c.want)
		}
	}
}

func TestWordsDates(t *testing.T) {
	fr, err := LoadWords("fr", themes.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	en, _ := LoadWords("en", themes.Default(), nil)
	paris, _ := time.LoadLocation("Europe/Paris")
	d := time.Date(2026, 3, 3, 19, 30, 0, 0, paris)
	first := time.Date(2026, 11, 1, 14, 0, 0, 0, paris)
	for got, want := range map[string]string{
		fr.Date(d):      "3 mars 2026",
		fr.Date(first):  "1er novembre 2026",
		fr.LongDate(d):  "mardi 3 mars 2026",
		fr.Clock(d):     "19\u00a0h\u00a030",
		fr.Clock(first): "14\u00a0h",
		en.Date(d):      "March 3, 2026",
		en.LongDate(d):  "Tuesday, March 3, 2026",
		en.Clock(d):     "7:30\u00a0pm",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestLangWordsFallback(t *testing.T) {
	theme := fstest.MapFS{
		"i18n/fr.toml": {Data: []byte("home = \"Accueil\"\nonlyFrench = \"Seulement\"\nday1 = \"1er\"\ndateFormat = \"{day} {month} {year}\"\n")},
		"i18n/en.toml": {Data: []byte("home = \"Home\"\n")},
		"i18n/de.toml": {Data: []byte("home = \"Startseite\"\n")},
	}
	w, err := LoadLangWords("de", "fr", theme, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.T("onlyFrench"); got != "Seulement" {
		t.Errorf("a missing word falls back to the default language: %q", got)
	}
	if got := w.Date(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); got != "November 1, 2026" {
		t.Errorf("dates never take the default language's format: %q", got)
	}
	if got := w.Missing(); !slices.Equal(got, []string{"dateFormat", "onlyFrench"}) {
		t.Errorf("Missing = %v", got)
	}
}
