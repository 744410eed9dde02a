// Package check inspects a built site for problems a reader would meet: links to pages that do not exist
// and anchors that no element carries.
package check

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// Files is a built site: paths relative to the output root and their content.
type Files interface {
	Names() []string
	Get(name string) ([]byte, bool)
}

// Problem is one broken link.
type Problem struct {
	Page   string // output file holding the link
	Link   string // as written
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Page, p.Link, p.Reason) }

// Links checks every href and src of every HTML file that points inside the site (relative, root-relative
// or under baseURL): its target file must exist, and its #fragment must be the id of an element there.
func Links(files Files, baseURL string) []Problem {
	base, _ := url.Parse(baseURL)
	root := "/" // the site's path on its host: links to other paths leave the site
	if base != nil && base.Path != "" {
		root = base.Path
	}
	ids := map[string]map[string]bool{} // HTML file → ids, filled as needed
	idsOf := func(name string) map[string]bool {
		if m, ok := ids[name]; ok {
			return m
		}
		data, _ := files.Get(name)
		m := collectIDs(data)
		ids[name] = m
		return m
	}
	var problems []Problem
	for _, name := range files.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		data, _ := files.Get(name)
		pageURL := &url.URL{Path: root + strings.TrimSuffix(name, "index.html")}
		for _, link := range collectLinks(data) {
			u, err := url.Parse(link)
			if err != nil {
				problems = append(problems, Problem{name, link, "not a valid URL"})
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				if base == nil || u.Host != base.Host || !strings.HasPrefix(u.Path, base.Path) {
					continue // another site
				}
				u = &url.URL{Path: u.Path, Fragment: u.Fragment}
			}
			target := pageURL.ResolveReference(u)
			if !strings.HasPrefix(target.Path+"/", root) {
				problems = append(problems, Problem{name, link, "outside the site, which is served under " + root})
				continue
			}
			file := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(target.Path, root)), "/")
			if strings.HasSuffix(target.Path, "/") {
				file = path.Join(file, "index.html")
			}
			if file == "" || file == "." {
				file = "index.html"
			}
			if _, ok := files.Get(file); !ok {
				// /contact leads to /contact/ as static hosts and vitrine serve redirect it: Hugo sites
				// often link so.
				if _, dir := files.Get(path.Join(file, "index.html")); dir && !strings.HasSuffix(target.Path, "/") {
					file = path.Join(file, "index.html")
				} else {
					problems = append(problems, Problem{name, link, "no such file " + file})
					continue
				}
			}
			if u.Fragment != "" && strings.HasSuffix(file, ".html") && !idsOf(file)[u.Fragment] {
				problems = append(problems, Problem{name, link, "no element with id " + u.Fragment + " in " + file})
			}
		}
	}
	slices.SortFunc(problems, func(a, b Problem) int { return strings.Compare(a.String(), b.String()) })
	return problems
}

func collectLinks(data []byte) []string {
	var links []string
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return links
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "href", "src":
					if tag == "link" && string(k) == "href" || tag == "a" || tag == "img" || tag == "script" || tag == "source" {
						l := strings.TrimSpace(string(v))
						if l != "" && !strings.HasPrefix(l, "mailto:") && !strings.HasPrefix(l, "tel:") && !strings.HasPrefix(l, "data:") {
							links = append(links, l)
						}
					}
				}
			}
		}
	}
}

func collectIDs(data []byte) map[string]bool {
	ids := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ids
		case html.StartTagToken, html.SelfClosingTagToken:
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == "id" || string(k) == "name" {
					ids[string(v)] = true
				}
			}
		}
	}
}
