import AimsCore
import AimsExport
import AimsStore
import Foundation
import Hummingbird

/// List, detail, form and export pages of one register; every register uses this controller.
struct RegisterPages<R: RegisterRecord> {
    let store: AimsStore
    let catalog: Catalog
    let views: Views
    var spec: RegisterSpec { R.spec }

    func register(on routes: APIRoutes) {
        let base = "/registers/\(spec.path)"
        routes.page(.get, base, .read) { request, context in try await list(request, context: context) }
        routes.page(.get, "\(base)/export", .export) { request, context in
            let format = try RegisterAPI<R>.format(request)
            let pairs = request.queryPairs.filter { !["format", "page", "per_page"].contains($0.0) }
            let records = try ListQuery.parse(pairs, spec: spec).matching(try await store.records(organisation: context.organisationID, kind: spec.kind))
            return .text(try RegisterExport.render(records, spec: spec, format: format), contentType: format.contentType, filename: "\(spec.path).\(format.rawValue)")
        }
        routes.page(.get, "\(base)/new", .write) { _, context in
            try await form(context: context, values: .object([:]), issues: [], id: nil, version: nil)
        }
        routes.page(.post, base, .write) { request, context in
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            let input = FormMapping.input(from: form, spec: spec)
            do {
                let record = try spec.decode(R.self, from: input, previous: nil, context: try await store.ruleContext(organisation: context.organisationID, catalog: catalog))
                try RegisterAPI<R>.checkApproval(previous: nil, next: record, role: context.identity!.role)
                let stored = try await store.create(try RecordDraft(record), organisation: context.organisationID, by: context.principal)
                return .redirect(to: "\(base)/\(stored.id.uuidString.lowercased())", type: .found)
            } catch {
                return try await self.form(context: context, values: input, failure: error, id: nil, version: nil)
            }
        }
        routes.page(.get, "\(base)/{id}", .read) { _, context in
            let stored = try await store.record(organisation: context.organisationID, kind: spec.kind, id: try context.id())
            return try await detail(stored, context: context)
        }
        routes.page(.get, "\(base)/{id}/edit", .write) { _, context in
            let stored = try await store.record(organisation: context.organisationID, kind: spec.kind, id: try context.id())
            return try await form(context: context, values: stored.data, issues: [], id: stored.id, version: stored.version)
        }
        routes.page(.post, "\(base)/{id}", .write) { request, context in
            let id = try context.id()
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            let input = FormMapping.input(from: form, spec: spec)
            let version = Int(form["_version"] ?? "") ?? 0
            do {
                let current = try await store.record(organisation: context.organisationID, kind: spec.kind, id: id)
                let previous = try current.record(as: R.self)
                let record = try spec.decode(R.self, from: input, previous: previous, context: try await store.ruleContext(organisation: context.organisationID, catalog: catalog))
                try RegisterAPI<R>.checkApproval(previous: previous, next: record, role: context.identity!.role)
                _ = try await store.update(id: id, organisation: context.organisationID, expectedVersion: version, to: try RecordDraft(record), by: context.principal)
                return .redirect(to: "\(base)/\(id.uuidString.lowercased())", type: .found)
            } catch {
                return try await self.form(context: context, values: input, failure: error, id: id, version: version)
            }
        }
        routes.page(.post, "\(base)/{id}/delete", .write) { request, context in
            let id = try context.id()
            let form = try await FormData.read(request, context: context)
            try CSRF.check(form, context: context)
            let stored = try await store.record(organisation: context.organisationID, kind: spec.kind, id: id)
            try RegisterAPI<R>.checkDeletable(stored)
            try await store.delete(id: id, kind: spec.kind, organisation: context.organisationID,
                                   expectedVersion: Int(form["_version"] ?? "") ?? 0, by: context.principal)
            return .redirect(to: base, type: .found)
        }
    }

