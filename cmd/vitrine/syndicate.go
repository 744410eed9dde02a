package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/bluesky"
	"github.com/vitrine-ssg/vitrine/syndicate/mastodon"
	"github.com/vitrine-ssg/vitrine/syndicate/webhook"
	"github.com/vitrine-ssg/vitrine/themes"
)

func syndicateCmd(now func() time.Time) *cobra.Command {
	var (
		source                      string
		publishFlag, backfill, live bool
	)
	cmd := &cobra.Command{
		Use:   "syndicate",
		Short: "Compose social posts for new articles into the outbox; --publish sends them",
		Long: "Build the site in memory, find the articles not yet posted on each network of [syndicate] in\n" +
			"vitrine.toml (the ledger " + syndicate.LedgerPath + " records what was posted), compose one post per\n" +
			"network within its rules and write them to " + syndicate.OutboxDir + "/ for review: nothing is sent\n" +
			"without --publish. The first run on a site records its existing articles as skipped, unless\n" +
			"--backfill. Secrets come from the environment only: VITRINE_MASTODON_TOKEN,\n" +
			"VITRINE_BLUESKY_APP_PASSWORD, VITRINE_WEBHOOK_SECRET.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			start := now()
			src, err := generator.OpenSource(source)
			if err != nil {
				return err
			}
			cfg, err := config.Load(src)
			if err != nil {
				return err
			}
			cache, err := generator.CacheDir(source)
			if err != nil {
				return err
			}
			mem := &output.Memory{}
			built, err := generator.Build(ctx, generator.Options{Source: src, Writer: mem, Now: start,
				CacheDir: cache}) // photos already encoded by vitrine build
			if err != nil {
				return err
			}

			maxAge, err := maxAge(cfg.Syndicate.MaxAge)
			if err != nil {
				return err
			}
			ledger, err := syndicate.OpenLedger(filepath.Join(source, syndicate.LedgerPath))
			if err != nil {
				return err
			}
			// The ledger is read, changed and written under its lock only, for the whole run.
			unlock, err := ledger.Lock()
			if err != nil {
				return err
			}
			defer unlock()
			moved, err := syndicate.BindPages(built.Site, ledger)
			if err != nil {
				return err
			}
			for _, m := range moved {
				fmt.Fprintf(out, "Moved: %s → %s (its posts stay with it, nothing is posted again).\n", m.From, m.To)
			}
			sched, err := syndicate.Plan(built.Site, ledger, syndicate.PlanOptions{
				Networks:  postNetworks(cfg.Syndicate.Networks),
				MaxPerRun: cfg.Syndicate.MaxPerRun,
				Backfill:  backfill,
				Now:       start,
				Slots:     syndicate.Slots(cfg),
				Location:  cfg.Location(),
				MaxAge:    maxAge,
			})
			if err != nil {
				return err
			}
			if err := sched.RecordBaseline(ledger, start); err != nil {
				return err
			}
			switch base := sched.Baseline(); {
			case sched.FirstRun && !backfill:
				fmt.Fprintf(out, "First run on this site: %d existing articles recorded as skipped in %s (the baseline).\n"+
					"Articles published from now on will be posted; run with --backfill to post existing ones instead.\n",
					countArticles(base), syndicate.LedgerPath)
			case len(base) > 0:
				for _, it := range base {
					fmt.Fprintf(out, "%-9s %s: old article, recorded as skipped (%s); --backfill posts old articles\n", it.Network, it.Article, it.Reason)
				}
			}
			compose := syndicate.ComposeOptions{
				Templates: templateDirs(src, cfg.Theme),
				Hashtags:  cfg.Syndicate.Hashtags,
				UTM:       cfg.Syndicate.UTMEnabled(),
			}
			if publishFlag && cfg.Syndicate.Mastodon.Server != "" {
				// The instance's own limits, when it answers; Mastodon's defaults otherwise.
				hc := &http.Client{Timeout: 10 * time.Second}
				if max, url, err := mastodon.New(cfg.Syndicate.Mastodon.Server, "", hc).Limits(ctx); err == nil {
					compose.MastodonMaxChars, compose.MastodonURLLength = max, url
				}
			}
			posts, err := sched.ComposeJobs(built.Site, compose)
			if err != nil {
				return err
			}
			outbox := filepath.Join(source, syndicate.OutboxDir)
			if err := syndicate.WriteOutbox(outbox, posts); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
			if len(posts) == 0 && len(sched.Jobs()) == 0 && len(sched.Attention()) == 0 {
				fmt.Fprintln(out, "Nothing new to post.")
			} else if err := sched.WriteTable(out, posts); err != nil {
				return err
			}
			for _, it := range sched.Attention() {
				switch it.Status {
				case syndicate.StatusUnknown:
					fmt.Fprintf(out, "UNKNOWN   %s %s: %s\n", it.Network, it.Article, syndicate.UnknownAdvice(it.Network, unknownSlug(it)))
				case syndicate.StatusGaveUp:
					fmt.Fprintf(out, "GAVE UP   %s %s: %s\n", it.Network, it.Article, it.Entry.Error)
				}
			}
			if n := len(sched.Scheduled()); n > 0 {
				fmt.Fprintf(out, "%d posts are scheduled: a run at or after their time publishes them (vitrine calendar shows when).\n", n)
			}
			if !publishFlag {
				if len(posts) > 0 {
					fmt.Fprintf(out, "Nothing was sent: review the posts in %s, then run vitrine syndicate --publish.\n", outbox)
				}
				return nil
			}
			return publish(ctx, publishOptions{Config: cfg, Ledger: ledger, Posts: sched.Ready(posts), WaitLive: live, Out: out,
				Images: mem, HTTP: &http.Client{Timeout: 30 * time.Second}, Now: now})
		},
	}
	cmd.AddCommand(syndicateRetryCmd(now), syndicateMarkCmd(now), syndicateMergeCmd())
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.BoolVar(&publishFlag, "publish", false, "send the posts to the networks with an API (Mastodon, Bluesky, the webhook)")
	f.BoolVar(&backfill, "backfill", false, "post old articles (existing at a network's first run, older than [syndicate] max_age or than the newest post) instead of recording them as skipped")
	f.BoolVar(&live, "wait-live", false, "with --publish, wait until each article's URL answers 200 before posting it")
	return cmd
}

