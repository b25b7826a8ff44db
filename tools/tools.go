//go:build tools

// Package tools pins the versions of the generators and linters the
// Makefile runs. It is a separate module so that these dependencies never
// reach the provider's own go.mod.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"

	// Linting.
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
)
