import AimsCore
import AimsStore
import Foundation
import HTTPTypes
import Hummingbird

/// One API operation: route, the permission it needs, and its OpenAPI description.
/// Routes are only added through ``APIRoutes``, so the OpenAPI document lists exactly what exists.
struct Endpoint: Sendable {
    var method: HTTPRequest.Method
    var path: String
    /// nil: public (health checks, the OpenAPI document itself).
    var permission: Permission?
    var summary: String
    var tag: String
    var requestSchema: JSONValue? = nil
    var responseSchema: JSONValue? = nil
    var successStatus = 200
    var queryParameters: [(name: String, description: String)] = []
    var requiresIfMatch = false
    var responseContentTypes = ["application/json"]
    /// Web pages are authorised the same way but are not part of the OpenAPI document;
    /// their forms carry the CSRF token in the body, checked by the handler.
    var isWebPage = false

    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}

typealias Handler = @Sendable (Request, AimsRequestContext) async throws -> Response

/// Collects API operations while the router is built, and enforces each one's permission.
final class APIRoutes {
    let router: Router<AimsRequestContext>
    private(set) var operations: [Endpoint] = []

    init(router: Router<AimsRequestContext>) { self.router = router }

    /// Adds a web page route: authorised like the API, left out of the OpenAPI document.
    func page(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission, handler: @escaping Handler) {
        add(Endpoint(method: method, path: path, permission: permission, summary: "", tag: "web", isWebPage: true), handler: handler)
    }

    var documented: [Endpoint] { operations.filter { !$0.isWebPage } }

    func add(_ operation: Endpoint, handler: @escaping Handler) {
        operations.append(operation)
        router.on(RouterPath(operation.path), method: operation.method) { request, context in
            try Authorization.check(operation, request: request, context: context)
            return try await handler(request, context)
        }
    }
}

enum Authorization {
    /// 401 without an identity, 403 when the role lacks the permission, and for cookie sessions
    /// a CSRF header on every state-changing call.
    static func check(_ operation: Endpoint, request: Request, context: AimsRequestContext) throws {
        guard let permission = operation.permission else { return }
        let method = operation.method
        guard let identity = context.identity else { throw Problem.unauthenticated }
        guard identity.role.allows(permission) else {
            throw Problem.forbidden("Your role (\(identity.role.label)) may not \(permission.rawValue.replacingOccurrences(of: "-", with: " ")).")
        }
        if context.viaSession, !operation.isWebPage, method != .get, method != .head,
            request.headers[HTTPField.Name("X-CSRF-Token")!] != identity.csrfToken
        {
            throw Problem.forbidden("Missing or wrong X-CSRF-Token header for a cookie-authenticated change.")
        }
    }
}

extension Response {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, etag: Int? = nil, location: String? = nil) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let etag { headers[.eTag] = "\"\(etag)\"" }
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder.encode(value))))
    }

    static func text(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, filename: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Request {
    /// The version named by If-Match. Missing → 428; malformed or "*" → 400.
    func expectedVersion() throws -> Int {
        guard let header = headers[.ifMatch] else {
            throw Problem(.preconditionRequired, slug: "if-match-required", detail: "Send If-Match with the ETag you last read, so concurrent edits are not lost.")
        }
        let tag = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(tag) else {
            throw Problem(.badRequest, slug: "bad-if-match", detail: "If-Match must be the ETag of the record, such as \"3\".")
        }
        return version
    }

    func jsonBody(context: AimsRequestContext) async throws -> JSONValue {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw Problem.badRequest("The request needs a JSON body.") }
        do {
            return try JSONCoding.decoder.decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw Problem(.badRequest, slug: "malformed-body", detail: "The body is not valid JSON.")
        }
    }

    /// Query parameters decoded as a browser's GET form sends them ("+" is a space).
    var queryPairs: [(String, String)] {
        FormData(uri.query ?? "").values.sorted { $0.key < $1.key }.flatMap { key, values in values.map { (key, $0) } }
    }

    func query(_ name: String) -> String? { FormData(uri.query ?? "")[name] }
}
