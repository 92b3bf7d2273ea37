import HTTPTypes
import AimsCore
import AimsStore
import Foundation
import Hummingbird

/// Upload and download of evidence files, for the API and the web page alike.
struct EvidenceFileController {
    let store: AimsStore
    let catalog: Catalog
    let files: EvidenceFiles

    func register(on routes: APIRoutes) {
        let path = "/api/v1/\(Evidence.spec.path)/{id}/file"
        routes.add(Endpoint(method: .put, path: path, permission: .write, summary: "Upload the file of an evidence record (raw body; ?name= gives the file name)",
                            tag: Evidence.spec.plural, requestSchema: ["type": "string", "format": "binary"],
                            responseSchema: OpenAPISchemas.record(Evidence.spec), queryParameters: [("name", "The file's name")], requiresIfMatch: true,
                            responseContentTypes: ["application/json"])) { request, context in
            let version = try request.expectedVersion()
            let bytes = try await request.body.collect(upTo: context.maxUploadSize)
            let stored = try await attach(id: try context.id(), version: version, name: request.query("name"),
                                          contentType: request.headers[.contentType], bytes: Array(buffer: bytes), context: context)
            return try .json(RegisterAPI<Evidence>.body(stored), etag: stored.version)
        }
        routes.add(Endpoint(method: .get, path: path, permission: .read, summary: "Download the file of an evidence record (its SHA-256 is checked first)",
                            tag: Evidence.spec.plural, responseContentTypes: ["application/octet-stream"])) { _, context in
            try await download(id: try context.id(), context: context)
        }
        let page = "/registers/\(Evidence.spec.path)/{id}/file"
        routes.page(.post, page, .write) { request, context in
            let bytes = try await request.body.collect(upTo: context.maxUploadSize)
            guard let form = Multipart(contentType: request.headers[.contentType] ?? "", body: Array(buffer: bytes)) else {
                throw Problem.badRequest("Send the file from the upload form.")
            }
            if context.viaSession, form.field("_csrf") != context.identity?.csrfToken {
                throw Problem.forbidden("The form's security token is missing or stale. Reload the page and try again.")
            }
            guard let file = form.file("file"), !file.body.isEmpty else { throw Problem.badRequest("Choose a file to upload.", field: "file") }
            let id = try context.id()
            _ = try await attach(id: id, version: Int(form.field("_version") ?? "") ?? 0, name: file.filename,
                                 contentType: file.contentType, bytes: file.body, context: context)
            return .redirect(to: "/registers/\(Evidence.spec.path)/\(id.uuidString.lowercased())", type: .found)
        }
        routes.page(.get, page, .read) { _, context in try await download(id: try context.id(), context: context) }
    }

    func attach(id: UUID, version: Int, name: String?, contentType: String?, bytes: [UInt8], context: AimsRequestContext) async throws -> StoredRecord {
        guard let name, !name.isEmpty, name.count <= 255, !name.contains("/") else {
            throw ValidationFailure([FieldIssue("fileName", "give the file's name (at most 255 characters, no slashes)")])
        }
        let type = (contentType ?? "").split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
        if let problem = Evidence.problem(contentType: type, bytes: bytes) { throw ValidationFailure([FieldIssue("contentType", problem)]) }
        let current = try await store.record(organisation: context.organisationID, kind: Evidence.spec.kind, id: id)
        guard current.version == version else { throw StoreError.versionConflict(current: current.version) }
        var evidence = try current.record(as: Evidence.self)
        evidence.evidenceType = "file"
        evidence.url = nil
        evidence.fileName = name
        evidence.contentType = type
        evidence.size = bytes.count
        evidence.sha256 = try files.store(bytes)
        let issues = evidence.check(previous: try current.record(as: Evidence.self), context: try await store.ruleContext(organisation: context.organisationID, catalog: catalog))
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return try await store.update(id: id, organisation: context.organisationID, expectedVersion: version, to: try RecordDraft(evidence), by: context.principal)
    }

    func download(id: UUID, context: AimsRequestContext) async throws -> Response {
        let evidence = try await store.record(organisation: context.organisationID, kind: Evidence.spec.kind, id: id).record(as: Evidence.self)
        guard let digest = evidence.sha256 else { throw Problem.notFound("file for this evidence") }
        let bytes: [UInt8]
        do {
            bytes = try files.read(digest)
        } catch EvidenceFiles.ReadError.altered(let actual) {
            context.logger.error("evidence file \(digest) was altered on disk (now \(actual))")
            throw Problem(.conflict, slug: "evidence-altered", detail: "The stored file no longer matches its recorded SHA-256 (\(digest)); it has been altered outside Aims and is not served.")
        } catch {
            throw Problem(.notFound, slug: "evidence-missing", detail: "The file with SHA-256 \(digest) is missing from the evidence store.")
        }
        let safeName = (evidence.fileName ?? "evidence").replacingOccurrences(of: "\"", with: "")
        return Response(status: .ok, headers: [.contentType: evidence.contentType ?? "application/octet-stream",
                                               .contentDisposition: "attachment; filename=\"\(safeName)\"",
                                               HTTPField.Name("X-Content-SHA256")!: digest],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
