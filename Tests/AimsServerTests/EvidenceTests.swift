import AimsCore
import AimsStore
import AimsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer
import TestScratch

@Suite("Evidence files")
struct EvidenceTests {
    let pdf = ByteBuffer(string: "%PDF-1.7\nvalidation report\n%%EOF\n")

    func evidenceRecord(_ client: any TestClientProtocol, _ fixture: Fixture) async throws -> String {
        let body: JSONValue = ["title": "Validation report", "evidenceType": "file", "owner": "Ada", "classification": "internal", "clauses": ["A.6.2.4"]]
        let created = try await client.execute(uri: "/api/v1/evidence", method: .post, headers: fixture.auth(.contributor), body: jsonBody(body))
        #expect(created.status == .created, "\(created.text)")
        return created.headers[.location]!
    }

    @Test("upload computes SHA-256, stores once, and download re-verifies it")
    func uploadAndDownload() async throws {
        let directory = Scratch.url("aims-evidence")
        try await withApp({ $0.evidenceDirectory = directory.path }) { client, fixture in
            let auth = fixture.auth(.contributor)
            let first = try await evidenceRecord(client, fixture)
            let upload = try await client.execute(uri: "\(first)/file?name=report.pdf", method: .put,
                                                  headers: headers(auth, [.ifMatch: "\"1\"", .contentType: "application/pdf"]), body: pdf)
            #expect(upload.status == .ok, "\(upload.text)")
            let digest = EvidenceFiles.digest(Array(buffer: pdf))
            #expect(upload.json["sha256"]?.stringValue == digest)
            #expect(upload.json["size"] == .number(Double(pdf.readableBytes)))
            #expect(upload.json["fileName"] == "report.pdf")
            #expect(upload.headers[.eTag] == "\"2\"")

            let download = try await client.execute(uri: "\(first)/file", method: .get, headers: fixture.auth(.auditor))
            #expect(download.status == .ok)
            #expect(download.body == pdf)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[HTTPField.Name("X-Content-SHA256")!] == digest)

            // Clients cannot forge the digest through a normal update.
            let forged = try await client.execute(uri: first, method: .patch, headers: headers(auth, [.ifMatch: "\"2\""]),
                                                  body: jsonBody(["sha256": "0000", "notes": "edited"]))
            #expect(forged.status == .ok)
            #expect(forged.json["sha256"]?.stringValue == digest)

            // The same bytes for another record are stored once.
            let second = try await evidenceRecord(client, fixture)
            _ = try await client.execute(uri: "\(second)/file?name=copy.pdf", method: .put,
                                         headers: headers(auth, [.ifMatch: "\"1\"", .contentType: "application/pdf"]), body: pdf)
            let stored = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.contains("/") }
            #expect(stored == ["\(digest.prefix(2))/\(digest)"])

            // A file changed on disk is refused, not served.
            try Data("%PDF-1.7\nforged\n".utf8).write(to: directory.appendingPathComponent("\(digest.prefix(2))/\(digest)"))
            let altered = try await client.execute(uri: "\(first)/file", method: .get, headers: auth)
            #expect(altered.status == .conflict)
            #expect(altered.json["type"] == "https://aims.invalid/problems/evidence-altered")
        }
    }

    @Test("content type is checked against the bytes; size and version are enforced")
    func refusals() async throws {
        try await withApp({ $0.maxUploadBytes = 64; $0.evidenceDirectory = Scratch.path("aims-ev") }) { client, fixture in
            let auth = fixture.auth(.contributor)
            let record = try await evidenceRecord(client, fixture)
            let disguised = try await client.execute(uri: "\(record)/file?name=x.png", method: .put,
                                                     headers: headers(auth, [.ifMatch: "\"1\"", .contentType: "image/png"]), body: ByteBuffer(string: "not a png"))
            #expect(disguised.status == .unprocessableContent)
            #expect(disguised.json["errors"]?.arrayItems?.first?["field"] == "contentType")
            let exe = try await client.execute(uri: "\(record)/file?name=x.exe", method: .put,
                                               headers: headers(auth, [.ifMatch: "\"1\"", .contentType: "application/x-msdownload"]), body: ByteBuffer(string: "MZ"))
            #expect(exe.status == .unprocessableContent)
            let big = try await client.execute(uri: "\(record)/file?name=big.txt", method: .put,
                                               headers: headers(auth, [.ifMatch: "\"1\"", .contentType: "text/plain"]), body: ByteBuffer(string: String(repeating: "a", count: 100)))
            #expect(big.status == .contentTooLarge)
            let stale = try await client.execute(uri: "\(record)/file?name=a.txt", method: .put,
                                                 headers: headers(auth, [.ifMatch: "\"7\"", .contentType: "text/plain"]), body: ByteBuffer(string: "hello"))
            #expect(stale.status == .preconditionFailed)
            let viewer = try await client.execute(uri: "\(record)/file?name=a.txt", method: .put,
                                                  headers: headers(fixture.auth(.viewer), [.ifMatch: "\"1\"", .contentType: "text/plain"]), body: ByteBuffer(string: "hello"))
            #expect(viewer.status == .forbidden)
        }
    }

    @Test("the web page uploads with a multipart form")
    func webUpload() async throws {
        try await withApp({ $0.evidenceDirectory = Scratch.path("aims-ev") }) { client, fixture in
            let record = try await evidenceRecord(client, fixture)
            let id = record.split(separator: "/").last!
            let (cookie, csrf) = try await signIn(client, email: fixture.emails[.contributor]!)
            let boundary = "----aims\(UUID().uuidString)"
            var body = ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_version\"\r\n\r\n1\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.md\"\r\nContent-Type: text/markdown\r\n\r\n# Notes\nAll good.\r\n"
            body += "--\(boundary)--\r\n"
            let response = try await client.execute(uri: "/registers/evidence/\(id)/file", method: .post,
                                                    headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
            #expect(response.status == .found)
            let page = try await client.execute(uri: "/registers/evidence/\(id)", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("Download notes.md"))
            let file = try await client.execute(uri: "/registers/evidence/\(id)/file", method: .get, headers: [.cookie: cookie])
            #expect(file.text == "# Notes\nAll good.")
        }
    }
}
