package falcon

import "time"

// Host is one Falcon host (device) as the client hands it out. It is deliberately flatter
// and smaller than the API's deviceapi.DeviceSwagger: the fields an analyst reads, with
// repeated values (platform, OS, sensor version, site) interned by the loader so that a
// 100k-host estate stays compact in memory.
type Host struct {
	DeviceID      string
	CID           string
	Hostname      string
	Platform      string // platform_name: Windows, Mac, Linux
	OSVersion     string
	OSProductName string
	OSBuild       string
	KernelVersion string
	AgentVersion  string
	ProductType   string // product_type_desc: Workstation, Server, Domain Controller
	Containment   string // status: normal, containment_pending, contained, lift_containment_pending

	FirstSeen  time.Time
	LastSeen   time.Time
	LastReboot time.Time
	Modified   time.Time

	LocalIP        string
	ExternalIP     string
	ConnectionIP   string
	DefaultGateway string
	MAC            string

	MachineDomain string
	OU            []string
	SiteName      string
	SerialNumber  string
	Manufacturer  string // system_manufacturer
	Model         string // system_product_name
	LastLoginUser string
	RFM           string // reduced_functionality_mode: yes / no / Unknown

	Tags     []string
	Groups   []string // host-group IDs
	Policies []Policy
}

// Policy is one entry of a host's device_policies map.
type Policy struct {
	Type        string // prevention, sensor_update, device_control, firewall, ...
	ID          string
	Applied     bool
	AppliedDate time.Time
}

// HostState is the analyst-facing state of a host, derived from containment and last_seen.
type HostState uint8

const (
	StateOnline    HostState = iota // seen within OnlineWindow
	StateOffline                    // seen within StaleAfter but not recently
	StateStale                      // not seen for StaleAfter or longer
	StateContained                  // network contained (or containment pending)
)

// OnlineWindow and StaleAfter draw the lines between online, offline and stale hosts.
const (
	OnlineWindow = time.Hour
	StaleAfter   = 7 * 24 * time.Hour
)

// State reports the host's state at now.
func (h *Host) State(now time.Time) HostState {
	switch h.Containment {
	case "contained", "containment_pending":
		return StateContained
	}
	age := now.Sub(h.LastSeen)
	switch {
	case h.LastSeen.IsZero() || age >= StaleAfter:
		return StateStale
	case age <= OnlineWindow:
		return StateOnline
	default:
		return StateOffline
	}
}

func (s HostState) String() string {
	switch s {
	case StateOnline:
		return "online"
	case StateOffline:
		return "offline"
	case StateStale:
		return "stale"
	case StateContained:
		return "contained"
	}
	return "unknown"
}

// GroupType is a host group's membership model.
type GroupType string

const (
	GroupStatic     GroupType = "static"     // members listed by hostname
	GroupStaticByID GroupType = "staticByID" // members listed by device ID
	GroupDynamic    GroupType = "dynamic"    // members follow an FQL assignment rule
)

// Manual reports whether hosts can be added to or removed from the group by hand.
func (t GroupType) Manual() bool { return t == GroupStatic || t == GroupStaticByID }

// HostGroup is host_groups.HostGroupV1.
type HostGroup struct {
	ID             string
	CID            string
	Name           string
	Description    string
	Type           GroupType
	AssignmentRule string
	CreatedBy      string
	CreatedAt      time.Time
	ModifiedBy     string
	ModifiedAt     time.Time
}

// Alert is the part of detects.Alert an analyst triages with.
type Alert struct {
	CompositeID  string
	ID           string
	CID          string
	DeviceID     string // agent_id / device.device_id
	Hostname     string // device.hostname
	Platform     string
	Created      time.Time
	Updated      time.Time
	Status       string // new, in_progress, reopened, closed
	Severity     int    // 1-100
	SeverityName string // Critical, High, Medium, Low, Informational
	Confidence   int
	Product      string // epp, idp, xdr, overwatch
	Name         string
	DisplayName  string
	Description  string
	Tactic       string
	TacticID     string
	Technique    string
	TechniqueID  string
	Filename     string
	CommandLine  string
	SHA256       string
	UserName     string
	AssignedTo   string // assigned_to_name
	// AssignedToUUID is the assignee's console user UUID (User.UUID), "" when unassigned.
	AssignedToUUID string
	Link           string // falcon_host_link
}

// Tenant is a CID the API client can act in: its home (parent) CID or a Flight Control child.
type Tenant struct {
	CID       string
	Name      string
	ParentCID string // "" for the home tenant
	Status    string // child link status as the API reports it
	// ChildrenHidden is set on the home tenant when its Flight Control children could not
	// be listed because the API client lacks mssp:read (a 403), as opposed to having none
	// (no children, or not a parent: a 404 for an unprovisioned product).
	ChildrenHidden bool
}

// IsChild reports whether the tenant is a Flight Control child of the home tenant.
func (t Tenant) IsChild() bool { return t.ParentCID != "" }

// TenantSummary is the health line of a tenant: counts from cheap limit=1 queries.
type TenantSummary struct {
	CID       string
	Hosts     int
	Stale     int
	Contained int
	NewAlerts int
}

// ZTAAssessment is a host's Zero Trust Assessment (domain.SignalProperties).
type ZTAAssessment struct {
	AID          string
	CID          string
	Overall      int
	OS           int
	SensorConfig int
	Modified     time.Time
	Signals      []ZTASignal
}

// ZTASignal is one assessment item.
type ZTASignal struct {
	ID       string
	Name     string
	Group    string // os_signals or sensor_signals
	Criteria string
	Meets    string // yes / no / unknown
}
