package falcontest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// installer is domain.SensorInstallerV3 (V1 and V2 are subsets of it).
type installer struct {
	Architectures   []string `json:"architectures,omitempty"`
	Description     string   `json:"description"`
	FileSize        int      `json:"file_size"`
	FileType        string   `json:"file_type"`
	IsLTS           bool     `json:"is_lts"`
	LTSExpiryDate   string   `json:"lts_expiry_date,omitempty"`
	LTVExpiryDate   string   `json:"ltv_expiry_date,omitempty"`
	LTVPromotedDate string   `json:"ltv_promoted_date,omitempty"`
	Name            string   `json:"name"`
	OS              string   `json:"os"`
	OSVersion       string   `json:"os_version"`
	Platform        string   `json:"platform"`
	ReleaseDate     string   `json:"release_date"`
	SHA256          string   `json:"sha256"`
	Version         string   `json:"version"`
	released        int64
}

// installerV1 drops the V2/V3-only fields.
type installerV1 struct {
	Description string `json:"description"`
	FileSize    int    `json:"file_size"`
	FileType    string `json:"file_type"`
	Name        string `json:"name"`
	OS          string `json:"os"`
	OSVersion   string `json:"os_version"`
	Platform    string `json:"platform"`
	ReleaseDate string `json:"release_date"`
	SHA256      string `json:"sha256"`
	Version     string `json:"version"`
}

type installerV2 struct {
	installerV1
	Architectures   []string `json:"architectures"`
	LTVExpiryDate   string   `json:"ltv_expiry_date,omitempty"`
	LTVPromotedDate string   `json:"ltv_promoted_date,omitempty"`
}

// installers is the static catalogue: three versions per OS, newest first.
func (s *Server) installers() []installer {
	type osDef struct{ platform, os, osVer, ext, name string }
	defs := []osDef{
		{"windows", "Windows", "*", "exe", "WindowsSensor"},
		{"mac", "macOS", "*", "pkg", "FalconSensorMacOS"},
		{"linux", "RHEL/CentOS/Oracle", "9", "rpm", "falcon-sensor-%s.el9.x86_64.rpm"},
		{"linux", "RHEL/CentOS/Oracle", "8", "rpm", "falcon-sensor-%s.el8.x86_64.rpm"},
		{"linux", "Ubuntu", "16/18/20/22/24", "deb", "falcon-sensor_%s_amd64.deb"},
		{"linux", "Amazon Linux", "2023", "rpm", "falcon-sensor-%s.amzn2023.x86_64.rpm"},
		{"linux", "Debian", "9/10/11/12", "deb", "falcon-sensor_%s_amd64.deb"},
		{"linux", "SLES", "15", "rpm", "falcon-sensor-%s.suse15.x86_64.rpm"},
	}
	var out []installer
	for _, d := range defs {
		agents := map[string][]string{"windows": winAgents, "mac": macAgents, "linux": linAgents}[d.platform]
		for k, v := range agents[:3] {
			short := v[:strings.LastIndexByte(v, '.')]
			name := d.name
			switch {
			case strings.Contains(name, "%s"):
				name = strings.Replace(name, "%s", short+"-"+strconv.Itoa(17000+k), 1)
			case d.platform == "windows":
				name += "_" + short + ".exe"
			default:
				name += "_" + short + ".pkg"
			}
			sum := sha256.Sum256([]byte(name + d.os + d.osVer))
			rel := s.w.start - int64(14+35*k)*86400
			in := installer{
				Architectures: []string{"x86_64"}, Description: "Falcon Sensor for " + d.os,
				FileSize: 60_000_000 + int(sum[0])*100_000, FileType: d.ext, Name: name, OS: d.os, OSVersion: d.osVer,
				Platform: d.platform, ReleaseDate: rfc3339(rel), SHA256: hex.EncodeToString(sum[:]),
				Version: short, released: rel,
			}
			if d.platform != "windows" {
				in.Architectures = []string{"x86_64", "arm64"}
			}
			if k == 2 {
				in.IsLTS = true
				in.LTSExpiryDate = rfc3339(rel + 365*86400)
			}
			out = append(out, in)
		}
	}
	return out
}

