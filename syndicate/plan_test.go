package syndicate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

var planNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// planSite has five published articles, a day apart (a oldest), a draft, a future article, a project
// and a page.
func planSite() *model.Site {
	site := testSite()
	for _, slug := range []string{"c", "a", "e", "b", "d"} {
		p := testArticle(slug, "Article "+slug, "", "tag")
		p.Date = planNow.AddDate(0, 0, -10+int(slug[0]-'a'))
		site.Pages = append(site.Pages, p)
	}
	draft := testArticle("brouillon", "Brouillon", "")
	draft.Draft = true
	future := testArticle("futur", "Futur", "")
	future.Date = planNow.Add(time.Hour)
	project := testArticle("projet", "Projet", "")
	project.Kind = model.KindProject
	page := testArticle("contact", "Contact", "")
	page.Kind = model.KindPage
	site.Pages = append(site.Pages, draft, future, project, page)
	return site
}

func openTestLedger(t *testing.T) *Ledger {
	t.Helper()
	l, err := OpenLedger(filepath.Join(t.TempDir(), "data", "syndication.json"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// summary renders items as "slug/network:status" lines.
func summary(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(articleSlug(it.Page) + "/" + it.Network + ":" + it.Status + "\n")
	}
	return b.String()
}

func TestPlanBaseline(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon}, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	if !s.FirstRun || len(s.Jobs()) != 0 || len(s.Baseline()) != 5 {
		t.Fatalf("first run:\n%s", summary(s.Items))
	}
	if err := s.RecordBaseline(l, planNow); err != nil {
		t.Fatal(err)
	}
	if e, ok := l.Get("https://camille-roussel.fr/posts/a/", Mastodon); !ok || e.State != StateSkipped {
		t.Errorf("baseline entry: %+v %v", e, ok)
	}
	// A new article after the baseline is posted; the old ones are not.
	site.Pages = append(site.Pages, testArticle("nouveau", "Nouveau", ""))
	site.Pages[len(site.Pages)-1].Date = planNow.Add(-time.Minute)
	reopened, _ := OpenLedger(l.dir)
	s, err = Plan(site, reopened, PlanOptions{Networks: []string{Mastodon}, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	if s.FirstRun || summary(s.Jobs()) != "nouveau/mastodon:new\n" {
		t.Errorf("after the baseline:\n%s", summary(s.Items))
	}
	if err := s.RecordBaseline(reopened, planNow); err != nil {
		t.Fatal(err)
	}
}

func TestPlanBaselineEmptySite(t *testing.T) {
	l := openTestLedger(t)
	s, err := Plan(testSite(), l, PlanOptions{Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordBaseline(l, planNow); err != nil {
		t.Fatal(err)
	}
	if !l.Exists() {
		t.Fatal("no ledger written: the site's first article would be taken for the baseline")
	}
	data, _ := os.ReadFile(filepath.Join(l.dir, networksFile))
	if !strings.Contains(string(data), `"version": 2`) || !strings.Contains(string(data), `"mastodon": "2026-11-22T12:00:00Z"`) {
		t.Errorf("empty ledger's networks.json: %q", data)
	}
}

func TestPlanBackfillAndMaxPerRun(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon, Bluesky}, MaxPerRun: 2, Backfill: true, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	want := "a/mastodon:new\na/bluesky:new\nb/mastodon:new\nb/bluesky:new\n" +
		"c/mastodon:next run\nc/bluesky:next run\nd/mastodon:next run\nd/bluesky:next run\ne/mastodon:next run\ne/bluesky:next run\n"
	if got := summary(s.Items); got != want {
		t.Errorf("backfill, oldest first, 2 per network:\n%s\nwant\n%s", got, want)
	}
	// The default is 3 per network.
	s, _ = Plan(site, l, PlanOptions{Networks: []string{Mastodon}, Backfill: true, Now: planNow})
	if len(s.Jobs()) != DefaultMaxPerRun {
		t.Errorf("default max per run: %d jobs", len(s.Jobs()))
	}
	// Every network by default.
	s, _ = Plan(site, l, PlanOptions{Backfill: true, MaxPerRun: 10, Now: planNow})
	if len(s.Jobs()) != 5*len(Networks) {
		t.Errorf("all networks: %d jobs", len(s.Jobs()))
	}
}

func TestPlanLedgerStates(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	for slug, state := range map[string]string{"a": StatePublished, "b": StatePending, "c": StateFailed, "d": StateSkipped} {
		if err := l.Set("https://camille-roussel.fr/posts/"+slug+"/", Mastodon, Entry{State: state, Key: "k", Time: planNow}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon}, MaxPerRun: 1, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	// A failed post is tried again by a later run (issue 19: it used to stay failed for ever).
	want := "a/mastodon:already published\nb/mastodon:pending\nc/mastodon:retrying\nd/mastodon:skipped\ne/mastodon:new\n"
	if got := summary(s.Items); got != want {
		t.Errorf("ledger states:\n%s\nwant\n%s", got, want)
	}
	if got := summary(s.Jobs()); got != "b/mastodon:pending\nc/mastodon:retrying\ne/mastodon:new\n" {
		t.Errorf("jobs: a pending or failed post is resolved whatever max_per_run:\n%s", got)
	}
	// Until its next try is due, it waits.
	if err := l.Set("https://camille-roussel.fr/posts/c/", Mastodon, Entry{State: StateFailed, Key: "k", Time: planNow, Retry: planNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s, _ = Plan(site, l, PlanOptions{Networks: []string{Mastodon}, MaxPerRun: 1, Now: planNow})
	if got := summary(s.Jobs()); got != "b/mastodon:pending\ne/mastodon:new\n" {
		t.Errorf("jobs with a failed post not due yet:\n%s", got)
	}
	if s.Items[1].Entry.Key != "k" {
		t.Errorf("pending item without its entry: %+v", s.Items[1])
	}
}

func TestPlanFrontMatter(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	byslug := map[string]*model.Page{}
	for _, p := range site.Pages {
		byslug[articleSlug(p)] = p
	}
	byslug["a"].Params["syndicate"] = false
	byslug["b"].Params["syndicate"] = []any{"bluesky", "Mastodon"}
	byslug["c"].Params["Syndicate"] = "x"
	byslug["d"].Params["syndicate"] = true
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon, Bluesky, X}, MaxPerRun: 10, Backfill: true, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	want := "b/mastodon:new\nb/bluesky:new\nc/x:new\nd/mastodon:new\nd/bluesky:new\nd/x:new\ne/mastodon:new\ne/bluesky:new\ne/x:new\n"
	if got := summary(s.Items); got != want {
		t.Errorf("front matter:\n%s\nwant\n%s", got, want)
	}
	for _, bad := range []any{"myspace", []any{"mastodon", 3}, 42} {
		byslug["e"].Params["syndicate"] = bad
		if _, err := Plan(site, l, PlanOptions{Now: planNow}); err == nil || !strings.Contains(err.Error(), "content/posts/e.md: syndicate must be") {
			t.Errorf("syndicate: %v: %v", bad, err)
		}
	}
	if _, err := Plan(site, l, PlanOptions{Networks: []string{"myspace"}}); err == nil {
		t.Error("unknown network planned")
	}
}

// TestPlanIdentity: a page with a translationKey keeps its posts when its file moves and its URL
// changes at once; a translation of it (same key, another language) is another page.
func TestPlanIdentity(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	p := testArticle("ete", "L’été", "")
	p.Date, p.TranslationKey, p.Lang = planNow.Add(-time.Hour), "key:ete", "fr"
	site.Pages = append(site.Pages, p)
	k := PostKey{Page: PageID(p), Network: Mastodon}
	if k.Page != "key/ete@fr" {
		t.Fatalf("PageID = %q", k.Page)
	}
	if err := l.SetPost(k, site.AbsURL(p.URL), Entry{State: StatePublished, URL: "https://m.example/@c/1"}); err != nil {
		t.Fatal(err)
	}
	p.Source, p.URL = "content/blog/2026/ete-a-lyon.md", "/blog/ete-a-lyon/"
	if moved, err := BindPages(site, l); err != nil || len(moved) != 1 || moved[0].To != site.AbsURL("/blog/ete-a-lyon/") {
		t.Fatalf("BindPages: %+v %v", moved, err)
	}
	var en Item
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon}, Now: planNow, MaxAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range s.Items {
		if it.Page == p {
			en = it
		}
	}
	if en.Status != StatusPublished || en.Entry.URL != "https://m.example/@c/1" {
		t.Errorf("moved page: %+v", en)
	}
	en2 := *p
	en2.Lang, en2.URL, en2.Source = "en", "/en/blog/summer/", "content/blog/2026/ete-a-lyon.en.md"
	if r := l.Find(PageID(&en2), en2.Source, site.AbsURL(en2.URL)); r != nil {
		t.Errorf("the English translation found the French page's record: %+v", r)
	}
}
