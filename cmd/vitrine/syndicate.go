package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
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

			ledger, err := syndicate.OpenLedger(filepath.Join(source, syndicate.LedgerPath))
			if err != nil {
				return err
			}
			sched, err := syndicate.Plan(built.Site, ledger, syndicate.PlanOptions{
				Networks:  postNetworks(cfg.Syndicate.Networks),
				MaxPerRun: cfg.Syndicate.MaxPerRun,
				Backfill:  backfill,
				Now:       start,
				Slots:     syndicate.Slots(cfg),
				Location:  cfg.Location(),
			})
			if err != nil {
				return err
			}
			if sched.FirstRun && !backfill {
				if err := recordBaseline(ledger, sched, start); err != nil {
					return err
				}
				fmt.Fprintf(out, "First run on this site: %d existing articles recorded as skipped in %s (the baseline).\n"+
					"Articles published from now on will be posted; run with --backfill to post existing ones instead.\n",
					countArticles(sched.Baseline()), syndicate.LedgerPath)
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
			if len(posts) == 0 && len(sched.Jobs()) == 0 {
				fmt.Fprintln(out, "Nothing new to post.")
			} else if err := sched.WriteTable(out, posts); err != nil {
				return err
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
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.BoolVar(&publishFlag, "publish", false, "send the posts to the networks with an API (Mastodon, Bluesky, the webhook)")
	f.BoolVar(&backfill, "backfill", false, "on the first run, post existing articles instead of recording them as skipped")
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
		if err := opts.Ledger.Set(p.Article, p.Network, syndicate.Entry{State: syndicate.StateSkipped,
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
	failed := 0
	for _, o := range outcomes {
		switch {
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
	if failed > 0 {
		return fmt.Errorf("%d posts failed (recorded in %s; the next run retries them without duplicates)", failed, syndicate.LedgerPath)
	}
	return nil
}

// recordBaseline records the baseline under the ledger's lock, so that it cannot interleave with a
// publishing run.
func recordBaseline(l *syndicate.Ledger, s syndicate.Schedule, now time.Time) error {
	unlock, err := l.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	return s.RecordBaseline(l, now)
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
