import AimsCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer

/// Signs in through the login form and returns the session cookie and the page's CSRF token.
func signIn(_ client: any TestClientProtocol, email: String, password: String = Fixture.password) async throws -> (cookie: String, csrf: String) {
    let body = "email=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&password=\(password.replacingOccurrences(of: " ", with: "+"))&next=%2F"
    let login = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    #expect(login.status == .seeOther)
    let setCookie = try #require(login.headers[.setCookie])
    #expect(setCookie.contains("HttpOnly"))
    #expect(setCookie.contains("SameSite=Lax"))
    let cookie = String(setCookie.split(separator: ";")[0])
    let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
    let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([^"]+)"/)).1
    return (cookie, String(csrf))
}

func form(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
}

@Suite("Web app")
struct WebTests {
    @Test("sign in, browse, sign out")
    func session() async throws {
        try await withApp { client, fixture in
            let (cookie, csrf) = try await signIn(client, email: fixture.emails[.governanceLead]!)
            let dashboard = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Statement of Applicability"))
            #expect(dashboard.text.contains("4 Context"))
            let soa = try await client.execute(uri: "/registers/soa", method: .get, headers: [.cookie: cookie])
            #expect(soa.text.contains("A.10.4"))
            let logout = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                  body: form([("_csrf", csrf)]))
            #expect(logout.status == .seeOther)
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(after.status == .seeOther)
        }
    }

    @Test("state-changing forms and cookie API calls need the CSRF token")
    func csrf() async throws {
        try await withApp { client, fixture in
            let (cookie, csrf) = try await signIn(client, email: fixture.emails[.contributor]!)
            let fields: [(String, String)] = [("title", "Via form"), ("origin", "internal"), ("category", "ethical"), ("description", "d"),
                                              ("effectOnAims", "e"), ("relevant", "true"), ("rationale", "r")]
            let formHeaders: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let forged = try await client.execute(uri: "/registers/context-issues", method: .post, headers: formHeaders, body: form(fields))
            #expect(forged.status == .forbidden)
            let wrong = try await client.execute(uri: "/registers/context-issues", method: .post, headers: formHeaders, body: form(fields + [("_csrf", "nope")]))
            #expect(wrong.status == .forbidden)
            #expect(try await fixture.services.store.records(organisation: fixture.organisation.id, kind: ContextIssue.spec.kind).isEmpty)
            let real = try await client.execute(uri: "/registers/context-issues", method: .post, headers: formHeaders, body: form(fields + [("_csrf", csrf)]))
            #expect(real.status == .found)
            let apiNoHeader = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: [.cookie: cookie], body: jsonBody(validIssue))
            #expect(apiNoHeader.status == .forbidden)
            let apiWithHeader = try await client.execute(uri: "/api/v1/context-issues", method: .post,
                                                         headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf], body: jsonBody(validIssue))
            #expect(apiWithHeader.status == .created)
        }
    }

    @Test("a form with errors keeps what the user typed and saves nothing")
    func formKeepsInput() async throws {
        try await withApp { client, fixture in
            let (cookie, csrf) = try await signIn(client, email: fixture.emails[.contributor]!)
            let response = try await client.execute(
                uri: "/registers/context-issues", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: form([("_csrf", csrf), ("title", "Half-finished <thought>"), ("origin", "external"), ("description", "Typed text that must survive")]))
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Half-finished &lt;thought&gt;"))
            #expect(response.text.contains("Typed text that must survive"))
            #expect(response.text.contains("Nothing was saved"))
            #expect(response.text.contains("id=\"error-category\""))
            #expect(try await fixture.services.store.records(organisation: fixture.organisation.id, kind: ContextIssue.spec.kind).isEmpty)
        }
    }

    @Test("an edit that lost a race keeps the user's text and overwrites nothing")
    func staleForm() async throws {
        try await withApp { client, fixture in
            let (cookie, csrf) = try await signIn(client, email: fixture.emails[.contributor]!)
            let created = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: fixture.auth(.owner), body: jsonBody(validIssue))
            let location = created.headers[.location]!.replacingOccurrences(of: "/api/v1/", with: "/registers/")
            _ = try await client.execute(uri: created.headers[.location]!, method: .patch, headers: headers(fixture.auth(.owner), [.ifMatch: "\"1\""]),
                                         body: jsonBody(["owner": "First writer"]))
            let response = try await client.execute(
                uri: location, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: form([("_csrf", csrf), ("_version", "1"), ("title", "My edit"), ("origin", "internal"), ("category", "ethical"),
                            ("description", "d"), ("effectOnAims", "e"), ("relevant", "true"), ("rationale", "r")]))
            #expect(response.status == .conflict)
            #expect(response.text.contains("My edit"))
            let current = try await client.execute(uri: created.headers[.location]!, method: .get, headers: fixture.auth(.owner))
            #expect(current.json["owner"] == "First writer")
            #expect(current.json["title"] == validIssue["title"])
        }
    }

    @Test("user text is escaped in pages")
    func escaping() async throws {
        try await withApp { client, fixture in
            var input = validIssue
            if case .object(var object) = input { object["title"] = "<script>alert(1)</script>"; input = .object(object) }
            let created = try await client.execute(uri: "/api/v1/context-issues", method: .post, headers: fixture.auth(.owner), body: jsonBody(input))
            #expect(created.status == .created)
            for path in ["/registers/context-issues", created.headers[.location]!.replacingOccurrences(of: "/api/v1/", with: "/registers/")] {
                let page = try await client.execute(uri: path, method: .get, headers: fixture.auth(.viewer))
                #expect(page.status == .ok)
                #expect(!page.text.contains("<script>alert(1)</script>"))
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }

    @Test("repeated failed logins lock the address out")
    func throttling() async throws {
        try await withApp({ $0.loginAttemptLimit = 3 }) { client, fixture in
            let email = fixture.emails[.viewer]!
            let body = { (password: String) in form([("email", email), ("password", password)]) }
            let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            for _ in 0..<3 {
                let failed = try await client.execute(uri: "/login", method: .post, headers: formHeaders, body: body("wrong password"))
                #expect(failed.status == .unauthorized)
                #expect(failed.text.contains("E-mail or password is wrong"))
            }
            let locked = try await client.execute(uri: "/login", method: .post, headers: formHeaders, body: body(Fixture.password))
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            #expect(locked.headers[.setCookie] == nil)
        }
    }

    @Test("login never redirects off-site")
    func safeRedirect() {
        #expect(SessionController.safeNext("//evil.example/") == "/")
        #expect(SessionController.safeNext("https://evil.example/") == "/")
        #expect(SessionController.safeNext("/registers/soa") == "/registers/soa")
    }
}
