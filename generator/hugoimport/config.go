// Package hugoimport turns a Hugo site into a vitrine site: it reads Hugo's configuration (hugo.toml, .yaml
// or .json, the older config.*, and the config/_default/ folder), writes the vitrine.toml that says the
// same, and lists what it could not carry over, each with what to do.
//
// Content needs no conversion: vitrine reads Hugo's front matter and built-in shortcodes as they are.
// What only Hugo can run, its templates (layouts/) and translations of the theme (i18n/), is moved
// aside into hugo/, where vitrine does not look, since vitrine builds with its own theme.
package hugoimport

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

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// configNames are Hugo's configuration files at the site root, in the order Hugo looks for them.
var configNames = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"}

// readConfig reads a Hugo site's configuration into one table whose keys are in lower case, as Hugo
// compares them (params keep theirs). It returns the files it read.
func readConfig(fsys fs.FS) (map[string]any, []string, error) {
	conf, files, _, err := readConfigNames(fsys)
	return conf, files, err
}

// readConfigNames is readConfig that also returns how the top-level keys were spelled, by their lower
// case, for messages.
func readConfigNames(fsys fs.FS) (map[string]any, []string, map[string]string, error) {
	conf := map[string]any{}
	var files []string
	for _, name := range configNames {
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, nil, err
		}
		m, err := decode(name, data)
		if err != nil {
			return nil, nil, nil, err
		}
		merge(conf, m)
		files = append(files, name)
		break
	}
	// config/_default/: hugo.toml and config.toml hold root keys; NAME.toml holds the NAME key;
	// NAME.LANG.toml holds languages.LANG.NAME.
	entries, err := fs.ReadDir(fsys, "config/_default")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		ext := path.Ext(e.Name())
		if ext != ".toml" && ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		p := path.Join("config/_default", e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, nil, nil, err
		}
		m, err := decode(p, data)
		if err != nil {
			return nil, nil, nil, err
		}
		files = append(files, p)
		base := strings.ToLower(strings.TrimSuffix(e.Name(), ext))
		key, lang, _ := strings.Cut(base, ".")
		switch {
		case key == "hugo" || key == "config":
			merge(conf, m)
		case lang != "":
			merge(conf, map[string]any{"languages": map[string]any{lang: map[string]any{key: m}}})
		default:
			merge(conf, map[string]any{key: m})
		}
	}
	if len(files) == 0 {
		return nil, nil, nil, fmt.Errorf("no Hugo configuration here: none of %s, nor config/_default/", strings.Join(configNames, ", "))
	}
	names := map[string]string{}
	for k := range conf {
		names[strings.ToLower(k)] = k
	}
	return lowerKeys(conf, false).(map[string]any), files, names, nil
}

// decode reads one configuration file in its format.
func decode(name string, data []byte) (map[string]any, error) {
	m := map[string]any{}
	var err error
	switch path.Ext(name) {
	case ".toml":
		err = toml.Unmarshal(data, &m)
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, fmt.Errorf("%s:%d: %s", name, row, de.Error())
		}
	case ".yaml", ".yml":
		err = yaml.Unmarshal(data, &m)
	case ".json":
		err = json.Unmarshal(data, &m)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// merge copies src into dst, merging tables.
func merge(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

// lowerKeys returns v with the keys of its tables in lower case, but under params, which a theme
// reads with its own spelling.
func lowerKeys(v any, keep bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			key := k
			if !keep {
				key = strings.ToLower(k)
			}
			out[key] = lowerKeys(val, keep || key == "params")
		}
		return out
	case map[any]any:
		m := map[string]any{}
		for k, val := range t {
			m[fmt.Sprint(k)] = val
		}
		return lowerKeys(m, keep)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = lowerKeys(e, keep)
		}
		return out
	}
	return v
}

// get walks a dotted path of lower-case keys.
func get(m map[string]any, dotted string) (any, bool) {
	var cur any = m
	for seg := range strings.SplitSeq(dotted, ".") {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = t[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func getString(m map[string]any, dotted string) string {
	v, ok := get(m, dotted)
	if !ok || v == nil {
		return ""
	}
	switch s := v.(type) {
	case string:
		return s
	case map[string]any, []any:
		return ""
	}
	return fmt.Sprint(v)
}

func getInt(m map[string]any, dotted string) (int, bool) {
	v, ok := get(m, dotted)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == float64(int(n))
	case uint64:
		return int(n), true
	}
	return 0, false
}

func getBool(m map[string]any, dotted string) bool {
	v, _ := get(m, dotted)
	b, _ := v.(bool)
	return b
}

// tomlSafe drops what TOML cannot hold (nulls) from a value, and turns tables with non-text keys into
// tables with text keys.
func tomlSafe(v any) (any, bool) {
	switch t := v.(type) {
	case nil:
		return nil, false
	case map[string]any:
		out := map[string]any{}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if s, ok := tomlSafe(t[k]); ok {
				out[k] = s
			}
		}
		return out, true
	case map[any]any:
		m := map[string]any{}
		for k, val := range t {
			m[fmt.Sprint(k)] = val
		}
		return tomlSafe(m)
	case []any:
		out := make([]any, 0, len(t))
		for _, e := range t {
			if s, ok := tomlSafe(e); ok {
				out = append(out, s)
			}
		}
		return out, true
	}
	return v, true
}

// encodeTOML writes a value as TOML.
func encodeTOML(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := toml.NewEncoder(&b)
	enc.SetIndentTables(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
