import AimsCore
import AimsExport
import AimsStore
import Foundation
import Hummingbird

/// The JSON API of one register: list, export, get, create, replace, patch and delete.
/// Every register uses this one controller, so they all behave alike.
struct RegisterAPI<R: RegisterRecord> {
    let store: AimsStore
    let catalog: Catalog
    var spec: RegisterSpec { R.spec }

    /// Read-only fields a client may echo back from a GET; they are ignored on input.
    static var metadataKeys: Set<String> { ["id", "version", "createdAt", "updatedAt", "createdBy", "updatedBy", "displayTitle"] }

    func register(on routes: APIRoutes) {
        let base = "/api/v1/\(spec.path)"
        let item = "\(base)/{id}"
        let tag = spec.plural
        let schemas = OpenAPISchemas.self
        let filters = spec.fields.filter(\.filterable).map { ($0.name, "Only records whose \($0.label.sentenceCase) equals this value.") }
        let listParameters = [("q", "Text to search for."), ("sort", "Field to sort by; prefix with - for descending."),
                              ("page", "Page number, from 1."), ("per_page", "Items per page (1–\(ListQuery.maxPerPage)).")] + filters

        routes.add(Endpoint(method: .get, path: base, permission: .read, summary: "List \(spec.plural.sentenceCase)", tag: tag,
                             responseSchema: schemas.page(of: schemas.record(spec)), queryParameters: listParameters)) { request, context in
            let query = try ListQuery.parse(request.queryPairs, spec: spec)
            let page = query.page(try await store.records(organisation: context.organisationID, kind: spec.kind))
            return try .json(PageBody(items: page.items.map(Self.body), total: page.total, page: page.page, perPage: page.perPage))
        }
        routes.add(Endpoint(method: .get, path: "\(base)/export", permission: .export, summary: "Export \(spec.plural.sentenceCase)", tag: tag,
                             queryParameters: [("format", "csv, json or md")] + listParameters,
                             responseContentTypes: ExportFormat.allCases.map(\.contentType))) { request, context in
            let format = try Self.format(request)
            let pairs = request.queryPairs.filter { $0.0 != "format" && $0.0 != "page" && $0.0 != "per_page" }
            let records = try ListQuery.parse(pairs, spec: spec).matching(try await store.records(organisation: context.organisationID, kind: spec.kind))
            return .text(try RegisterExport.render(records, spec: spec, format: format), contentType: format.contentType, filename: "\(spec.path).\(format.rawValue)")
        }
        routes.add(Endpoint(method: .post, path: base, permission: .write, summary: "Create a \(spec.singular.sentenceCase)", tag: tag,
                             requestSchema: schemas.input(spec), responseSchema: schemas.record(spec), successStatus: 201)) { request, context in
            let input = try await Self.input(request, context: context)
            let record = try spec.decode(R.self, from: input, previous: nil, context: try await store.ruleContext(organisation: context.organisationID, catalog: catalog))
            try Self.checkApproval(previous: nil, next: record, role: context.identity!.role)
            let stored = try await store.create(try RecordDraft(record), organisation: context.organisationID, by: context.principal)
            return try .json(Self.body(stored), status: .created, etag: stored.version, location: "\(base)/\(stored.id.uuidString.lowercased())")
        }
        routes.add(Endpoint(method: .get, path: item, permission: .read, summary: "Get a \(spec.singular.sentenceCase)", tag: tag,
                             responseSchema: schemas.record(spec))) { request, context in
            let stored = try await store.record(organisation: context.organisationID, kind: spec.kind, id: try context.id())
            return try .json(Self.body(stored), etag: stored.version)
        }
        routes.add(Endpoint(method: .put, path: item, permission: .write, summary: "Replace a \(spec.singular.sentenceCase)", tag: tag,
                             requestSchema: schemas.input(spec), responseSchema: schemas.record(spec), requiresIfMatch: true)) { request, context in
            try await update(request, context: context, merge: false)
        }
        routes.add(Endpoint(method: .patch, path: item, permission: .write, summary: "Change some fields of a \(spec.singular.sentenceCase)", tag: tag,
                             requestSchema: schemas.patch(spec), responseSchema: schemas.record(spec), requiresIfMatch: true)) { request, context in
            try await update(request, context: context, merge: true)
        }
        routes.add(Endpoint(method: .delete, path: item, permission: .write, summary: "Delete a \(spec.singular.sentenceCase)", tag: tag,
                             successStatus: 204, requiresIfMatch: true)) { request, context in
            let id = try context.id()
            let version = try request.expectedVersion()
            let stored = try await store.record(organisation: context.organisationID, kind: spec.kind, id: id)
            try Self.checkDeletable(stored)
            try await store.delete(id: id, kind: spec.kind, organisation: context.organisationID, expectedVersion: version, by: context.principal)
            return Response(status: .noContent)
        }
    }

