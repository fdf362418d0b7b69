package main

// What the hosts command says when listing fails: each kind of failure in words the user
// can act on.

import (
	"context"
	"errors"
	"fmt"

	"github.com/falcon-tui/falcon-tui/falcon"
	"github.com/falcon-tui/falcon-tui/falcon/scopehealth"
)

// explainHostsError says what went wrong in words the user can act on, one message per
// kind of failure. The client's error (with trace id, never a secret) follows.
func explainHostsError(err error) error {
	prefix := ""
	var te *falcon.TenantError
	if errors.As(err, &te) {
		prefix = "tenant " + te.CID + ": "
		err = te.Err
	}
	var ae *falcon.APIError
	errors.As(err, &ae)
	var msg string
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New(prefix + "interrupted")
	case errors.Is(err, falcon.ErrScopeDenied):
		msg = "the API client lacks a scope for this"
		if ae != nil && ae.Scope != "" {
			msg = "the API client lacks scope " + ae.Scope
			if label := consoleLabel(ae.Scope); label != "" {
				msg += " — add '" + label + "' to the API client in the Falcon console (Support and resources > API clients and keys)"
			}
		}
	case errors.Is(err, falcon.ErrNotProvisioned):
		msg = "this product is not provisioned in the tenant (the API has no such route there)"
	case errors.Is(err, falcon.ErrInvalidRequest):
		msg = "the API rejected the query: check --filter (FQL, e.g. platform_name:'Windows') and --sort (e.g. hostname.asc)"
	case errors.Is(err, falcon.ErrRateLimited):
		msg = "the tenant's API rate limit stayed exhausted through every retry: other tools may share it; wait a minute and retry"
	case errors.Is(err, falcon.ErrUnreachable):
		msg = "the Falcon cloud stopped answering: check the network and any proxy, then retry"
	case errors.Is(err, falcon.ErrInvalidCredentials), errors.Is(err, falcon.ErrIPBlocked),
		errors.Is(err, falcon.ErrNotChild):
		// Token errors in the middle of a run (a child tenant's token): same words as at connect.
		return fmt.Errorf("%s%w", prefix, explainConnectError(err, falcon.Config{}))
	default:
		return fmt.Errorf("%s%w", prefix, err)
	}
	return fmt.Errorf("%s%s (%w)", prefix, msg, err)
}

// consoleLabel names the console checkbox of a scope: "devices:read" → "Hosts: Read".
func consoleLabel(scope string) string {
	p, err := scopehealth.ParsePermission(scope)
	if err != nil {
		return ""
	}
	def, ok := scopehealth.LookupScope(p.Scope)
	if !ok {
		return ""
	}
	return def.ConsoleLabel(p.Access)
}
