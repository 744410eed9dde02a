//go:build !unix

package media_test

import "time"

func cpuTime() time.Duration { return 0 }
