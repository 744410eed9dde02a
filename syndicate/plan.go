package syndicate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// DefaultMaxPerRun is how many posts a run makes per network when [syndicate] max_per_run is not set.
const DefaultMaxPerRun = 3

// PlanOptions say what Plan considers.
type PlanOptions struct {
	// Networks are the networks to post to ([syndicate] networks); nil means all of Networks.
	Networks []string
	// MaxPerRun caps the posts of a run per network, oldest articles first; 0 means DefaultMaxPerRun.
	MaxPerRun int
	// Backfill makes a first run (no ledger file yet) post existing articles instead of recording
	// them as skipped.
	Backfill bool
	// Now decides which articles are published (not future, not expired) and which posts are due; zero
	// means time.Now().
	Now time.Time
	// Slots are when posts go out ([syndicate] slots): each post waits for the next slot free on its
	// network at or after its article's publication. Empty: posts go out at the next run.
	Slots []Slot
	// Location is the time zone of the slots; nil means UTC.
	Location *time.Location
	// Future also plans the articles and events published after Now, as scheduled items: what the
	// editorial calendar shows. The site must have been loaded with future pages.
	Future bool
	// MaxAge is the back-catalogue guard ([syndicate] max_age): an article published longer ago than
	// that, with no post on a network yet, is recorded as skipped there instead of posted as news.
	// 0 means DefaultMaxAge; negative turns the guard off. Backfill turns it off too.
	MaxAge time.Duration
}

// DefaultMaxAge is the back-catalogue guard when [syndicate] max_age is not set.
const DefaultMaxAge = 30 * 24 * time.Hour

// Statuses of an item of a schedule, as the outbox table shows them.
const (
	StatusNew       = "new"                // to compose and publish in this run
	StatusPending   = "pending"            // sent by an earlier run that did not record the result: to resolve
	StatusLater     = "next run"           // over max_per_run: left for a later run
	StatusScheduled = "scheduled"          // composed, published by the first run at or after its Due time
	StatusBaseline  = "skipped (baseline)" // old article (back-catalogue guard): recorded as skipped
	StatusPublished = "already published"
	StatusSkipped   = "skipped"
	StatusFailed    = "failed"    // failed, its next try not due yet (Entry.Retry)
	StatusRetry     = "retrying"  // failed or asked again by hand: looked up, then sent again
	StatusUnknown   = "UNKNOWN"   // an answer was lost and the network cannot say: see the table's advice
	StatusGaveUp    = "gave up"   // failed too many runs: `vitrine syndicate retry` tries again
	StatusTooLong   = "too long!" // set by the caller when Compose returns ErrTooLong
)

// ReminderSuffix is added to an event's URL to key its reminder post in the ledger and the outbox.
const ReminderSuffix = "#reminder"

// Item is one article (or event) on one network, and what this run does with it.
type Item struct {
	Page    *model.Page
	Article string // the article's absolute URL (with ReminderSuffix for a reminder)
	Network string
	// Key is the post's identity: the ledger's key.
	Key    PostKey
	Status string
	// Reason says why a baseline item is skipped.
	Reason string
	Entry  Entry // the ledger's entry, when it has one
	// Reminder is set for the reminder post of an event (front matter remind: 2d).
	Reminder bool
	// Due is when the post goes out: a slot, syndicate_at, an event's start less its remind; zero
	// for at the next run.
	Due time.Time
}

// Schedule is what a run of vitrine syndicate does, article by article, oldest first, and network by
// network in the order of PlanOptions.Networks.
type Schedule struct {
	Items []Item
	// FirstRun is set when the site had no ledger: existing articles are recorded as skipped unless
	// PlanOptions.Backfill.
	FirstRun bool
	// NewNetworks are the networks this site never ran for: their baseline is recorded by this run.
	NewNetworks []string
}

