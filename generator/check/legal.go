package check

import (
	"bytes"
	"fmt"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

// Legal reports, as errors, the fields [legal] lacks that the law requires for the site's status (see
// config.Legal for the law), located at the [legal] line of the configuration file data.
func Legal(l config.Legal, data []byte) []Finding {
	line := 0
	for i, ln := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(ln), []byte("[legal]")) {
			line = i + 1
			break
		}
	}
	var out []Finding
	for _, m := range l.Missing() {
		out = append(out, Finding{File: config.FileName, Line: line, Severity: Error,
			Msg: fmt.Sprintf("legal.%s is missing for status %q: %s", m.Field, l.Status, m.Why)})
	}
	return out
}
