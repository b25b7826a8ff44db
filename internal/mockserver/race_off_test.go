//go:build !race

package mockserver

// raceEnabled: the race detector slows JSON work about tenfold, so timing bounds are off.
const raceEnabled = false