// Jobs returns the items to compose and publish in this run: new, pending, to retry, and unknown
// (looked up, never sent).
func (s Schedule) Jobs() []Item {
	return s.with(StatusNew, StatusPending, StatusRetry, StatusUnknown)
}

// Attention returns the items the user should look at: unknown, failed and given-up posts.
func (s Schedule) Attention() []Item { return s.with(StatusUnknown, StatusFailed, StatusGaveUp) }

// Unknown returns the items whose outcome is unknown.
func (s Schedule) Unknown() []Item { return s.with(StatusUnknown) }

// Baseline returns the items a first run records as skipped.
func (s Schedule) Baseline() []Item { return s.with(StatusBaseline) }

// Scheduled returns the items that wait for their time.
func (s Schedule) Scheduled() []Item { return s.with(StatusScheduled) }

func (s Schedule) with(statuses ...string) []Item {
	var out []Item
	for _, it := range s.Items {
		if slices.Contains(statuses, it.Status) {
			out = append(out, it)
		}
	}
	return out
}

// candidate is a post Plan considers before it looks at networks.
type candidate struct {
	page     *model.Page
	id       string // PageID
	record   *Record
	article  string
	reminder bool
	base     time.Time // the article's publication, or when the reminder is due
	pinned   time.Time // syndicate_at
	future   bool      // published after Now
	over     bool      // an event that started: only its ledger entries are shown
}

