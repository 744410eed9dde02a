//go:build unix

package output

import (
	"os"
	"syscall"
)

// lockDir locks the folder dir: exclusively when no other build holds it (alone), shared otherwise.
// It returns nil, and alone, when the folder cannot be locked: the caller then goes by age.
func lockDir(dir string) (l *dirLock, alone bool) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, true
	}
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		return &dirLock{f: f}, true
	}
	if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, false
	}
	return &dirLock{f: f}, false
}

// share turns an exclusive lock into a shared one.
func (l *dirLock) share() {
	if l != nil {
		_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_SH)
	}
}
