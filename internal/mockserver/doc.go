// Package mockserver is an in-memory fake of the NAVER Cloud Platform Certificate Manager API
// (the wire contract of the project's API document ncp-certificate-manager.md, with its §8
// decisions). Tests start it in-process with httptest; the ncloudcert-mock command serves it
// on a port. It never imports the provider or its client: it has its own wire types.
//
// # API operations
//
//	GET    /api/v1/certificates                                          getCertificateList
//	POST   /api/v1/certificate/withExternal                              createExternalCertificate
//	DELETE /api/v1/certificate/{no}?certificateName=                     deleteCertificate
//	GET    /api/v2/certificate/certificates?page=&pageSize=&certificateName=  ListCertificates
//	POST   /api/v2/certificate/withExternal                              RegisterExternalCertificate
//	GET    /api/v2/certificate/exportCertificate/{no}/chain              GetCertificateChain
//	DELETE /api/v2/certificate/deleteCertificate/{no}?certificateName=   DeleteCertificate
//
// Every /api/ request is authenticated like the API Gateway (signature v2 over the request
// URI as received, 5-minute timestamp window): failures are HTTP 401 with the gateway
// envelope {"error":{"errorCode":"200",...}}. Keys listed in Options.SubAccountKeys get HTTP
// 403 with an empty body on /api/v2. An unknown route is HTTP 404, gateway code 300.
//
// Uploads are parsed for real (crypto/x509): every field the mock reports is true of the
// PEM. Service errors follow the document: HTTP 200 with returnCode 1002 (not PEM, encrypted
// key), 26034 (invalid or expired certificate, chain entry that is not a certificate, a
// block repeated inside a field, a chain repeating the leaf, a chain whose first certificate
// did not sign the leaf), 26040 (key does not match), 1004 (in use; name/number mismatch),
// 1006 (delete of a missing number), 2200 (no certificate found); HTTP 400 with returnCode
// 2000 for the name rule (renewals included, so a legacy name longer than 20 characters can
// be deleted but not renewed), a duplicate name, a missing field or a malformed body.
// Choices where the document leaves
// room: renewal (v2 withExternal with certificateNo) of a missing number answers 2200 and a
// name other than the existing one answers 1004; certificateType is "EXTERNAL", issueType
// "EXTERNAL", domainCode "PUB"; issueDate is the leaf's notBefore; pageSize above 100 is
// treated as 100.
//
// # Control API
//
// JSON, no authentication, never under /api/:
//
//	GET  /_mock/stats                    {"requests":{"<operation>":n,...},"certificates":n}
//	POST /_mock/faults                   {"operation":"createExternalCertificate","count":2,"status":503,
//	                                      "drop":false,"after_commit":false,"retry_after":1} ("*" = any)
//	POST /_mock/latency                  {"operation":"","delay_ms":50} ("" = every operation)
//	POST /_mock/certificates/{no}/use    {"instance_nos":["111","222"]} (empty list releases)
//	POST /_mock/certificates/{no}/status {"status":"EXPIRE"} (a label of API doc §4.1; "" = derived)
//	POST /_mock/reset                    clears certificates, faults, latency and counters
//
// The same controls exist as Server methods for in-process tests.
//
// # State file
//
// With Options.StateFile the store is loaded at New and rewritten atomically after every
// change. The file contains the uploaded private keys in clear text (mode 0600): it exists
// so that demos survive restarts, not to hold real keys. Private keys never appear in logs.
package mockserver
