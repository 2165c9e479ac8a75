//go:build !unix

package store

import "context"

// LockName is the file in a store's folder whose lock marks the writer.
const LockName = "storyline.lock"

// dirLock does nothing where flock(2) is missing: there, running two
// writers on one store is the user's to avoid.
type dirLock struct{}

func lockDir(context.Context, string, string, func(string)) (*dirLock, error) { return &dirLock{}, nil }

func (l *dirLock) release() {}
