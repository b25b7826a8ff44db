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
//	GET    /api/v2/certificate/getCertificates?page=&pageSize=&certificateName= ListCloudCertificates
//	GET    /api/v2/certificate/getVerificationInfo/{no}?domainAddress=   ListDcvStatuses
//	POST   /api/v2/domain/domains                                        RegisterDomain
//	GET    /api/v2/domain/domains?page=&pageSize=&domainAddress=&dcvType=&orgNo=&validState= ListDomainValidations
//	DELETE /api/v2/domain/domains/{dmnId}                                DeleteDomain
//	POST   /api/v2/certificate/requestCertificateIssuance                CloudBasicCertificateRequest
//	POST   /api/v2/certificate/requestGedCertificateIssuance             GlobalEdgeCertificateRequest
//	POST   /api/v2/certificate/withExternal                              RegisterExternalCertificate
//	GET    /api/v2/certificate/exportCertificate/{no}/chain              GetCertificateChain
//	POST   /api/v2/certificate/exportCertificate/{no}                    DownloadCertificate
//	POST   /api/v2/certificate/setCertificateRenewal                     SetRenewalStatus
//	DELETE /api/v2/certificate/deleteCertificate/{no}?certificateName=   DeleteCertificate
//	POST   /api/v2/certificate/requestPaidCertificateIssuance            AdvancedCertificateRequest
//	POST   /api/v2/certificate/registPrivateKey                          RegisterPrivateKey
//	GET    /api/v2/certificate/getPaidCertificates?page=&pageSize=&certificateName= ListAdvancedCertificates
//	GET    /api/v2/certificate/orders?page=&pageSize=                    ListOrders
//	GET    /api/v2/certificate/orders/{orderId}                          GetOrder
//	POST   /api/v2/certificate/{no}/reissue                              ReissueCertificate
//	POST   /api/v2/certificate/subscription/extend                       SubscriptionExtend
//	POST   /api/v2/certificate/revoke                                    RevokeCertificate
//	POST   /api/v2/acme/account                                          CreateEabCredential
//	GET    /api/v2/acme/accounts                                         ListEabCredentials
//	POST   /api/v2/acme/account/{accountId}/deactivate                   DeactivateEabCredential
//	GET    /api/v2/certificate/certificateTypes                          ListCertificateTypes
//	POST   /api/v2/organization/getOrganizationInfoList                  ListOrganizations
//
// The names on the right are the operation names of GET /_mock/stats and of faults.
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
// treated as 100. Renewal through withExternal of a certificate the mock's CA issued is
// refused with HTTP 400 / 2000. Every list item (v1 and v2) also carries externalYn,
// renewalYn ("Y"/"N"; always "N" for external certificates) and failReason ("" unless a
// failure was forced with a reason).
//
// # Issued certificates (Cloud Basic, Global Edge)
//
// The mock is a CA: New mints an ECDSA P-256 root ("ncloudcert-mock Root CA") and
// intermediate ("ncloudcert-mock Intermediate CA"), kept in the state file. A request is
// checked, in this order (all HTTP 400): certificateName, commonName and (Cloud Basic)
// validationMethod present, else 2000; the name rule, else 2000; validationMethod "D",
// else 2000; the common name a valid domain of at most 64 characters, else 2000; every
// dnsName entry a valid domain, else 2201 "Invalid DNS SANs input format." followed by the
// reason; at most 100 names in all (common name + dnsName), else 2000; no name twice
// (case-insensitive, trailing dot ignored; the common name repeated in dnsName counts),
// else 2201; the name unused, else 2000. A valid domain has LDH labels of 1–63 characters,
// at most 253 characters, at least two labels, a top-level label not all digits, and "*"
// only as the whole leftmost label ("*.example.com"; not "a.*.b", "*a.b", "*" or
// "*.com"); internationalised names go as punycode. Names are stored canonical: lower case,
// no trailing dot.
//
// A request is stored at once as certificateType NCP_FREE_DV_01 (Cloud Basic) or
// NCP_GLOBAL_EDGE_DEDICATED (Global Edge), externalYn "N", issueType "NEW", renewalYn
// "N", status ONGOING (0), with one validation record per validation domain (the name
// without a leading "*.", so "*.x" and "x" share one record, same name and value): Cloud
// Basic a CNAME "_<32 hex>.<domain>" → "<32 hex>.dcv.ncloudcert-mock.test.", Global Edge
// a TXT "_acme-challenge.<domain>" holding a random 43-character token. Cloud Basic
// answers {totalRows:1, certificateName, commonName, dnsName (the SANs, comma-separated),
// validationMethod, requestSn} and no certificateNo; Global Edge answers {totalRows:1,
// certificate:{certificateNo, certificateName, statusCode (a number: 0), statusName,
// commonName, dnsName, requestSn}}. requestSn is a numeric string; validSn a number.
// Before issuance the lists show the names (commonName; dnsName = common name and SANs)
// and leave every certificate field empty (serial, issuer, subject, key, signature,
// validity, issueDate).
//
// Validation completes, and the CA issues the leaf (a fresh ECDSA P-256 key; common name
// and SANs as requested; notBefore the moment validation completed, notAfter 90 days
// later; chain intermediate then root), when, within the validation window
// (Options.ValidationWindow, default 72 h), every record the request expects is
// published in the simulated DNS with its exact type and its value among the values
// (names compared case-insensitively without trailing dots; a CNAME target's trailing dot
// ignored; TXT values with or without surrounding double quotes); or when
// Options.DCVDelay after the request has elapsed (if that is within the window); or on
// demand through the control API. The status then is NORMAL (1) for Cloud Basic and
// NORMAL_GLOBAL_EDGE_DEDICATED (3) for Global Edge, EXPIRE after notAfter. Once the
// window has closed, a request not validated is VALIDATION_EXPIRE (-4) and no DNS record
// issues it any more. Status is evaluated when read: no goroutine runs in the background;
// pending requests are checked after every DNS change and whenever they are read.
//
// ListDcvStatuses requires domainAddress (else HTTP 400 / 2000) and answers the one record
// validating it ("*.x" or "x" alike, case and trailing dot ignored): {totalRows:1,
// dnsVerificationCount:1, dnsVerificationList:[{validSn, requestSn, validStatusCode,
// txtName, txtValue, recordType, domainAddress (the domain asked for, canonical)}],
// emailVerificationCount:0, emailVerificationList:[]}. validStatusCode is
// VALID_STATUS_SUCCESS once the certificate is issued or while that record is published,
// VALID_STATUS_TIMEOUT when the certificate is VALIDATION_EXPIRE (window closed or
// forced), VALID_STATUS_REG otherwise. An unknown certificate answers 2200 "No certificate
// was found."; an external certificate, or a domain the request does not hold, 2200 "No
// domain validation information was found for the domain.".
//
// GetCertificateChain and DownloadCertificate of a request not issued (pending, failed,
// validation expired) answer HTTP 400 / 2000 "The certificate has not been issued yet.".
// DownloadCertificate needs a JSON body ({} is enough; missing → 2000; type other than PEM
// → 2000; a body certificateNo other than the path's → 2000; passwd is ignored) and
// answers application/zip with certificate.pem, chain.pem (intermediate then root) and,
// for Cloud Basic and Global Edge only, private_key.pem (PKCS#8). SetRenewalStatus
// ({certificateNo, renewalYn "Y"|"N"}, else 2000) stores renewalYn for Cloud Basic and
// Global Edge certificates in any status, pending ones included, and answers totalRows 0;
// external certificates are refused with HTTP 400 / 2000; a missing number answers 2200.
// Renewal in place (API doc §8): with renewalYn "Y", from 30 days before notAfter until
// notAfter and with every DCV record still published, the next read renews the certificate:
// same certificateNo, new serial and dates, the same status (renewal.go). Both deletes work for
// every type and status (the name must match; in use → 1004).
//
// # Pre-validated domains
//
// RegisterDomain {dmnAddr, dcvType (PTXT | TXT), issueType (CONSOLE | ACME), orgNo (optional,
// a positive integer or numeric string)} registers a domain. Refusals are HTTP 400 / 2000: a
// missing or invalid domain (the certificate domain rules above), a wildcard ("*.x": register
// x), another dcvType or issueType, a negative orgNo, and a domain already registered with
// the same dcvType and issueType (case and a trailing dot ignored; "The domain is already
// registered with this dcvType and issueType."). Undocumented parts (API doc §9.6), decided here: the answer is {totalRows:
// 1, domainVldList: [the created item]}; dmnId is a number from 573 upwards; an item is
// {dmnId, memberNo, domainAddress (canonical), dcvType, issueType, orgNo (number, null when
// none), validState, txtName, txtValue, recordType ("TXT"), regDate, validDate (omitted until
// VALID)}. The record is a TXT "_dnsauth.<domain>": for PTXT its value is derived from the
// account and the domain, so it is the same every time the domain is registered (a record
// left published validates a new registration at once); for TXT it is a random 43-character
// token per registration. A domain is PENDING until that record is published in the
// simulated DNS (as for certificates: checked after every DNS change and on every read) or
// until Options.DCVDelay has passed, then VALID for good; only the control API makes it
// INVALID (it stays so). Nothing in an item changes on validation but validState and
// validDate.
//
// ListDomainValidations pages with page (1-based, default 1) and pageSize (default 10 as
// documented, 0 too; capped at 100, the largest page, which the client always asks for),
// filters on domainAddress (exact, canonical), dcvType, orgNo and validState, orders by
// dmnId and answers {totalRows (every match), domainVldList}. DeleteDomain of an unknown
// dmnId answers HTTP 200 / 2200 "The domain does not exist."; success answers {totalRows: 1,
// domainVldList: []}. An Advanced request with validationMethod PD whose every validation domain
// is, or is below, a VALID PTXT domain registered with issueType CONSOLE is validated without
// records of its own (checked like its records: after DNS changes and on reads); D requests
// and ACME registrations are not affected. The state file keeps the registered domains
// (domains, next_domain_id). In-process tests have Domains (snapshots), PublishDomainRecord
// and InvalidateDomain; Reset clears the domains.
//
// # Advanced DV/OV orders
//
// AdvancedCertificateRequest takes csr, certificateType (NCP_PAID_DV_01 | NCP_PAID_OV_01),
// certificateName, commonName, dnsName, validationMethod (D | PD), organizationNo (string or
// number; required for OV), keyAlgorithm (stored, unchecked), requestToken and
// subscriptionPeriod (1–3 or "1Y"–"3Y", years; default 1). Refusals are HTTP 400 / 2000:
// a missing field, the name rule, another type, another method, a period outside 1–3, OV
// without organizationNo, a CSR that is not exactly one PEM "CERTIFICATE REQUEST" block
// parsing with crypto/x509 and with a valid signature ("csr is not a valid PEM certificate
// signing request …"), a CSR whose names (CN plus DNS SANs, as a set, case-insensitive) differ
// from commonName plus dnsName ("The CSR's names … do not match …"), a name in use; a
// malformed dnsName entry is 2201 as for Cloud Basic. A request places an order (orderId a
// string, "900001" upwards) holding one ONGOING certificate, and answers {totalRows: 1,
// paidCertificate: {certificateNo, certificateName, orderId, commonName, statusCode (string,
// as on list items), statusName}}. A requestToken already used answers the order it placed
// and that order's first certificate (current status) again, storing nothing: the body is
// not compared; a different token with a name in use is 2000 "certificateName is already in
// use". Stats.Orders counts the orders.
//
// Validation records are TXT, one per validation domain ("*.x" and "x" share one): name
// "_dcv-<16 hex>.<domain>", value 43 base64url characters. D makes new records for every
// request; PD records are kept on the order per validation domain and reused by later
// requests of that order. They validate through the simulated DNS, the DCV delay, the
// validation window and the control API exactly like Cloud Basic / Global Edge requests.
// The CA then signs the CSR's public key (365 days, the requested names); with no private
// key the certificate is NORMAL_UNREGISTERED_PRIVATE_KEY (2). RegisterPrivateKey
// {certificateNo, privateKey} stores an unencrypted PEM key matching the leaf and the
// certificate turns NORMAL (1); errors: 2200 unknown certificate, 1002 not a usable PEM key,
// 26040 key not matching (both HTTP 200, as for uploads), 2000 (HTTP 400) for a certificate
// that takes no key (not Advanced, not issued yet, or key already registered). The lists
// (v1 getCertificateList, v2 ListCertificates) show Advanced certificates with their type
// and orderId; ListCloudCertificates does not. DownloadCertificate's ZIP never holds
// private_key.pem for an Advanced certificate.
//
// Deleting an Advanced certificate removes it from its order (the order stays).
//
// Lookups. ListAdvancedCertificates answers {totalCount (orders), orders: [{orderID (capital
// "ID", as documented), certificates: [ListCertificates items]}]}, orders ascending by id,
// paged by order like the other v2 lists (page 1-based, pageSize 0/omitted = all, at most
// 100); with certificateName only the orders holding a certificate of that name, each
// listing just that certificate. ListOrders (page default 1, pageSize default 0 = all)
// answers {totalCount (orders), orders: [order figures + certificates]} and GetOrder
// {totalCount (its certificates), order figures at top level, certificates}; an unknown
// orderId is HTTP 200 / 2200 "The order does not exist.". The order figures: orderId,
// subscriptionStartDt (the order's placement), subscriptionEndDt (null until one of its
// certificates is issued; then the first issuance + subscriptionYears), subscriptionYears
// (ordered + extended), remainingDays (whole days to the end, rounded down, so negative
// after expiry; null when the end is null), extendableYears (what SubscriptionExtend
// allows now: 0 when the end is null or passed, else 3 − (end year − current year, KST),
// never below 0). Dates are "yyyy-MM-dd HH:mm:ss" KST.
//
// ReissueCertificate {csr, certificateName, commonName, dnsName, validationMethod (D | PD)}
// on an Advanced certificate (unknown number 2200 HTTP 200; any other certificate 2000 HTTP
// 400) checks the fields and the CSR exactly as a request (2000 / 2201, name in use 2000) and
// adds a NEW certificate (new certificateNo, the given name, the order's type) to the same
// order, starting ONGOING with its own validation records: D makes new ones, PD reuses the
// order's persistent record of each validation domain (so it validates at once while DNS
// still holds them). The older certificate stays as it is. Any state of the older
// certificate may be reissued. The answer is {totalRows: 1} only: find the new certificate
// by its name (ListCertificates certificateName=) or as the newest of GetOrder's
// certificates.
//
// SubscriptionExtend {orderId (string or number), subscriptionPeriod "1Y" | "2Y" | "3Y"}:
// unknown order 2200 (HTTP 200); a missing orderId or another period, an order with no
// issued certificate, an expired subscription, or more years than allowed (the
// extendableYears rule above: end year − current year 0 → up to 3, 1 → 2, 2 → 1, ≥3 →
// none) are HTTP 400 / 2000 with a message naming the allowed range (`allowed: "1Y" to
// "2Y"`, `allowed: "1Y"`, or none). Success adds the years at once (subscriptionYears += n,
// the end moves by n years) and answers the bare envelope.
//
// RevokeCertificate {orderId, certificateNo (0 = every certificate of the order),
// revokeType (affiliationChanged | superseded | cessationOfOperation | unspecified)}: unknown
// order 2200 (HTTP 200); missing orderId/certificateNo, another revokeType, a certificate not
// in the order, or a named certificate not issued yet are HTTP 400 / 2000. Issued
// certificates turn REVOKE (-5) with revokeDate set on list items; with 0, certificates not
// issued yet are skipped. totalRows counts the certificates revoked by this request (an
// already revoked one counts 0 and is not an error). A revocation is final: the derived
// status stays REVOKE (a status forced through the control API still wins while set).
// Like the service (API doc §8), it revokes a certificate in use: usage is not checked.
//
// The control API's validate and fail endpoints (and ValidateCertificate / FailCertificate)
// work on Advanced certificates too. The business clock (Server.Now, AdvanceClock and
// /_mock/clock) drives dates, validation windows and delays, leaf expiry and subscriptions;
// the gateway's 5-minute timestamp window always uses the real clock (Options.Now or
// time.Now), so moving the clock never invalidates signed requests.
//
// The state file (version 2, older files still load) also keeps revocations
// (revoked_at, revoke_type) and the clock offset (clock_advance_ns).
//
// # ACME External Account Binding credentials
//
// CreateEabCredential {validationMode (PRE | DNS01), certificateTypeCode (NPD_01 | NPO_01),
// validityDays (a number or a numeric string), alias, organizationNo (a string, or a number;
// required for NPO_01, ignored for NPD_01)} answers {totalRows: 1, success: true, message:
// null, accountId (a number, 59001 upwards), status "pending", eabKid ("kid-" + 22
// base64url characters), eabHmacKey (32 random bytes, base64url: the only time the key is
// shown), alias, certificateTypeCode, validationMode, validityDays, createdAt}. Refusals are
// HTTP 400 / 2000: a missing field, another mode or type, OV without organizationNo,
// validityDays outside 1–200, an alias breaking the alias rule (1–63 letters, digits, '.',
// '_' or '-', starting with a letter or digit). Choices where the guide is silent: the
// validity range follows the CA/Browser Forum's 200-day limit on TLS certificates since
// 15 March 2026 (the guide's example is 198); the alias rule is ours; the mock does NOT
// enforce unique aliases (the service is not known to), so the provider checks.
//
// ListEabCredentials ignores page and pageSize and answers every credential, oldest first:
// {totalRows: 0 (always, as documented), success, message, totalCount (the number of
// accounts), accounts: [{accountId, status, memberNo, contactEmail (null), alias,
// certificateTypeName ("Advanced DV" | "Advanced OV"), validityDays, organizationName
// ("Organization <no>", OV only, else null), createdAt, updatedAt, eabKid, eabHmacKey
// (always masked: "********"), eabUsed, eabActive}]}, plus three fields the guide's
// truncated table does not list (a mock choice; the client does without them):
// certificateTypeCode, validationMode and organizationNo (OV only, else null). Deactivated
// credentials still list, with status "deactivated" and eabActive false (a mock choice).
//
// DeactivateEabCredential (no body) turns a credential "deactivated" for good and answers
// {accountId, status: "deactivated"}; an unknown or non-numeric accountId is HTTP 200 /
// 2200 "No ACME account was found."; an already deactivated one HTTP 400 / 2000 "The ACME
// account is already deactivated.". Credentials are kept in memory only: the state file
// does not hold them (nor their HMAC keys). In-process tests have UseEabCredential (an ACME
// client registered with it: eabUsed true, pending → valid), DeactivateEabCredential,
// RemoveEabCredential (it vanishes from the list), EabCredential (a snapshot with the HMAC
// key) and EabCredentialIDs; Reset clears them.
//
// # Certificate types and organizations
//
// ListCertificateTypes answers {totalCount: 4, certificatetype (lowercase t, as documented):
// [{name, pricingPlan, validationLevel, validity (days), ca, csrRequired, certificateTypeCode}]}
// for the four types the mock issues: Cloud Basic (NCP_FREE_DV_01, FREE, DV, 90, N), Advanced
// DV (NCP_PAID_DV_01, PAID, DV, 365, Y), Advanced OV (NCP_PAID_OV_01, PAID, "Organization
// Validation Certificate", 365, Y), Global Edge (NCP_GLOBAL_EDGE_DEDICATED, FREE, DV, 90, N);
// validity is what the mock's CA gives each, ca its intermediate's name.
//
// ListOrganizations (the guide marks it "needs revision") needs a JSON body ({} at least;
// none → HTTP 400 / 2000) with optional filters organizationNameKor / organizationNameEng
// (case-insensitive substrings), businessRegistrationNo (compared by its digits) and
// verificationProgressCode (number or string, exact), combined with AND. The organizations
// come from AddOrganization or POST /_mock/organizations (numbers from 1001; none at start;
// not kept in the state file; reset clears them). Each item: organizationNo (number),
// memberNo, organizationNameKor, organizationNameEng, businessRegistrationNo,
// verificationType BUSINESS_REGISTRATION, verificationProgressCode (number). The envelope is
// undocumented, so the mock picks {returnCode "0", returnMessage, totalCount,
// organizationInfoList: [...]}; Options.OrganizationsEnvelope (-organizations-envelope) answers
// instead under organizationList, organizations, contents or data, nested as
// {data: {list, totalCount}} ("data.list"), as a bare array ("array"), or as {organizations}
// without returnCode ("no-return-code").
//
// # Control API
//
// JSON, no authentication, never under /api/:
//
//	GET  /_mock/stats                    {"requests":{"<operation>":n,...},"certificates":n,"orders":n,"domains":n}
//	POST /_mock/faults                   {"operation":"createExternalCertificate","count":2,"status":503,
//	                                      "drop":false,"after_commit":false,"retry_after":1} ("*" = any)
//	POST /_mock/latency                  {"operation":"","delay_ms":50} ("" = every operation)
//	POST /_mock/certificates/{no}/use    {"instance_nos":["111","222"]} (empty list releases)
//	POST /_mock/certificates/{no}/status {"status":"EXPIRE"} (a label of API doc §4.1; "" = derived)
//	POST /_mock/certificates/{no}/validate  completes validation now: issues the certificate
//	                                     (clears a forced status; 409 for external certificates)
//	POST /_mock/certificates/{no}/renew  renews an issued certificate in place now (same number,
//	                                     new serial and dates, same status; Advanced: same CSR key)
//	POST /_mock/certificates/{no}/fail   {"reason":"CAA forbids issuance"} → FAILED (-1), failReason
//	GET  /_mock/certificates/{no}/dcv    {"records":[{"valid_sn","domain","domains","name","type",
//	                                      "value","status"}]}: the records the request expects
//	GET  /_mock/domains                  {"domains":[{"dmn_id","domain","dcv_type","issue_type",
//	                                      "valid_state","record_name","record_type","record_value"}]}
//	POST /_mock/domains/{dmnId}/invalid  forces a registered domain INVALID (404 when unknown)
//	GET  /_mock/dns                      {"records":[{"name","type","values":[...]}]}
//	POST /_mock/dns                      {"name":"_x.example.com","type":"CNAME","values":["t."]}
//	                                     (replaces the record; empty values deletes it)
//	DELETE /_mock/dns?name=&type=        deletes a record (absent is fine)
//	GET  /_mock/clock                    {"now":"<RFC 3339 UTC>","advance_hours":h}: the business clock
//	POST /_mock/clock                    {"advance_hours": N} moves it by N hours (fractions and
//	                                     negative values allowed; answers as GET)
//	POST /_mock/reset                    clears certificates, domains, DNS, faults, latency, counters and
//	                                     the clock offset
//	POST /_mock/seed                     {"count":N,"types":[...],"statuses":[...],"prefix":"seed"}
//	                                     stores N certificates at once, cycling over the types
//	                                     (external, cloud_basic, global_edge, advanced_dv,
//	                                     advanced_ov; default all) and forced statuses (default:
//	                                     derived), named <prefix>-<type>-<i>, Advanced ones each in
//	                                     an order of its own; answers {"count","first","last"}.
//	                                     All certificates of a type share one leaf of the mock's
//	                                     CA (fast: 10,000 in well under a second; for listing).
//	                                     ncloudcert-mock -seed N does the same at start.
//	POST /_mock/organizations            {"name_kor":"예시","name_eng":"Example Corp",
//	                                      "business_registration_no":"123-45-67890",
//	                                      "verification_code":7} adds an organization for
//	                                     ListOrganizations (verification_code 0 = waiting when
//	                                     absent); answers {"organization_no":n}
//	GET  /_mock/organizations            {"organizations":[...]} in the same fields
//
// A forced status stops automatic issuance; VALIDATION_EXPIRE also turns the records
// VALID_STATUS_TIMEOUT; EXPIRE and REVOKE apply to issued certificates too; a status other
// than FAILED clears failReason. The same controls exist as Server methods for in-process
// tests: SetStatus, FailCertificate, ValidateCertificate, PublishDNS, DNSRecords,
// DCVRecords, PublishDCV, SetInUse, AddFault, SetLatency, Stats, Certificate, Reset,
// AdvanceClock, Now, Seed, AddOrganization.
//
// # State file
//
// With Options.StateFile the store is loaded at New and rewritten atomically after every
// change: certificates, pending requests with their records and deadlines, issued material,
// the CA, the simulated DNS and the Advanced orders (order_id on certificates, csr_pem and
// validation_method on their requests, an orders list and next_order_id; version 2 still,
// as the additions are optional fields, so older files load unchanged). The file contains
// the private keys (uploaded, generated, the CA's) in clear text (mode 0600): it exists so
// that demos survive restarts, not to hold real keys. Private keys never appear in logs.
package mockserver