// publishOptions are what publishing needs from the command.
type publishOptions struct {
	Config   config.Config
	Ledger   *syndicate.Ledger
	Posts    []syndicate.Post // composed posts that fit, oldest article first
	WaitLive bool
	Out      io.Writer
	Images   fs.FS // the built site, where the posts' card images are
	HTTP     *http.Client
	Now      func() time.Time
}

// publish sends the posts through the networks' clients, exactly once. Networks without an open API
// (X, Threads, and LinkedIn, Facebook, Instagram without a webhook) are recorded as skipped: their
// posts wait in the outbox to be posted by hand.
func publish(ctx context.Context, opts publishOptions) error {
	cfg := opts.Config.Syndicate
	targets := map[string]syndicate.Target{}
	var missing []string
	if cfg.Mastodon.Server != "" {
		c, err := mastodon.FromEnv(cfg.Mastodon.Server, opts.HTTP)
		if err != nil {
			missing = append(missing, err.Error())
		} else {
			targets[syndicate.Mastodon] = c
		}
	}
	if cfg.Bluesky.Handle != "" {
		c, err := bluesky.FromEnv(cfg.Bluesky.Service, cfg.Bluesky.Handle, opts.HTTP, bluesky.Images(opts.Images), bluesky.Secrets(secretsOf(ctx)))
		if err != nil {
			missing = append(missing, err.Error())
		} else {
			targets[syndicate.Bluesky] = c
		}
	}
	if cfg.Webhook.URL != "" {
		c, err := webhook.FromEnv(cfg.Webhook.URL, opts.HTTP)
		if err != nil {
			missing = append(missing, err.Error())
		} else {
			for _, n := range cfg.Webhook.Networks {
				targets[n] = c
			}
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("cannot publish: %s", strings.Join(missing, "; "))
	}
	var toSend []syndicate.Post
	for _, p := range opts.Posts {
		if targets[p.Network] != nil {
			toSend = append(toSend, p)
			continue
		}
		// Under the ledger's lock, which the command holds for the whole run.
		if err := opts.Ledger.SetPost(p.Key(), strings.TrimSuffix(p.Article, syndicate.ReminderSuffix), syndicate.Entry{State: syndicate.StateSkipped,
			Error: "no API for " + p.Network + ": post it by hand from the outbox", Time: opts.Now()}); err != nil {
			return err
		}
		fmt.Fprintf(opts.Out, "%-9s %s: no API, left in the outbox to post by hand\n", p.Network, p.Article)
	}
	ro := syndicate.RunOptions{Now: opts.Now, Log: opts.Out}
	if opts.WaitLive {
		ro.WaitLive = func(ctx context.Context, url string) error {
			return syndicate.WaitLive(ctx, opts.HTTP, url, 10*time.Minute)
		}
	}
	outcomes, err := syndicate.Run(ctx, opts.Ledger, targets, toSend, ro)
	failed, unknown := 0, 0
	for _, o := range outcomes {
		switch {
		case o.State == syndicate.StateUnknown:
			unknown++
			fmt.Fprintf(opts.Out, "%-9s %s: UNKNOWN: %s\n", o.Network, o.Article, o.Error)
		case o.State == syndicate.StateGaveUp:
			failed++
			fmt.Fprintf(opts.Out, "%-9s %s: GAVE UP: %s\n", o.Network, o.Article, o.Error)
		case o.Error != "":
			failed++
			fmt.Fprintf(opts.Out, "%-9s %s: failed: %s\n", o.Network, o.Article, o.Error)
		case o.Sent:
			fmt.Fprintf(opts.Out, "%-9s %s: published %s\n", o.Network, o.Article, o.URL)
		default:
			fmt.Fprintf(opts.Out, "%-9s %s: already published %s\n", o.Network, o.Article, o.URL)
		}
	}
	if err != nil {
		return err
	}
	if unknown > 0 {
		return fmt.Errorf("%d posts have an unknown outcome: they are not sent again until you say what happened (vitrine syndicate mark or retry, above)", unknown)
	}
	if failed > 0 {
		return fmt.Errorf("%d posts failed (recorded in %s; a later run looks them up and retries them, as said above)", failed, syndicate.LedgerPath)
	}
	return nil
}

// maxAge reads [syndicate] max_age: "" for the default, "0" or "off" for no guard.
func maxAge(s string) (time.Duration, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "":
		return 0, nil
	case "0", "off":
		return -1, nil
	}
	d, err := syndicate.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("vitrine.toml: [syndicate] max_age: %w (or \"0\" for no limit)", err)
	}
	return d, nil
}

