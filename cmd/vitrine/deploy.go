package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator/deploy"
)

func deployCmd() *cobra.Command {
	var (
		source, dest, endpoint, region string
		dryRun, noBuild                bool
	)
	cmd := &cobra.Command{
		Use:   "deploy s3://BUCKET[/PREFIX]",
		Short: "Build the site and upload it to S3-compatible storage, only what changed",
		Long: "Build the site (as vitrine build does; --no-build takes the built folder as it is), then make the\n" +
			"bucket hold exactly the site: upload what is new or changed (by SHA-256 of the content, stored in\n" +
			"each object's metadata), then delete the objects whose file is gone. Assets go up before pages, and\n" +
			"deletions come last. Fingerprinted files (css/style.HASH.css) are cached for a year, pages and feeds\n" +
			"for five minutes. The bucket, or its PREFIX, belongs to the site: other objects under it are deleted.\n\n" +
			"Keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), else from\n" +
			"~/.aws/credentials. For storage other than AWS, give the endpoint with --endpoint or AWS_ENDPOINT_URL:\n" +
			"https://s3.fr-par.scw.cloud (Scaleway), https://s3.gra.io.cloud.ovh.net (OVH), http://127.0.0.1:9000\n" +
			"(MinIO). The region comes from --region, AWS_REGION or AWS_DEFAULT_REGION.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, out := cmd.Context(), cmd.OutOrStdout()
			start := time.Now()
			target, err := deploy.ParseURL(args[0])
			if err != nil {
				return err
			}
			if dest == "" {
				dest = filepath.Join(source, "public")
			}
			if noBuild {
				if st, err := os.Stat(dest); err != nil || !st.IsDir() {
					return fmt.Errorf("--no-build: %s is not a built site: run vitrine build first", dest)
				}
			} else if err := buildSite(cmd, buildOptions{Source: source, Dest: dest}, "nothing deployed"); err != nil {
				return err
			}
			store, err := deploy.NewS3(target.Bucket, deploy.S3Options{
				Endpoint:     cmp.Or(endpoint, os.Getenv("AWS_ENDPOINT_URL_S3"), os.Getenv("AWS_ENDPOINT_URL")),
				Region:       cmp.Or(region, os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION")),
				AccessKey:    os.Getenv("AWS_ACCESS_KEY_ID"),
				SecretKey:    os.Getenv("AWS_SECRET_ACCESS_KEY"),
				SessionToken: os.Getenv("AWS_SESSION_TOKEN"),
			})
			if err != nil {
				return err
			}
			if err := store.CheckBucket(ctx); err != nil {
				return err
			}
			opts := deploy.Options{Site: os.DirFS(dest), Store: store, Target: target, DryRun: dryRun, Log: out}
			plan, err := deploy.Sync(ctx, opts)
			if err != nil {
				return fmt.Errorf("deploy to %s: %w", target, err)
			}
			if dryRun {
				for _, u := range plan.Uploads {
					fmt.Fprintf(out, "would upload %s (%s)\n", u.Key, u.Reason)
				}
				for _, k := range plan.Deletes {
					fmt.Fprintf(out, "would delete %s\n", k)
				}
				fmt.Fprintf(out, "Dry run, nothing changed on %s: %d to upload (%s), %d to delete, %d unchanged\n",
					target, len(plan.Uploads), humanSize(plan.Bytes()), len(plan.Deletes), plan.Unchanged)
				return nil
			}
			fmt.Fprintf(out, "Deployed to %s: %d uploaded (%s), %d deleted, %d unchanged in %s\n",
				target, len(plan.Uploads), humanSize(plan.Bytes()), len(plan.Deletes), plan.Unchanged,
				time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&source, "source", "s", ".", "the site's folder")
	f.StringVarP(&dest, "destination", "d", "", "the built site's folder (default SOURCE/public)")
	f.StringVar(&endpoint, "endpoint", "", "the S3 endpoint, e.g. https://s3.fr-par.scw.cloud (default AWS_ENDPOINT_URL, else AWS)")
	f.StringVar(&region, "region", "", "the bucket's region (default AWS_REGION)")
	f.BoolVar(&dryRun, "dry-run", false, "show what would be uploaded and deleted, change nothing")
	f.BoolVar(&noBuild, "no-build", false, "upload the destination folder as it is, without building")
	return cmd
}

// humanSize writes a byte count for people.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
