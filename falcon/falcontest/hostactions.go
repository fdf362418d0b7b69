package falcontest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// actionRequest is msa.EntityActionRequestV2.
type actionRequest struct {
	IDs              []string          `json:"ids"`
	ActionParameters []actionParameter `json:"action_parameters,omitempty"`
}

// actionParameter is msaspec.ActionParameter.
type actionParameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// affectedEntity is msa.AffectedEntity.
type affectedEntity struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

// Per-call id caps of device actions (PSFalcon batches: 500, hide 100).
var deviceActionCaps = map[string]int{
	"contain": 500, "lift_containment": 500, "hide_host": 100, "unhide_host": 100,
	"detection_suppress": 500, "detection_unsuppress": 500,
}

// deviceAction serves POST /devices/entities/devices-actions/v2 → 202.
func (s *Server) deviceAction(c *call) {
	name := c.str("action_name")
	limit, ok := deviceActionCaps[name]
	if !ok {
		c.fail(http.StatusBadRequest, fmt.Sprintf("invalid action_name '%s'", name))
		return
	}
	var req actionRequest
	if !c.decodeBody(&req) {
		return
	}
	if len(req.IDs) == 0 {
		c.fail(http.StatusBadRequest, "ids must not be empty")
		return
	}
	if len(req.IDs) > limit {
		c.fail(http.StatusBadRequest, fmt.Sprintf("too many ids for %s: %d given, at most %d allowed", name, len(req.IDs), limit))
		return
	}
	t := c.t
	t.mu.Lock()
	var done []affectedEntity
	var errs []apiError
	now := c.now.Unix()
	for _, id := range dedupe(req.IDs) {
		i, ok := s.hostIndex(t, id)
		if !ok {
			errs = append(errs, apiError{Code: http.StatusNotFound, ID: id, Message: "Device not found: " + id})
			continue
		}
		h := &t.hosts[i]
		ref := hostRef{s: s, t: t, i: i, now: now}
		cur := ref.status()
		switch name {
		case "contain":
			if cur == "normal" || cur == "lift_containment_pending" {
				h.status = stContainPending
				if s.cfg.actionDelay == 0 {
					h.status = stContained
				}
			}
		case "lift_containment":
			if cur == "contained" || cur == "containment_pending" {
				h.status = stLiftPending
				if s.cfg.actionDelay == 0 {
					h.status = stNormal
				}
			}
		case "hide_host":
			h.flags |= flHidden
		case "unhide_host":
			h.flags &^= flHidden
		case "detection_suppress":
			h.flags |= flSuppressed
		case "detection_unsuppress":
			h.flags &^= flSuppressed
		}
		h.modified = now
		done = append(done, affectedEntity{ID: strings.ToLower(id), Path: ""})
	}
	if len(done) > 0 {
		t.hostVersion.Add(1)
		t.version.Add(1)
		c.applied = true
	}
	t.mu.Unlock()
	status := http.StatusAccepted
	if len(done) == 0 {
		status = http.StatusBadRequest
	}
	c.send(reply{status: status, resources: nonNil(done), errs: errs,
		writes: &writes{ResourcesAffected: len(done)}})
}

// tagsRequest is deviceapi.UpdateDeviceTagsRequestV1.
type tagsRequest struct {
	Action    string   `json:"action"`
	DeviceIDs []string `json:"device_ids"`
	Tags      []string `json:"tags"`
}

// tagResult is deviceapi.UpdateDeviceDetailsResponseV1.
type tagResult struct {
	Code     int    `json:"code"`
	DeviceID string `json:"device_id"`
	Error    string `json:"error,omitempty"`
	Updated  bool   `json:"updated"`
}

const maxTagDevices = 5000

// updateTags serves PATCH /devices/entities/devices/tags/v1 → 202. Tags
// without a prefix get "FalconGroupingTags/" (the console does the same).
func (s *Server) updateTags(c *call) {
	var req tagsRequest
	if !c.decodeBody(&req) {
		return
	}
	if req.Action != "add" && req.Action != "remove" {
		c.send(reply{status: http.StatusBadRequest, resources: []affectedEntity{},
			errs: errs1(http.StatusBadRequest, "action must be 'add' or 'remove'")})
		return
	}
	if len(req.DeviceIDs) == 0 || len(req.Tags) == 0 {
		c.send(reply{status: http.StatusBadRequest, resources: []affectedEntity{},
			errs: errs1(http.StatusBadRequest, "device_ids and tags must not be empty")})
		return
	}
	if len(req.DeviceIDs) > maxTagDevices {
		c.send(reply{status: http.StatusBadRequest, resources: []affectedEntity{},
			errs: errs1(http.StatusBadRequest, fmt.Sprintf("too many device_ids: at most %d allowed", maxTagDevices))})
		return
	}
	tags := make([]string, 0, len(req.Tags))
	for _, tag := range req.Tags {
		tag = strings.TrimSpace(tag)
		if tag == "" {
			continue
		}
		if !strings.Contains(tag, "/") {
			tag = "FalconGroupingTags/" + tag
		}
		tags = append(tags, tag)
	}
	t := c.t
	t.mu.Lock()
	var res []tagResult
	changed := 0
	for _, id := range dedupe(req.DeviceIDs) {
		i, ok := s.hostIndex(t, id)
		if !ok {
			res = append(res, tagResult{Code: http.StatusNotFound, DeviceID: id, Error: "device not found"})
			continue
		}
		h := &t.hosts[i]
		cur := slices.Clone(t.tagsOf(h))
		for _, tag := range tags {
			has := slices.Contains(cur, tag)
			if req.Action == "add" && !has {
				cur = append(cur, tag)
			} else if req.Action == "remove" && has {
				cur = slices.DeleteFunc(cur, func(x string) bool { return x == tag })
			}
		}
		slices.Sort(cur)
		if nt := t.internTags(cur); nt != h.tags {
			h.tags = nt
			h.modified = c.now.Unix()
			changed++
		}
		res = append(res, tagResult{Code: http.StatusOK, DeviceID: strings.ToLower(id), Updated: true})
	}
	if changed > 0 {
		t.hostVersion.Add(1)
		t.version.Add(1)
		c.applied = true
	}
	t.mu.Unlock()
	c.send(reply{status: http.StatusAccepted, resources: nonNil(res), writes: &writes{ResourcesAffected: changed}})
}
