package store

import (
	"slices"

	"github.com/falcon-tui/falcon-tui/falcon"
)

// Fields are the host fields a stored row keeps (HostQuery.Fields of a sync): the list
// fields, the extra columns the hosts list can show, and modified_timestamp, the delta's
// watermark (docs/STORE.md).
var Fields = append(slices.Clone(falcon.ListFields),
	"serial_number", "mac_address", "ou", "first_seen", "device_policies", "modified_timestamp")
