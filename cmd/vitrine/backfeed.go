package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/bluesky"
	"github.com/vitrine-ssg/vitrine/syndicate/mastodon"
)

func backfeedCmd() *cobra.Command {
	var (
		source        string
		pending       bool
		approve, hide []string
	)
	cmd := &cobra.Command{
		Use:   "backfeed",
		Short: "Bring replies, likes and reposts of the syndicated posts back into data/reactions/",
		Long: "For every post " + syndicate.LedgerPath + " records as published on Mastodon or Bluesky, read its\n" +
			"counts and replies (Mastodon: the instance of [syndicate.mastodon]; Bluesky: the AppView of\n" +
			"[syndicate.bluesky], https://public.api.bsky.app by default) and merge them into\n" +
			syndicate.ReactionsDir + "/SLUG.json, which the build shows on the article. Replies deleted upstream\n" +
			"disappear; decisions taken with --approve and --hide stay. [reactions] in vitrine.toml moderates:\n" +
			"moderation = \"approve\", hide, blocked_words. VITRINE_MASTODON_TOKEN is used when set.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			cfg, err := config.Load(os.DirFS(source))
			if err != nil {
				return err
			}
			dir := filepath.Join(source, syndicate.ReactionsDir)
			mod := generator.Moderation(cfg.Reactions)
			if len(approve) > 0 || len(hide) > 0 {
				for _, d := range []struct {
					refs     []string
					decision string
				}{{approve, model.ModerationApproved}, {hide, model.ModerationHidden}} {
					for _, ref := range d.refs {
						file, err := syndicate.Decide(dir, ref, d.decision)
						if err != nil {
							return err
						}
						fmt.Fprintf(out, "%s: %s %s\n", file, d.decision, ref)
					}
				}
				return nil
			}
			if pending {
				list, err := syndicate.Moderated(dir, mod)
				if err != nil {
					return err
				}
				syndicate.WritePending(out, list)
				if cfg.Reactions.Moderation == "approve" && len(list) > 0 {
					fmt.Fprintln(out, "Approve a reply with vitrine backfeed --approve URL, hide one with --hide URL.")
				}
				return nil
			}
			ledger, err := syndicate.OpenLedger(filepath.Join(source, syndicate.LedgerPath))
			if err != nil {
				return err
			}
			hc := &http.Client{Timeout: 30 * time.Second}
			sources := map[string]syndicate.Source{}
			if s := cfg.Syndicate.Mastodon.Server; s != "" {
				sources[syndicate.Mastodon] = mastodon.NewReader(s, strings.TrimSpace(os.Getenv(mastodon.TokenEnv)), hc)
			}
			if cfg.Syndicate.Bluesky.Handle != "" {
				sources[syndicate.Bluesky] = bluesky.NewReader(cfg.Syndicate.Bluesky.AppView, hc)
			}
			if len(sources) == 0 {
				return fmt.Errorf("nothing to read: set [syndicate.mastodon] server or [syndicate.bluesky] handle in %s", config.FileName)
			}
			outcomes, err := syndicate.Backfeed(cmd.Context(), ledger, sources, dir, syndicate.RunOptions{Log: out})
			failed := 0
			for _, o := range outcomes {
				state := "unchanged"
				if o.Changed {
					state = fmt.Sprintf("%d new, %d gone", o.Added, o.Removed)
				}
				fmt.Fprintf(out, "%s: %s\n", o.File, state)
				for _, e := range o.Errors {
					failed++
					fmt.Fprintf(out, "  failed: %s (what the file had from it is kept)\n", e)
				}
			}
			if err != nil {
				return err
			}
			if len(outcomes) == 0 {
				fmt.Fprintf(out, "No post published on %s in %s yet.\n", strings.Join(sortedKeys(sources), " or "), syndicate.LedgerPath)
			}
			if list, err := syndicate.Moderated(dir, mod); err == nil && cfg.Reactions.Moderation == "approve" {
				n := 0
				for _, p := range list {
					if p.Status == model.ReplyPending {
						n++
					}
				}
				if n > 0 {
					fmt.Fprintf(out, "%d replies wait for approval: vitrine backfeed --pending lists them.\n", n)
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d reads failed: run again later", failed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.BoolVar(&pending, "pending", false, "list the replies moderation keeps back (waiting for approval, or hidden), without reading the networks")
	f.StringSliceVar(&approve, "approve", nil, "approve the reply with this URL (with [reactions] moderation = \"approve\")")
	f.StringSliceVar(&hide, "hide", nil, "hide the reply with this URL for good")
	return cmd
}

func sortedKeys(m map[string]syndicate.Source) []string {
	var out []string
	for _, n := range syndicate.Networks {
		if m[n] != nil {
			out = append(out, n)
		}
	}
	return out
}