// Plan decides, for each published article and network, what this run does. An article is a candidate
// on a network when it is published (model.KindArticle, not a draft, not in the future, not expired),
// the ledger has no entry for it there, and its front matter does not opt out: `syndicate: false` opts
// out of every network, `syndicate: [mastodon, bluesky]` keeps only those. An event yet to start is a
// candidate too (its announcement), and so is its reminder when its front matter says when
// (`remind: 2d`, `12h`, `1w`: that long before the start). On a first run (no ledger file) every
// candidate is a baseline item instead, unless opts.Backfill: the ledger then starts from today and
// only articles published later are posted.
//
// Each post has a time: with opts.Slots, the first slot at or after its article's publication that no
// earlier article took on that network; `syndicate_at` in front matter pins it; a reminder's is the
// event's start less remind. A post whose time has not come is scheduled: composed, not published.
// Each network gets at most opts.MaxPerRun new posts, oldest articles first; the others wait for a
// later run. A pending entry (a post sent by a run that stopped before recording the answer) is always
// a job, so that the runner resolves it.
//
// Plan reads the ledger and writes nothing: RecordBaseline does.
func Plan(site *model.Site, ledger *Ledger, opts PlanOptions) (Schedule, error) {
	networks := opts.Networks
	if networks == nil {
		networks = Networks
	}
	for _, n := range networks {
		if !slices.Contains(Networks, n) {
			return Schedule{}, fmt.Errorf("unknown network %q (known: %s)", n, strings.Join(Networks, ", "))
		}
	}
	limit := opts.MaxPerRun
	if limit <= 0 {
		limit = DefaultMaxPerRun
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	vis := model.Visibility{Now: now}
	var cands []candidate
	for _, p := range site.Pages {
		if (p.Kind != model.KindArticle && p.Kind != model.KindEvent) || !p.IsRegular() {
			continue
		}
		visible, _ := vis.Visible(p)
		future := false
		if !visible {
			if !opts.Future || p.Draft {
				continue
			}
			if ok, _ := (model.Visibility{Now: now, Future: true}).Visible(p); !ok {
				continue
			}
			future = true
		}
		pinned, err := frontMatterTime(p, "syndicate_at", loc)
		if err != nil {
			return Schedule{}, err
		}
		article := site.AbsURL(p.URL)
		id := PageID(p)
		rec := ledger.Find(id, p.Source, article)
		c := candidate{page: p, id: id, record: rec, article: article, base: published(p), pinned: pinned, future: future}
		if p.Kind == model.KindArticle {
			cands = append(cands, c)
			continue
		}
		if p.Event == nil {
			continue
		}
		upcoming := p.Event.Start.After(now) && p.Event.Status != "cancelled" && p.Event.Status != "postponed"
		c.over = !upcoming
		if upcoming || rec != nil && len(rec.Announce) > 0 {
			cands = append(cands, c)
		}
		remind, err := frontMatterDuration(p, "remind")
		if err != nil {
			return Schedule{}, err
		}
		if remind > 0 && (upcoming || rec != nil && len(rec.Reminder) > 0) {
			due := p.Event.Start.Add(-remind)
			cands = append(cands, candidate{page: p, id: id, record: rec, article: article + ReminderSuffix, reminder: true, base: due, pinned: due, future: future, over: !upcoming})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := a.base.Compare(b.base); c != 0 {
			return c
		}
		return strings.Compare(a.article, b.article)
	})

	s := Schedule{FirstRun: !ledger.Exists()}
	// The back-catalogue guard: per network, the newest article that has a post there (any state).
	newest := map[string]time.Time{}
	for _, c := range cands {
		if c.record == nil || c.reminder || c.page.Kind != model.KindArticle {
			continue
		}
		for n := range c.record.Announce {
			if c.base.After(newest[n]) {
				newest[n] = c.base
			}
		}
	}
	maxAge := opts.MaxAge
	if maxAge == 0 {
		maxAge = DefaultMaxAge
	}
	started := map[string]bool{}
	for _, n := range networks {
		if _, ok := ledger.Started(n); ok {
			started[n] = true
		} else {
			s.NewNetworks = append(s.NewNetworks, n)
		}
	}
	planned := map[string]int{}
	taken := map[string]map[time.Time]bool{}
	for _, n := range networks {
		taken[n] = map[time.Time]bool{}
	}
	for _, c := range cands {
		allowed, err := frontMatterNetworks(c.page)
		if err != nil {
			return Schedule{}, err
		}
		for _, n := range networks {
			it := Item{Page: c.page, Article: c.article, Network: n, Reminder: c.reminder,
				Key: PostKey{Page: c.id, Network: n, Reminder: c.reminder}}
			var e Entry
			inLedger := false
			if c.record != nil {
				e, inLedger = c.record.entries(c.reminder)[n]
			}
			if !inLedger && (c.over || allowed != nil && !slices.Contains(allowed, n)) {
				continue
			}
			if !inLedger && !opts.Backfill && !c.future {
				switch {
				case !started[n]:
					it.Reason = "existing when " + n + " was first run"
				case c.page.Kind == model.KindArticle && !c.reminder && maxAge > 0 && c.base.Before(now.Add(-maxAge)):
					it.Reason = "older than [syndicate] max_age"
				case c.page.Kind == model.KindArticle && !c.reminder && c.base.Before(newest[n]):
					it.Reason = "older than the newest post recorded on " + n
				}
				if it.Reason != "" {
					it.Status = StatusBaseline
					s.Items = append(s.Items, it)
					continue
				}
			}
			// The post's time; it takes its slot even when already sent, so that the next articles keep
			// theirs from run to run.
			if !inLedger || e.State != StateSkipped {
				switch {
				case !c.pinned.IsZero():
					it.Due = c.pinned
					taken[n][c.pinned] = true
				case len(opts.Slots) > 0:
					it.Due = NextSlot(opts.Slots, c.base, loc, taken[n])
					taken[n][it.Due] = true
				case c.future:
					it.Due = c.base
				}
			}
			if inLedger {
				it.Entry = e
				switch e.State {
				case StatePending:
					it.Status = StatusPending
				case StatePublished:
					it.Status = StatusPublished
				case StateFailed:
					it.Status = StatusFailed
					if !e.Retry.After(now) {
						it.Status = StatusRetry
					}
				case StateRetry:
					it.Status = StatusRetry
				case StateUnknown:
					it.Status = StatusUnknown
				case StateGaveUp:
					it.Status = StatusGaveUp
				default:
					it.Status = StatusSkipped
				}
				s.Items = append(s.Items, it)
				continue
			}
			switch {
			case c.future || it.Due.After(now):
				it.Status = StatusScheduled
			case planned[n] < limit:
				it.Status = StatusNew
				planned[n]++
			default:
				it.Status = StatusLater
			}
			s.Items = append(s.Items, it)
		}
	}
	return s, nil
}

// published is when a page is published: publishDate, else its date.
func published(p *model.Page) time.Time {
	if !p.PublishDate.IsZero() {
		return p.PublishDate
	}
	return p.Date
}

// PageID is a page's identity in the ledger: "key/KEY@LANG" when its front matter sets a
// translationKey, else its Markdown file ("content/posts/a.md"). It does not depend on the site's
// domain, scheme or the page's slug; a file moved without a translationKey is found again by its URL
// (Ledger.Find).
func PageID(p *model.Page) string {
	if k, ok := strings.CutPrefix(p.TranslationKey, "key:"); ok && k != "" {
		return "key/" + k + "@" + p.Lang
	}
	if p.Source != "" {
		return p.Source
	}
	return "url:" + p.URL
}

// Slot is a time of the week posts go out at ([syndicate] slots).
type Slot struct {
	// Weekday is the day, or -1 for every day.
	Weekday      time.Weekday
	Hour, Minute int
}

// Slots reads the [syndicate] slots of a configuration, which config.Parse has checked.
func Slots(cfg config.Config) []Slot {
	var out []Slot
	for _, s := range cfg.Syndicate.Slots {
		if w, h, m, err := config.ParseSlot(s); err == nil {
			out = append(out, Slot{Weekday: w, Hour: h, Minute: m})
		}
	}
	return out
}

// NextSlot returns the first time of slots at or after after, in loc, that taken does not hold; after
// itself when slots is empty, or when no slot is free in the next year.
func NextSlot(slots []Slot, after time.Time, loc *time.Location, taken map[time.Time]bool) time.Time {
	if len(slots) == 0 {
		return after
	}
	a := after.In(loc)
	day := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, loc)
	for i := 0; i < 366; i++ {
		d := day.AddDate(0, 0, i)
		var times []time.Time
		for _, s := range slots {
			if s.Weekday == -1 || s.Weekday == d.Weekday() {
				times = append(times, time.Date(d.Year(), d.Month(), d.Day(), s.Hour, s.Minute, 0, 0, loc))
			}
		}
		slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
		for _, t := range times {
			if !t.Before(after) && !taken[t] {
				return t
			}
		}
	}
	return after
}

