package syndicate

import (
	"fmt"
	"slices"
	"strings"
	"time"

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
	// Now decides which articles are published (not future, not expired); zero means time.Now().
	Now time.Time
}

// Statuses of an item of a schedule, as the outbox table shows them.
const (
	StatusNew       = "new"                // to compose and publish in this run
	StatusPending   = "pending"            // sent by an earlier run that did not record the result: to resolve
	StatusLater     = "next run"           // over max_per_run: left for a later run
	StatusBaseline  = "skipped (baseline)" // first run: existing article recorded as skipped
	StatusPublished = "already published"
	StatusSkipped   = "skipped"
	StatusFailed    = "failed"
	StatusTooLong   = "too long!" // set by the caller when Compose returns ErrTooLong
)

// Item is one article on one network, and what this run does with it.
type Item struct {
	Page    *model.Page
	Article string // the article's absolute URL: the ledger's key
	Network string
	Status  string
	Entry   Entry // the ledger's entry, when it has one
}

// Schedule is what a run of vitrine syndicate does, article by article, oldest first, and network by
// network in the order of PlanOptions.Networks.
type Schedule struct {
	Items []Item
	// FirstRun is set when the site had no ledger: existing articles are recorded as skipped unless
	// PlanOptions.Backfill.
	FirstRun bool
}

// Jobs returns the items to compose and publish in this run: new and pending.
func (s Schedule) Jobs() []Item {
	return s.with(StatusNew, StatusPending)
}

// Baseline returns the items a first run records as skipped.
func (s Schedule) Baseline() []Item { return s.with(StatusBaseline) }

func (s Schedule) with(statuses ...string) []Item {
	var out []Item
	for _, it := range s.Items {
		if slices.Contains(statuses, it.Status) {
			out = append(out, it)
		}
	}
	return out
}

// Plan decides, for each published article and network, what this run does. An article is a candidate
// on a network when it is published (model.KindArticle, not a draft, not in the future, not expired),
// the ledger has no entry for it there, and its front matter does not opt out: `syndicate: false` opts
// out of every network, `syndicate: [mastodon, bluesky]` keeps only those. On a first run (no ledger
// file) every candidate is a baseline item instead, unless opts.Backfill: the ledger then starts from
// today and only articles published later are posted. Each network gets at most opts.MaxPerRun new
// posts, oldest articles first; the others wait for a later run. A pending entry (a post sent by a run
// that stopped before recording the answer) is always a job, so that the runner resolves it.
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
	vis := model.Visibility{Now: now}
	var articles []*model.Page
	for _, p := range site.Pages {
		if p.Kind != model.KindArticle || !p.IsRegular() {
			continue
		}
		if ok, _ := vis.Visible(p); ok {
			articles = append(articles, p)
		}
	}
	slices.SortFunc(articles, func(a, b *model.Page) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})

	s := Schedule{FirstRun: !ledger.Exists()}
	planned := map[string]int{}
	for _, p := range articles {
		allowed, err := frontMatterNetworks(p)
		if err != nil {
			return Schedule{}, err
		}
		article := site.AbsURL(p.URL)
		for _, n := range networks {
			it := Item{Page: p, Article: article, Network: n}
			if e, ok := ledger.Get(article, n); ok {
				it.Entry = e
				switch e.State {
				case StatePending:
					it.Status = StatusPending
				case StatePublished:
					it.Status = StatusPublished
				case StateFailed:
					it.Status = StatusFailed
				default:
					it.Status = StatusSkipped
				}
				s.Items = append(s.Items, it)
				continue
			}
			if allowed != nil && !slices.Contains(allowed, n) {
				continue
			}
			switch {
			case s.FirstRun && !opts.Backfill:
				it.Status = StatusBaseline
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

// RecordBaseline writes the schedule's baseline items to the ledger as skipped, in one durable write.
// On a first run without baseline items (a site with no article yet) it writes an empty ledger, so that
// the next run is not a first run and posts the site's first article. It does nothing after a first
// run. Hold the ledger's lock around it.
func (s Schedule) RecordBaseline(l *Ledger, now time.Time) error {
	if !s.FirstRun {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, it := range s.Baseline() {
		if l.entries[it.Article] == nil {
			l.entries[it.Article] = map[string]Entry{}
		}
		if _, ok := l.entries[it.Article][it.Network]; !ok {
			l.entries[it.Article][it.Network] = Entry{State: StateSkipped, Time: now.UTC()}
		}
	}
	return l.save()
}
