package httpapi

import (
	"net/http"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// route is one line of the route table.
type route struct {
	Method  string
	Pattern string          // http.ServeMux pattern, also the metrics label
	Perm    care.Permission // checked before the handler runs; "" means any authenticated caller
	Public  bool            // served without authentication
	handle  func(http.ResponseWriter, *http.Request) error
}

// routes is the one route table. Each permission is checked here, up front,
// and again by the service method the handler calls (defence in depth).
func (a *API) routes() []route {
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	return []route{
		{get, "/healthz", "", true, a.healthz},
		{get, "/readyz", "", true, a.readyz},
		{get, "/metrics", "", true, a.serveMetrics},
		{get, "/api/openapi.json", "", true, a.openAPI},

		{post, "/api/v1/customers", care.PermCustomerWrite, false, a.createCustomer},
		{get, "/api/v1/customers", care.PermCustomerRead, false, a.listCustomers},
		{get, "/api/v1/customers/{id}", care.PermCustomerRead, false, a.getCustomer},
		{patch, "/api/v1/customers/{id}", care.PermCustomerWrite, false, a.updateCustomer},
		{get, "/api/v1/customers/{id}/policies", care.PermPolicyRead, false, a.listCustomerPolicies},

		{post, "/api/v1/cases", care.PermCaseWrite, false, a.createCase},
		{get, "/api/v1/cases", care.PermCaseRead, false, a.listCases},
		{get, "/api/v1/cases/{key}", care.PermCaseRead, false, a.getCase},
		{patch, "/api/v1/cases/{key}", care.PermCaseWrite, false, a.updateCase},
		{post, "/api/v1/cases/{key}/interactions", care.PermInteractionWrite, false, a.createInteraction},
		{get, "/api/v1/cases/{key}/interactions", care.PermInteractionRead, false, a.listInteractions},
		{get, "/api/v1/cases/{key}/clocks", care.PermCaseRead, false, a.listClocks},
		{post, "/api/v1/cases/{key}/events", care.PermCaseWrite, false, a.recordEvent},
		{post, "/api/v1/cases/{key}/attachments", care.PermInteractionWrite, false, a.uploadAttachment},
		{get, "/api/v1/cases/{key}/attachments", care.PermInteractionRead, false, a.listAttachments},
		{post, "/api/v1/cases/{key}/replies", care.PermInteractionWrite, false, a.createReply},
		{get, "/api/v1/attachments/{id}", care.PermInteractionRead, false, a.downloadAttachment},

		{post, "/api/v1/complaints", care.PermCaseWrite, false, a.createComplaint},
		{get, "/api/v1/complaints", care.PermCaseRead, false, a.listComplaints},
		{get, "/api/v1/complaints/{key}", care.PermCaseRead, false, a.getComplaint},
		{patch, "/api/v1/complaints/{key}", care.PermCaseWrite, false, a.updateComplaint},
		{post, "/api/v1/complaints/{key}/transitions", service.PermComplaintAct, false, a.transitionComplaint},
		{http.MethodPut, "/api/v1/complaints/{key}/reviewer", service.PermComplaintAct, false, a.assignComplaintReviewer},
		{post, "/api/v1/complaints/{key}/evidence", service.PermComplaintAct, false, a.addEvidence},
		{post, "/api/v1/complaints/{key}/requests", service.PermComplaintAct, false, a.addTeamRequest},
		{patch, "/api/v1/complaints/{key}/requests/{id}", service.PermComplaintAct, false, a.updateTeamRequest},
		{http.MethodPut, "/api/v1/complaints/{key}/outcome", service.PermComplaintAct, false, a.setComplaintOutcome},
		{post, "/api/v1/complaints/{key}/redress", service.PermComplaintAct, false, a.addRedress},
		{patch, "/api/v1/complaints/{key}/redress/{id}", service.PermComplaintAct, false, a.updateRedress},
		{post, "/api/v1/complaints/{key}/capa", service.PermComplaintAct, false, a.addCAPA},
		{patch, "/api/v1/complaints/{key}/capa/{id}", service.PermComplaintAct, false, a.updateCAPA},
		{post, "/api/v1/complaints/{key}/letters", service.PermComplaintAct, false, a.sendLetter},
		{post, "/api/v1/complaints/{key}/letters/preview", service.PermComplaintAct, false, a.previewLetter},
		{get, "/api/v1/complaints/{key}/letters", care.PermCaseRead, false, a.listLetters},
		{get, "/api/v1/complaints/{key}/letters/{id}", care.PermCaseRead, false, a.getLetter},
		{get, "/api/v1/complaints/{key}/letters/{id}/pdf", care.PermInteractionRead, false, a.downloadLetterPDF},
		{get, "/api/v1/letter-templates", care.PermCaseRead, false, a.listLetterTemplates},
		{get, "/api/v1/letter-templates/{kind}/{regime}/{lang}", care.PermCaseRead, false, a.getLetterTemplate},
		{http.MethodPut, "/api/v1/letter-templates/{kind}/{regime}/{lang}", care.PermConfigAdmin, false, a.saveLetterTemplate},
		{get, "/api/v1/letter-templates/{kind}/{regime}/{lang}/versions", care.PermCaseRead, false, a.listLetterTemplateVersions},
		{get, "/api/v1/complaint-root-causes", care.PermCaseRead, false, a.listRootCauses},
		{post, "/api/v1/complaint-root-causes", care.PermConfigAdmin, false, a.createRootCause},
		{post, "/api/v1/interactions/{id}/complaint-signal", care.PermCaseWrite, false, a.decideSignal},
		{get, "/api/v1/reports/{name}", care.PermAuditRead, false, a.complaintReport},

		{post, "/api/v1/claims", care.PermClaimIntake, false, a.createClaim},
		{get, "/api/v1/claims", care.PermClaimRead, false, a.listClaims},
		{get, "/api/v1/claims/{key}", care.PermClaimRead, false, a.getClaim},
		{post, "/api/v1/claims/{key}/transitions", care.PermClaimRead, false, a.transitionClaim}, // the service checks the stage's own permission
		{post, "/api/v1/claims/{key}/settlement", care.PermClaimSettle, false, a.settleClaim},
		{post, "/api/v1/claims/{key}/decision", care.PermClaimIntake, false, a.decideClaim},
		{post, "/api/v1/claims/{key}/reserves", care.PermClaimHandle, false, a.reserveClaim},
		{post, "/api/v1/claims/{key}/payments", care.PermClaimPay, false, a.payClaim},
		{post, "/api/v1/claims/{key}/inspection", care.PermClaimHandle, false, a.scheduleInspection},
		{post, "/api/v1/claims/{key}/catastrophe", care.PermClaimHandle, false, a.linkClaimCatastrophe},
		{post, "/api/v1/claims/{key}/reopen", care.PermClaimReview, false, a.reopenClaim},
		{post, "/api/v1/claims/{key}/document-requests", care.PermClaimReview, false, a.requestClaimDocuments},
		{get, "/api/v1/catastrophes", care.PermClaimRead, false, a.listCatastrophes},
		{post, "/api/v1/catastrophes", care.PermClaimAdmin, false, a.declareCatastrophe},
		{post, "/api/v1/catastrophes/{id}/end", care.PermClaimAdmin, false, a.endCatastrophe},
		{get, "/api/v1/settlement-authority", care.PermClaimRead, false, a.listAuthority},
		{http.MethodPut, "/api/v1/settlement-authority", care.PermClaimAdmin, false, a.setAuthority},

		{post, "/api/v1/policies", care.PermPolicyWrite, false, a.createPolicy},
		{get, "/api/v1/policies/{key}", care.PermPolicyRead, false, a.getPolicy},
		{post, "/api/v1/policies/{key}/transitions", care.PermPolicyWrite, false, a.transitionPolicy},
		{get, "/api/v1/policies/{key}/transitions", care.PermPolicyRead, false, a.listPolicyTransitions},
		{post, "/api/v1/policies/{key}/changes", care.PermCaseWrite, false, a.createPolicyChange},
		{get, "/api/v1/policies/{key}/changes", care.PermPolicyRead, false, a.listPolicyChanges},
		{patch, "/api/v1/policies/{key}/changes/{id}", care.PermPolicyWrite, false, a.decidePolicyChange},
		{post, "/api/v1/policies/{key}/instalments", care.PermPolicyWrite, false, a.setInstalments},
		{get, "/api/v1/policies/{key}/instalments", care.PermPolicyRead, false, a.listInstalments},
		{post, "/api/v1/policies/{key}/payments", care.PermPolicyWrite, false, a.recordPayment},
		{get, "/api/v1/policies/{key}/payments", care.PermPolicyRead, false, a.listPayments},
		{post, "/api/v1/policies/{key}/renewal", care.PermPolicyWrite, false, a.postRenewal},
		{get, "/api/v1/policies/{key}/renewals", care.PermPolicyRead, false, a.listRenewals},
		{get, "/api/v1/policies/{key}/reminders", care.PermPolicyRead, false, a.listReminders},
		{get, "/api/v1/renewals", care.PermPolicyRead, false, a.listOpenRenewals},

		{get, "/api/v1/me", "", false, a.me},
		{get, "/api/v1/users", care.PermUserRead, false, a.listUsers},
		{post, "/api/v1/users", care.PermUserAdmin, false, a.createUser},
		{get, "/api/v1/users/{id}", care.PermUserRead, false, a.getUser},
		{patch, "/api/v1/users/{id}", care.PermUserAdmin, false, a.updateUser},
		{get, "/api/v1/teams", care.PermUserRead, false, a.listTeams},
		{post, "/api/v1/teams", care.PermTeamAdmin, false, a.createTeam},
		{get, "/api/v1/disposition-codes", care.PermCaseRead, false, a.listDispositionCodes},
		{post, "/api/v1/disposition-codes", care.PermConfigAdmin, false, a.createDispositionCode},
		{get, "/api/v1/sla-policy", care.PermCaseRead, false, a.getSLAPolicy},
		{http.MethodPut, "/api/v1/sla-policy", care.PermConfigAdmin, false, a.updateSLAPolicy},
		{get, "/api/v1/sla-policy/versions", care.PermConfigAdmin, false, a.listSLAPolicyVersions},
		{get, "/api/v1/calendars", care.PermCaseRead, false, a.listCalendars},
		{get, "/api/v1/calendars/{region}", care.PermCaseRead, false, a.getCalendar},
		{http.MethodPut, "/api/v1/calendars/{region}", care.PermConfigAdmin, false, a.updateCalendar},
		{get, "/api/v1/calendars/{region}/days", care.PermCaseRead, false, a.calendarDays},
		{post, "/api/v1/tokens", care.PermTokenCreateOwn, false, a.createToken},
		{get, "/api/v1/tokens", "", false, a.listTokens},
		{http.MethodDelete, "/api/v1/tokens/{id}", "", false, a.revokeToken},

		{get, "/api/v1/notifications", "", false, a.listNotifications},
		{post, "/api/v1/notifications/read", "", false, a.markNotificationsRead},

		{get, "/api/v1/audit", care.PermAuditRead, false, a.listAudit},
		{post, "/api/v1/signals/score", care.PermCaseRead, false, a.scoreSignals},
		{get, "/api/v1/kpis", care.PermKPIRead, false, a.getKPIs},
		{get, "/api/v1/surveys/{token}", "", true, a.getSurvey},
		{post, "/api/v1/surveys/{token}", "", true, a.answerSurvey},

		{post, "/api/v1/telephony/events", care.PermInteractionWrite, false, a.recordTelephonyEvent},
		{post, "/api/v1/telephony/cdr", care.PermInteractionWrite, false, a.importCDR},
		{get, "/api/v1/webhooks", care.PermConfigAdmin, false, a.listWebhooks},
		{post, "/api/v1/webhooks", care.PermConfigAdmin, false, a.createWebhook},
		{http.MethodDelete, "/api/v1/webhooks/{id}", care.PermConfigAdmin, false, a.deleteWebhook},
		{get, "/api/v1/webhooks/{id}/deliveries", care.PermConfigAdmin, false, a.listWebhookDeliveries},
	}
}
