import AimsCore
import AimsStore
import AimsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer

/// Two organisations, a member of each role with an API token in the first, and an owner in
/// the second (the foreign tenant).
struct Fixture {
    let services: AimsServices
    let organisation: Organisation
    let foreign: Organisation
    var tokens: [Role: String] = [:]
    var emails: [Role: String] = [:]
    var foreignToken = ""
    var operations: [Endpoint] = []
    static let password = "a long enough password"

    func auth(_ role: Role) -> HTTPFields { [.authorization: "Bearer \(tokens[role]!)"] }
    var foreignAuth: HTTPFields { [.authorization: "Bearer \(foreignToken)"] }
}

func withApp(_ configure: (inout AppConfig) -> Void = { _ in }, _ body: @escaping @Sendable (any TestClientProtocol, Fixture) async throws -> Void) async throws {
    try await TestDatabase.with { store in
        var config = AppConfig()
        config.bcryptCost = 4
        configure(&config)
        let services = AimsServices(config: config, catalog: TestDatabase.catalog, store: store)
        var fixture = Fixture(services: services, organisation: try await TestDatabase.organisation(store, name: "Home"),
                              foreign: try await TestDatabase.organisation(store, name: "Foreign"))
        for role in Role.allCases {
            let email = TestDatabase.uniqueEmail(role.rawValue)
            let user = try await store.addMember(email: email, name: role.label, password: Fixture.password, role: role,
                                                 organisation: fixture.organisation, by: .system("test"), bcryptCost: 4)
            fixture.tokens[role] = try await store.createToken(name: "test", for: user.id, organisation: fixture.organisation.id, lifetime: 3600, by: .system("test")).1
            fixture.emails[role] = email
        }
        let outsider = try await store.addMember(email: TestDatabase.uniqueEmail("foreign"), name: "F", password: Fixture.password, role: .owner,
                                                 organisation: fixture.foreign, by: .system("test"), bcryptCost: 4)
        fixture.foreignToken = try await store.createToken(name: "test", for: outsider.id, organisation: fixture.foreign.id, lifetime: 3600, by: .system("test")).1
        let (router, operations) = try await buildRouter(services)
        fixture.operations = operations
        let app = Application(router: router)
        let ready = fixture
        try await app.test(.router) { client in try await body(client, ready) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: JSONValue { (try? JSONCoding.decoder.decode(JSONValue.self, from: Data(body.readableBytesView))) ?? .null }
}

func jsonBody(_ value: JSONValue) -> ByteBuffer { ByteBuffer(bytes: try! JSONCoding.encoder.encode(value)) }

func headers(_ base: HTTPFields, _ extra: [HTTPField.Name: String]) -> HTTPFields {
    var result = base
    for (name, value) in extra { result[name] = value }
    return result
}

let validIssue: JSONValue = ["title": "Model drift in production", "origin": "internal", "category": "technological",
                             "description": "Scores drift", "effectOnAims": "Monitoring needed", "relevant": true, "rationale": "Affects outcomes"]
