// Package search builds the index of a site's full-text search at build time, split into small files so
// that a query downloads only what it needs, and holds the script that queries it in the browser.
//
// # Terms
//
// Text is cut into words (runs of letters and digits), lower-cased, stemmed with the Snowball stemmer
// of the index's language (French and English; other languages are not stemmed), and then folded:
// accents removed ("é" → "e"), ligatures spread ("œ" → "oe"). Stop words ("le", "the") are left out.
// Stemming comes before folding because the French stemmer reads accents ("-ée", "-ité").
//
// The script cannot stem (a stemmer in JavaScript would outweigh the rest): the index gives it the term
// of every word the pages hold. For a word no page holds, it takes the terms of the words it begins or
// that begin it, two letters apart at most ("evenement" → "evenements" → "even"), and failing those it
// leans on what a Snowball stem is: the
// beginning of the words it comes from. Such a query word, folded, matches the
// longest term of the index that begins it, if it lacks four letters at most ("mariages" → "mariag",
// "tarifs" → "tarif"), the terms it
// begins, when it has three letters or more (typing "photo" finds "photograph"), and, from five letters,
// the terms one edit away from its beginning (a letter missing, added, changed, or two letters swapped:
// "marriage", "tarfis").
//
// # Files
//
// One index per language, in a folder of its own (search-index/fr/):
//
//   - meta.json: the number of pages, the size of a chunk of pages, the shards that exist and a version
//     that changes with the index, which the script adds to the files it asks for (hosts let browsers
//     cache files for a while, and a shard must come from the same build as the others);
//   - t/KEY.json: the terms beginning with KEY (their first two letters), each with its document
//     frequency and its pages, the best first, as [df, page, score, page, score…] ("t"; a term on more
//     than MaxPostings pages keeps its best MaxPostings), and the words of the pages beginning with KEY,
//     folded, with their term when it is not the word itself ("w": "evenements" → "even");
//   - p/N.json: the title, URL, description and date of pages N×ChunkSize to (N+1)×ChunkSize−1.
//
// A query downloads meta.json, one shard per distinct beginning of its words, and the chunks of the
// pages it shows.
//
// # Ranking
//
// A page's score for a term adds the weights of the fields the term appears in, once per occurrence:
// title 10, tags and categories 6, headings 4, description 3, body 1; the stored score grows as the
// logarithm of that sum, so that a word repeated in the body does not outweigh the title. The script
// ranks pages by the number of query words they match, then by the sum over words of score × idf ×
// how well the term matched (1 for a stem, less for a completion or a typo).
//
// Output is deterministic: pages are numbered in the order given, and JSON objects have sorted keys.
package search

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Script is the browser side of the search: it reads the query of the page's URL and its search box,
// downloads the shards and chunks it needs, and lists the results. It depends on nothing.
//
//go:embed search.js
var Script []byte

// Field weights: a term in a title says more about a page than one in its body.
const (
	WeightTitle       = 10
	WeightTags        = 6
	WeightHeadings    = 4
	WeightDescription = 3
	WeightBody        = 1
)

// MaxPostings is the number of pages a term keeps, its best: a word on every page of a 10,000-page site
// would otherwise weigh 60 KB in every query that uses it, for pages ranked below those any reader looks
// at.
const MaxPostings = 300

// ChunkSize is the number of pages described in each p/N.json: a query shows ten results, whose
// descriptions come from up to ten chunks.
const ChunkSize = 10

// Doc is a page to index.
type Doc struct {
	URL         string // site-relative: "/posts/a/"
	Title       string
	Description string
	Date        string // "2006-01-02", or "" for an undated page
	Tags        []string
	Headings    []string
	Body        string // plain text
}

// File is a file of the index, its path relative to the language's index folder.
type File struct {
	Path string
	Data []byte
}

// Analyzer turns text into the terms of one language's index. It remembers the term of each word it
// has seen (the Snowball stemmers take tens of microseconds a word, and a site's vocabulary is small
// beside its text), so it is not safe for concurrent use.
type Analyzer struct {
	stem func(string) string
	stop func(string) bool
	memo map[string]word
}

// word is a word's folded form and its term.
type word struct{ folded, term string }

// NewAnalyzer returns the analyzer of a language ("fr", "en-GB"…); languages without a stemmer get their
// words folded only.
func NewAnalyzer(lang string) Analyzer {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch base {
	case "fr":
		return Analyzer{stem: func(w string) string { return french.Stem(w, true) }, stop: french.IsStopWord, memo: map[string]word{}}
	case "en":
		return Analyzer{stem: func(w string) string { return english.Stem(w, true) }, stop: english.IsStopWord, memo: map[string]word{}}
	}
	return Analyzer{memo: map[string]word{}}
}

// Terms calls fn with each word of text, folded, and its term, in order.
func (a Analyzer) Terms(text string, fn func(folded, term string)) {
	start := -1
	for i, r := range text + " " {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if w := a.lookup(text[start:i]); w.term != "" {
				fn(w.folded, w.term)
			}
			start = -1
		}
	}
}

// Term returns the term of one word, or "" for a word left out of the index: a stop word, a single
// letter, a word longer than 40 letters (a hash, a URL's piece).
func (a Analyzer) Term(w string) string { return a.lookup(w).term }

func (a Analyzer) lookup(s string) word {
	if w, ok := a.memo[s]; ok {
		return w
	}
	w := word{Fold(s), a.term(s)}
	if len(a.memo) < 1<<20 {
		a.memo[strings.Clone(s)] = w
	}
	return w
}

