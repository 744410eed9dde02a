package load

import (
	"fmt"
	"strconv"
	"strings"
)

// frontMessages are the front-matter errors said for people rather than as the YAML and TOML libraries
// say them, in two languages: French for a French site, English otherwise (see messageLang). Each says
// what is wrong and what to write instead, the fix quoted from the file itself.
var frontMessages = map[string]map[string]string{
	"fr": {
		"prefix":     "front matter (%s) : ",
		"colon":      "deux-points suivis d'une espace dans la valeur de %s : mettez la valeur entre guillemets : %s",
		"tab":        "tabulation en début de ligne : indentez avec des espaces, pas des tabulations",
		"quote":      "le guillemet %s qui ouvre la valeur de %s n'est jamais refermé : terminez la valeur par %s sur la même ligne : %s",
		"bracket":    "le %s qui ouvre la valeur de %s n'est jamais refermé : terminez la liste par %s : %s",
		"indent":     "ligne décalée alors que la clé au-dessus n'attend pas de sous-clés : retirez les espaces avant %s",
		"tomlText":   "en TOML (entre les lignes +++), un texte s'écrit entre guillemets : %s",
		"tomlEquals": "en TOML (entre les lignes +++), on écrit clé = valeur : %s ; ou passez à YAML en remplaçant les lignes +++ par ---",
		"raw":        "%s (vérifiez cette ligne : un guillemet, un crochet ou un deux-points de trop ou en moins ?)",
	},
	"en": {
		"prefix":     "front matter (%s): ",
		"colon":      "a colon followed by a space in the value of %s: put the value in quotes: %s",
		"tab":        "a tab at the start of the line: use spaces, not tabs, to indent",
		"quote":      "the quote %s that opens the value of %s is never closed: end the value with %s on the same line: %s",
		"bracket":    "the %s that opens the value of %s is never closed: end the list with %s: %s",
		"indent":     "this line is indented but the key above takes no nested keys: remove the spaces before %s",
		"tomlText":   "in TOML (between +++ lines), text goes in quotes: %s",
		"tomlEquals": "in TOML (between +++ lines), write key = value: %s; or switch to YAML by replacing the +++ lines with ---",
		"raw":        "%s (check this line for a missing or extra quote, bracket or colon)",
	},
}

// messageLang is the language of the messages for a site written in lang: French unless the site says
// another language (vitrine.toml's language is "fr" by default).
func messageLang(lang string) string {
	if lang == "" || lang == "fr" || strings.HasPrefix(lang, "fr-") || strings.HasPrefix(lang, "fr_") {
		return "fr"
	}
	return "en"
}

