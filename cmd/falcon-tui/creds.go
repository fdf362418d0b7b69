package main

import (
	"errors"
	"os"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// credentials is a resolved client configuration and where it came from.
type credentials struct {
	Config falcon.Config
	Source string
}

// resolveCredentials finds the API client credentials, first found wins: the environment
// (FALCON_CLIENT_ID + FALCON_CLIENT_SECRET), then the profile in the OS keyring.
func resolveCredentials(g *globalOptions) (credentials, error) {
	id, secret := os.Getenv("FALCON_CLIENT_ID"), os.Getenv("FALCON_CLIENT_SECRET")
	if id != "" && secret != "" {
		cloud, err := falcon.ParseCloud(g.Cloud)
		if err != nil {
			return credentials{}, err
		}
		return credentials{Config: falcon.Config{ClientID: id, ClientSecret: secret, Cloud: cloud}, Source: "environment"}, nil
	}
	return credentials{}, errors.New("no credentials: set FALCON_CLIENT_ID and FALCON_CLIENT_SECRET, run 'falcon-tui login', or try --demo")
}
