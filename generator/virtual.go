package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

// virtualPages returns the content files vitrine writes for the site from its configuration: the legal
// notice and the privacy page of [legal], the thank-you page of [contact], in each language. They are
// plain pages whose layout (legal, privacy, thanks) writes the text from the site's settings and the
// theme's words; a file of the site's own at the same path wins over them.
func virtualPages(cfg config.Config) map[string]string {
	files := map[string]string{}
	for _, code := range cfg.LanguageCodes() {
		notice, privacy, thanks := config.LegalSlugs(code)
		fr := strings.HasPrefix(strings.ToLower(code), "fr")
		name := func(slug string) string {
			if dir := cfg.Languages[code].ContentDir; dir != "" {
				return path.Join(dir, slug+".md")
			}
			if code == cfg.Language || !cfg.Multilingual() {
				return "content/" + slug + ".md"
			}
			return "content/" + slug + "." + code + ".md"
		}
		page := func(slug, layout, key, title, desc string) {
			files[name(slug)] = fmt.Sprintf("---\ntitle: %q\ndescription: %q\nlayout: %s\ntranslationKey: %s\n---\n", title, desc, layout, key)
		}
		if cfg.Legal.Set() {
			page(notice, "legal", "vitrine-legal-notice", pick(fr, "Mentions légales", "Legal notice"),
				pick(fr, "Qui publie ce site, qui en dirige la publication et qui l’héberge.", "Who publishes this site, who directs its publication and who hosts it."))
			page(privacy, "privacy", "vitrine-privacy", pick(fr, "Politique de confidentialité", "Privacy policy"),
				pick(fr, "Les données personnelles que ce site reçoit, ce qu’il en fait et vos droits.", "The personal data this site receives, what it does with them and your rights."))
		}
		if cfg.Contact.Provider != "" && cfg.Contact.Provider != "mailto" {
			page(thanks, "thanks", "vitrine-thanks", pick(fr, "Merci", "Thank you"),
				pick(fr, "Votre message est bien parti.", "Your message is on its way."))
		}
	}
	return files
}

func pick(fr bool, a, b string) string {
	if fr {
		return a
	}
	return b
}

// withVirtual returns fsys with the virtual pages added where the site has no file of its own.
func withVirtual(fsys fs.FS, pages map[string]string) fs.FS {
	extra := fstest.MapFS{}
	for name, text := range pages {
		if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
			extra[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
		}
	}
	if len(extra) == 0 {
		return fsys
	}
	return overlay{base: fsys, extra: extra}
}

// overlay is a file system with a few files added over another one.
type overlay struct {
	base  fs.FS
	extra fstest.MapFS
}

var (
	_ fs.ReadDirFS  = overlay{}
	_ fs.ReadFileFS = overlay{}
	_ fs.StatFS     = overlay{}
)

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.extra[name]; ok {
		return o.extra.Open(name)
	}
	f, err := o.base.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return o.extra.Open(name) // a folder that only holds added files
	}
	return f, err
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	if f, ok := o.extra[name]; ok {
		return slices.Clone(f.Data), nil
	}
	return fs.ReadFile(o.base, name)
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if _, ok := o.extra[name]; ok {
		return o.extra.Stat(name)
	}
	info, err := fs.Stat(o.base, name)
	if errors.Is(err, fs.ErrNotExist) {
		return o.extra.Stat(name)
	}
	return info, err
}

// ReadDir lists a folder's files and the files added to it, by name.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	list, err := fs.ReadDir(o.base, name)
	added, err2 := o.extra.ReadDir(name)
	if err != nil && err2 != nil {
		return nil, err
	}
	for _, e := range added {
		if !slices.ContainsFunc(list, func(d fs.DirEntry) bool { return d.Name() == e.Name() }) {
			list = append(list, e)
		}
	}
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list, nil
}
