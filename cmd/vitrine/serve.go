package main

import (
	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator/serve"
	"github.com/vitrine-ssg/vitrine/syndicate/dashboard"
)

func serveCmd() *cobra.Command {
	var opts serve.Options
	var noDrafts bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the site with live reload while you write",
		Long: "Build the site into memory and serve it (on 127.0.0.1:1313 unless --bind and --port say otherwise).\n" +
			"Saved files are rebuilt at once, only what they touch, and open pages reload by themselves, CSS\n" +
			"without a reload; build errors show in the page while the last good site stays served.\n" +
			"Drafts are shown, with a badge (--no-drafts hides them). Ctrl-C stops the server.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Log = cmd.OutOrStdout()
			if noDrafts {
				opts.Drafts = false
			}
			dash, err := dashboard.New(dashboard.Options{Dir: opts.Dir})
			if err != nil {
				return err
			}
			opts.Dashboard = dash
			s, err := serve.New(opts)
			if err != nil {
				return err
			}
			return s.Run(cmd.Context())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Dir, "source", "s", ".", "the site's folder")
	f.StringVar(&opts.Bind, "bind", "127.0.0.1", "the interface to listen on (0.0.0.0 for every one)")
	f.IntVarP(&opts.Port, "port", "p", 1313, "the port to listen on")
	// Drafts are shown while writing, as people expect of a preview: a new post is a draft.
	f.BoolVarP(&opts.Drafts, "drafts", "D", true, "show drafts, with a badge (the default)")
	f.BoolVar(&noDrafts, "no-drafts", false, "hide drafts, as vitrine build does")
	f.BoolVarP(&opts.Future, "future", "F", false, "include pages dated in the future")
	return cmd
}
