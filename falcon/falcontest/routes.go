package falcontest

// Services (meta.powered_by) per API area. The real values are only known
// for a few (csam, discover-api, binserv, sensor-usage-api); the others are
// plausible names.
const (
	svcToken   = "csam"
	svcDevices = "device-api"
	svcGroups  = "hostgroups"
	svcAlerts  = "detectsapi"
	svcMSSP    = "mssp-api"
	svcSensors = "binserv"
	svcUsage   = "sensor-usage-api"
	svcZTA     = "zero-trust-assessment"
	svcUsers   = "usermgmt-api"
	svcClients = "api-clients"
)

// handlerTable binds every operationId of the subset to its handler.
// buildRoutes panics if an operation is missing, so the table cannot drift
// from spec_ops.go unnoticed.
func handlerTable() map[string]handlerDef {
	r := func(svc string, h func(*Server, *call)) handlerDef { return handlerDef{service: svc, h: h} }
	w := func(svc string, idem bool, h func(*Server, *call)) handlerDef {
		return handlerDef{service: svc, write: true, idempotent: idem, h: h}
	}
	return map[string]handlerDef{
		// OAuth2
		"oauth2AccessToken": r(svcToken, (*Server).handleToken),
		"oauth2RevokeToken": r(svcToken, (*Server).handleRevoke),

		// Hosts
		"QueryDevicesByFilter":          r(svcDevices, func(s *Server, c *call) { s.queryDevices(c, visibleHosts) }),
		"QueryHiddenDevices":            r(svcDevices, func(s *Server, c *call) { s.queryDevices(c, hiddenHosts) }),
		"QueryDevicesByFilterScroll":    r(svcDevices, (*Server).scrollDevices),
		"CombinedDevicesByFilter":       r(svcDevices, func(s *Server, c *call) { s.combinedDevices(c, visibleHosts) }),
		"CombinedHiddenDevicesByFilter": r(svcDevices, func(s *Server, c *call) { s.combinedDevices(c, hiddenHosts) }),
		"GetDeviceDetailsV2":            r(svcDevices, func(s *Server, c *call) { s.getDevices(c, false) }),
		"PostDeviceDetailsV2":           r(svcDevices, func(s *Server, c *call) { s.getDevices(c, true) }),
		"PerformActionV2":               w(svcDevices, true, (*Server).deviceAction),
		"UpdateDeviceTags":              w(svcDevices, true, (*Server).updateTags),

		// Host groups
		"queryHostGroups":           r(svcGroups, func(s *Server, c *call) { s.queryGroups(c, false) }),
		"queryCombinedHostGroups":   r(svcGroups, func(s *Server, c *call) { s.queryGroups(c, true) }),
		"getHostGroups":             r(svcGroups, (*Server).getGroups),
		"createHostGroups":          w(svcGroups, false, (*Server).createGroups),
		"updateHostGroups":          w(svcGroups, false, (*Server).updateGroups),
		"deleteHostGroups":          w(svcGroups, false, (*Server).deleteGroups),
		"queryGroupMembers":         r(svcGroups, func(s *Server, c *call) { s.groupMembers(c, false) }),
		"queryCombinedGroupMembers": r(svcGroups, func(s *Server, c *call) { s.groupMembers(c, true) }),
		"performGroupAction":        w(svcGroups, true, (*Server).groupAction),

		// Alerts
		"GetQueriesAlertsV1":     r(svcAlerts, (*Server).queryAlerts),
		"QueryV2":                r(svcAlerts, (*Server).queryAlerts),
		"PostEntitiesAlertsV1":   r(svcAlerts, func(s *Server, c *call) { s.getAlerts(c, true) }),
		"GetV2":                  r(svcAlerts, func(s *Server, c *call) { s.getAlerts(c, false) }),
		"PostCombinedAlertsV1":   r(svcAlerts, (*Server).combinedAlerts),
		"PostAggregatesAlertsV1": r(svcAlerts, (*Server).aggregateAlerts),
		"GetAggregateV2":         r(svcAlerts, (*Server).aggregateAlerts),
		"PatchEntitiesAlertsV2":  w(svcAlerts, true, func(s *Server, c *call) { s.patchAlerts(c, true) }),
		"UpdateV3":               w(svcAlerts, true, func(s *Server, c *call) { s.patchAlerts(c, false) }),

		// Flight Control
		"queryChildren":             r(svcMSSP, (*Server).queryChildren),
		"getChildren":               r(svcMSSP, func(s *Server, c *call) { s.getChildren(c, false) }),
		"getChildrenV2":             r(svcMSSP, func(s *Server, c *call) { s.getChildren(c, true) }),
		"queryCIDGroups":            r(svcMSSP, (*Server).queryCIDGroups),
		"getCIDGroupById":           r(svcMSSP, func(s *Server, c *call) { s.getCIDGroups(c, "cid_group_ids") }),
		"getCIDGroupByIdV2":         r(svcMSSP, func(s *Server, c *call) { s.getCIDGroups(c, "ids") }),
		"createCIDGroups":           w(svcMSSP, false, func(s *Server, c *call) { s.writeCIDGroups(c, true) }),
		"updateCIDGroups":           w(svcMSSP, false, func(s *Server, c *call) { s.writeCIDGroups(c, false) }),
		"deleteCIDGroups":           w(svcMSSP, false, (*Server).deleteCIDGroups),
		"queryCIDGroupMembers":      r(svcMSSP, (*Server).queryCIDGroupMembers),
		"getCIDGroupMembersBy":      r(svcMSSP, func(s *Server, c *call) { s.getCIDGroupMembers(c, "cid_group_ids") }),
		"getCIDGroupMembersByV2":    r(svcMSSP, func(s *Server, c *call) { s.getCIDGroupMembers(c, "ids") }),
		"addCIDGroupMembers":        w(svcMSSP, true, func(s *Server, c *call) { s.changeCIDGroupMembers(c, true) }),
		"deleteCIDGroupMembers":     w(svcMSSP, true, func(s *Server, c *call) { s.changeCIDGroupMembers(c, false) }),
		"deleteCIDGroupMembersV2":   w(svcMSSP, true, func(s *Server, c *call) { s.changeCIDGroupMembers(c, false) }),
		"queryUserGroups":           r(svcMSSP, (*Server).queryUserGroups),
		"getUserGroupsByID":         r(svcMSSP, func(s *Server, c *call) { s.getUserGroups(c, "user_group_ids") }),
		"getUserGroupsByIDV2":       r(svcMSSP, func(s *Server, c *call) { s.getUserGroups(c, "ids") }),
		"createUserGroups":          w(svcMSSP, false, func(s *Server, c *call) { s.writeUserGroups(c, true) }),
		"updateUserGroups":          w(svcMSSP, false, func(s *Server, c *call) { s.writeUserGroups(c, false) }),
		"deleteUserGroups":          w(svcMSSP, false, (*Server).deleteUserGroups),
		"queryUserGroupMembers":     r(svcMSSP, (*Server).queryUserGroupMembers),
		"getUserGroupMembersByID":   r(svcMSSP, func(s *Server, c *call) { s.getUserGroupMembers(c, "user_group_ids") }),
		"getUserGroupMembersByIDV2": r(svcMSSP, func(s *Server, c *call) { s.getUserGroupMembers(c, "ids") }),
		"addUserGroupMembers":       w(svcMSSP, true, func(s *Server, c *call) { s.changeUserGroupMembers(c, true) }),
		"deleteUserGroupMembers":    w(svcMSSP, true, func(s *Server, c *call) { s.changeUserGroupMembers(c, false) }),
		"queryRoles":                r(svcMSSP, (*Server).queryRoles),
		"getRolesByID":              r(svcMSSP, (*Server).getRoles),
		"addRole":                   w(svcMSSP, true, func(s *Server, c *call) { s.changeRoles(c, true) }),
		"deletedRoles":              w(svcMSSP, true, func(s *Server, c *call) { s.changeRoles(c, false) }),

		// Sensor download and usage
		"GetSensorInstallersByQuery":           r(svcSensors, (*Server).queryInstallers),
		"GetSensorInstallersByQueryV2":         r(svcSensors, (*Server).queryInstallers),
		"GetSensorInstallersByQueryV3":         r(svcSensors, (*Server).queryInstallers),
		"GetCombinedSensorInstallersByQuery":   r(svcSensors, func(s *Server, c *call) { s.combinedInstallers(c, 1) }),
		"GetCombinedSensorInstallersByQueryV2": r(svcSensors, func(s *Server, c *call) { s.combinedInstallers(c, 2) }),
		"GetCombinedSensorInstallersByQueryV3": r(svcSensors, func(s *Server, c *call) { s.combinedInstallers(c, 3) }),
		"GetSensorInstallersCCIDByQuery":       r(svcSensors, (*Server).ccid),
		"GetSensorUsageWeekly":                 r(svcUsage, func(s *Server, c *call) { s.sensorUsage(c, false) }),
		"GetSensorUsageHourly":                 r(svcUsage, func(s *Server, c *call) { s.sensorUsage(c, true) }),

		// Zero Trust Assessment
		"getAssessmentsByScoreV1": r(svcZTA, (*Server).ztaByScore),
		"getAssessmentV1":         r(svcZTA, (*Server).ztaAssessments),
		"getAuditV1":              r(svcZTA, (*Server).ztaAudit),

		// Users and API clients
		"queryUserV1":                   r(svcUsers, (*Server).queryUsers),
		"GetAPIClients":                 r(svcClients, (*Server).getAPIClients),
		"GetAllAPIClientIdsForCustomer": r(svcClients, (*Server).queryAPIClients),
		"GetAccessibleScopes":           r(svcClients, (*Server).accessibleScopes),
	}
}
