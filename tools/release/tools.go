//go:build tools

// Package release pins the release tools (goreleaser, actionlint). It is a
// module of its own: goreleaser's dependencies would otherwise constrain the
// linters' and generators' in tools/go.mod.
package release

import (
	_ "github.com/goreleaser/goreleaser/v2"
	_ "github.com/rhysd/actionlint/cmd/actionlint"
)