// unknownSlug is how vitrine syndicate mark and retry name an item.
func unknownSlug(it syndicate.Item) string {
	s := path.Base(strings.TrimSuffix(it.Page.URL, "/"))
	if it.Reminder {
		s += syndicate.ReminderSuffix
	}
	return s
}

// postNetworks are the networks posts are composed for: "webhook" in [syndicate] networks is a way to
// publish the posts of other networks, not a network of its own.
func postNetworks(networks []string) []string {
	return slices.DeleteFunc(slices.Clone(networks), func(n string) bool { return n == "webhook" })
}

// templateDirs are where post templates may be overridden: the site, then its theme.
func templateDirs(site fs.FS, theme string) []fs.FS {
	dirs := []fs.FS{site}
	dir := path.Join("themes", theme)
	if st, err := fs.Stat(site, dir); err == nil && st.IsDir() {
		sub, err := fs.Sub(site, dir)
		if err == nil {
			dirs = append(dirs, sub)
		}
	} else if theme == "default" {
		dirs = append(dirs, themes.Default())
	}
	return dirs
}

func countArticles(items []syndicate.Item) int {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Article] = true
	}
	return len(seen)
}

// ledgerPost opens the site's ledger under its lock and finds the post that slug (with "#reminder"
// for an event's reminder) and network name.
func ledgerPost(ctx context.Context, source, slug, network string, now time.Time) (*syndicate.Ledger, syndicate.PostKey, string, func(), error) {
	fail := func(err error) (*syndicate.Ledger, syndicate.PostKey, string, func(), error) {
		return nil, syndicate.PostKey{}, "", nil, err
	}
	src, err := generator.OpenSource(source)
	if err != nil {
		return fail(err)
	}
	site, _, err := generator.LoadSite(ctx, generator.Options{Source: src, Now: now, Future: true})
	if err != nil {
		return fail(err)
	}
	name, reminder := strings.CutSuffix(slug, syndicate.ReminderSuffix)
	page, err := syndicate.FindPage(site, name)
	if err != nil {
		return fail(err)
	}
	if network != "" && !slices.Contains(append(slices.Clone(syndicate.Networks), syndicate.Webhook), network) {
		return fail(fmt.Errorf("unknown network %q (known: %s)", network, strings.Join(syndicate.Networks, ", ")))
	}
	ledger, err := syndicate.OpenLedger(filepath.Join(source, syndicate.LedgerPath))
	if err != nil {
		return fail(err)
	}
	unlock, err := ledger.Lock()
	if err != nil {
		return fail(err)
	}
	if _, err := syndicate.BindPages(site, ledger); err != nil {
		unlock()
		return fail(err)
	}
	return ledger, syndicate.PostKey{Page: syndicate.PageID(page), Network: network, Reminder: reminder}, site.AbsURL(page.URL), unlock, nil
}

