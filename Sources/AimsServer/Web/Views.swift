import AimsCore
import AimsStore
import Foundation
import Hummingbird
import Mustache

/// Renders pages: each template's output is placed in the layout, which carries the navigation
/// by ISO/IEC 42001 area. Mustache escapes every `{{value}}`, so user text never becomes markup.
struct Views: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Views {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw StoreError.configuration("templates are missing from the AimsServer bundle")
        }
        return Views(library: try await MustacheLibrary(directory: directory))
    }

    /// The navigation, grouped by the clause or annex area each page serves.
    static func navigation(current: String) -> [[String: Any]] {
        func link(_ title: String, _ href: String) -> [String: Any] {
            ["title": title, "href": href, "current": current == href || (href != "/" && current.hasPrefix(href + "/"))]
        }
        func register(_ type: any RegisterRecord.Type) -> [String: Any] { link(type.spec.plural, "/registers/\(type.spec.path)") }
        return [
            ["area": "Overview", "links": [link("Dashboard", "/")]],
            ["area": "4 Context", "links": [register(ScopeStatement.self), register(ContextIssue.self), register(InterestedParty.self)]],
            ["area": "6 Planning", "links": [register(SoAEntry.self)]],
            ["area": "ISO/IEC 42001", "links": [link("Clauses", "/catalog/clauses"), link("Annex A controls", "/catalog/controls")]],
            ["area": "7.5 Records", "links": [link("Audit trail", "/audit")]],
            ["area": "Settings", "links": [link("API tokens", "/settings/tokens")]],
        ]
    }

    func page(_ template: String, title: String, context: [String: Any], identity: Identity?, path: String, status: HTTPResponse.Status = .ok) -> Response {
        var context = context
        context["csrf"] = identity?.csrfToken ?? ""
        let body = library.render(context, withTemplate: template) ?? "Template \(template) is missing."
        var layout: [String: Any] = ["title": title, "body": body, "csrf": identity?.csrfToken ?? ""]
        if let identity {
            layout["user"] = ["email": identity.user.email, "organisation": identity.organisation.name, "role": identity.role.label]
            layout["navigation"] = Self.navigation(current: path)
            layout["hasNavigation"] = true
        }
        let html = library.render(layout, withTemplate: "layout") ?? body
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func errorPage(_ problem: Problem, identity: Identity?) -> Response {
        page("error", title: problem.title, context: ["status": problem.status, "title": problem.title, "detail": problem.detail],
             identity: identity, path: "", status: .init(code: problem.status))
    }
}
