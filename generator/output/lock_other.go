//go:build !unix

package output

// lockDir has no lock to take on this system: stale folders are told by their age.
func lockDir(string) (*dirLock, bool) { return nil, true }

func (l *dirLock) share() {}