func syndicateRetryCmd(now func() time.Time) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "retry SLUG [NETWORK]",
		Short: "Have the next vitrine syndicate --publish try a failed, given-up or unknown post again",
		Long: "Mark the posts of an article (on one network, or on every network where it is not published) to be\n" +
			"tried again by the next vitrine syndicate --publish, which first asks the network whether it has\n" +
			"the post and sends it only if not. For an unknown post, say retry only once you have checked that\n" +
			"the network does not have it. SLUG is the end of the article's URL (SLUG#reminder for an event's\n" +
			"reminder), its path or its file.",
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			network := ""
			if len(args) == 2 {
				network = args[1]
			}
			ledger, k, url, unlock, err := ledgerPost(cmd.Context(), source, args[0], network, now())
			if err != nil {
				return err
			}
			defer unlock()
			networks := []string{network}
			if network == "" {
				networks = nil
				for n, e := range ledger.Entries(url + map[bool]string{true: syndicate.ReminderSuffix}[k.Reminder]) {
					if e.State != syndicate.StatePublished && e.State != syndicate.StateSkipped {
						networks = append(networks, n)
					}
				}
				slices.Sort(networks)
				if len(networks) == 0 {
					return fmt.Errorf("%s has no failed, given-up or unknown post: nothing to retry", url)
				}
			}
			for _, n := range networks {
				k.Network = n
				prev, err := ledger.Retry(k, url, now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-9s %s: %s → retry: the next vitrine syndicate --publish looks it up, then sends it if %s does not have it.\n", n, url, prev.State, n)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "the site's folder")
	return cmd
}

func syndicateMarkCmd(now func() time.Time) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "mark SLUG NETWORK URL",
		Short: "Record a post made by hand, or what an unknown post turned out to be, as published at URL",
		Long: "Record in the ledger that the article's post on NETWORK is published at URL: a post made by hand\n" +
			"from the outbox, or the post you found on the account after an unknown outcome. It is never sent\n" +
			"again, and the article links to it. SLUG is the end of the article's URL (SLUG#reminder for an\n" +
			"event's reminder), its path or its file.",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			ledger, k, url, unlock, err := ledgerPost(cmd.Context(), source, args[0], args[1], now())
			if err != nil {
				return err
			}
			defer unlock()
			if err := ledger.Mark(k, url, args[2], now()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%-9s %s: published %s (recorded by hand)\n", k.Network, url, args[2])
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "the site's folder")
	return cmd
}

func syndicateMergeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "merge BASE OURS THEIRS",
		Short: "Merge two versions of a ledger file: the git merge driver of " + syndicate.LedgerPath,
		Long: "Git calls this on a ledger file two runs changed (git config merge." + syndicate.MergeDriver + ".driver\n" +
			"\"vitrine syndicate merge %O %A %B\"; " + syndicate.LedgerPath + "/.gitattributes names the driver). It writes\n" +
			"the merge into OURS: no published post is lost; two copies of one post keep the first as the post\n" +
			"and the other in duplicates.",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			var data [3][]byte
			for i, name := range args {
				b, err := os.ReadFile(name)
				if err != nil && !(i == 0 && errors.Is(err, fs.ErrNotExist)) {
					return err
				}
				data[i] = b
			}
			merged, err := syndicate.MergeFiles(data[0], data[1], data[2])
			if err != nil {
				return fmt.Errorf("merge %s: %w", args[1], err)
			}
			return syndicate.WriteFileAtomic(args[1], merged)
		},
	}
}
