package markdown

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// HighlightCSS returns CSS for chroma's CSS classes: the light style by default
// and the dark style inside @media (prefers-color-scheme: dark). Styles are
// named as chroma names them, e.g. "github" and "github-dark"; an unknown name
// is an error.
//
// The dark rules are followed by resets for what the light style sets and the
// dark one does not (a colour, bold, italic, underline), so that nothing of
// the light style leaks into dark mode.
func HighlightCSS(light, dark string) ([]byte, error) {
	ls, err := style(light)
	if err != nil {
		return nil, err
	}
	ds, err := style(dark)
	if err != nil {
		return nil, err
	}
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithCSSComments(false))
	var b bytes.Buffer
	fmt.Fprintf(&b, "/* Code highlighting: chroma styles %q and, in dark mode, %q. */\n", light, dark)
	if err := f.WriteCSS(&b, ls); err != nil {
		return nil, fmt.Errorf("highlight css %s: %w", light, err)
	}
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&b, ds); err != nil {
		return nil, fmt.Errorf("highlight css %s: %w", dark, err)
	}
	writeResets(&b, ls, ds)
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func style(name string) (*chroma.Style, error) {
	s, ok := styles.Registry[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("highlight css: unknown chroma style %q (known: %s)", name, strings.Join(styles.Names(), ", "))
	}
	return s, nil
}

// writeResets writes, for each token class, the properties that the light
// style sets and the dark style leaves to the text's defaults.
func writeResets(b *bytes.Buffer, light, dark *chroma.Style) {
	types := make([]chroma.TokenType, 0, len(chroma.StandardTypes))
	for t := range chroma.StandardTypes {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })

	lbg, dbg := light.Get(chroma.Background), dark.Get(chroma.Background)
	for _, t := range types {
		class := chroma.StandardTypes[t]
		if class == "" || t == chroma.Background || t == chroma.PreWrapper {
			continue
		}
		l, d := light.Get(t).Sub(lbg), dark.Get(t).Sub(dbg)
		var decl []string
		if l.Colour.IsSet() && !d.Colour.IsSet() {
			decl = append(decl, "color: inherit")
		}
		if l.Background.IsSet() && !d.Background.IsSet() {
			decl = append(decl, "background-color: transparent")
		}
		if l.Bold == chroma.Yes && d.Bold != chroma.Yes {
			decl = append(decl, "font-weight: normal")
		}
		if l.Italic == chroma.Yes && d.Italic != chroma.Yes {
			decl = append(decl, "font-style: normal")
		}
		if l.Underline == chroma.Yes && d.Underline != chroma.Yes {
			decl = append(decl, "text-decoration: none")
		}
		if len(decl) > 0 {
			fmt.Fprintf(b, ".chroma .%s { %s }\n", class, strings.Join(decl, "; "))
		}
	}
}
