package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// kinds maps what `vitrine new` makes to where the file goes and its front matter.
var kinds = map[string]struct {
	dir    string
	bundle bool // a folder with index.md, for pages with images
	front  func(title string, now time.Time) string
}{
	"post": {"posts", false, func(title string, now time.Time) string {
		return "title: " + strconv.Quote(title) + "\ndate: " + now.Format(time.RFC3339) +
			"\ndraft: true\ndescription: \"\"\ntags: []\ncategories: []\n"
	}},
	"project": {"projects", true, func(title string, now time.Time) string {
		return "title: " + strconv.Quote(title) + "\ndate: " + now.Format(time.RFC3339) +
			"\ndraft: true\ndescription: \"\"\nclient: \"\"\nrole: \"\"\nyear: " + strconv.Itoa(now.Year()) +
			"\nimages: []\ntags: []\nweight: 0\n"
	}},
	"event": {"events", false, func(title string, now time.Time) string {
		start := now.AddDate(0, 0, 14).Truncate(time.Hour)
		return "title: " + strconv.Quote(title) + "\ndate: " + now.Format(time.RFC3339) +
			"\ndraft: true\ndescription: \"\"\nstart: " + start.Format(time.RFC3339) +
			"\nend: " + start.Add(2*time.Hour).Format(time.RFC3339) +
			"\nstatus: scheduled\nlocation:\n  name: \"\"\n  address: \"\"\n  postalCode: \"\"\n  city: \"\"\n  country: FR\n" +
			"# online: https://…\nregistration: \"\"\nprice: \"\"\ntags: []\n"
	}},
	"page": {"", false, func(title string, now time.Time) string {
		return "title: " + strconv.Quote(title) + "\ndate: " + now.Format(time.RFC3339) + "\ndescription: \"\"\n"
	}},
}

func newCmd(now func() time.Time) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "new post|project|event|page \"Title\"",
		Short: "Create a content file with its front matter",
		Long: "Create content/posts/SLUG.md (post), content/projects/SLUG/index.md (project, a bundle for its\n" +
			"images), content/events/SLUG.md (event) or content/SLUG.md (page). The slug comes from the title.\n" +
			"New posts, projects and events are drafts: set draft: false to publish them.",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("vitrine new takes what to create and its title, in quotes: vitrine new post \"Mon premier article\" (kinds: post, project, event, page)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			k, ok := kinds[args[0]]
			if !ok {
				return fmt.Errorf("unknown kind %q: use post, project, event or page", args[0])
			}
			title := args[1]
			slug := model.Slugify(title)
			if slug == "" {
				return fmt.Errorf("title %q has no letter or digit to make a file name from", title)
			}
			cfg, err := config.Load(os.DirFS(source))
			if err != nil {
				return err
			}
			rel := filepath.Join(load.ContentDir, k.dir, slug+".md")
			if k.bundle {
				rel = filepath.Join(load.ContentDir, k.dir, slug, "index.md")
			}
			full := filepath.Join(source, rel)
			if _, err := os.Stat(full); err == nil {
				return fmt.Errorf("%s already exists: choose another title", rel)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return err
			}
			text := "---\n" + k.front(title, now().In(cfg.Location()).Truncate(time.Second)) + "---\n\n"
			f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			if _, err := f.WriteString(text); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created %s\n", rel)
			if strings.Contains(text, "\ndraft: true\n") {
				fmt.Fprintf(cmd.OutOrStdout(), "It is a draft: vitrine serve shows it with a badge, vitrine build leaves it out until you set draft: false.\n")
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", ".", "the site's folder")
	return cmd
}
