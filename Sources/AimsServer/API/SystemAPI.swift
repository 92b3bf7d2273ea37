import AimsCore
import AimsStore
import Foundation
import Hummingbird

/// Health checks and the OpenAPI document.
struct SystemAPI {
    let store: AimsStore

    func register(on routes: APIRoutes, document: @escaping @Sendable () -> JSONValue) {
        routes.add(Endpoint(method: .get, path: "/healthz", permission: nil, summary: "The process is up", tag: "System",
                             responseSchema: OpenAPISchemas.object(["status": OpenAPISchemas.string]))) { _, _ in
            try .json(["status": "ok"] as JSONValue)
        }
        routes.add(Endpoint(method: .get, path: "/readyz", permission: nil, summary: "The database answers", tag: "System",
                             responseSchema: OpenAPISchemas.object(["status": OpenAPISchemas.string, "database": OpenAPISchemas.string]))) { _, _ in
            do {
                try await store.ping()
            } catch {
                throw Problem(.serviceUnavailable, slug: "database-unreachable", detail: "The database does not answer.")
            }
            return try .json(["status": "ready", "database": .string(store.settings.kindName)] as JSONValue)
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/openapi.json", permission: nil, summary: "This API's OpenAPI 3.1 document", tag: "System",
                             responseSchema: OpenAPISchemas.anyObject)) { _, _ in
            try .json(document())
        }
    }
}

extension DatabaseSettings {
    var kindName: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}

/// The read-only ISO/IEC 42001 catalog.
struct CatalogAPI {
    let catalog: Catalog

    struct ControlBody: Encodable {
        var id: String
        var title: String
        var objective: String
        var group: String
        var intent: String
        var guidance: Catalog.Guidance
        var crosswalks: [Catalog.Crosswalk]?
    }

    func controlBody(_ control: Catalog.Control, withCrosswalks: Bool) -> ControlBody {
        ControlBody(id: control.id, title: control.title, objective: control.objective, group: catalog.group(of: control)?.id ?? control.objective,
                    intent: control.intent, guidance: control.guidance, crosswalks: withCrosswalks ? catalog.crosswalks(for: control.id) : nil)
    }

    func register(on routes: APIRoutes) {
        let s = OpenAPISchemas.self
        let clause = s.object(["id": s.string, "title": s.string, "parent": s.string, "intent": s.string, "evidence": s.string, "documentedInformation": s.string])
        let control = s.object(["id": s.string, "title": s.string, "objective": s.string, "group": s.string, "intent": s.string,
                                "guidance": s.object(["ref": s.string, "topic": s.string]), "crosswalks": s.array(s.anyObject)])
        routes.add(Endpoint(method: .get, path: "/api/v1/catalog/clauses", permission: .read, summary: "Clauses 4–10 of ISO/IEC 42001", tag: "Catalog",
                             responseSchema: s.object(["items": s.array(clause)]))) { _, _ in
            try .json(["items": catalog.clauses])
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/catalog/controls", permission: .read, summary: "The 38 Annex A controls", tag: "Catalog",
                             responseSchema: s.object(["items": s.array(control)]))) { _, _ in
            try .json(["items": catalog.controls.map { controlBody($0, withCrosswalks: false) }])
        }
        routes.add(Endpoint(method: .get, path: "/api/v1/catalog/controls/{id}", permission: .read, summary: "One Annex A control with its crosswalks",
                             tag: "Catalog", responseSchema: control)) { _, context in
            guard let id = context.parameters.get("id"), let found = catalog.control(id) else { throw Problem.notFound("control") }
            return try .json(controlBody(found, withCrosswalks: true))
        }
    }
}
