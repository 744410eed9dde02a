package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/hugo"
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
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "hugo [DIR]",
		Short: "Write vitrine.toml from a Hugo site's configuration, then build the site in memory and report",
		Long: "Read the Hugo configuration of DIR (default: the current folder): hugo.toml, .yaml or .json, config.*,\n" +
			"config/_default/. Write the vitrine.toml that says the same, move layouts/ and i18n/ (Hugo templates)\n" +
			"into hugo/, and print what could not be carried over, one line each, with what to do. Then build the\n" +
			"site in memory and report the pages built and those with features left out, by kind.\n" +
			"Content is read as it is: nothing under content/ changes.",
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
			im, err := hugo.Convert(src)
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
			return buildReport(cmd, dir, out)
		},
	}
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print the vitrine.toml and the notes, change nothing")
	return cmd
}

// buildReport builds the imported site in memory and prints the report.
func buildReport(cmd *cobra.Command, dir string, out io.Writer) error {
	start := time.Now()
	src, err := generator.OpenSource(dir)
	if err != nil {
		return err
	}
	res, err := generator.Build(cmd.Context(), generator.Options{Source: src, Writer: &output.Memory{}})
	if err != nil {
		return fmt.Errorf("the imported site does not build yet; fix these and run vitrine build:\n%w", err)
	}
	r := generator.NewReport(res.Site)
	printNotices(out, r, 20)
	fmt.Fprintf(out, "Built in %s (in memory).\n", time.Since(start).Round(time.Millisecond))
	r.WriteSummary(out)
	fmt.Fprintf(out, "Next: vitrine build -s %s (or vitrine serve -s %s to look at it)\n", dir, dir)
	return nil
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
