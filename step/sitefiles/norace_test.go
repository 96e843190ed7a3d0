//go:build !race

package sitefiles

const raceEnabled = false
