// Package themes embeds the built-in themes, so that the vitrine binary alone can build any site:
// default, and galerie, an image-first theme for photographers.
//
// A theme is a folder with layouts/ (html/template files), static/ (copied to the output), i18n/ (the
// theme's words, one TOML file per language) and theme.toml. Any theme but the default one is read
// through WithFallback: a layout or a words file it lacks is the default theme's, so that a theme need
// only write the layouts it changes.
package themes

import (
	"embed"
	"errors"
	"io/fs"
	"slices"
	"strings"
)

//go:embed all:default all:galerie
var embedded embed.FS

//go:embed fonts/*/*.woff2
var fonts embed.FS

// Font returns a font file of fonts/ ("inter/inter-latin-400-normal.woff2"): the open-licence fonts a
// site may choose (see fonts/README.md).
func Font(name string) ([]byte, error) { return fs.ReadFile(fonts, "fonts/"+name) }

// Names are the built-in themes, the default one first.
var Names = []string{"default", "galerie"}

// Default returns the default theme's files, rooted at the theme folder.
func Default() fs.FS { return Builtin("default") }

// Builtin returns a built-in theme's files, rooted at its folder, or nil for an unknown name.
func Builtin(name string) fs.FS {
	if !slices.Contains(Names, name) {
		return nil
	}
	sub, err := fs.Sub(embedded, name)
	if err != nil {
		// fs.Sub fails only on an invalid path, and the names are valid.
		panic(err)
	}
	return sub
}

// All returns every built-in theme, one folder each: what a build cache key must cover.
func All() fs.FS { return embedded }

// WithFallback returns theme layered over the default theme: the files of layouts/ and i18n/ that theme
// lacks are the default theme's, and listing those folders lists both. Everything else (static/,
// theme.toml) is the theme's own.
func WithFallback(theme fs.FS) fs.FS { return &layered{top: theme, base: Default()} }

// layered is a theme over the default one (see WithFallback).
type layered struct{ top, base fs.FS }

var (
	_ fs.ReadDirFS = (*layered)(nil)
	_ fs.StatFS    = (*layered)(nil)
)

// fallsBack reports whether a missing file or folder at name is looked for in the default theme.
func fallsBack(name string) bool {
	for _, dir := range []string{"layouts", "i18n"} {
		if name == dir || strings.HasPrefix(name, dir+"/") {
			return true
		}
	}
	return false
}

func (l *layered) Open(name string) (fs.File, error) {
	f, err := l.top.Open(name)
	if errors.Is(err, fs.ErrNotExist) && fallsBack(name) {
		return l.base.Open(name)
	}
	return f, err
}

func (l *layered) Stat(name string) (fs.FileInfo, error) {
	st, err := fs.Stat(l.top, name)
	if errors.Is(err, fs.ErrNotExist) && fallsBack(name) {
		return fs.Stat(l.base, name)
	}
	return st, err
}

// ReadDir lists a folder of the theme; in layouts/ and i18n/, with the entries of the default theme's
// folder that the theme lacks, sorted by name.
func (l *layered) ReadDir(name string) ([]fs.DirEntry, error) {
	top, err := fs.ReadDir(l.top, name)
	if !fallsBack(name) && name != "." {
		return top, err
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	base, baseErr := fs.ReadDir(l.base, name)
	if err != nil && baseErr != nil {
		return nil, err
	}
	out := top
	for _, e := range base {
		if name == "." && !fallsBack(e.Name()) {
			continue
		}
		if !slices.ContainsFunc(top, func(t fs.DirEntry) bool { return t.Name() == e.Name() }) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// Layers returns the default theme, then the theme: where words are read from, one file over the other,
// so that a theme's i18n/fr.toml need only hold the words it changes.
func (l *layered) Layers() []fs.FS { return []fs.FS{l.base, l.top} }
