package generator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// LoadSite runs the first steps of a build, config, load and syndication, and returns the site without
// rendering anything: for the commands and pages that only need to know the pages, their dates and
// their posts (vitrine calendar, the dev server's dashboard). opts.Writer is not used.
func LoadSite(ctx context.Context, opts Options) (*model.Site, config.Config, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	cfg, err := config.Load(opts.Source)
	if err != nil {
		return nil, cfg, fmt.Errorf("config: %w", err)
	}
	if opts.BaseURL != "" {
		if err := config.CheckBaseURL(opts.BaseURL); err != nil {
			return nil, cfg, fmt.Errorf("--baseURL: %w", err)
		}
		cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	md := markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe, Typography: cfg.TypographyLang()})
	site, err := load.NewLoader(opts.Source, load.Options{
		Config:     cfg,
		Visibility: model.Visibility{Now: opts.Now, Drafts: opts.Drafts, Future: opts.Future},
		Markdown:   md,
	}).Load(ctx, nil)
	if err != nil {
		return nil, cfg, fmt.Errorf("load: %w", err)
	}
	if err := errors.Join(readSyndication(opts.Source, site), readReactions(opts.Source, site, cfg.Reactions)); err != nil {
		return nil, cfg, fmt.Errorf("syndication: %w", err)
	}
	return site, cfg, nil
}
