// Command maillage runs a Maillage instance and its maintenance commands.
// See INTERFACES.md for the contract and README.md to get started.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "maillage:", err)
		os.Exit(1)
	}
}
