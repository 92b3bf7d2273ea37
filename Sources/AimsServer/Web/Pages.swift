import AimsCore
import AimsStore
import Foundation
import Hummingbird

/// Dashboard, catalog, audit trail and API token pages.
struct Pages {
    let store: AimsStore
    let catalog: Catalog
    let views: Views
    let config: AppConfig

    func register(on routes: APIRoutes) {
        routes.page(.get, "/", .read) { _, context in try await dashboard(context) }
        routes.page(.get, "/catalog/clauses", .read) { _, context in
            let clauses = catalog.clauses.map { clause -> [String: Any] in
                ["id": clause.id, "title": clause.title, "intent": clause.intent, "evidence": clause.evidence ?? "",
                 "documentedInformation": clause.documentedInformation?.rawValue ?? "", "isLeaf": clause.isLeaf]
            }
            return views.page("catalog-clauses", title: "Clauses", context: ["clauses": clauses, "notice": catalog.notice], identity: context.identity, path: "/catalog/clauses")
        }
        routes.page(.get, "/catalog/controls", .read) { _, context in
            let groups = catalog.controlGroups.map { group -> [String: Any] in
                let controls = catalog.controls.filter { catalog.group(of: $0)?.id == group.id }
                return ["id": group.id, "title": group.title, "statement": group.statement, "controls": controls.map(Self.control)]
            }
            return views.page("catalog-controls", title: "Annex A controls",
                              context: ["groups": groups, "count": catalog.controls.count, "groupCount": groups.count, "notice": catalog.notice],
                              identity: context.identity, path: "/catalog/controls")
        }
        routes.page(.get, "/catalog/controls/{id}", .read) { _, context in
            guard let id = context.parameters.get("id"), let control = catalog.control(id) else { throw Problem.notFound("control") }
            var viewModel = Self.control(control)
            viewModel["objective"] = "\(control.objective) \(catalog.objective(control.objective)?.title ?? "")"
            viewModel["crosswalks"] = catalog.crosswalks(for: id).map { link -> [String: Any] in
                ["framework": catalog.frameworks.first { $0.id == link.framework }?.title ?? link.framework, "ref": link.ref,
                 "title": catalog.reference(framework: link.framework, ref: link.ref)?.title ?? "", "basis": link.basis.rawValue, "coverage": link.coverage ?? ""]
            }
            let soa = try await store.records(organisation: context.organisationID, kind: SoAEntry.spec.kind).first { $0.data["controlId"]?.stringValue == id }
            if let soa { viewModel["soa"] = ["id": soa.id.uuidString.lowercased()] }
            return views.page("catalog-control", title: "\(control.id) \(control.title)", context: viewModel, identity: context.identity, path: "/catalog/controls")
        }
        routes.page(.get, "/audit", .readAudit) { request, context in
            let page = max(1, Int(request.query("page") ?? "1") ?? 1)
            let (events, total) = try await store.auditEvents(organisation: context.organisationID, page: page, perPage: 100)
            let verification = try await store.verifyAuditTrail(organisation: context.organisationID)
            let viewModel: [String: Any] = [
                "intact": verification.isIntact, "checked": verification.eventsChecked, "problem": verification.problem ?? "",
                "events": events.map { ["sequence": $0.sequence, "at": $0.at, "actor": $0.actor, "action": $0.action, "recordKind": $0.recordKind,
                                        "shortID": String($0.recordID.uuidString.lowercased().prefix(8)),
                                        "before": String(($0.beforeDigest ?? "—").prefix(12)), "after": String(($0.afterDigest ?? "—").prefix(12))] },
                "total": total, "page": page, "previous": page > 1 ? page - 1 : false, "next": page * 100 < total ? page + 1 : false,
            ]
            return views.page("audit", title: "Audit trail", context: viewModel, identity: context.identity, path: "/audit")
        }
        routes.page(.get, "/competence/gaps", .read) { _, context in
            let gaps = try await Dashboard(store: store, organisation: context.organisationID).competenceGaps(today: CalendarDate(Date()))
            let rows = gaps.map { gap -> [String: Any] in
                ["person": gap.person, "roles": gap.roles.joined(separator: ", "), "missing": gap.missing.joined(separator: ", "),
                 "hasMissing": !gap.missing.isEmpty, "expired": gap.expired.joined(separator: ", "), "held": gap.held.joined(separator: ", ")]
            }
            return views.page("competence-gaps", title: "Competence gaps", context: ["gaps": rows], identity: context.identity, path: "/competence/gaps")
        }
        routes.page(.get, "/settings/members", .read) { _, context in try await members(context, form: nil) }
        routes.page(.post, "/settings/members", .manageMembers) { request, context in
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            guard let role = Role(rawValue: form["role"] ?? "") else { return try await members(context, form: form, error: "Choose a role.") }
            do {
                _ = try await store.addMember(email: form["email"] ?? "", name: form["name"] ?? "", password: form["password"] ?? "", role: role,
                                              organisation: context.identity!.organisation, by: context.principal, bcryptCost: UInt8(config.bcryptCost))
                return .redirect(to: "/settings/members", type: .found)
            } catch let failure as ValidationFailure {
                return try await members(context, form: form, error: failure.issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
            } catch StoreError.duplicate(_, let value) {
                return try await members(context, form: form, error: "\(value) is already a member.")
            }
        }
        routes.page(.get, "/settings/tokens", .read) { _, context in try await tokens(context, extra: [:]) }
        routes.page(.post, "/settings/tokens", .read) { request, context in
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            let days = Int(form["expiresInDays"] ?? "") ?? 90
            do {
                let (_, secret) = try await store.createToken(name: form["name"] ?? "", for: context.identity!.user.id, organisation: context.organisationID,
                                                              lifetime: TimeInterval(days * 86_400), by: context.principal)
                return try await tokens(context, extra: ["secret": secret])
            } catch let failure as ValidationFailure {
                return try await tokens(context, extra: ["error": failure.issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                                                         "name": form["name"] ?? "", "days": String(days)], status: .unprocessableContent)
            }
        }
        routes.page(.post, "/settings/tokens/{id}/revoke", .read) { request, context in
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            let id = try context.id()
            let identity = context.identity!
            guard let token = try await store.tokens(organisation: context.organisationID).first(where: { $0.id == id }) else { throw Problem.notFound("token") }
            guard token.userEmail == identity.user.email || identity.role.allows(.manageMembers) else {
                throw Problem.forbidden("Only the token's holder or an owner may revoke it.")
            }
            try await store.revokeToken(id: id, organisation: context.organisationID, by: context.principal)
            return .redirect(to: "/settings/tokens", type: .found)
        }
    }

    private func members(_ context: AimsRequestContext, form: FormData?, error: String? = nil) async throws -> Response {
        let identity = context.identity!
        var viewModel: [String: Any] = [
            "organisation": identity.organisation.name, "canManage": identity.role.allows(.manageMembers),
            "members": try await store.members(of: context.organisationID).map { ["email": $0.user.email, "name": $0.user.name, "role": $0.role.label] },
            "roles": Role.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": form?["role"] == $0.rawValue] },
        ]
        if let form { (viewModel["email"], viewModel["name"]) = (form["email"] ?? "", form["name"] ?? "") }
        if let error { viewModel["error"] = error }
        return views.page("members", title: "Members", context: viewModel, identity: identity, path: "/settings/members",
                          status: error == nil ? .ok : .unprocessableContent)
    }

    static func control(_ control: Catalog.Control) -> [String: Any] {
        ["id": control.id, "title": control.title, "intent": control.intent, "guidance": ["ref": control.guidance.ref, "topic": control.guidance.topic]]
    }

    private func tokens(_ context: AimsRequestContext, extra: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let identity = context.identity!
        let all = try await store.tokens(organisation: context.organisationID)
        let visible = identity.role.allows(.manageMembers) ? all : all.filter { $0.userEmail == identity.user.email }
        var viewModel: [String: Any] = ["days": "90"]
        viewModel["tokens"] = visible.map { token -> [String: Any] in
            let status = token.revokedAt != nil ? "revoked" : token.expiresAt < Date() ? "expired" : "active"
            return ["id": token.id.uuidString.lowercased(), "name": token.name, "prefix": token.prefix, "userEmail": token.userEmail,
                    "expires": token.expiresAt.formatted(.iso8601.year().month().day()), "status": status, "active": status == "active",
                    "csrf": identity.csrfToken ?? ""]
        }
        viewModel.merge(extra) { _, new in new }
        return views.page("tokens", title: "API tokens", context: viewModel, identity: identity, path: "/settings/tokens", status: status)
    }

    private func dashboard(_ context: AimsRequestContext) async throws -> Response {
        var viewModel = try await Dashboard(store: store, organisation: context.organisationID).viewModel(today: CalendarDate(Date()), now: Date())
        viewModel["organisation"] = context.identity!.organisation.name
        return views.page("dashboard", title: "Dashboard", context: viewModel, identity: context.identity, path: "/")
    }
}
