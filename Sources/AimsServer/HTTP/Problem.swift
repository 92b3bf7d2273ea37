import AimsCore
import AimsStore
import Foundation
import Hummingbird

/// An RFC 9457 problem document. `errors` names each field at fault.
struct Problem: Error, Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldIssue]?
    var currentVersion: Int?
    var headers: HTTPFields = [:]

    enum CodingKeys: String, CodingKey { case type, title, status, detail, errors, currentVersion }

    init(_ status: HTTPResponse.Status, slug: String, detail: String, errors: [FieldIssue]? = nil) {
        self.type = "https://aims.invalid/problems/\(slug)"
        self.title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
    }

    static let unauthenticated = Problem(.unauthorized, slug: "unauthenticated", detail: "Sign in, or send an API token as 'Authorization: Bearer …'.")
    static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, slug: "forbidden", detail: detail) }
    static func notFound(_ what: String) -> Problem { Problem(.notFound, slug: "not-found", detail: "No \(what) with that id in this organisation.") }
    static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(.badRequest, slug: "bad-request", detail: detail, errors: field.map { [FieldIssue($0, detail)] })
    }

    /// Maps any error to the problem the client sees. Unknown errors become 500 without internals.
    init(error: any Error) {
        switch error {
        case let problem as Problem: self = problem
        case let failure as ValidationFailure:
            self.init(.unprocessableContent, slug: "validation", detail: failure.issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "), errors: failure.issues)
        case let store as StoreError:
            switch store {
            case .notFound(let kind): self = .notFound(kind)
            case .versionConflict(let current):
                self.init(.preconditionFailed, slug: "version-conflict", detail: store.description)
                currentVersion = current
            case .duplicate(let field, _): self.init(.conflict, slug: "duplicate", detail: store.description, errors: [FieldIssue(field, "already exists")])
            case .refused(let reason): self.init(.conflict, slug: "refused", detail: reason)
            case .configuration(let message): self.init(.internalServerError, slug: "configuration", detail: message)
            }
        case let http as HTTPError:
            self.init(http.status, slug: http.status == .notFound ? "no-route" : "http", detail: http.body ?? http.status.reasonPhrase)
            headers = http.headers
        case is DecodingError:
            self.init(.badRequest, slug: "malformed-body", detail: "The body is not valid JSON for this operation.")
        default:
            self.init(.internalServerError, slug: "internal", detail: "Something went wrong on our side; it has been logged.")
        }
    }

    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let body = (try? JSONCoding.encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
