package serve

import (
	"bytes"
	_ "embed" // the dashboard's template
	"html/template"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

//go:embed dashboard.html
var dashboardHTML string

var frMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

var dashboardTemplate = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"clock": func(t time.Time) string { return t.Format("15:04") },
	"day":   func(t time.Time) string { return t.Format("2006-01-02") },
}).Parse(dashboardHTML))

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
// /_vitrine/syndication previews. It reads the site's files at each request: it shows the ledger and
// the outbox as vitrine syndicate left them.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
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
