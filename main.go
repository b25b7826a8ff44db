// Command terraform-provider-ncloudcert serves the provider over protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ncloudcert/terraform-provider-ncloudcert/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/ncloudcert/ncloudcert",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
