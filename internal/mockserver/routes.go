package mockserver

import (
	"net/http"
	"strings"
)

// route maps a method and a path pattern to an operation. Pattern segments written as
// "{name}" capture one path segment into request.params[name].
type route struct {
	method  string
	pattern string
	op      string
	handle  func(s *Server, q *request) response
	segs    []string
}

// apiRouteTable lists the API operations the mock implements. New operations slot in here.
func apiRouteTable() []route {
	return []route{
		{method: http.MethodGet, pattern: "/api/v1/certificates", op: OpGetCertificateList, handle: (*Server).v1GetCertificateList},
		{method: http.MethodPost, pattern: "/api/v1/certificate/withExternal", op: OpCreateExternalCertificate, handle: (*Server).v1CreateExternalCertificate},
		{method: http.MethodDelete, pattern: "/api/v1/certificate/{certificateNo}", op: OpDeleteCertificateV1, handle: (*Server).v1DeleteCertificate},

		{method: http.MethodGet, pattern: "/api/v2/certificate/certificates", op: OpListCertificates, handle: (*Server).v2ListCertificates},
		{method: http.MethodGet, pattern: "/api/v2/certificate/getCertificates", op: OpListCloudCertificates, handle: (*Server).v2ListCloudCertificates},
		{method: http.MethodGet, pattern: "/api/v2/certificate/getVerificationInfo/{certificateNo}", op: OpListDcvStatuses, handle: (*Server).v2ListDcvStatuses},
		{method: http.MethodPost, pattern: "/api/v2/domain/domains", op: OpRegisterDomain, handle: (*Server).v2RegisterDomain},
		{method: http.MethodGet, pattern: "/api/v2/domain/domains", op: OpListDomainValidations, handle: (*Server).v2ListDomainValidations},
		{method: http.MethodDelete, pattern: "/api/v2/domain/domains/{dmnId}", op: OpDeleteDomain, handle: (*Server).v2DeleteDomain},
		{method: http.MethodPost, pattern: "/api/v2/certificate/requestCertificateIssuance", op: OpCloudBasicCertificateRequest, handle: (*Server).v2CloudBasicCertificateRequest},
		{method: http.MethodPost, pattern: "/api/v2/certificate/requestGedCertificateIssuance", op: OpGlobalEdgeCertificateRequest, handle: (*Server).v2GlobalEdgeCertificateRequest},
		{method: http.MethodPost, pattern: "/api/v2/certificate/withExternal", op: OpRegisterExternalCertificate, handle: (*Server).v2RegisterExternalCertificate},
		{method: http.MethodGet, pattern: "/api/v2/certificate/exportCertificate/{certificateNo}/chain", op: OpGetCertificateChain, handle: (*Server).v2GetCertificateChain},
		{method: http.MethodPost, pattern: "/api/v2/certificate/exportCertificate/{certificateNo}", op: OpDownloadCertificate, handle: (*Server).v2DownloadCertificate},
		{method: http.MethodPost, pattern: "/api/v2/certificate/setCertificateRenewal", op: OpSetRenewalStatus, handle: (*Server).v2SetRenewalStatus},
		{method: http.MethodPost, pattern: "/api/v2/certificate/requestPaidCertificateIssuance", op: OpAdvancedCertificateRequest, handle: (*Server).v2AdvancedCertificateRequest},
		{method: http.MethodPost, pattern: "/api/v2/certificate/registPrivateKey", op: OpRegisterPrivateKey, handle: (*Server).v2RegisterPrivateKey},
		{method: http.MethodGet, pattern: "/api/v2/certificate/getPaidCertificates", op: OpListAdvancedCertificates, handle: (*Server).v2ListAdvancedCertificates},
		{method: http.MethodGet, pattern: "/api/v2/certificate/orders", op: OpListOrders, handle: (*Server).v2ListOrders},
		{method: http.MethodGet, pattern: "/api/v2/certificate/orders/{orderId}", op: OpGetOrder, handle: (*Server).v2GetOrder},
		{method: http.MethodPost, pattern: "/api/v2/certificate/subscription/extend", op: OpSubscriptionExtend, handle: (*Server).v2SubscriptionExtend},
		{method: http.MethodPost, pattern: "/api/v2/certificate/revoke", op: OpRevokeCertificate, handle: (*Server).v2RevokeCertificate},
		{method: http.MethodPost, pattern: "/api/v2/certificate/{certificateNo}/reissue", op: OpReissueCertificate, handle: (*Server).v2ReissueCertificate},
		{method: http.MethodDelete, pattern: "/api/v2/certificate/deleteCertificate/{certificateNo}", op: OpDeleteCertificate, handle: (*Server).v2DeleteCertificate},
		{method: http.MethodPost, pattern: "/api/v2/acme/account", op: OpCreateEabCredential, handle: (*Server).v2CreateEabCredential},
		{method: http.MethodGet, pattern: "/api/v2/acme/accounts", op: OpListEabCredentials, handle: (*Server).v2ListEabCredentials},
		{method: http.MethodPost, pattern: "/api/v2/acme/account/{accountId}/deactivate", op: OpDeactivateEabCredential, handle: (*Server).v2DeactivateEabCredential},
		{method: http.MethodGet, pattern: "/api/v2/certificate/certificateTypes", op: OpListCertificateTypes, handle: (*Server).v2ListCertificateTypes},
		{method: http.MethodPost, pattern: "/api/v2/organization/getOrganizationInfoList", op: OpListOrganizations, handle: (*Server).v2ListOrganizations},
	}
}

// operationNames returns the operation names the mock implements, in route-table order.
func operationNames() []string {
	table := apiRouteTable()
	ops := make([]string, 0, len(table))
	for _, rt := range table {
		ops = append(ops, rt.op)
	}
	return ops
}

func compileRoutes(table []route) []route {
	for i := range table {
		table[i].segs = strings.Split(strings.Trim(table[i].pattern, "/"), "/")
	}
	return table
}

// match finds the route for r and the captured path parameters; nil when none matches.
func match(routes []route, r *http.Request) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != r.Method || len(rt.segs) != len(segs) {
			continue
		}
		var params map[string]string
		matched := true
		for j, p := range rt.segs {
			if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
				if segs[j] == "" {
					matched = false
					break
				}
				if params == nil {
					params = map[string]string{}
				}
				params[p[1:len(p)-1]] = segs[j]
				continue
			}
			if p != segs[j] {
				matched = false
				break
			}
		}
		if matched {
			return rt, params
		}
	}
	return nil, nil
}
