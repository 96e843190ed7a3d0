//go:build !race

package spec

// hostileSlowdown scales hostileBudget; 1 without the race detector.
const hostileSlowdown = 1
