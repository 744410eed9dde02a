package render

import "strings"

// expand replaces the {placeholders} of pattern by their values, given as pairs, in one pass as
// strings.NewReplacer would, without building a Replacer on every call: layouts write dates by the
// thousand.
func expand(pattern string, pairs ...string) string {
	var b strings.Builder
	b.Grow(len(pattern) + 16)
	for i := 0; i < len(pattern); {
		if pattern[i] == '{' {
			found := false
			for k := 0; k+1 < len(pairs); k += 2 {
				if strings.HasPrefix(pattern[i:], pairs[k]) {
					b.WriteString(pairs[k+1])
					i += len(pairs[k])
					found = true
					break
				}
			}
			if found {
				continue
			}
		}
		b.WriteByte(pattern[i])
		i++
	}
	return b.String()
}
