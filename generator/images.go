package generator

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/cards"
	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/load"
	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Social card files, in the page's folder.
const (
	cardName   = "card.png"
	squareName = "card-square.png"
)

// cardWords are the words of a card's kicker, from the theme's i18n.
type cardWords interface {
	T(key string, args ...any) string
	Date(t time.Time) string
}

// shareImages sets each page's Share and Square images: its own first image (with its size read from the
// file) or a generated 1200×630 card, and a 1080×1080 card for Instagram. Cards come from
// the cache when their inputs did not change.
// A Session's pages that did not change keep their images and cards from the last build.
// words gives the words of each page's language. Each page done is told to report.
func shareImages(ctx context.Context, w output.Writer, site *model.Site, src fs.FS, theme Theme, words func(lang string) cardWords, cacheDir string, generate bool, proc *media.Processor, inc *Session, report func(Progress)) error {
	if inc.patching() {
		return nil // only page bodies changed: images and cards stay
	}
	style := cards.Style{
		Background: theme.Card.Background, Foreground: theme.Card.Foreground, Accent: theme.Card.Accent,
		SiteName: site.Title, AuthorName: site.Author.Name,
	}
	if style.SiteName == style.AuthorName {
		// A personal site named after its owner: the card shows where to find it instead.
		if u, err := url.Parse(site.BaseURL); err == nil && u.Host != "" {
			style.SiteName = u.Host
		}
	}
	var photo string // the author's photo, on every card
	if img := site.Author.Image; img != "" && !strings.Contains(img, "://") {
		photo = path.Join("static", img)
		if data, err := fs.ReadFile(src, photo); err == nil {
			style.AuthorPhoto = data
		}
	}
	cache := cards.Cache{}
	if cacheDir != "" {
		cache.Dir = path.Join(cacheDir, "cards")
	}
	var pages []*model.Page
	for _, p := range site.Pages {
		switch p.Kind {
		case model.KindArticle, model.KindProject, model.KindEvent:
			pages = append(pages, p)
		default:
			if len(p.Videos) > 0 {
				pages = append(pages, p)
			}
		}
	}
	prog := newProgress(report, "cards", len(pages))
	return parallel.Do(ctx, len(pages), func(i int) error {
		defer prog.done()
		p := pages[i]
		if inc.reuseShare(p) {
			return nil
		}
		var files, outputs []string
		posters, err := drawPosters(w, cache, style, p)
		if err != nil {
			return err
		}
		outputs = append(outputs, posters...)
		switch p.Kind {
		case model.KindArticle, model.KindProject, model.KindEvent:
		default:
			inc.storeShare(p, outputs, files)
			return nil
		}
		if p.Cover != nil && proc != nil {
			// The page's own photo, processed: a JPEG light enough for every network, and its square.
			cover := p.Media[0]
			files = append(files, cover.Source)
			im, err := proc.Plan(cover.Source, cover.Dir)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Source, err)
			}
			share, square, shareData, squareData, err := proc.Social(im)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Source, err)
			}
			if err := errors.Join(w.WriteFile(share.Name, shareData), w.WriteFile(square.Name, squareData)); err != nil {
				return err
			}
			alt := cmp.Or(p.Cover.Alt, p.Title)
			p.Share = &model.Image{URL: "/" + share.Name, Width: share.Width, Height: share.Height, Alt: alt}
			p.Square = &model.Image{URL: "/" + square.Name, Width: square.Width, Height: square.Height, Alt: alt}
			outputs = append(outputs, share.Name, square.Name)
			inc.storeShare(p, outputs, files)
			return nil
		}
		if len(p.Images) > 0 {
			var file string
			p.Share, file = ownImage(src, p)
			files = append(files, file)
		}
		if !generate {
			inc.storeShare(p, nil, files)
			return nil
		}
		files = append(files, photo)
		if p.Share == nil {
			img, err := drawCard(w, cache, style, p, words(p.Lang), cardName, cards.OpenGraphWidth, cards.OpenGraphHeight)
			if err != nil {
				return err
			}
			p.Share = img
			outputs = append(outputs, strings.TrimPrefix(img.URL, "/"))
		}
		img, err := drawCard(w, cache, style, p, words(p.Lang), squareName, cards.SquareWidth, cards.SquareHeight)
		if err != nil {
			return err
		}
		p.Square = img
		outputs = append(outputs, strings.TrimPrefix(img.URL, "/"))
		inc.storeShare(p, outputs, files)
		return nil
	})
}