    private func update(_ request: Request, context: AimsRequestContext, merge: Bool) async throws -> Response {
        let id = try context.id()
        let version = try request.expectedVersion()
        let current = try await store.record(organisation: context.organisationID, kind: spec.kind, id: id)
        var input = try await Self.input(request, context: context)
        if merge, case .object(let changes) = input, case .object(var merged) = current.data {
            for (key, value) in changes { merged[key] = value }
            input = .object(merged)
        }
        let previous = try current.record(as: R.self)
        let record = try spec.decode(R.self, from: input, previous: previous, context: try await store.ruleContext(organisation: context.organisationID, catalog: catalog))
        try Self.checkApproval(previous: previous, next: record, role: context.identity!.role)
        let stored = try await store.update(id: id, organisation: context.organisationID, expectedVersion: version, to: try RecordDraft(record), by: context.principal)
        return try .json(Self.body(stored), etag: stored.version)
    }

    /// Approval fields (approver, acceptance of residual risk …) change only by a role that may approve.
    static func checkApproval(previous: R?, next: R, role: Role) throws {
        guard !role.allows(.approve), !R.spec.approvalFields.isEmpty else { return }
        let before = try previous.map { try JSONValue(encoding: $0) } ?? .null
        let after = try JSONValue(encoding: next)
        let changed = R.spec.approvalFields.filter { (before[$0] ?? .null) != (after[$0] ?? .null) && !(previous == nil && (after[$0] ?? .null) == .null) }
        if !changed.isEmpty {
            var problem = Problem.forbidden("Your role (\(role.label)) may not approve: \(changed.joined(separator: ", ")) need a governance lead or owner.")
            problem.errors = changed.map { FieldIssue($0, "needs the approve permission") }
            throw problem
        }
    }

    static func checkDeletable(_ stored: StoredRecord) throws {
        if case .never(let reason) = R.spec.deletionRule { throw StoreError.refused(reason) }
        if case .refusedWhen(let field, let value, let reason) = R.spec.deletionRule, stored.data[field]?.text == value {
            throw StoreError.refused(reason)
        }
    }

    static func input(_ request: Request, context: AimsRequestContext) async throws -> JSONValue {
        guard case .object(var object) = try await request.jsonBody(context: context) else {
            throw Problem.badRequest("The body must be a JSON object.")
        }
        for key in metadataKeys { object[key] = nil }
        return .object(object)
    }

    static func format(_ request: Request) throws -> ExportFormat {
        let raw = request.query("format") ?? "csv"
        guard let format = ExportFormat(rawValue: raw) else { throw Problem.badRequest("format must be csv, json or md", field: "format") }
        return format
    }

    /// A record as the API returns it: its fields plus read-only metadata.
    static func body(_ stored: StoredRecord) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if case .object(let fields) = stored.data { object = fields }
        object["id"] = .string(stored.id.uuidString.lowercased())
        object["version"] = .number(Double(stored.version))
        object["displayTitle"] = .string(stored.title)
        object["createdAt"] = .string(stored.text(of: "createdAt"))
        object["updatedAt"] = .string(stored.text(of: "updatedAt"))
        object["createdBy"] = .string(stored.createdBy)
        object["updatedBy"] = .string(stored.updatedBy)
        return .object(object)
    }
}

struct PageBody<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var page: Int
    var perPage: Int
}

extension AimsRequestContext {
    /// Routes with a permission run only after ``Authorization/check`` has found an identity.
    var organisationID: UUID { identity!.organisation.id }
    var principal: Principal { identity!.principal }

    /// The `{id}` path parameter. A malformed id is reported like an unknown one.
    func id() throws -> UUID {
        guard let raw = parameters.get("id"), let id = UUID(uuidString: raw) else { throw Problem.notFound("record") }
        return id
    }
}