var installerSchema = fql.Schema{
	"platform": fql.String, "os": fql.String, "os_version": fql.String, "version": fql.String,
	"name": fql.String, "file_type": fql.String, "sha256": fql.String, "architectures": fql.String,
	"release_date": fql.Time, "is_lts": fql.Bool, "description": fql.String,
}

type installerRec struct{ in *installer }

func (r installerRec) FQLValues(f string) []string {
	in := r.in
	switch f {
	case "platform":
		return []string{in.Platform}
	case "os":
		return []string{in.OS}
	case "os_version":
		return []string{in.OSVersion}
	case "version":
		return []string{in.Version}
	case "name":
		return []string{in.Name}
	case "file_type":
		return []string{in.FileType}
	case "sha256":
		return []string{in.SHA256}
	case "architectures":
		return in.Architectures
	case "release_date":
		return []string{in.ReleaseDate}
	case "is_lts":
		return []string{strconv.FormatBool(in.IsLTS)}
	case "description":
		return []string{in.Description}
	}
	return nil
}

func (s *Server) selectInstallers(c *call) ([]installer, bool) {
	expr, err := fql.ParseAt(c.str("filter"), installerSchema, c.now)
	if err == nil {
		var keys []fql.SortKey
		if keys, err = fql.ParseSort(orDefault(c.str("sort"), "release_date|desc"), installerSchema); err == nil {
			var out []installer
			for _, in := range s.installers() {
				if expr == nil || expr.Match(installerRec{&in}) {
					out = append(out, in)
				}
			}
			slices.SortStableFunc(out, func(a, b installer) int {
				return fql.Compare(installerRec{&a}, installerRec{&b}, keys, installerSchema)
			})
			return page(out, c.intParam("offset", 0), c.intParam("limit", defaultLimit)), true
		}
	}
	c.fail(http.StatusBadRequest, err.Error())
	return nil, false
}

// queryInstallers serves GET /sensors/queries/installers/v1|v2|v3 → sha256 ids.
func (s *Server) queryInstallers(c *call) {
	limit := c.intParam("limit", defaultLimit)
	if limit < 1 || limit > 500 {
		c.fail(http.StatusBadRequest, "limit must be between 1 and 500")
		return
	}
	ins, ok := s.selectInstallers(c)
	if !ok {
		return
	}
	ids := idsOf(ins, func(in installer) string { return in.SHA256 })
	c.send(reply{resources: nonNil(ids), pagination: offsetPaging{Offset: c.intParam("offset", 0), Limit: limit, Total: len(s.installers())}})
}

// combinedInstallers serves GET /sensors/combined/installers/v1|v2|v3.
func (s *Server) combinedInstallers(c *call, version int) {
	limit := c.intParam("limit", defaultLimit)
	if limit < 1 || limit > 500 {
		c.fail(http.StatusBadRequest, "limit must be between 1 and 500")
		return
	}
	ins, ok := s.selectInstallers(c)
	if !ok {
		return
	}
	pg := offsetPaging{Offset: c.intParam("offset", 0), Limit: limit, Total: len(s.installers())}
	var res any
	switch version {
	case 1:
		res = nonNil(mapSlice(ins, func(in installer) installerV1 { return v1Of(in) }))
	case 2:
		res = nonNil(mapSlice(ins, func(in installer) installerV2 {
			return installerV2{installerV1: v1Of(in), Architectures: in.Architectures}
		}))
	default:
		res = nonNil(ins)
	}
	c.send(reply{resources: res, pagination: pg})
}

func v1Of(in installer) installerV1 {
	return installerV1{Description: in.Description, FileSize: in.FileSize, FileType: in.FileType, Name: in.Name,
		OS: in.OS, OSVersion: in.OSVersion, Platform: in.Platform, ReleaseDate: in.ReleaseDate, SHA256: in.SHA256, Version: in.Version}
}

