import AimsStore
import Foundation
import Hummingbird

/// Sign-in and sign-out for the web app.
struct SessionController {
    let store: AimsStore
    let views: Views
    let config: AppConfig
    let throttle: LoginThrottle

    func register(on router: Router<AimsRequestContext>) {
        router.get("/login") { request, context in
            views.page("login", title: "Sign in", context: ["next": Self.safeNext(request.query("next"))], identity: nil, path: "/login")
        }
        router.post("/login") { request, context in
            let form = try await FormData.read(request, context: context)
            let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
            let next = Self.safeNext(form["next"])
            func failed(_ message: String, status: HTTPResponse.Status) -> Response {
                views.page("login", title: "Sign in", context: ["error": message, "email": email, "next": next], identity: nil, path: "/login", status: status)
            }
            if let wait = await throttle.retryAfter(email) {
                var response = failed("Too many failed attempts. Try again in \(wait / 60 + 1) minutes.", status: .tooManyRequests)
                response.headers[.retryAfter] = String(wait)
                return response
            }
            guard let (user, memberships) = try await store.authenticate(email: email, password: form["password"] ?? ""),
                let (organisation, _) = memberships.first
            else {
                await throttle.recordFailure(email)
                return failed("E-mail or password is wrong.", status: .unauthorized)
            }
            await throttle.recordSuccess(email)
            let lifetime = TimeInterval(config.sessionHours * 3600)
            let token = try await store.startSession(user: user.id, organisation: organisation.id, lifetime: lifetime)
            var response = Response.redirect(to: next, type: .normal)
            response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: token, maxAge: Int(lifetime), path: "/",
                                      secure: config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        router.post("/logout") { request, context in
            let form = try await FormData.read(request, context: context)
            if context.identity != nil { try CSRF.check(form, context: context) }
            if let cookie = request.cookies[AuthenticationMiddleware.cookieName] { try await store.endSession(token: cookie.value) }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                                      secure: config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
    }

    /// Only local paths, so the login form cannot be used to redirect elsewhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}
