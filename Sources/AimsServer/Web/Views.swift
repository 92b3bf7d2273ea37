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
        var areas: [(String, [[String: Any]])] = [("Overview", [link("Dashboard", "/")])]
        for type in Registers.all {
            let entry = link(type.spec.plural, "/registers/\(type.spec.path)")
            if let index = areas.firstIndex(where: { $0.0 == type.spec.area }) { areas[index].1.append(entry) } else { areas.append((type.spec.area, [entry])) }
        }
        areas.sort { ($0.0 == "Overview" ? "0" : $0.0).localizedStandardCompare($1.0 == "Overview" ? "0" : $1.0) == .orderedAscending }
        if let support = areas.firstIndex(where: { $0.0 == "7 Support" }) { areas[support].1.append(link("Competence gaps", "/competence/gaps")) }
        areas.append(("ISO/IEC 42001", [link("Clauses", "/catalog/clauses"), link("Annex A controls", "/catalog/controls")]))
        areas.append(("7.5 Records", [link("Audit trail", "/audit")]))
        areas.append(("Settings", [link("API tokens", "/settings/tokens"), link("Members", "/settings/members")]))
        return areas.map { ["area": $0.0, "links": $0.1] }
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
