package main

import (
	"context"
	"io"
)

func runLogin(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	return fail(stderr, errTODO)
}
func runLogout(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	return fail(stderr, errTODO)
}
func runProfiles(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) int {
	return fail(stderr, errTODO)
}
