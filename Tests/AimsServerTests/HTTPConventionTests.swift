import AimsCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer

@Suite("HTTP conventions")
struct HTTPConventionTests {
    @Test("the OpenAPI document lists exactly the API routes that exist")
    func openAPIAgreement() async throws {
        try await withApp { client, fixture in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = response.json
            #expect(document["openapi"] == "3.1.0")
            guard case .object(let paths) = document["paths"] ?? .null else { Issue.record("no paths"); return }
            var documented = Set<String>()
            for (path, item) in paths {
                guard case .object(let methods) = item else { continue }
                for method in methods.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let registered = Set(fixture.operations.filter { !$0.isWebPage }.map { "\($0.method.rawValue) \($0.path)" })
            #expect(documented == registered)
            #expect(documented.contains("GET /api/v1/catalog/controls/{id}"))
            #expect(documented.contains("PUT /api/v1/soa/{id}"))
            // Every documented route is really served: none answers with the router's "no route".
            for entry in documented {
                let parts = entry.split(separator: " ", maxSplits: 1)
                let path = AuthorizationMatrixTests.concrete(String(parts[1]))
                let result = try await client.execute(uri: path, method: HTTPRequest.Method(String(parts[0]))!, headers: fixture.auth(.owner))
                #expect(result.json["type"] != "https://aims.invalid/problems/no-route", "\(entry) is documented but not served")
                #expect(result.status != .methodNotAllowed, "\(entry)")
            }
            let missing = try await client.execute(uri: "/api/v1/not-a-route", method: .get, headers: fixture.auth(.owner))
            #expect(missing.status == .notFound)
            #expect(missing.json["type"] == "https://aims.invalid/problems/no-route")
        }
    }

    @Test("validation errors are problem+json naming each field")
    func problemJSON() async throws {
        try await withApp { client, fixture in
            let response = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: fixture.auth(.contributor),
                                                    body: jsonBody(["title": "x", "origin": "sideways", "colour": "red"]))
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fields = Set((response.json["errors"]?.arrayItems ?? []).compactMap { $0["field"]?.stringValue })
            #expect(fields.isSuperset(of: ["origin", "colour", "category", "description"]))
            #expect(response.json["status"] == 422)
            let malformed = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: fixture.auth(.contributor), body: ByteBuffer(string: "{nope"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            let badFilter = try await client.execute(uri: "/api/v1/context-issues?colour=red", method: .get, headers: fixture.auth(.viewer))
            #expect(badFilter.status == .unprocessableContent)
            #expect(badFilter.json["errors"]?.arrayItems?.first?["field"] == "colour")
        }
    }

    @Test("updates need If-Match; a stale one gets 412 and changes nothing")
    func conditionalWrites() async throws {
        try await withApp { client, fixture in
            let auth = fixture.auth(.governanceLead)
            let created = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: auth, body: jsonBody(validIssue))
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let location = try #require(created.headers[.location])
            let id = try #require(created.json["id"]?.stringValue)
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil, "ids are lowercase UUIDs")
            #expect(location == "/api/v1/context-issues/\(id)")
            var changed = validIssue
            if case .object(var object) = changed { object["title"] = "Renamed"; changed = .object(object) }

            let noIfMatch = try await client.execute(uri: location, method: .put, headers: auth, body: jsonBody(changed))
            #expect(noIfMatch.status == .preconditionRequired)
            let ok = try await client.execute(uri: location, method: .put, headers: headers(auth, [.ifMatch: "\"1\""]), body: jsonBody(changed))
            #expect(ok.status == .ok)
            #expect(ok.headers[.eTag] == "\"2\"")
            let stale = try await client.execute(uri: location, method: .put, headers: headers(auth, [.ifMatch: "\"1\""]), body: jsonBody(validIssue))
            #expect(stale.status == .preconditionFailed)
            #expect(stale.json["currentVersion"] == 2)
            let patch = try await client.execute(uri: location, method: .patch, headers: headers(auth, [.ifMatch: "\"2\""]), body: jsonBody(["owner": "Ada"]))
            #expect(patch.status == .ok)
            #expect(patch.json["title"] == "Renamed")
            #expect(patch.json["owner"] == "Ada")
            let staleDelete = try await client.execute(uri: location, method: .delete, headers: headers(auth, [.ifMatch: "\"2\""]))
            #expect(staleDelete.status == .preconditionFailed)
            let current = try await client.execute(uri: location, method: .get, headers: auth)
            #expect(current.json["version"] == 3)
            #expect(current.json["title"] == "Renamed")
            let delete = try await client.execute(uri: location, method: .delete, headers: headers(auth, [.ifMatch: "\"3\""]))
            #expect(delete.status == .noContent)
            #expect(try await client.execute(uri: location, method: .get, headers: auth).status == .notFound)
        }
    }

    @Test("Statement of Applicability: Annex A rows cannot be deleted; decisions need reasons")
    func soaRules() async throws {
        try await withApp { client, fixture in
            let auth = fixture.auth(.governanceLead)
            let list = try await client.execute(uri: "/api/v1/soa?controlId=A.5.2", method: .get, headers: auth)
            let row = try #require(list.json["items"]?.arrayItems?.first)
            let location = "/api/v1/soa/\(row["id"]!.stringValue!)"
            let delete = try await client.execute(uri: location, method: .delete, headers: headers(auth, [.ifMatch: "\"1\""]))
            #expect(delete.status == .conflict)
            let noReason = try await client.execute(uri: location, method: .patch, headers: headers(auth, [.ifMatch: "\"1\""]), body: jsonBody(["applicable": false]))
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.json["errors"]?.arrayItems?.first?["field"] == "justification")
            let decided = try await client.execute(uri: location, method: .patch, headers: headers(auth, [.ifMatch: "\"1\""]),
                                                   body: jsonBody(["applicable": true, "justification": "Risk R-3", "implementationStatus": "planned"]))
            #expect(decided.status == .ok)
            let all = try await client.execute(uri: "/api/v1/soa?per_page=100&sort=controlId", method: .get, headers: auth)
            #expect(all.json["total"] == 38)
            let ids = (all.json["items"]?.arrayItems ?? []).compactMap { $0["controlId"]?.stringValue }
            #expect(ids.suffix(3) == ["A.10.2", "A.10.3", "A.10.4"])
            let csv = try await client.execute(uri: "/api/v1/soa/export?format=csv", method: .get, headers: fixture.auth(.auditor))
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.split(separator: "\r\n").count == 39)
            #expect(try await client.execute(uri: "/api/v1/soa/export?format=md", method: .get, headers: fixture.auth(.viewer)).status == .forbidden)
        }
    }

    @Test("security headers, body limit and health checks")
    func headersLimitsHealth() async throws {
        try await withApp({ $0.maxBodyBytes = 2048 }) { client, fixture in
            let response = try await client.execute(uri: "/api/v1/nowhere", method: .get)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            let big = ByteBuffer(string: "{\"title\": \"" + String(repeating: "x", count: 5000) + "\"}")
            let tooLarge = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: fixture.auth(.owner), body: big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["status"] == "ready")
        }
    }

    @Test("the catalog API")
    func catalogAPI() async throws {
        try await withApp { client, fixture in
            let clauses = try await client.execute(uri: "/api/v1/catalog/clauses", method: .get, headers: fixture.auth(.viewer))
            #expect(clauses.json["items"]?.arrayItems?.count == 43)
            let controls = try await client.execute(uri: "/api/v1/catalog/controls", method: .get, headers: fixture.auth(.viewer))
            #expect(controls.json["items"]?.arrayItems?.count == 38)
            let one = try await client.execute(uri: "/api/v1/catalog/controls/A.6.2.4", method: .get, headers: fixture.auth(.viewer))
            #expect(one.json["title"] == "AI system verification and validation")
            #expect(one.json["group"] == "A.6")
            #expect((one.json["crosswalks"]?.arrayItems ?? []).contains { $0["basis"] != nil && $0["framework"] == "nist-ai-rmf" })
            #expect(try await client.execute(uri: "/api/v1/catalog/controls/A.99", method: .get, headers: fixture.auth(.viewer)).status == .notFound)
        }
    }
}
