package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagSpelling lets every flag be written the ways people write it: --baseURL, --base-url and --baseurl
// are one flag, whatever spelling the command declares (Hugo's build says --baseURL, our init
// --base-url). Two spellings of one flag differ only in case and dashes; the first spelling a flag set
// registers is the one it keeps, so help shows the declared names.
func flagSpelling() func(*pflag.FlagSet, string) pflag.NormalizedName {
	declared := map[*pflag.FlagSet]map[string]string{}
	return func(f *pflag.FlagSet, name string) pflag.NormalizedName {
		key := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(name, "-", ""), "_", ""))
		names := declared[f]
		if names == nil {
			names = map[string]string{}
			declared[f] = names
		}
		if first, ok := names[key]; ok {
			return pflag.NormalizedName(first)
		}
		names[key] = name
		return pflag.NormalizedName(name)
	}
}

// suggestFlag adds to an unknown-flag error the closest flag the command has: "unknown flag:
// --destinaton" then says "did you mean --destination?".
func suggestFlag(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	best, bestDist := "", 3 // farther than two edits is no typo
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if d := editDistance(strings.ToLower(name), strings.ToLower(f.Name)); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	if best == "" {
		return fmt.Errorf("%s (vitrine %s --help lists the flags)", msg, cmd.Name())
	}
	return fmt.Errorf("%s: did you mean --%s?", msg, best)
}

// editDistance is the Levenshtein distance of a and b, in bytes: flag names are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