// explainYAML rewrites the YAML library's error msg about front (whose line n, 1-based, the library
// named, or 0) for people. It returns the 1-based line the message is about and the message.
func explainYAML(front []byte, n int, msg, lang string) (int, string) {
	t := frontMessages[messageLang(lang)]
	lines := strings.Split(string(front), "\n")
	at := func(i int) string {
		if i >= 1 && i <= len(lines) {
			return lines[i-1]
		}
		return ""
	}
	switch {
	case strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token"):
		for i := max(n, 1); i <= len(lines); i++ {
			if indent := at(i)[:len(at(i))-len(strings.TrimLeft(at(i), " \t"))]; strings.Contains(indent, "\t") {
				return i, t["tab"]
			}
		}
		for i := 1; i <= len(lines); i++ {
			if indent := at(i)[:len(at(i))-len(strings.TrimLeft(at(i), " \t"))]; strings.Contains(indent, "\t") {
				return i, t["tab"]
			}
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		// The library names no line when the value of a top-level key has ": " in it.
		for _, i := range candidates(n, len(lines)) {
			if key, value, ok := keyValue(at(i)); ok && plain(value) && (strings.Contains(value, ": ") || strings.HasSuffix(value, ":")) {
				return i, fmt.Sprintf(t["colon"], key, indentOf(at(i))+key+": "+strconv.Quote(value))
			}
		}
		if n > 0 && indentOf(at(n)) != "" {
			key, _, _ := strings.Cut(strings.TrimSpace(at(n)), ":")
			return n, fmt.Sprintf(t["indent"], key)
		}
	case strings.Contains(msg, "unexpected end of stream") || strings.Contains(msg, "did not find expected") && !strings.Contains(msg, "',' or"):
		for i := 1; i <= len(lines); i++ {
			key, value, ok := keyValue(at(i))
			if !ok {
				if rest, isItem := strings.CutPrefix(strings.TrimSpace(at(i)), "- "); isItem {
					key, value, ok = "-", strings.TrimSpace(rest), true
				}
			}
			if !ok || value == "" || (value[0] != '"' && value[0] != '\'') {
				continue
			}
			q := value[:1]
			if strings.Count(value, q)%2 == 1 && !strings.HasSuffix(strings.TrimSuffix(value, `\`+q), q) || len(value) == 1 {
				return i, fmt.Sprintf(t["quote"], q, key, q, strings.TrimRight(at(i), " ")+q)
			}
		}
	case strings.Contains(msg, "did not find expected ',' or '"):
		closer := msg[strings.LastIndex(msg, "'")-1:][:1]
		opener := map[string]string{"]": "[", "}": "{"}[closer]
		key, _, ok := keyValue(at(n))
		if !ok {
			key = strings.TrimSpace(at(n))
		}
		return n, fmt.Sprintf(t["bracket"], opener, key, closer, strings.TrimRight(at(n), " ")+closer)
	}
	if n == 0 {
		n = 1
	}
	return n, fmt.Sprintf(t["raw"], msg)
}

// explainTOML rewrites the TOML library's error msg about line n (1-based) of front for people.
func explainTOML(front []byte, n int, msg, lang string) (int, string) {
	t := frontMessages[messageLang(lang)]
	lines := strings.Split(string(front), "\n")
	line := ""
	if n >= 1 && n <= len(lines) {
		line = lines[n-1]
	}
	key, value, _ := strings.Cut(line, "=")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	switch {
	case strings.Contains(msg, "at start of value") && value != "":
		return n, fmt.Sprintf(t["tomlText"], key+" = "+strconv.Quote(value))
	case strings.Contains(msg, "expected '=' after key"):
		if k, v, ok := keyValue(line); ok {
			if !plain(v) {
				return n, fmt.Sprintf(t["tomlEquals"], k+" = "+v)
			}
			return n, fmt.Sprintf(t["tomlEquals"], k+" = "+strconv.Quote(v))
		}
	case strings.Contains(msg, "strings cannot have new lines") && value != "":
		q := value[:1]
		return n, fmt.Sprintf(t["quote"], q, key, q, strings.TrimRight(line, " ")+q)
	case strings.Contains(msg, "after array value") || strings.Contains(msg, "after inline table"):
		closer, opener := "]", "["
		if strings.Contains(msg, "inline table") {
			closer, opener = "}", "{"
		}
		from := unclosed(front, 0, closer[0])
		l := lines[from-1]
		k, _, _ := strings.Cut(l, "=")
		return from, fmt.Sprintf(t["bracket"], opener, strings.TrimSpace(k), closer, strings.TrimRight(l, " ")+closer)
	}
	return n, fmt.Sprintf(t["raw"], msg)
}

// candidates are the lines to look at, 1-based: n first when the library named it, then all of them.
func candidates(n, count int) []int {
	var c []int
	if n > 0 {
		c = append(c, n)
	}
	for i := 1; i <= count; i++ {
		c = append(c, i)
	}
	return c
}

// keyValue splits a YAML line "key: value" (indented or not, not a list item or a comment).
func keyValue(line string) (key, value string, ok bool) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] == '#' || s[0] == '-' || s[0] == '"' || s[0] == '\'' {
		return "", "", false
	}
	key, value, ok = strings.Cut(s, ": ")
	if !ok || strings.ContainsAny(key, " \t") {
		return "", "", false
	}
	return key, strings.TrimSpace(value), true
}

// plain reports that a YAML value is written as plain text, not quoted, a list, a map or a block.
func plain(value string) bool {
	return value != "" && !strings.ContainsAny(value[:1], `"'[{|>&*!`)
}

func indentOf(line string) string { return line[:len(line)-len(strings.TrimLeft(line, " \t"))] }
