//go:build tools

// Package test pins gotestsum, which `make test` runs to show each test as it
// finishes. A module of its own, so its dependencies never move the linters'.
package test

import (
	_ "gotest.tools/gotestsum"
)