func mapSlice[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// ccid serves GET /sensors/queries/installers/ccid/v1 → ["<CID>-<checksum>"].
func (s *Server) ccid(c *call) {
	c.send(reply{resources: []string{strings.ToUpper(c.t.cid) + "-" + c.t.checksum}})
}

// rollingAverage is entities.RollingAverage.
type rollingAverage struct {
	ChromeOS                     float64 `json:"chrome_os"`
	Containers                   float64 `json:"containers"`
	Date                         string  `json:"date"`
	Lumos                        float64 `json:"lumos"`
	Mobile                       float64 `json:"mobile"`
	PublicCloudWithContainers    float64 `json:"public_cloud_with_containers"`
	PublicCloudWithoutContainers float64 `json:"public_cloud_without_containers"`
	ServersWithContainers        float64 `json:"servers_with_containers"`
	ServersWithoutContainers     float64 `json:"servers_without_containers"`
	Workstations                 float64 `json:"workstations"`
}

var usageSchema = fql.Schema{"event_date": fql.Time, "period": fql.String, "selected_cids": fql.String}

var (
	reEventDate = regexp.MustCompile(`event_date\s*:\s*'([^']*)'`)
	rePeriod    = regexp.MustCompile(`period\s*:\s*'([^']*)'`)
	reCIDs      = regexp.MustCompile(`selected_cids\s*:\s*'([^']*)'`)
)

// sensorUsage serves GET /billing-dashboards-usage/aggregates/weekly-average/v1
// and hourly-average/v1. One record for event_date (default: two days
// ago, where the real data ends), averaged over the last `period` days of
// the hosts seen, per host class. selected_cids (parent only) sums children.
func (s *Server) sensorUsage(c *call, hourly bool) {
	filter := c.str("filter")
	if _, err := fql.Parse(filter, usageSchema); err != nil {
		c.fail(http.StatusBadRequest, err.Error())
		return
	}
	day := c.now.UTC().AddDate(0, 0, -2).Truncate(24 * time.Hour)
	if m := reEventDate.FindStringSubmatch(filter); m != nil {
		d, err := time.Parse("2006-01-02", m[1])
		if err != nil {
			c.fail(http.StatusBadRequest, "event_date must be YYYY-MM-DD")
			return
		}
		day = d
	}
	period := 28
	if m := rePeriod.FindStringSubmatch(filter); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > 395 {
			c.fail(http.StatusBadRequest, "period must be between '1' and '395'")
			return
		}
		period = n
	}
	tenants := []*tenant{c.t}
	if m := reCIDs.FindStringSubmatch(filter); m != nil {
		if c.t.parent != nil {
			c.fail(http.StatusBadRequest, "selected_cids is only allowed for parent CIDs")
			return
		}
		tenants = nil
		for cid := range strings.SplitSeq(m[1], ",") {
			if t := s.w.byCID[strings.ToLower(strings.TrimSpace(cid))]; t != nil && (t == c.t || t.parent == c.t) {
				tenants = append(tenants, t)
			}
		}
	}
	from, to := day.Unix()-int64(period)*86400, day.Unix()+86400
	var ra rollingAverage
	ra.Date = day.Format("2006-01-02")
	for _, t := range tenants {
		t.mu.RLock()
		for i := range t.hosts {
			h := &t.hosts[i]
			if h.lastSeen < from || h.firstSeen > to {
				continue
			}
			// Average presence over the window: a host seen for part of
			// it counts for that fraction.
			lo, hi := max(from, h.firstSeen), min(to, h.lastSeen)
			frac := float64(max(hi-lo, 0)) / float64(to-from)
			p := &osProfiles[h.os]
			switch {
			case p.productType == "1":
				ra.Workstations += frac
			case hwProfiles[h.hw].manufacturer == "Amazon EC2":
				ra.PublicCloudWithoutContainers += frac
			default:
				ra.ServersWithoutContainers += frac
			}
		}
		t.mu.RUnlock()
	}
	round := func(f float64) float64 { v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64); return v }
	ra.Workstations, ra.ServersWithoutContainers, ra.PublicCloudWithoutContainers =
		round(ra.Workstations), round(ra.ServersWithoutContainers), round(ra.PublicCloudWithoutContainers)
	_ = hourly
	c.send(reply{resources: []rollingAverage{ra}})
}
