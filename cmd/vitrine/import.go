package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/hugoimport"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

func importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Turn a site made with another generator into a vitrine site",
	}
	cmd.AddCommand(importHugoCmd())
	return cmd
}

func importHugoCmd() *cobra.Command {
	var (
		dryRun           bool
		compare, sitemap string
	)
	cmd := &cobra.Command{
		Use:   "hugo [DIR]",
		Short: "Write vitrine.toml from a Hugo site's configuration, then build the site in memory and report",
		Long: "Read the Hugo configuration of DIR (default: the current folder): hugo.toml, .yaml or .json, config.*,\n" +
			"config/_default/. Write the vitrine.toml that says the same, move layouts/ and i18n/ (Hugo templates)\n" +
			"into hugo/, and print what could not be carried over, one line each, with what to do. Then build the\n" +
			"site in memory and report the pages built and those with features left out, by kind.\n" +
			"Content is read as it is: nothing under content/ changes.\n\n" +
			"With --compare PUBLIC (the folder Hugo built, public/) or --compare-sitemap FILE (the old site's\n" +
			"sitemap.xml, or a list of URLs, one a line), list every old URL the new build lacks, write a redirect\n" +
			"in vitrine.toml's [redirects] for those that name a page it can find, and end with \"0 URLs lost\" or\n" +
			"the list of those still lost.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			out := cmd.OutOrStdout()
			src, err := generator.OpenSource(dir)
			if err != nil {
				return err
			}
			im, err := hugoimport.Convert(src)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "Read %s\n", strings.Join(im.Files, ", "))
			for _, n := range im.Notes {
				fmt.Fprintf(out, "not carried: %s\n", n)
			}
			if dryRun {
				fmt.Fprintf(out, "\n%s", im.Config)
				return nil
			}
			if err := im.Apply(dir); err != nil {
				return err
			}
			for _, m := range im.Moves {
				fmt.Fprintf(out, "Moved %s/ to %s/\n", m[0], m[1])
			}
			fmt.Fprintf(out, "Wrote %s\n", filepath.Join(dir, "vitrine.toml"))
			if compare == "" && sitemap == "" {
				_, _, err := buildReport(cmd, dir, out)
				return err
			}
			return compareURLs(cmd, dir, compare, sitemap, out)
		},
	}
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print the vitrine.toml and the notes, change nothing")
	cmd.Flags().StringVar(&compare, "compare", "", "the Hugo site's built folder (public/): list the old URLs the new build lacks, redirect those it can")
	cmd.Flags().StringVar(&sitemap, "compare-sitemap", "", "the old site's sitemap.xml or a list of URLs, one a line: the same as --compare")
	return cmd
}

// buildReport builds the imported site in memory and prints the report.
func buildReport(cmd *cobra.Command, dir string, out io.Writer) (*generator.Result, *output.Memory, error) {
	start := time.Now()
	src, err := generator.OpenSource(dir)
	if err != nil {
		return nil, nil, err
	}
	mem := &output.Memory{}
	res, err := generator.Build(cmd.Context(), generator.Options{Source: src, Writer: mem})
	if err != nil {
		return nil, nil, fmt.Errorf("the imported site does not build yet; fix these and run vitrine build:\n%w", err)
	}
	r := generator.NewReport(res.Site)
	printNotices(out, r, 20)
	fmt.Fprintf(out, "Built in %s (in memory).\n", time.Since(start).Round(time.Millisecond))
	r.WriteSummary(out)
	fmt.Fprintf(out, "Next: vitrine build -s %s (or vitrine serve -s %s to look at it)\n", dir, dir)
	return res, mem, nil
}

// compareURLs builds the imported site, lists the old URLs (of Hugo's public/ folder, or of a sitemap or
// list) it lacks, writes a redirect in vitrine.toml for each it can map to a page, builds again and
// says what is still lost.
func compareURLs(cmd *cobra.Command, dir, public, list string, out io.Writer) error {
	res, mem, err := buildReport(cmd, dir, out)
	if err != nil {
		return err
	}
	var old []string
	if public != "" {
		if old, err = hugoimport.PublicURLs(os.DirFS(public)); err != nil {
			return fmt.Errorf("--compare %s: %w", public, err)
		}
	} else {
		data, err := os.ReadFile(list)
		if err != nil {
			return fmt.Errorf("--compare-sitemap: %w", err)
		}
		if old, err = hugoimport.ListURLs(data, res.Site.BaseURL); err != nil {
			return fmt.Errorf("--compare-sitemap %s: %w", list, err)
		}
	}
	has := func(name string) bool { _, ok := mem.Get(name); return ok }
	lost := hugoimport.Missing(old, has)
	if mapped := hugoimport.MapLost(lost, res.Site); len(mapped) > 0 {
		if err := appendRedirects(filepath.Join(dir, "vitrine.toml"), mapped); err != nil {
			return err
		}
		fmt.Fprintf(out, "Wrote %d redirects to [redirects] in vitrine.toml for old URLs that name a page\n", len(mapped))
		src, err := generator.OpenSource(dir)
		if err != nil {
			return err
		}
		mem = &output.Memory{}
		if _, err := generator.Build(cmd.Context(), generator.Options{Source: src, Writer: mem}); err != nil {
			return fmt.Errorf("the site does not build with the redirects written: %w", err)
		}
		lost = hugoimport.Missing(old, has)
	}
	if len(lost) == 0 {
		fmt.Fprintf(out, "0 URLs lost: the %d URLs of the old site all answer\n", len(old))
		return nil
	}
	fmt.Fprintf(out, "%d of %d URLs lost (give the pages url or aliases, or add them to [redirects]):\n", len(lost), len(old))
	for _, u := range lost {
		fmt.Fprintf(out, "  %s\n", u)
	}
	return nil
}

// appendRedirects adds a [redirects] table to the vitrine.toml the import wrote.
func appendRedirects(file string, redirects map[string]string) error {
	data, err := toml.Marshal(map[string]any{"redirects": redirects})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.Write(append([]byte("\n# Old addresses of the Hugo site, sent to the page that has them now.\n"), data...))
	return errors.Join(err, f.Close())
}

// printNotices prints the first max notices of a build; vitrine check lists them all.
func printNotices(w io.Writer, r *generator.Report, max int) {
	for i, n := range r.Notices {
		if i == max {
			fmt.Fprintf(w, "… and %d more warnings: vitrine check lists them all\n", len(r.Notices)-max)
			break
		}
		fmt.Fprintln(w, n)
	}
}
