package render

import (
	"fmt"
	"reflect"
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

// TestViewsMirrorModel checks that layouts reach through the views everything they reached through the
// model: every exported field and method of model.Page and model.Site has a field or method of the same
// name on PageView and SiteView. A field added to the model must be added to the view (and copied in
// makeView or newSiteView).
func TestViewsMirrorModel(t *testing.T) {
	for _, c := range []struct{ model, view reflect.Type }{
		{reflect.TypeFor[*model.Page](), reflect.TypeFor[*PageView]()},
		{reflect.TypeFor[*model.Site](), reflect.TypeFor[*SiteView]()},
	} {
		has := func(name string) bool {
			_, field := c.view.Elem().FieldByName(name)
			_, method := c.view.MethodByName(name)
			return field || method
		}
		for i := range c.model.Elem().NumField() {
			if f := c.model.Elem().Field(i); f.IsExported() && !has(f.Name) {
				t.Errorf("%s has no field or method %s, which %s has", c.view, f.Name, c.model)
			}
		}
		for i := range c.model.NumMethod() {
			if m := c.model.Method(i); !has(m.Name) {
				t.Errorf("%s has no field or method %s, which %s has", c.view, m.Name, c.model)
			}
		}
	}
}

// TestViewCopiesModel checks that makeView copies every field it has: a view field left zero while the
// page's is set would show nothing in layouts.
func TestViewCopiesModel(t *testing.T) {
	p := &model.Page{}
	v := reflect.ValueOf(p).Elem()
	for i := range v.NumField() {
		fillValue(v.Field(i))
	}
	sv := newSiteView(&model.Site{Pages: []*model.Page{p}}, "", time.Time{})
	pv := reflect.ValueOf(sv.view(p)).Elem()
	for i := range pv.NumField() {
		f := pv.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if want := v.FieldByName(f.Name); !reflect.DeepEqual(pv.Field(i).Interface(), want.Interface()) {
			t.Errorf("PageView.%s is %v, want %v", f.Name, pv.Field(i).Interface(), want.Interface())
		}
	}
	s := &model.Site{}
	v = reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		fillValue(v.Field(i))
	}
	s.Pages, s.Taxonomies = nil, nil // lists, not settings: made into views by other means
	sv = newSiteView(s, "", time.Time{})
	svv := reflect.ValueOf(sv).Elem()
	for i := range svv.NumField() {
		f := svv.Type().Field(i)
		want := v.FieldByName(f.Name)
		if !f.IsExported() || !want.IsValid() {
			continue
		}
		if f.Name == "Languages" { // views of the languages' sites: see TestLayoutsSeeOnlyViews
			if got := sv.Languages; len(got) != len(s.Languages) || got[0].Code != s.Languages[0].Code || got[0].Name != s.Languages[0].Name || got[0].Home != s.Languages[0].Home {
				t.Errorf("SiteView.Languages is %v, want those of %v", got, s.Languages)
			}
			continue
		}
		if !reflect.DeepEqual(svv.Field(i).Interface(), want.Interface()) {
			t.Errorf("SiteView.%s is %v, want %v", f.Name, svv.Field(i).Interface(), want.Interface())
		}
	}
}

// TestLayoutsSeeOnlyViews checks that no link a layout can follow from its dot, through exported
// fields, map and slice elements and the results of exported methods, leads to a page, site, term or
// taxonomy of the model: the cached build keeps bodies out of model pages, so a layout that reached one
// would show an empty body (and the lists a layout asks for must be recorded by the views).
func TestLayoutsSeeOnlyViews(t *testing.T) {
	forbidden := map[reflect.Type]bool{
		reflect.TypeFor[model.Page]():     true,
		reflect.TypeFor[model.Site]():     true,
		reflect.TypeFor[model.Term]():     true,
		reflect.TypeFor[model.Taxonomy](): true,
		reflect.TypeFor[model.Language](): true,
	}
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		base := typ
		for base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		if forbidden[base] {
			t.Errorf("a layout reaches %s through %s", base, path)
			return
		}
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			for o := range m.Type.NumOut() {
				walk(m.Type.Out(o), path+"."+m.Name)
			}
		}
		switch base.Kind() {
		case reflect.Struct:
			if typ.Kind() == reflect.Struct { // methods of the pointer too: templates address fields
				walk(reflect.PointerTo(typ), path)
			}
			for i := range base.NumField() {
				if f := base.Field(i); f.IsExported() {
					walk(f.Type, path+"."+f.Name)
				}
			}
		case reflect.Slice, reflect.Array:
			walk(base.Elem(), path+"[]")
		case reflect.Map:
			walk(base.Elem(), path+"[]")
		}
	}
	walk(reflect.TypeFor[*Data](), "Data")
}

// fillValue sets v to a value that is not its zero value.
func fillValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(7)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillValue(v.Field(i))
			}
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
