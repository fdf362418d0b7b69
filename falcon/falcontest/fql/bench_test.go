package fql_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/falcon-tui/falcon-tui/falcon/falcontest/fql"
)

// benchHost is a record with pre-built value slices, as the simulator keeps
// them, so Match is measured without any per-record conversion.
type benchHost struct {
	hostname, platform, severity, lastSeen, tags []string
}

func (h *benchHost) FQLValues(field string) []string {
	switch field {
	case "hostname":
		return h.hostname
	case "platform_name":
		return h.platform
	case "severity":
		return h.severity
	case "last_seen":
		return h.lastSeen
	case "tags":
		return h.tags
	}
	return nil
}

func benchHosts(n int) []*benchHost {
	platforms := []string{"Windows", "Linux", "Mac"}
	hosts := make([]*benchHost, n)
	for i := range hosts {
		seen := testNow.Add(-time.Duration(i%(30*24)) * time.Hour)
		hosts[i] = &benchHost{
			hostname: []string{fmt.Sprintf("host-%06d", i)},
			platform: []string{platforms[i%len(platforms)]},
			severity: []string{fmt.Sprint(i % 100)},
			lastSeen: []string{seen.Format(time.RFC3339)},
			tags:     []string{"FalconGroupingTags/Prod", fmt.Sprintf("SensorGroupingTags/g%d", i%7)},
		}
	}
	return hosts
}

// BenchmarkMatch runs a 3-term filter over 100k hosts per iteration.
func BenchmarkMatch(b *testing.B) {
	const n = 100_000
	hosts := benchHosts(n)
	filters := map[string]string{
		"eq-num-time":     "platform_name:'Windows'+severity:>=50+last_seen:>'now-7d'",
		"wildcard-or-tag": "hostname:'host-00*'+(tags:'*/g3',severity:<10)+platform_name:!'Mac'",
	}
	for name, filter := range filters {
		e, err := fql.ParseAt(filter, testSchema, testNow)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			matched := 0
			for b.Loop() {
				matched = 0
				for _, h := range hosts {
					if e.Match(h) {
						matched++
					}
				}
			}
			if matched == 0 {
				b.Fatal("filter matched nothing")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
		})
	}
}
