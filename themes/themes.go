// Package themes embeds the default theme, so that the vitrine binary alone can build any site.
//
// A theme is a folder with layouts/ (html/template files), static/ (copied to the output) and i18n/ (the
// theme's words, one TOML file per language).
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default returns the default theme's files, rooted at the theme folder.
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "default" is valid.
		panic(err)
	}
	return sub
}
