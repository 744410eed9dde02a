package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/check"
	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/hugoimport"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

func checkCmd() *cobra.Command {
	var (
		source         string
		drafts, future bool
		urls           string
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Build the site in memory and report broken links, anchors and metadata problems",
		Long: "Build the site in memory (nothing is written) and report, with file and line: broken internal\n" +
			"links and anchors, images without alt text and a placeholder baseURL (errors), missing, too long or duplicate titles and\n" +
			"descriptions and the theme's words missing in a language (warnings), pages without translation on a\n" +
			"multilingual site (infos), and the fields of [legal] the law requires for the site's status (errors).\n" +
			"Exits non-zero when there is an error.\n\n" +
			"--urls FILE checks a list of URLs too (an old sitemap.xml, or one URL a line): each must answer,\n" +
			"as a page or a redirect; one that does not is an error.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			mem := &output.Memory{}
			src, err := generator.OpenSource(source)
			if err != nil {
				return err
			}
			cache, err := generator.CacheDir(source)
			if err != nil {
				return err
			}
			// The image cache is shared with vitrine build: checking re-encodes no photo.
			res, err := generator.Build(cmd.Context(), generator.Options{Source: src, Writer: mem, Drafts: drafts, Future: future,
				CacheDir: cache})
			if err != nil {
				return err
			}
			findings := append(check.BaseURL(res.Site, src), check.Site(res.Site, mem, src)...)
			findings = append(findings, check.Words(res.MissingWords)...)
			if urls != "" {
				data, err := os.ReadFile(urls)
				if err != nil {
					return fmt.Errorf("--urls: %w", err)
				}
				list, err := hugoimport.ListURLs(data, res.Site.BaseURL)
				if err != nil {
					return fmt.Errorf("--urls %s: %w", urls, err)
				}
				for _, u := range hugoimport.Missing(list, func(name string) bool { _, ok := mem.Get(name); return ok }) {
					findings = append(findings, check.Finding{Severity: check.Error, File: urls,
						Msg: fmt.Sprintf("%s does not answer: give the page that had it url or aliases, or add it to [redirects]", u)})
				}
			}
			// The legal notice a professional site must publish (LCEN art. 1-1): a missing field fails.
			cfg, err := config.Load(src)
			if err != nil {
				return err
			}
			data, _ := fs.ReadFile(src, config.FileName)
			findings = append(findings, check.Legal(cfg.Legal, data)...)
			errs, warns, infos := 0, 0, 0
			for _, f := range findings {
				fmt.Fprintln(cmd.OutOrStdout(), f)
				switch f.Severity {
				case check.Error:
					errs++
				case check.Warning:
					warns++
				default:
					infos++
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Checked %d pages: %d errors, %d warnings", res.Pages, errs, warns)
			if infos > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), ", %d notes", infos)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			if s := leftOut(res.LeftOut); s != "" {
				fmt.Fprintln(cmd.OutOrStdout(), s)
			}
			if errs > 0 {
				return fmt.Errorf("%d errors found", errs)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.BoolVarP(&drafts, "drafts", "D", false, "include drafts")
	f.BoolVarP(&future, "future", "F", false, "include pages dated in the future")
	f.StringVar(&urls, "urls", "", "a list of URLs that must answer: an old sitemap.xml, or one URL a line")
	return cmd
}
