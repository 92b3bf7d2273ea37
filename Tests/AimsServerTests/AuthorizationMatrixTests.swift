import AimsCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import AimsTestSupport

@testable import AimsServer

/// Who may do what, written out by hand (not derived from `Role.allows`), so a change to the
/// permission model shows up here.
let expectedRoles: [Permission: Set<Role>] = [
    .read: [.owner, .governanceLead, .contributor, .auditor, .viewer],
    .export: [.owner, .governanceLead, .contributor, .auditor],
    .write: [.owner, .governanceLead, .contributor],
    .approve: [.owner, .governanceLead],
    .readAudit: [.owner, .governanceLead, .auditor],
    .manageMembers: [.owner],
]

@Suite("Authorization on every route")
struct AuthorizationMatrixTests {
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{id}", with: path.contains("/catalog/") ? "A.6.2.4" : UUID().uuidString.lowercased())
    }

    @Test("every route × every role, and without credentials")
    func matrix() async throws {
        try await withApp { client, fixture in
            #expect(fixture.operations.count > 60)
            for operation in fixture.operations {
                let path = Self.concrete(operation.path)
                let method = operation.method
                let anonymous = try await client.execute(uri: path, method: method, headers: [:], body: nil)
                guard let permission = operation.permission else {
                    #expect(anonymous.status != .unauthorized && anonymous.status != .forbidden, "\(method) \(path) is public")
                    continue
                }
                if operation.isWebPage {
                    #expect(anonymous.status == .seeOther, "\(method) \(path) anonymous → login redirect, got \(anonymous.status)")
                    #expect(anonymous.headers[.location]?.hasPrefix("/login") == true)
                } else {
                    #expect(anonymous.status == .unauthorized, "\(method) \(path) anonymous → 401, got \(anonymous.status)")
                }
                for role in Role.allCases {
                    let response = try await client.execute(uri: path, method: method, headers: fixture.auth(role), body: nil)
                    if expectedRoles[permission]!.contains(role) {
                        #expect(response.status != .forbidden && response.status != .unauthorized,
                                "\(role) should be allowed \(method) \(path), got \(response.status)")
                    } else {
                        #expect(response.status == .forbidden, "\(role) should be refused \(method) \(path), got \(response.status)")
                    }
                }
            }
        }
    }

    @Test("a foreign tenant's ids look like ids that do not exist")
    func foreignTenant() async throws {
        try await withApp { client, fixture in
            for type in Registers.all {
                let spec = type.spec
                let mine = try await fixture.services.store.records(organisation: fixture.organisation.id, kind: spec.kind)
                let record: StoredRecord
                if let first = mine.first {
                    record = first
                } else {
                    let id = try await createSample(spec.kind, client: client, fixture: fixture)
                    record = try await fixture.services.store.record(organisation: fixture.organisation.id, kind: spec.kind, id: UUID(uuidString: id)!)
                }
                let item = "/api/v1/\(spec.path)/\(record.id.uuidString.lowercased())"
                let unknown = "/api/v1/\(spec.path)/\(UUID().uuidString.lowercased())"
                for method in [HTTPRequest.Method.get, .put, .patch, .delete] {
                    let foreign = try await client.execute(uri: item, method: method, headers: headers(fixture.foreignAuth, [.ifMatch: "\"\(record.version)\""]),
                                                           body: method == .get || method == .delete ? nil : jsonBody(record.data))
                    let missing = try await client.execute(uri: unknown, method: method, headers: headers(fixture.foreignAuth, [.ifMatch: "\"1\""]),
                                                           body: method == .get || method == .delete ? nil : jsonBody(record.data))
                    #expect(foreign.status == .notFound, "\(method) foreign \(spec.kind) → \(foreign.status)")
                    #expect(foreign.json["detail"] == missing.json["detail"])
                }
                let list = try await client.execute(uri: "/api/v1/\(spec.path)?per_page=500", method: .get, headers: fixture.foreignAuth)
                #expect(!list.text.contains(record.id.uuidString.lowercased()))
                let web = try await client.execute(uri: "/registers/\(spec.path)/\(record.id.uuidString.lowercased())", method: .get, headers: fixture.foreignAuth)
                #expect(web.status == .notFound)
                let unchanged = try await fixture.services.store.record(organisation: fixture.organisation.id, kind: spec.kind, id: record.id)
                #expect(unchanged == record)
            }
        }
    }
}

/// Creates a valid record of `kind` through the API (and whatever it must link to); returns its id.
@discardableResult
func createSample(_ kind: String, client: any TestClientProtocol, fixture: Fixture) async throws -> String {
    let spec = Registers.type(forKind: kind)!.spec
    var dependencies: [String: String] = [:]
    for field in spec.fields where field.required {
        if let linked = field.linkedKind { dependencies[linked] = try await createSample(linked, client: client, fixture: fixture) }
    }
    let input = Samples.input(for: kind) { dependencies[$0] ?? "" }
    let created = try await client.execute(uri: "/api/v1/\(spec.path)", method: .post, headers: fixture.auth(.owner), body: jsonBody(input))
    #expect(created.status == .created, "create \(kind): \(created.text)")
    return created.json["id"]?.stringValue ?? ""
}
