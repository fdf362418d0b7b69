package falcon

import (
	"context"
	"fmt"
	"net/http"
)

const pathCCID = "/sensors/queries/installers/ccid/v1"

// SensorsService reads sensor installers and usage.
type SensorsService struct{ client *Client }

// CCID returns the tenant's customer ID with checksum ("<CID>-<checksum>").
func (s *SensorsService) CCID(ctx context.Context, cid string) (string, error) {
	c := s.client
	var ids []string
	if _, err := c.send(ctx, cid, &call{method: http.MethodGet, path: pathCCID}, &ids); err != nil {
		return "", err
	}
	if len(ids) == 0 || ids[0] == "" {
		return "", fmt.Errorf("falcon: GET %s: the reply holds no CCID", pathCCID)
	}
	if c.tenantKey(cid) == "" {
		c.setHomeCID(ids[0])
	}
	return ids[0], nil
}
