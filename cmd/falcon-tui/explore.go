package main

import (
	"context"
	"io"
)

func runExplore(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	return fail(stderr, errTODO)
}
