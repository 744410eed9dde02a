// Command vitrine builds personal-branding sites from Markdown: see README.md, or run vitrine --help.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/bluesky"
	"github.com/vitrine-ssg/vitrine/syndicate/mastodon"
	"github.com/vitrine-ssg/vitrine/syndicate/webhook"
)

// version is set at link time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit status. Every credential of the environment,
// and every session token a network hands out while it runs, is scrubbed from what it writes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	secrets := &syndicate.Secrets{}
	secrets.AddEnv(mastodon.TokenEnv, bluesky.PasswordEnv, webhook.SecretEnv, "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
	stdout, stderr = secrets.Writer(stdout), secrets.Writer(stderr)
	ctx = context.WithValue(ctx, secretsKey{}, secrets)
	root := &cobra.Command{
		Use:           "vitrine",
		Short:         "vitrine builds fast, accessible personal-branding sites from Markdown",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(buildCmd(), checkCmd(), newCmd(time.Now), serveCmd(), syndicateCmd(time.Now), versionCmd())
	root.AddCommand(initCmd(os.Stdin, stdinIsTerminal, time.Now))
	root.AddCommand(deployCmd(), backfeedCmd(), calendarCmd(time.Now), importCmd())
	spelling := flagSpelling()
	for _, c := range append(root.Commands(), root) {
		c.SetGlobalNormalizationFunc(spelling)
		c.SetFlagErrorFunc(suggestFlag)
	}
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "Error:", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		return 1
	}
	return 0
}

// secretsKey carries run's *syndicate.Secrets in the commands' context, for the network clients to
// register the tokens they receive in.
type secretsKey struct{}

// secretsOf returns the secrets run registered in ctx; a new empty set when there are none.
func secretsOf(ctx context.Context) *syndicate.Secrets {
	if s, ok := ctx.Value(secretsKey{}).(*syndicate.Secrets); ok {
		return s
	}
	return &syndicate.Secrets{}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print vitrine's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "vitrine %s\n", version)
			return nil
		},
	}
}

func buildCmd() *cobra.Command {
	var (
		source, dest, baseURL string
		drafts, future        bool
		strict                bool
		cacheDir              string
	)
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the site into public/",
		Long: "Build the site in the source folder (default: the current folder) into the destination folder\n" +
			"(default: public/ inside the source). The destination is replaced only when the whole build\n" +
			"succeeded; on error it is left as it was.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dest == "" {
				dest = filepath.Join(source, "public")
			}
			return buildSite(cmd, buildOptions{Source: source, Dest: dest, BaseURL: baseURL, Drafts: drafts, Future: future, Strict: strict,
				CacheDir: cacheDir}, dest+" left as it was")
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.StringVarP(&dest, "destination", "d", "", "output folder (default SOURCE/public)")
	f.StringVar(&baseURL, "baseURL", "", "override the baseURL of vitrine.toml")
	f.BoolVarP(&drafts, "drafts", "D", false, "include drafts")
	f.BoolVarP(&future, "future", "F", false, "include pages dated in the future")
	f.BoolVar(&strict, "strict", false, "fail on warnings (an image without alt text)")
	f.StringVar(&cacheDir, "cacheDir", "", "the build cache's folder (default SOURCE/.vitrine/cache), kept between builds")
	return cmd
}

// buildCache is the build cache of a build: the one given, checked like the site's own and kept apart
// from the output folder, else the site's.
func buildCache(o buildOptions) (string, error) {
	if o.CacheDir == "" {
		return generator.CacheDir(o.Source)
	}
	if err := generator.CheckCacheDir(o.CacheDir); err != nil {
		return "", err
	}
	cache, err1 := filepath.Abs(o.CacheDir)
	dest, err2 := filepath.Abs(o.Dest)
	if err := errors.Join(err1, err2); err != nil {
		return "", err
	}
	if within(cache, dest) || within(dest, cache) {
		return "", fmt.Errorf("--cacheDir %s: the cache and the output folder %s must not hold one another", o.CacheDir, o.Dest)
	}
	return cache, nil
}

// within reports whether path is dir or lies inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// maxWarnings is the most warnings a build prints: thousands of unknown shortcodes say no more than
// twenty.
const maxWarnings = 20

// buildOptions are the inputs of buildSite.
type buildOptions struct {
	Source, Dest, BaseURL  string
	Drafts, Future, Strict bool
	// CacheDir is the build cache given with --cacheDir; "" for SOURCE/.vitrine/cache.
	CacheDir string
}

// buildSite builds the site into its destination as vitrine build does, for build and deploy: the build
// cache's manifest says what the destination holds and only the files whose bytes change are written (see
// output.Incremental); on error the destination is left as it was and the error says so with failed.
func buildSite(cmd *cobra.Command, o buildOptions, failed string) error {
	start := time.Now()
	defer tuneGC()()
	// Checked before anything is touched: an output folder that is the site, or a cache that a committed
	// link leads out of it, would lose or write files that are not the build's.
	if err := generator.CheckOutput(o.Source, o.Dest); err != nil {
		return err
	}
	cache, err := buildCache(o)
	if err != nil {
		return err
	}
	disk, err := output.NewIncremental(o.Dest, filepath.Join(cache, "build", "output.manifest"))
	if err != nil {
		return err
	}
	src, err := generator.OpenSource(o.Source)
	if err != nil {
		disk.Abort()
		return err
	}
	line := newProgressLine(cmd.ErrOrStderr())
	res, err := generator.Build(cmd.Context(), generator.Options{
		Source:   src,
		Writer:   disk,
		BaseURL:  o.BaseURL,
		Drafts:   o.Drafts,
		Future:   o.Future,
		CacheDir: cache,
		Strict:   o.Strict,
		Progress: progressOf(line),
	})
	line.clear()
	if res != nil {
		for i, w := range res.Warnings {
			if i == maxWarnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: and %d more warnings\n", len(res.Warnings)-i)
				break
			}
			fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
		}
	}
	if err != nil {
		disk.Abort()
		return fmt.Errorf("build failed, %s:\n%w", failed, err)
	}
	if err := disk.Commit(); err != nil {
		return err
	}
	written, kept := disk.Written()
	fmt.Fprintf(cmd.OutOrStdout(), "Built %d pages, %d aliases, %d files (%d written, %d unchanged, %d pages rendered) in %s into %s\n",
		res.Pages, res.Aliases, written+kept, written, kept, res.Rendered, time.Since(start).Round(time.Millisecond), o.Dest)
	if s := leftOut(res.LeftOut); s != "" {
		fmt.Fprintln(cmd.OutOrStdout(), s)
	}
	return nil
}

// leftOut says which pages a build left out and how to see them, "" when it built them all.
func leftOut(counts map[string]int) string {
	var parts []string
	add := func(n int, one, many, how string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one+" ("+how+")")
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s (%s)", n, many, how))
		}
	}
	add(counts["draft"], "draft", "drafts", "--drafts, or draft: false to publish")
	add(counts["future"], "page dated later", "pages dated later", "--future")
	add(counts["expired"], "expired page", "expired pages", "expiryDate passed")
	if len(parts) == 0 {
		return ""
	}
	return "Left out: " + strings.Join(parts, ", ")
}