func drawCard(w output.Writer, cache cards.Cache, style cards.Style, p *model.Page, words cardWords, name string, width, height int) (*model.Image, error) {
	kicker := words.T("card_" + string(p.Kind))
	switch {
	case p.Event != nil:
		kicker += " · " + words.Date(p.Event.Start)
	case p.Kind == model.KindArticle:
		kicker += " · " + words.Date(p.Date)
	}
	card := cards.Card{Title: p.Title, Kicker: kicker, Width: width, Height: height}
	out := pageDir(p) + name
	if cache.Dir != "" {
		// Copied from the cache: a writer into the last build's output sees the same file copied again
		// and leaves it be, without reading twenty thousand cards.
		file, drawn, err := cache.File(style, card)
		if err != nil {
			return nil, fmt.Errorf("%s: social card: %w", p.Source, err)
		}
		if drawn != nil {
			// Just drawn: written from memory rather than read back from the cache.
			if err := w.WriteFile(strings.TrimPrefix(out, "/"), drawn); err != nil {
				return nil, err
			}
		} else if err := w.CopyFile(strings.TrimPrefix(out, "/"), os.DirFS(cache.Dir), file); err != nil {
			return nil, err
		}
	} else {
		png, err := cache.Get(style, card)
		if err != nil {
			return nil, fmt.Errorf("%s: social card: %w", p.Source, err)
		}
		if err := w.WriteFile(strings.TrimPrefix(out, "/"), png); err != nil {
			return nil, err
		}
	}
	return &model.Image{URL: out, Width: width, Height: height, Alt: p.Title}, nil
}

// writeImages writes the files of every image the pages publish in several widths. A Session keeps
// those its last build wrote. Each image done is told to report.
func writeImages(ctx context.Context, w output.Writer, site *model.Site, proc *media.Processor, inc *Session, report func(Progress)) error {
	if proc == nil {
		return nil
	}
	var files []model.MediaFile
	seen := map[model.MediaFile]bool{}
	for _, p := range site.Pages {
		for _, f := range p.Media {
			if seen[f] {
				continue
			}
			seen[f] = true
			if inc != nil {
				im, err := proc.Plan(f.Source, f.Dir)
				if err != nil {
					return err
				}
				var names []string
				for _, v := range append(slices.Clone(im.WebP), im.Fallback...) {
					names = append(names, v.Name)
				}
				if inc.keepImages(names) {
					continue
				}
			}
			files = append(files, f)
		}
	}
	prog := newProgress(report, "images", proc.Count(files))
	return proc.Write(ctx, w, files, prog.done)
}

// keepImages keeps, in a Session or a cached build, the files of an image when the last build wrote them
// all and the destination still holds them: their names carry a hash of the source and of the
// settings, so the same name holds the same bytes.
func (s *Session) keepImages(names []string) bool {
	if s == nil {
		return false
	}
	for _, n := range names {
		if d := s.cur.disk; d != nil {
			if !d.Has(n) {
				return false
			}
		} else if _, ok := s.out.Get(n); !ok {
			return false
		}
	}
	for _, n := range names {
		s.cur.keep(n)
	}
	return true
}

// drawPosters draws the poster of each video the page embeds without one: its title on the theme's
// colours, like a social card. It returns the files written.
func drawPosters(w output.Writer, cache cards.Cache, style cards.Style, p *model.Page) ([]string, error) {
	var out []string
	for _, v := range p.Videos {
		if !v.Poster {
			continue
		}
		kicker := "▶"
		if u, err := url.Parse(v.URL); err == nil {
			kicker += " " + strings.TrimPrefix(u.Host, "www.")
		}
		png, err := cache.Get(style, cards.Card{Title: v.Title, Kicker: kicker, Width: load.PosterWidth, Height: load.PosterHeight})
		if err != nil {
			return nil, fmt.Errorf("%s: video poster: %w", p.Source, err)
		}
		name := strings.TrimPrefix(v.Thumbnail, "/")
		if err := w.WriteFile(name, png); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}

// pageDir is the folder a page's files go in, with a trailing slash.
func pageDir(p *model.Page) string {
	if strings.HasSuffix(p.URL, "/") {
		return p.URL
	}
	return path.Dir(p.URL) + "/"
}

// ownImage describes the first image of front matter: relative names are files of the page's bundle,
// names starting with / are files of static/. Its size is read from the file when there is one, whose
// path it returns ("" for images elsewhere).
func ownImage(src fs.FS, p *model.Page) (*model.Image, string) {
	name := p.Images[0]
	img := &model.Image{URL: name, Alt: p.Title}
	if alt, ok := p.Params["coverAlt"].(string); ok && alt != "" {
		img.Alt = alt
	}
	var file string
	switch {
	case strings.Contains(name, "://"):
		return img, ""
	case strings.HasPrefix(name, "/"):
		file = path.Join("static", name)
	default:
		img.URL = pageDir(p) + name
		file = path.Join(path.Dir(p.Source), name)
	}
	// A missing or unreadable file leaves the size unknown; vitrine check reports broken images.
	if data, err := fs.ReadFile(src, file); err == nil {
		img.Width, img.Height, _ = cards.Size(data)
	}
	return img, file
}
