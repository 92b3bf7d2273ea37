import AimsCore
import AimsStore
import Foundation
import Hummingbird

/// The caller, the organisation's members, API tokens and the audit trail.
struct IdentityAPI {
    let store: AimsStore
    let config: AppConfig

    struct MeBody: Encodable {
        var user: User
        var organisation: Organisation
        var role: Role
        var permissions: [Permission]
    }

    struct NewMember: Decodable {
        var email: String
        var name: String
        var password: String
        var role: Role
    }

    struct NewToken: Decodable {
        var name: String
        var expiresInDays: Int?
    }

    func register(on routes: APIRoutes) {
        let s = OpenAPISchemas.self
        let user = s.object(["id": s.string, "email": s.string, "name": s.string])
        let member = s.object(["user": user, "role": s.string])
        let token = s.object(["id": s.string, "name": s.string, "prefix": s.string, "userEmail": s.string, "createdAt": s.string,
                              "expiresAt": s.string, "revokedAt": s.string, "lastUsedAt": s.string])
        routes.add(Endpoint(method: .get, path: "/api/v1/me", permission: .read, summary: "Who the caller is", tag: "Identity",
                             responseSchema: s.object(["user": user, "organisation": s.anyObject, "role": s.string, "permissions": s.array(s.string)]))) { _, context in
            let identity = context.identity!
            return try .json(MeBody(user: identity.user, organisation: identity.organisation, role: identity.role,
                                    permissions: Permission.allCases.filter(identity.role.allows)))
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/members", permission: .read, summary: "Members of the organisation", tag: "Identity",
                             responseSchema: s.object(["items": s.array(member)]))) { _, context in
            try .json(["items": try await store.members(of: context.organisationID)])
        }
        routes.add(Endpoint(method: .post, path: "/api/v1/members", permission: .manageMembers, summary: "Add a member", tag: "Identity",
                             requestSchema: s.object(["email": s.string, "name": s.string, "password": s.string, "role": s.string]),
                             responseSchema: user, successStatus: 201)) { request, context in
            let body = try await request.decode(as: NewMember.self, context: context)
            let created = try await store.addMember(email: body.email, name: body.name, password: body.password, role: body.role,
                                                    organisation: context.identity!.organisation, by: context.principal, bcryptCost: UInt8(config.bcryptCost))
            return try .json(created, status: .created)
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/tokens", permission: .read, summary: "API tokens (owners see all, others their own)", tag: "Identity",
                             responseSchema: s.object(["items": s.array(token)]))) { _, context in
            let identity = context.identity!
            let all = try await store.tokens(organisation: context.organisationID)
            return try .json(["items": identity.role.allows(.manageMembers) ? all : all.filter { $0.userEmail == identity.user.email }])
        }
        routes.add(Endpoint(method: .post, path: "/api/v1/tokens", permission: .read, summary: "Create an API token for yourself; the secret is shown once",
                             tag: "Identity", requestSchema: s.object(["name": s.string, "expiresInDays": s.integer]),
                             responseSchema: s.object(["token": token, "secret": s.string]), successStatus: 201)) { request, context in
            let body = try await request.decode(as: NewToken.self, context: context)
            let (created, secret) = try await store.createToken(
                name: body.name, for: context.identity!.user.id, organisation: context.organisationID,
                lifetime: TimeInterval((body.expiresInDays ?? 90) * 86_400), by: context.principal)
            return try .json(CreatedToken(token: created, secret: secret), status: .created)
        }
        routes.add(Endpoint(method: .delete, path: "/api/v1/tokens/{id}", permission: .read, summary: "Revoke an API token", tag: "Identity",
                             successStatus: 204)) { _, context in
            let identity = context.identity!
            let id = try context.id()
            guard let token = try await store.tokens(organisation: context.organisationID).first(where: { $0.id == id }) else { throw Problem.notFound("token") }
            guard token.userEmail == identity.user.email || identity.role.allows(.manageMembers) else {
                throw Problem.forbidden("Only the token's holder or an owner may revoke it.")
            }
            try await store.revokeToken(id: id, organisation: context.organisationID, by: context.principal)
            return Response(status: .noContent)
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/competence-gaps", permission: .read, summary: "Competence gaps per person (7.2)", tag: "Required competences",
                            responseSchema: s.object(["items": s.array(s.object(["person": s.string, "roles": s.array(s.string), "missing": s.array(s.string),
                                                                                  "expired": s.array(s.string), "held": s.array(s.string)]))]))) { _, context in
            try .json(["items": try await Dashboard(store: store, organisation: context.organisationID).competenceGaps(today: CalendarDate(Date()))])
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/audit-events", permission: .readAudit, summary: "The audit trail, newest first", tag: "Audit",
                             responseSchema: s.page(of: s.anyObject), queryParameters: [("page", "Page number"), ("per_page", "Items per page"), ("record", "Only events of this record id")])) { request, context in
            let page = max(1, Int(request.query("page") ?? "1") ?? 1)
            let perPage = min(500, max(1, Int(request.query("per_page") ?? "100") ?? 100))
            let record = request.query("record").flatMap(UUID.init(uuidString:))
            let (events, total) = try await store.auditEvents(organisation: context.organisationID, recordID: record, page: page, perPage: perPage)
            return try .json(PageBody(items: events, total: total, page: page, perPage: perPage))
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/audit-events/verify", permission: .readAudit, summary: "Recompute the audit chain", tag: "Audit",
                             responseSchema: s.object(["intact": s.boolean, "eventsChecked": s.integer, "firstBadSequence": s.integer, "problem": s.string]))) { _, context in
            let result = try await store.verifyAuditTrail(organisation: context.organisationID)
            return try .json(VerifyBody(intact: result.isIntact, eventsChecked: result.eventsChecked, firstBadSequence: result.firstBadSequence, problem: result.problem))
        }
    }
}

struct CreatedToken: Encodable {
    var token: APIToken
    var secret: String
}

struct VerifyBody: Encodable {
    var intact: Bool
    var eventsChecked: Int
    var firstBadSequence: Int?
    var problem: String?
}
