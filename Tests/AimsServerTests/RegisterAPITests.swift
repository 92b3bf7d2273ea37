import AimsCore
import AimsStore
import AimsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer

@Suite("Every register through the API")
struct RegisterAPITests {
    @Test("create, read, update, list, export and delete each register", arguments: Registers.all.map { $0.spec.kind })
    func lifecycle(kind: String) async throws {
        try await withApp { client, fixture in
            let spec = Registers.type(forKind: kind)!.spec
            let auth = fixture.auth(.contributor)
            let id = spec.singleton
                ? try await fixture.services.store.records(organisation: fixture.organisation.id, kind: kind)[0].id.uuidString.lowercased()
                : try await createSample(kind, client: client, fixture: fixture)
            let location = "/api/v1/\(spec.path)/\(id)"
            let read = try await client.execute(uri: location, method: .get, headers: auth)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")

            // Change one free-text or list field through PATCH and see it stick.
            let field = spec.fields.first { !$0.derived && !spec.approvalFields.contains($0.name) && !spec.uniqueFields.contains($0.name) && $0.kind.isFreeText }!
            let value: JSONValue = if case .textList = field.kind { ["changed by the test"] } else { "changed by the test" }
            let patched = try await client.execute(uri: location, method: .patch, headers: headers(auth, [.ifMatch: "\"1\""]), body: jsonBody([field.name: value]))
            #expect(patched.status == .ok, "\(kind).\(field.name): \(patched.text)")
            #expect(patched.json[field.name] == value)
            #expect(patched.json["version"] == 2)

            let list = try await client.execute(uri: "/api/v1/\(spec.path)?q=changed+by+the+test", method: .get, headers: auth)
            #expect((list.json["items"]?.arrayItems ?? []).contains { $0["id"]?.stringValue == id }, "\(kind) search")
            for format in ["csv", "json", "md"] {
                let export = try await client.execute(uri: "/api/v1/\(spec.path)/export?format=\(format)", method: .get, headers: fixture.auth(.auditor))
                #expect(export.status == .ok)
                #expect(export.headers[.contentDisposition]?.contains("\(spec.path).\(format)") == true)
                if format != "md" || spec.fields.contains(where: { $0.listed && $0.name == field.name }) {
                    #expect(export.text.contains("changed by the test"), "\(kind) \(format) export")
                }
            }
            let page = try await client.execute(uri: "/registers/\(spec.path)/\(id)", method: .get, headers: fixture.auth(.viewer))
            #expect(page.status == .ok)
            let form = try await client.execute(uri: "/registers/\(spec.path)/\(id)/edit", method: .get, headers: auth)
            #expect(form.status == .ok)

            let deleted = try await client.execute(uri: location, method: .delete, headers: headers(auth, [.ifMatch: "\"2\""]))
            if case .never = spec.deletionRule {
                #expect(deleted.status == .conflict)
            } else {
                #expect(deleted.status == .noContent, "\(kind): \(deleted.text)")
                #expect(try await client.execute(uri: location, method: .get, headers: auth).status == .notFound)
            }
            #expect(try await fixture.services.store.verifyAuditTrail(organisation: fixture.organisation.id).isIntact)
        }
    }

    @Test("links must point at this organisation's records, and a record others point at cannot be deleted")
    func linkIntegrity() async throws {
        try await withApp { client, fixture in
            let auth = fixture.auth(.owner)
            let system = try await createSample(AISystem.spec.kind, client: client, fixture: fixture)
            let incident = try await createSample(Incident.spec.kind, client: client, fixture: fixture)
            _ = incident
            // The incident's AI system cannot be deleted while the incident names it.
            let systems = try await fixture.services.store.records(organisation: fixture.organisation.id, kind: AISystem.spec.kind)
            let linked = systems.first { $0.id.uuidString.lowercased() != system }!
            let refused = try await client.execute(uri: "/api/v1/ai-systems/\(linked.id.uuidString.lowercased())", method: .delete,
                                                   headers: headers(auth, [.ifMatch: "\"1\""]))
            #expect(refused.status == .conflict)
            #expect(refused.json["detail"]?.stringValue?.contains("Wrong refusals") == true)
            // A link to a record of another organisation is refused like one to nothing.
            let foreignSystem = try await fixture.services.store.create(
                RecordDraft(kind: AISystem.spec.kind, title: "Theirs", data: Samples.input(for: AISystem.spec.kind) { _ in "" }),
                organisation: fixture.foreign.id, by: .system("test"))
            var input = Samples.input(for: Incident.spec.kind) { _ in foreignSystem.id.uuidString.lowercased() }
            let foreign = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: auth, body: jsonBody(input))
            #expect(foreign.status == .unprocessableContent)
            #expect(foreign.json["errors"]?.arrayItems?.first?["field"] == "aiSystem")
            input = Samples.input(for: Incident.spec.kind) { _ in system }
            let ok = try await client.execute(uri: "/api/v1/incidents", method: .post, headers: auth, body: jsonBody(input))
            #expect(ok.status == .created)
            // The AI system's page lists what links to it.
            let page = try await client.execute(uri: "/registers/ai-systems/\(system)", method: .get, headers: auth)
            #expect(page.text.contains("Linked from"))
            #expect(page.text.contains("Wrong refusals"))
            // Once the link is gone the system can go.
            let incidentID = ok.json["id"]!.stringValue!
            #expect(try await client.execute(uri: "/api/v1/incidents/\(incidentID)", method: .delete, headers: headers(auth, [.ifMatch: "\"1\""])).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/ai-systems/\(system)", method: .delete, headers: headers(auth, [.ifMatch: "\"1\""])).status == .noContent)
        }
    }

    @Test("only roles that may approve can record approvals and accept risk")
    func approvals() async throws {
        try await withApp { client, fixture in
            let risk: JSONValue = ["title": "R", "description": "d", "likelihood": 2, "consequence": 2, "treatmentOption": "retain", "owner": "Ada",
                                   "status": "accepted", "acceptedBy": "Ada", "acceptedOn": "2026-02-01", "acceptedVersion": 1]
            let contributor = try await client.execute(uri: "/api/v1/ai-risks", method: .post, headers: fixture.auth(.contributor), body: jsonBody(risk))
            #expect(contributor.status == .forbidden)
            #expect(contributor.json["errors"]?.arrayItems?.count == 3)
            let lead = try await client.execute(uri: "/api/v1/ai-risks", method: .post, headers: fixture.auth(.governanceLead), body: jsonBody(risk))
            #expect(lead.status == .created)
            #expect(lead.json["inherentLevel"] == "low")
            // A contributor may still edit the other fields of an accepted risk.
            let edit = try await client.execute(uri: lead.headers[.location]!, method: .patch, headers: headers(fixture.auth(.contributor), [.ifMatch: "\"1\""]),
                                                body: jsonBody(["treatmentPlan": "Watch it"]))
            #expect(edit.status == .ok)
        }
    }
}

extension FieldSpec.Kind {
    var isFreeText: Bool {
        switch self {
        case .text, .longText, .textList: true
        default: false
        }
    }
}
