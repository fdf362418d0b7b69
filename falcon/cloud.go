package falcon

import (
	"fmt"
	"strings"
)

// Cloud names a Falcon cloud (region).
type Cloud string

const (
	CloudAuto   Cloud = "auto"
	CloudUS1    Cloud = "us-1"
	CloudUS2    Cloud = "us-2"
	CloudEU1    Cloud = "eu-1"
	CloudUSGov1 Cloud = "us-gov-1"
	CloudUSGov2 Cloud = "us-gov-2"
)

// Clouds lists the clouds that can be named, in the order help text shows them.
var Clouds = []Cloud{CloudUS1, CloudUS2, CloudEU1, CloudUSGov1, CloudUSGov2}

var cloudHosts = map[Cloud]string{
	CloudUS1:    "api.crowdstrike.com",
	CloudUS2:    "api.us-2.crowdstrike.com",
	CloudEU1:    "api.eu-1.crowdstrike.com",
	CloudUSGov1: "api.laggar.gcw.crowdstrike.com",
	CloudUSGov2: "api.us-gov-2.crowdstrike.mil",
}

// ParseCloud accepts a cloud name case-insensitively, with or without dashes
// ("US2", "us-2", "gov1"), as the official SDKs do. "" means auto.
func ParseCloud(s string) (Cloud, error) {
	k := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	switch k {
	case "", "auto":
		return CloudAuto, nil
	case "us1":
		return CloudUS1, nil
	case "us2":
		return CloudUS2, nil
	case "eu1":
		return CloudEU1, nil
	case "usgov1", "gov1":
		return CloudUSGov1, nil
	case "usgov2", "gov2":
		return CloudUSGov2, nil
	}
	return "", fmt.Errorf("unknown cloud %q (want auto, us-1, us-2, eu-1, us-gov-1 or us-gov-2)", s)
}

// Host is the cloud's API host name; "" for auto.
func (c Cloud) Host() string { return cloudHosts[c] }

// BaseURL is https://<host>; "" for auto.
func (c Cloud) BaseURL() string {
	if h := c.Host(); h != "" {
		return "https://" + h
	}
	return ""
}

func (c Cloud) String() string { return string(c) }