    private func list(_ request: Request, context: AimsRequestContext) async throws -> Response {
        let pairs = request.queryPairs
        let query = try ListQuery.parse(pairs, spec: spec)
        let page = query.page(try await store.records(organisation: context.organisationID, kind: spec.kind))
        let columns = spec.fields.filter(\.listed)
        func queryString(without: Set<String>) -> String {
            pairs.filter { !without.contains($0.0) }.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        }
        let role = context.identity!.role
        let viewModel: [String: Any] = [
            "plural": spec.plural, "singular": spec.singular.sentenceCase, "path": spec.path, "clause": spec.clause, "summary": spec.summary,
            "q": query.search ?? "", "canWrite": role.allows(.write), "canExport": role.allows(.export),
            "filters": spec.fields.filter(\.filterable).filter { !$0.choices.isEmpty || $0.kind.isBoolean }.map { field -> [String: Any] in
                let options = field.kind.isBoolean ? [Choice("true", "Yes"), Choice("false", "No")] : field.choices
                return ["name": field.name, "label": field.label,
                        "options": options.map { ["value": $0.value, "label": $0.label, "selected": query.filters[field.name] == $0.value] }]
            },
            "columns": columns.map { ["label": $0.label, "sortKey": query.sort == $0.name ? "-\($0.name)" : $0.name] },
            "columnCount": columns.count,
            "rows": page.items.map { record in
                ["cells": columns.enumerated().map { index, field -> [String: Any] in
                    let value = record.data[field.name] ?? .null
                    let text = if case .string(let raw) = value { field.label(for: raw) } else if value == .null && field.kind.isBoolean { "undecided" } else { value.text }
                    return ["text": text.count > 140 ? String(text.prefix(140)) + "…" : text, "first": index == 0, "id": record.id.uuidString.lowercased(), "path": spec.path]
                }]
            },
            "total": page.total, "page": page.page, "pageCount": page.pageCount,
            "previous": page.page > 1 ? page.page - 1 : false, "next": page.page < page.pageCount ? page.page + 1 : false,
            "queryString": queryString(without: ["page"]), "queryStringWithoutSort": queryString(without: ["sort", "page"]),
            "queryStringWithoutPage": queryString(without: ["page"]),
        ]
        return views.page("list", title: spec.plural, context: viewModel, identity: context.identity, path: "/registers/\(spec.path)")
    }

    private func detail(_ stored: StoredRecord, context: AimsRequestContext) async throws -> Response {
        let history = try await store.auditEvents(organisation: context.organisationID, recordID: stored.id, perPage: 50).events
        let linked = try await store.titles(organisation: context.organisationID, ids: Set(spec.links(in: stored.data).map(\.id)))
        let backlinks = try await store.backlinks(organisation: context.organisationID, to: stored.id)
        var viewModel: [String: Any] = [
            "plural": spec.plural, "path": spec.path, "title": stored.title, "id": stored.id.uuidString.lowercased(),
            "fields": FormMapping.display(stored, spec: spec, linked: linked), "version": stored.version,
            "updatedAt": stored.text(of: "updatedAt"), "updatedBy": stored.updatedBy,
            "createdAt": stored.text(of: "createdAt"), "createdBy": stored.createdBy,
            "canWrite": context.identity!.role.allows(.write), "deletable": (try? RegisterAPI<R>.checkDeletable(stored)) != nil,
            "hasBacklinks": !backlinks.isEmpty,
            "backlinks": backlinks.map { link -> [String: Any] in
                let other = Registers.type(forKind: link.record.kind)?.spec
                return ["register": other?.singular ?? link.record.kind, "field": other?.field(link.field)?.label ?? link.field,
                        "title": link.record.title, "href": Self.href(link.record)]
            },
            "history": history.map { ["sequence": $0.sequence, "at": $0.at, "actor": $0.actor, "action": $0.action, "digest": String(($0.afterDigest ?? "—").prefix(16))] },
        ]
        if spec.kind == AISystem.spec.kind { viewModel["monitoring"] = "/registers/ai-systems/\(stored.id.uuidString.lowercased())/monitoring" }
        if spec.kind == Evidence.spec.kind {
            var file: [String: Any] = ["id": stored.id.uuidString.lowercased(), "version": stored.version]
            if let name = stored.data["fileName"]?.stringValue { file["name"] = name }
            if let digest = stored.data["sha256"]?.stringValue { file["sha256"] = digest }
            viewModel["evidenceFile"] = file
        }
        if let controlID = stored.data["controlId"]?.stringValue, let control = catalog.control(controlID) {
            viewModel["control"] = ["id": control.id, "intent": control.intent]
        }
        return views.page("detail", title: stored.title, context: viewModel, identity: context.identity, path: "/registers/\(spec.path)/x")
    }

