//go:build race

package spec

// hostileSlowdown scales hostileBudget: the race detector makes the YAML
// scanner several times slower, and unbounded work is still far over.
const hostileSlowdown = 5
