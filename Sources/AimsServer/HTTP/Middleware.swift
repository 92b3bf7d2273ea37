import AimsStore
import Foundation
import HTTPTypes
import Hummingbird

/// Security headers on every response, including errors.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AimsRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// Renders errors: problem+json under /api, an HTML page elsewhere, and a redirect to the
/// login page for a browser that is not signed in.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AimsRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error: error)
            if problem.status >= 500 { context.logger.error("request failed: \(String(reflecting: error))") }
            if request.uri.path.hasPrefix("/api/") || request.uri.path == "/healthz" || request.uri.path == "/readyz" {
                return problem.response()
            }
            if problem.status == 401 {
                let back = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return .redirect(to: "/login?next=\(back)", type: .normal)
            }
            return views.errorPage(problem, identity: context.identity)
        }
    }
}

/// Finds who is calling: an API token in `Authorization: Bearer`, or a session cookie.
/// It never refuses a request; each route decides what it needs.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AimsRequestContext
    let store: AimsStore
    static let cookieName = "aims_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer "), let identity = try await store.identity(bearer: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
                throw Problem(.unauthorized, slug: "invalid-token", detail: "The API token is unknown, expired or revoked.")
            }
            context.identity = identity
        } else if let cookie = request.cookies[Self.cookieName], let identity = try await store.session(token: cookie.value) {
            context.identity = identity
            context.viaSession = true
        }
        return try await next(request, context)
    }
}

/// Applies the configured body size limit to every request.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AimsRequestContext
    let bodyLimit: Int
    let uploadLimit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Evidence uploads end in /file and may be larger than any JSON body.
        let limit = request.uri.path.hasSuffix("/file") ? uploadLimit : bodyLimit
        context.bodyLimit = limit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, slug: "too-large", detail: "The body is larger than \(limit) bytes.")
        }
        return try await next(request, context)
    }
}