    /// Re-renders the form with what the user typed and the reason nothing was saved.
    private func form(context: AimsRequestContext, values: JSONValue, failure: any Error, id: UUID?, version: Int?) async throws -> Response {
        switch failure {
        case let validation as ValidationFailure:
            return try await form(context: context, values: values, issues: validation.issues, id: id, version: version, status: .unprocessableContent)
        case StoreError.versionConflict(let current):
            let issue = FieldIssue("", "Someone else saved this record (now version \(current)) after you opened it. Your text is kept below; open the record in a new tab, merge, and save again.")
            return try await form(context: context, values: values, issues: [issue], id: id, version: version, status: .conflict)
        case let problem as Problem where problem.errors != nil:
            return try await form(context: context, values: values, issues: problem.errors!, id: id, version: version, status: .init(code: problem.status))
        case StoreError.refused(let reason):
            return try await form(context: context, values: values, issues: [FieldIssue("", reason)], id: id, version: version, status: .conflict)
        case StoreError.duplicate(let field, let value):
            return try await form(context: context, values: values, issues: [FieldIssue(field, "\(value) already exists")], id: id, version: version, status: .conflict)
        default:
            throw failure
        }
    }

    private func form(context: AimsRequestContext, values: JSONValue, issues: [FieldIssue], id: UUID?, version: Int?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let base = "/registers/\(spec.path)"
        let action = id.map { "\(base)/\($0.uuidString.lowercased())" } ?? base
        var viewModel: [String: Any] = [
            "plural": spec.plural, "path": spec.path, "heading": id == nil ? "New \(spec.singular.sentenceCase)" : "Edit \(spec.singular.sentenceCase)",
            "action": action, "cancel": id == nil ? base : action,
            "fields": FormMapping.fields(spec: spec, values: values, issues: issues, candidates: try await candidates(context)),
            "hasErrors": !issues.isEmpty,
            "errors": issues.map { ["field": $0.field, "label": spec.field($0.field)?.label ?? "", "message": $0.message] },
        ]
        if let version { viewModel["version"] = String(version) }
        return views.page("form", title: viewModel["heading"] as! String, context: viewModel, identity: context.identity, path: base + "/x", status: status)
    }

    /// The web page of any stored record.
    static func href(_ record: StoredRecord) -> String {
        "/registers/\(Registers.type(forKind: record.kind)?.spec.path ?? record.kind)/\(record.id.uuidString.lowercased())"
    }

    /// Records each reference field of this register may point at.
    func candidates(_ context: AimsRequestContext) async throws -> [String: [StoredRecord]] {
        var result: [String: [StoredRecord]] = [:]
        for kind in Set(spec.fields.compactMap(\.linkedKind)) {
            result[kind] = try await store.records(organisation: context.organisationID, kind: kind).sorted { DottedID.areInIncreasingOrder($0.title, $1.title) }
        }
        return result
    }

    static func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? "" }
}

extension FieldSpec.Kind {
    var isBoolean: Bool {
        if case .boolean = self { return true }
        return false
    }
}

extension String {
    /// Lower-cases the first letter for use mid-sentence, but leaves acronyms ("AI risk", "RACI") alone.
    var sentenceCase: String {
        let letters = Array(self)
        guard letters.count > 1, letters[1].isLowercase else { return self }
        return letters[0].lowercased() + String(letters.dropFirst())
    }
}
