package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// ledgerDir and legacyLedger are the syndication ledger of the site, written by `vitrine syndicate`:
// one file per page under ledgerDir, or, before its format version 2, the single legacy file (package
// syndicate owns the format; the build only reads the URLs of published posts, so it does not depend
// on it).
const (
	ledgerDir    = "data/syndication"
	legacyLedger = "data/syndication.json"
)

type ledgerEntry struct {
	State string `json:"state"`
	URL   string `json:"url"`
}

// readSyndication gives each page the URLs of its posts on other networks, from the ledger: the
// "also on Mastodon · Bluesky" links, u-syndication in microformats and sameAs in JSON-LD.
func readSyndication(src fs.FS, site *model.Site) error {
	byURL := map[string]map[string]ledgerEntry{}
	data, err := fs.ReadFile(src, legacyLedger)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		var ledger struct {
			Articles map[string]map[string]ledgerEntry `json:"articles"`
		}
		if err := json.Unmarshal(data, &ledger); err != nil {
			return jsonError(legacyLedger, data, err)
		}
		byURL = ledger.Articles
	}
	err = fs.WalkDir(src, ledgerDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == ledgerDir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || path.Ext(name) != ".json" || path.Base(name) == "networks.json" || strings.HasPrefix(path.Base(name), ".") {
			return nil
		}
		data, err := fs.ReadFile(src, name)
		if err != nil {
			return err
		}
		var r struct {
			URL      string                 `json:"url"`
			Announce map[string]ledgerEntry `json:"announce"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return jsonError(name, data, err)
		}
		if r.URL != "" && len(r.Announce) > 0 {
			byURL[r.URL] = r.Announce
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range site.Pages {
		p.Syndication = nil // a dev server's Session may give the same pages again
		entries := byURL[site.AbsURL(p.URL)]
		for _, network := range slices.Sorted(maps.Keys(entries)) {
			// The URL comes from a network's answer: only an http(s) one becomes a link.
			if e := entries[network]; e.State == "published" && e.URL != "" && safeurl.File(e.URL) && safeurl.Scheme(e.URL) != "" {
				p.Syndication = append(p.Syndication, model.Syndication{Network: network, URL: e.URL})
			}
		}
	}
	return nil
}

// jsonError names the file of a JSON decoding error, with its line when the decoder tells where.
func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("%s:%d: %w", name, 1+bytes.Count(data[:min(int(off), len(data))], []byte("\n")), err)
}
