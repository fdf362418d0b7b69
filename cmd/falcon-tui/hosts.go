package main

import (
	"context"
	"errors"
	"io"
)

var errTODO = errors.New("not implemented yet")

func runHosts(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	return fail(stderr, errTODO)
}