// frontMatterTime reads a date or date and time of front matter (syndicate_at); zero when absent. A
// time without an offset is in loc.
func frontMatterTime(p *model.Page, key string, loc *time.Location) (time.Time, error) {
	v, ok := param(p, key)
	if !ok {
		return time.Time{}, nil
	}
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case string:
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
			if t, err := time.ParseInLocation(layout, strings.TrimSpace(v), loc); err == nil {
				return t, nil
			}
		}
	case fmt.Stringer: // TOML local dates and times
		return frontMatterTime(&model.Page{Source: p.Source, Params: map[string]any{key: v.String()}}, key, loc)
	}
	return time.Time{}, fmt.Errorf("%s: %s must be a date and time, e.g. 2026-12-01T09:00, got %v", p.Source, key, v)
}

// frontMatterDuration reads a duration of front matter written in weeks, days, hours or minutes
// (remind: 2d, 12h, 1w, 30m); 0 when absent.
func frontMatterDuration(p *model.Page, key string) (time.Duration, error) {
	v, ok := param(p, key)
	if !ok {
		return 0, nil
	}
	d, err := ParseDuration(fmt.Sprint(v))
	if err != nil {
		return 0, fmt.Errorf("%s: %s: %w", p.Source, key, err)
	}
	return d, nil
}

