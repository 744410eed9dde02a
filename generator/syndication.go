package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// ledgerPath is the syndication ledger of the site, written by `vitrine syndicate` (package syndicate
// owns its format; the build only reads the URLs of published posts, so it does not depend on it).
const ledgerPath = "data/syndication.json"

// readSyndication gives each page the URLs of its posts on other networks, from the ledger: the
// "also on Mastodon · Bluesky" links, u-syndication in microformats and sameAs in JSON-LD.
func readSyndication(src fs.FS, site *model.Site) error {
	data, err := fs.ReadFile(src, ledgerPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var ledger struct {
		Articles map[string]map[string]struct {
			State string `json:"state"`
			URL   string `json:"url"`
		} `json:"articles"`
	}
	if err := json.Unmarshal(data, &ledger); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("%s:%d: %w", ledgerPath, 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")), err)
		case errors.As(err, &te):
			return fmt.Errorf("%s:%d: %w", ledgerPath, 1+bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")), err)
		}
		return fmt.Errorf("%s: %w", ledgerPath, err)
	}
	for _, p := range site.Pages {
		p.Syndication = nil // a dev server's Session may give the same pages again
		entries := ledger.Articles[site.AbsURL(p.URL)]
		for _, network := range slices.Sorted(maps.Keys(entries)) {
			if e := entries[network]; e.State == "published" && e.URL != "" {
				p.Syndication = append(p.Syndication, model.Syndication{Network: network, URL: e.URL})
			}
		}
	}
	return nil
}
