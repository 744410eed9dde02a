package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// partials runs partials from functions, as Hugo's partial and partialCached do:
//
//	{{partial "footer.html" .}}                       rendered at each call
//	{{partialCached "footer.html" .}}                 rendered once per build and language
//	{{partialCached "card.html" (dict "p" .) .URL 2}} once per URL and heading level
//
// The name is that of a file of layouts/partials/, with or without "partials/". partialCached keys its
// output by the name and the variants that follow the context, never by the context itself: what the
// output depends on must be in the variants (a page view stands for its page). The cache lives as long
// as one build: RenderJobs empties it.
//
// A partial that asks for site-wide lists (.Site.RegularPages and the like) is recorded, as every
// layout is, among what the page depends on (see SiteView.Calls): the calls made while the partial was
// rendered are kept with its output and recorded again for each page that reuses it, so that an
// incremental rebuild still knows which pages to render again.
//
// One exists per language: the partial runs with that language's words.
type partials struct {
	set *template.Template // holds every partial, with this language's functions; set after parsing

	mu sync.Mutex
	m  map[string]*partialEntry
}

type partialEntry struct {
	once  sync.Once
	html  template.HTML
	calls []Call
	err   error
}

func newPartials() *partials { return &partials{m: map[string]*partialEntry{}} }

// reset forgets every output: a new build begins.
func (ps *partials) reset() {
	ps.mu.Lock()
	ps.m = map[string]*partialEntry{}
	ps.mu.Unlock()
}

func partialName(name string) string {
	if strings.HasPrefix(name, "partials/") {
		return name
	}
	return "partials/" + name
}

// run renders a partial.
func (ps *partials) run(name string, ctx any) (template.HTML, error) {
	if ps.set == nil {
		return "", fmt.Errorf("partial %q called before the layouts were parsed", name)
	}
	name = partialName(name)
	if ps.set.Lookup(name) == nil {
		return "", fmt.Errorf("partial %q: no layouts/%s", name, name)
	}
	var buf bytes.Buffer
	if err := ps.set.ExecuteTemplate(&buf, name, ctx); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// cached renders a partial once per name and variants.
func (ps *partials) cached(name string, ctx any, variants ...any) (template.HTML, error) {
	name = partialName(name)
	key := partialKey(name, variants)
	ps.mu.Lock()
	e := ps.m[key]
	if e == nil {
		e = &partialEntry{}
		ps.m[key] = e
	}
	ps.mu.Unlock()
	e.once.Do(func() {
		var calls []Call
		e.html, e.err = ps.run(name, withCalls(ctx, &calls))
		e.calls = calls
	})
	if len(e.calls) > 0 {
		for _, sv := range siteViews(ctx, nil) {
			for _, c := range e.calls {
				sv.record(c)
			}
		}
	}
	return e.html, e.err
}

// cachedRange renders a partial for each item of a list, as {{range}} around partialCached would,
// and writes each output on a line of its own (after a newline):
//
//	{{partialCachedRange "card.html" .items "p" "h" 2 "lazy" true}}
//
// renders card.html with the context dict "p" ITEM "h" 2 "lazy" true, once per ITEM, 2 and true, the
// variants of {{partialCached "card.html" (dict "p" . "h" 2 "lazy" true) . 2 true}}, whose outputs it
// shares. A list of ten cards is then one call through reflect instead of thirty.
func (ps *partials) cachedRange(name string, items any, key string, pairs ...any) (template.HTML, error) {
	if len(pairs)%2 != 0 {
		return "", errors.New("partialCachedRange needs key and value pairs after the list")
	}
	var list []any
	switch v := items.(type) {
	case nil:
	case []*PageView:
		list = make([]any, len(v))
		for i, p := range v {
			list[i] = p
		}
	default:
		rv := reflect.ValueOf(items)
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
			return "", fmt.Errorf("partialCachedRange: %T is not a list", items)
		}
		list = make([]any, rv.Len())
		for i := range list {
			list[i] = rv.Index(i).Interface()
		}
	}
	// The keys are checked once; each item's context is the same pairs with the item under key.
	keys := make([]string, len(pairs)/2)
	variants := make([]any, 1+len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return "", fmt.Errorf("partialCachedRange: key %v is not text", pairs[i])
		}
		keys[i/2], variants[1+i/2] = k, pairs[i+1]
	}
	outs := make([]template.HTML, len(list))
	size := 0
	for n, item := range list {
		ctx := make(map[string]any, 1+len(keys))
		ctx[key] = item
		for i, k := range keys {
			ctx[k] = variants[1+i]
		}
		variants[0] = item
		html, err := ps.cached(name, ctx, variants...)
		if err != nil {
			return "", err
		}
		outs[n] = html
		size += 1 + len(html)
	}
	var b strings.Builder
	b.Grow(size)
	for _, html := range outs {
		b.WriteByte('\n')
		b.WriteString(string(html))
	}
	return template.HTML(b.String()), nil
}

// partialKey spells the name and variants as a map key. A page, or a view of one, is its URL: one
// page per URL in a language; a term is its page's URL.
func partialKey(name string, variants []any) string {
	var b strings.Builder
	b.WriteString(name)
	for _, v := range variants {
		b.WriteByte(0)
		switch x := v.(type) {
		case string:
			b.WriteString("s")
			b.WriteString(x)
		case int:
			b.WriteString("i")
			b.WriteString(strconv.Itoa(x))
		case bool:
			b.WriteString("b")
			b.WriteString(strconv.FormatBool(x))
		case *PageView:
			b.WriteString("p")
			if x != nil {
				b.WriteString(x.URL)
			}
		case *model.Page:
			b.WriteString("p")
			if x != nil {
				b.WriteString(x.URL)
			}
		case *TermView:
			b.WriteString("t")
			if x != nil && x.Page != nil {
				b.WriteString(x.Page.URL)
			}
		default:
			fmt.Fprintf(&b, "%T:%v", v, v)
		}
	}
	return b.String()
}

// withCalls returns ctx with its site views (in a Data, a SiteView or the values of a dict) replaced by
// copies that record their calls into calls.
func withCalls(ctx any, calls *[]Call) any {
	switch v := ctx.(type) {
	case *Data:
		if v == nil || v.Site == nil {
			return v
		}
		d := *v
		d.Site = withCalls(v.Site, calls).(*SiteView)
		return &d
	case *SiteView:
		if v == nil {
			return v
		}
		s := *v
		s.calls = calls
		return &s
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = withCalls(x, calls)
		}
		return m
	}
	return ctx
}

// siteViews appends to out the site views of ctx, where withCalls finds them.
func siteViews(ctx any, out []*SiteView) []*SiteView {
	switch v := ctx.(type) {
	case *Data:
		if v != nil && v.Site != nil {
			out = append(out, v.Site)
		}
	case *SiteView:
		if v != nil {
			out = append(out, v)
		}
	case map[string]any:
		for _, x := range v {
			out = siteViews(x, out)
		}
	}
	return out
}