func (a Analyzer) term(word string) string {
	w := strings.ToLower(word)
	if a.stop != nil && a.stop(w) {
		return ""
	}
	if a.stem != nil {
		w = a.stem(w)
	}
	w = Fold(w)
	if n := len(w); n < 2 || n > 40 {
		return ""
	}
	return w
}

// folders hold transformers that remove combining marks once letters are decomposed ("é" is "e" and an
// acute accent). A chain keeps state between calls, so each goroutine takes its own from the pool: the
// index is built on all cores.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// ligatures are the letters that decompose into none of the ones they are written for.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "ł", "l", "đ", "d", "ı", "i")

// Fold lower-cases s and removes its accents; the script folds queries the same way (normalize("NFD")
// and the same ligatures).
func Fold(s string) string {
	s = strings.ToLower(s)
	folder := folders.Get().(transform.Transformer)
	out, _, err := transform.String(folder, s)
	folders.Put(folder)
	if err != nil {
		return s
	}
	return ligatures.Replace(out)
}

// ShardKey returns the name of the shard of a term: its first two letters, with any character other
// than a-z and 0-9 written as "_" and its code point in hexadecimal, so that file names stay plain.
func ShardKey(term string) string {
	var b strings.Builder
	n := 0
	for _, r := range term {
		if n == 2 {
			break
		}
		n++
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteString("_" + strconv.FormatInt(int64(r), 16))
		}
	}
	return b.String()
}

// posting is a page's score for a term.
type posting struct {
	doc   int
	score int
}

// Build returns the files of the index of docs in the language lang, numbering the pages in the order
// given.
func Build(lang string, docs []Doc) []File {
	a := NewAnalyzer(lang)
	index := map[string][]posting{}
	weights := map[string]int{}
	forms := map[string]string{} // word folded → its term, when they differ
	for id, d := range docs {
		clear(weights)
		add := func(text string, weight int) {
			a.Terms(text, func(f, t string) {
				weights[t] += weight
				if f != t && ShardKey(f) == ShardKey(t) {
					if old, ok := forms[f]; !ok || t < old {
						forms[f] = t
					}
				}
			})
		}
		add(d.Title, WeightTitle)
		for _, t := range d.Tags {
			add(t, WeightTags)
		}
		for _, h := range d.Headings {
			add(h, WeightHeadings)
		}
		add(d.Description, WeightDescription)
		add(d.Body, WeightBody)
		for t, w := range weights {
			index[t] = append(index[t], posting{doc: id, score: Score(w)})
		}
	}

	type shard struct {
		Terms map[string][]int  `json:"t"`
		Forms map[string]string `json:"w"`
	}
	shards := map[string]*shard{}
	for t, ps := range index {
		slices.SortFunc(ps, func(x, y posting) int {
			if x.score != y.score {
				return y.score - x.score
			}
			return x.doc - y.doc
		})
		df := len(ps)
		ps = ps[:min(len(ps), MaxPostings)]
		flat := make([]int, 0, 1+2*len(ps))
		flat = append(flat, df)
		for _, p := range ps {
			flat = append(flat, p.doc, p.score)
		}
		key := ShardKey(t)
		if shards[key] == nil {
			shards[key] = &shard{Terms: map[string][]int{}, Forms: map[string]string{}}
		}
		shards[key].Terms[t] = flat
	}
	for f, t := range forms {
		shards[ShardKey(t)].Forms[f] = t
	}

	var files []File
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range shards {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		files = append(files, File{Path: "t/" + k + ".json", Data: marshal(shards[k])})
	}
	for start := 0; start < len(docs); start += ChunkSize {
		chunk := make([][]string, 0, ChunkSize)
		for _, d := range docs[start:min(start+ChunkSize, len(docs))] {
			chunk = append(chunk, []string{d.URL, d.Title, excerpt(d.Description, d.Body), d.Date})
		}
		files = append(files, File{Path: fmt.Sprintf("p/%d.json", start/ChunkSize), Data: marshal(chunk)})
	}
	h := fnv.New64a()
	for _, f := range files {
		h.Write([]byte(f.Path))
		h.Write(f.Data)
	}
	meta := struct {
		Version string   `json:"v"`
		Lang    string   `json:"lang"`
		Pages   int      `json:"pages"`
		Chunk   int      `json:"chunk"`
		Shards  []string `json:"shards"`
	}{strconv.FormatUint(h.Sum64(), 36), lang, len(docs), ChunkSize, keys}
	if meta.Shards == nil {
		meta.Shards = []string{}
	}
	return append([]File{{Path: "meta.json", Data: marshal(meta)}}, files...)
}

// Score is the stored score of a page for a term whose weighted occurrences add up to w.
func Score(w int) int {
	return int(math.Round(20 * math.Log1p(float64(w))))
}

// excerpt is the text shown under a result: the description, or the beginning of the body.
func excerpt(desc, body string) string {
	s := strings.Join(strings.Fields(desc), " ")
	if s == "" {
		s = strings.Join(strings.Fields(body), " ")
	}
	const max = 160
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndexByte(s[:max], ' ')
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// marshal writes v as compact JSON, with HTML characters left as they are (the files are read by
// fetch, never inlined in a page).
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only strings, numbers and slices of them
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Dir is the folder of the index files and the script in the output.
const Dir = "search-index/"

// ScriptPath returns the output path of the script, named after its content so that browsers may keep
// it as long as they like.
func ScriptPath() string {
	h := fnv.New64a()
	h.Write(Script)
	return Dir + "search." + strconv.FormatUint(h.Sum64(), 36)[:8] + ".js"
}

// PageURL returns the address of the search page of the language lang whose home is at home: "recherche/"
// in French, "search/" in other languages.
func PageURL(home, lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if base == "fr" {
		return home + "recherche/"
	}
	return home + "search/"
}
