//go:build tools

// Package mutation pins the mutation-testing tool that `make mutation` runs
// (never CI, never `make test`). It is a module of its own, apart from
// tools/go.mod: gremlins needs spf13/viper v1.21, and golangci-lint holds
// viper at v1.12.0 on purpose (newer versions lower-case keys inside lists,
// which breaks revive rule arguments; golangci-lint#3280), so sharing one
// module graph would silently change the linter.
package mutation

import (
	_ "github.com/go-gremlins/gremlins/cmd/gremlins"
)
