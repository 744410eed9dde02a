package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

func calendarCmd(now func() time.Time) *cobra.Command {
	var (
		source string
		weeks  int
	)
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "The editorial calendar: articles, events and posts of the coming weeks, per network",
		Long: "Show the coming weeks as a table: articles by publication date (future ones included), events,\n" +
			"and the posts of each network, at the slot [syndicate] slots gives them, at syndicate_at, or for\n" +
			"an event's reminder (remind: 2d) that long before it starts. Also written to\n" +
			syndicate.CalendarFile + " to subscribe to in a calendar app.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			start := now()
			src, err := generator.OpenSource(source)
			if err != nil {
				return err
			}
			site, cfg, err := generator.LoadSite(cmd.Context(), generator.Options{Source: src, Now: start, Future: true})
			if err != nil {
				return err
			}
			ledger, err := syndicate.OpenLedger(filepath.Join(source, syndicate.LedgerPath))
			if err != nil {
				return err
			}
			sched, err := syndicate.Plan(site, ledger, syndicate.PlanOptions{
				Networks:  postNetworks(cfg.Syndicate.Networks),
				MaxPerRun: cfg.Syndicate.MaxPerRun,
				Now:       start,
				Slots:     syndicate.Slots(cfg),
				Location:  cfg.Location(),
				Future:    true,
			})
			if err != nil {
				return err
			}
			loc := cfg.Location()
			day := start.In(loc)
			from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
			to := from.AddDate(0, 0, 7*weeks)
			entries := syndicate.Calendar(site, sched, from, to, start)
			fmt.Fprintf(out, "%s, %s to %s (%s)\n\n", cfg.Title, from.Format("Mon 2006-01-02"), to.AddDate(0, 0, -1).Format("Mon 2006-01-02"), loc)
			if len(entries) == 0 {
				fmt.Fprintln(out, "Nothing is published or scheduled in these weeks.")
			} else if err := syndicate.WriteCalendarTable(out, entries, loc); err != nil {
				return err
			}
			// The file to subscribe to holds the past weeks too, so that it reads as a log.
			all := syndicate.Calendar(site, sched, from.AddDate(0, 0, -7*weeks), to, start)
			data, err := syndicate.CalendarICS(all, cfg.Title+" · calendrier éditorial", cfg.Language, start)
			if err != nil {
				return err
			}
			name := filepath.Join(source, syndicate.CalendarFile)
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(name, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(out, "\n%d entries written to %s, to subscribe to in a calendar app.\n", len(all), name)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.IntVar(&weeks, "weeks", 6, "how many weeks to show, from today")
	return cmd
}