// ParseDuration reads "2d", "12h", "1w", "30m", or a sum of them ("1d12h").
func ParseDuration(s string) (time.Duration, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return 0, fmt.Errorf("empty duration: write 2d, 12h or 1w")
	}
	var total time.Duration
	for in != "" {
		i := 0
		for i < len(in) && in[i] >= '0' && in[i] <= '9' {
			i++
		}
		if i == 0 || i == len(in) {
			return 0, fmt.Errorf("%q is not a duration: write 2d, 12h or 1w", s)
		}
		n, err := strconv.Atoi(in[:i])
		if err != nil || n > 10000 {
			return 0, fmt.Errorf("%q is not a duration: write 2d, 12h or 1w", s)
		}
		unit := map[byte]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute}[in[i]]
		if unit == 0 {
			return 0, fmt.Errorf("%q: unknown unit %q (w, d, h, m)", s, in[i])
		}
		total += time.Duration(n) * unit
		in = strings.TrimSpace(in[i+1:])
	}
	return total, nil
}

// param returns a front-matter key, whatever its case.
func param(p *model.Page, key string) (any, bool) {
	for k, v := range p.Params {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// frontMatterNetworks reads an article's syndicate front-matter key: nil for every network, an empty
// list for none.
func frontMatterNetworks(p *model.Page) ([]string, error) {
	var v any
	found := false
	for k, val := range p.Params {
		if strings.EqualFold(k, "syndicate") {
			v, found = val, true
		}
	}
	if !found {
		return nil, nil
	}
	bad := fmt.Errorf("%s: syndicate must be true, false or a list of networks (%s), got %v",
		p.Source, strings.Join(Networks, ", "), v)
	if list, ok := v.([]string); ok {
		v = toAny(list)
	}
	switch v := v.(type) {
	case bool:
		if v {
			return nil, nil
		}
		return []string{}, nil
	case string:
		v = strings.ToLower(strings.TrimSpace(v))
		if !slices.Contains(Networks, v) {
			return nil, bad
		}
		return []string{v}, nil
	case []any:
		out := []string{}
		for _, e := range v {
			s, ok := e.(string)
			s = strings.ToLower(strings.TrimSpace(s))
			if !ok || !slices.Contains(Networks, s) {
				return nil, bad
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, bad
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// RecordBaseline writes the schedule's baseline items to the ledger as skipped, with their reason, and
// the baselines of the networks this site never ran for, in one update under the ledger's lock. On a
// first run without baseline items (a site with no article yet) it still writes the networks'
// baselines, so that the next run posts the site's first article.
func (s Schedule) RecordBaseline(l *Ledger, now time.Time) error {
	items := s.Baseline()
	if len(items) == 0 && len(s.NewNetworks) == 0 && !s.FirstRun {
		return nil
	}
	return l.update(func() ([]string, error) {
		var names []string
		for _, it := range items {
			r := l.find(it.Key.Page, it.Page.Source, strings.TrimSuffix(it.Article, ReminderSuffix))
			if r == nil {
				r = &Record{Version: LedgerVersion, Page: it.Key.Page, Source: it.Page.Source, URL: strings.TrimSuffix(it.Article, ReminderSuffix)}
				l.records[r.Page] = r
			}
			if _, ok := r.entries(it.Reminder)[it.Network]; ok {
				continue
			}
			r.set(it.Reminder, it.Network, Entry{State: StateSkipped, Error: it.Reason, Time: now.UTC()})
			names = append(names, r.Page)
		}
		for _, n := range s.NewNetworks {
			if _, ok := l.started[n]; !ok {
				l.started[n] = now.UTC()
				names = append(names, networksFile)
			}
		}
		if s.FirstRun && !l.exists {
			names = append(names, networksFile)
		}
		return names, nil
	})
}
