// Package dashboard is the community manager's dashboard, an http.Handler that the dev server mounts
// at /_vitrine/: a month grid of what is published and scheduled (articles, events, posts and reminders
// per network, as vitrine calendar lists them), each article's syndication status per network from the
// ledger, and the outbox, whose posts /_vitrine/syndication previews as each network will show them.
//
// It reads the site's files at each request: it shows the ledger and the outbox as vitrine syndicate
// left them, whatever the dev server has built.
package dashboard

import (
	"bytes"
	_ "embed" // the dashboard's template
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

// Options are the settings of the dashboard.
type Options struct {
	// Dir is the site's folder.
	Dir string
	// Now is the dashboard's clock; time.Now when nil.
	Now func() time.Time
}

// handler serves the dashboard of one site.
type handler struct {
	opts Options
	src  fs.FS // the site's folder, read through generator.OpenSource
}

// New returns the handler of /_vitrine/ (the dashboard) and /_vitrine/syndication (the previews of the
// outbox) for the site in opts.Dir; other paths under /_vitrine/ are not found.
func New(opts Options) (http.Handler, error) {
	src, err := generator.OpenSource(opts.Dir)
	if err != nil {
		return nil, err
	}
	h := &handler{opts: opts, src: src}
	mux := http.NewServeMux()
	mux.HandleFunc("/_vitrine/syndication", h.syndication)
	mux.HandleFunc("/_vitrine/", h.dashboard)
	return mux, nil
}

//go:embed dashboard.html
var dashboardHTML string

var frMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

var dashboardTemplate = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"clock": func(t time.Time) string { return t.Format("15:04") },
	"day":   func(t time.Time) string { return t.Format("2006-01-02") },
	// weekday names a day in the grid's own words, shown when a phone lists the days one under another.
	"weekday": func(t time.Time) string { return frWeekdays[t.Weekday()] },
}).Parse(dashboardHTML))

var frWeekdays = []string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}

// dashDay is one cell of the month grid.
type dashDay struct {
	Date    time.Time
	InMonth bool
	Today   bool
	Entries []syndicate.CalendarEntry
}

// dashRow is one article or event of the status table, with its state on each network.
type dashRow struct {
	Title, URL, Kind string
	Cells            []dashCell
}

type dashCell struct {
	Status, URL string
	Due         time.Time
}

// dashboard serves /_vitrine/: a month grid of what is published and scheduled (?month=2026-12 for
// another month), each article's syndication status per network, and the outbox's posts, which
// /_vitrine/syndication previews.
func (s *handler) dashboard(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/_vitrine/" {
		http.NotFound(w, r)
		return
	}
	now := time.Now()
	if s.opts.Now != nil {
		now = s.opts.Now()
	}
	site, cfg, err := generator.LoadSite(r.Context(), generator.Options{Source: s.src, Now: now, Future: true})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ledger, err := syndicate.OpenLedger(filepath.Join(s.opts.Dir, syndicate.LedgerPath))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	networks := slices.DeleteFunc(slices.Clone(cfg.Syndicate.Networks), func(n string) bool { return n == "webhook" })
	loc := cfg.Location()
	sched, err := syndicate.Plan(site, ledger, syndicate.PlanOptions{Networks: networks, MaxPerRun: cfg.Syndicate.MaxPerRun,
		Now: now, Slots: syndicate.Slots(cfg), Location: loc, Future: true})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}

	today := now.In(loc)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
	if m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), loc); err == nil {
		month = m
	}
	first := month.AddDate(0, 0, -((int(month.Weekday()) + 6) % 7)) // the Monday the grid starts on
	end := month.AddDate(0, 1, 0)
	last := end.AddDate(0, 0, (7-(int(end.Weekday())+6)%7)%7)
	entries := syndicate.Calendar(site, sched, first, last, now)
	var weeks [][]dashDay
	for d := first; d.Before(last); d = d.AddDate(0, 0, 7) {
		var week []dashDay
		for i := range 7 {
			day := d.AddDate(0, 0, i)
			cell := dashDay{Date: day, InMonth: day.Month() == month.Month(), Today: day.Format("20060102") == today.Format("20060102")}
			next := day.AddDate(0, 0, 1)
			for _, e := range entries {
				if t := e.Time.In(loc); !t.Before(day) && t.Before(next) {
					e.Time = t
					e.URL = localURL(e.URL, site.BaseURL)
					cell.Entries = append(cell.Entries, e)
				}
			}
			week = append(week, cell)
		}
		weeks = append(weeks, week)
	}

	// The status table: every article and event the schedule knows, newest first.
	var rows []*dashRow
	byURL := map[string]*dashRow{}
	for _, it := range sched.Items {
		key := it.Article
		row := byURL[key]
		if row == nil {
			title := it.Page.Title
			kind := "article"
			if it.Page.Kind == model.KindEvent {
				kind = "événement"
			}
			if it.Reminder {
				kind = "rappel"
			}
			row = &dashRow{Title: title, URL: localURL(site.AbsURL(it.Page.URL), site.BaseURL), Kind: kind, Cells: make([]dashCell, len(networks))}
			byURL[key] = row
			rows = append(rows, row)
		}
		i := slices.Index(networks, it.Network)
		if i < 0 {
			continue
		}
		row.Cells[i] = dashCell{Status: it.Status, URL: it.Entry.URL, Due: it.Due.In(loc)}
	}
	slices.Reverse(rows)

	posts, err := syndicate.ReadOutbox(filepath.Join(s.opts.Dir, syndicate.OutboxDir))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	err = dashboardTemplate.Execute(&b, map[string]any{
		"Site":     cfg.Title,
		"Month":    frMonths[month.Month()-1] + " " + month.Format("2006"),
		"Prev":     month.AddDate(0, -1, 0).Format("2006-01"),
		"Next":     month.AddDate(0, 1, 0).Format("2006-01"),
		"Weeks":    weeks,
		"Networks": networks,
		"Rows":     rows,
		"Posts":    posts,
		"Slots":    strings.Join(cfg.Syndicate.Slots, ", "),
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// localURL makes a URL of the site relative, so that it opens on the dev server.
func localURL(u, base string) string {
	if strings.HasPrefix(u, base) {
		return "/" + strings.TrimPrefix(u, base)
	}
	return u
}

// syndication shows the outbox of `vitrine syndicate` as previews of each network's post, for review
// before --publish.
func (s *handler) syndication(w http.ResponseWriter, r *http.Request) {
	posts, err := syndicate.ReadOutbox(filepath.Join(s.opts.Dir, syndicate.OutboxDir))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	opts := syndicate.PreviewOptions{SiteTitle: "vitrine", AuthorName: "vitrine", ImageBase: "/"}
	if cfg, err := config.Load(os.DirFS(s.opts.Dir)); err == nil {
		opts.SiteTitle, opts.AuthorName = cfg.Title, cfg.Author.Name
		if opts.AuthorName == "" {
			opts.AuthorName = cfg.Title
		}
	}
	page, err := syndicate.Preview(posts, opts)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(page)
}
