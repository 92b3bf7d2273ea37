import AimsCore
import AimsTestSupport
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import AimsStore

func contextIssue(_ title: String) -> RecordDraft {
    RecordDraft(kind: ContextIssue.spec.kind, title: title, data: ["title": .string(title), "origin": "external", "category": "ethical",
                                                                   "description": "d", "effectOnAims": "e", "relevant": true, "rationale": "r"])
}

let tester = Principal(userID: nil, label: "user:tester@test.example")
/// A new organisation's history: 38 SoA rows and the default risk criteria.
let organisationEvents = 39

@Suite("Store: records, versions and tenants")
struct StoreTests {
    @Test("a new organisation gets one SoA row per Annex A control and risk criteria, each audited")
    func organisationSeedsSoA() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            let rows = try await store.records(organisation: org.id, kind: SoAEntry.spec.kind)
            #expect(rows.count == 38)
            #expect(Set(rows.compactMap { $0.data["controlId"]?.stringValue }) == Set(TestDatabase.catalog.controls.map(\.id)))
            let audit = try await store.verifyAuditTrail(organisation: org.id)
            #expect(audit.isIntact)
            #expect(audit.eventsChecked == organisationEvents)
            #expect(try await store.records(organisation: org.id, kind: RiskCriteria.spec.kind).count == 1)
        }
    }

    @Test("update with a stale version changes nothing")
    func staleUpdate() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            let created = try await store.create(contextIssue("First"), organisation: org.id, by: tester)
            let updated = try await store.update(id: created.id, organisation: org.id, expectedVersion: 1, to: contextIssue("Second"), by: tester)
            #expect(updated.version == 2)
            await #expect(throws: StoreError.versionConflict(current: 2)) {
                try await store.update(id: created.id, organisation: org.id, expectedVersion: 1, to: contextIssue("Lost"), by: tester)
            }
            await #expect(throws: StoreError.versionConflict(current: 2)) {
                try await store.delete(id: created.id, kind: ContextIssue.spec.kind, organisation: org.id, expectedVersion: 1, by: tester)
            }
            let current = try await store.record(organisation: org.id, kind: ContextIssue.spec.kind, id: created.id)
            #expect(current.title == "Second")
            #expect(current.version == 2)
            let events = try await store.auditEvents(organisation: org.id, recordID: created.id).events
            #expect(events.map(\.action) == ["update", "create"])
            #expect(events[0].beforeDigest == events[1].afterDigest)
        }
    }

    @Test("concurrent updates of one version: exactly one wins")
    func concurrentUpdates() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            let created = try await store.create(contextIssue("Start"), organisation: org.id, by: tester)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<6 {
                    group.addTask { (try? await store.update(id: created.id, organisation: org.id, expectedVersion: 1, to: contextIssue("Writer \(i)"), by: tester)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.verifyAuditTrail(organisation: org.id).isIntact)
        }
    }

    @Test("no query crosses organisations")
    func tenantIsolation() async throws {
        try await TestDatabase.with { store in
            let mine = try await TestDatabase.organisation(store)
            let theirs = try await TestDatabase.organisation(store)
            let secret = try await store.create(contextIssue("Theirs"), organisation: theirs.id, by: tester)
            await #expect(throws: StoreError.notFound(kind: ContextIssue.spec.kind)) {
                try await store.record(organisation: mine.id, kind: ContextIssue.spec.kind, id: secret.id)
            }
            await #expect(throws: StoreError.notFound(kind: ContextIssue.spec.kind)) {
                try await store.update(id: secret.id, organisation: mine.id, expectedVersion: 1, to: contextIssue("Hijack"), by: tester)
            }
            await #expect(throws: StoreError.notFound(kind: ContextIssue.spec.kind)) {
                try await store.delete(id: secret.id, kind: ContextIssue.spec.kind, organisation: mine.id, expectedVersion: 1, by: tester)
            }
            #expect(try await store.records(organisation: mine.id, kind: ContextIssue.spec.kind).isEmpty)
            #expect(try await store.record(organisation: theirs.id, kind: ContextIssue.spec.kind, id: secret.id).title == "Theirs")
        }
    }

    @Test("unique keys are unique per organisation")
    func uniqueKeys() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            let custom = SoAEntry(controlId: "X.1", source: .custom, title: "Model cards", implementationStatus: .planned)
            _ = try await store.create(try RecordDraft(custom), organisation: org.id, by: tester)
            await #expect(throws: StoreError.duplicate(field: "controlId", value: "X.1")) {
                try await store.create(try RecordDraft(custom), organisation: org.id, by: tester)
            }
            let other = try await TestDatabase.organisation(store)
            _ = try await store.create(try RecordDraft(custom), organisation: other.id, by: tester)
        }
    }
}

@Suite("Store: identity")
struct IdentityStoreTests {
    @Test("passwords are bcrypt hashes; tokens are stored hashed, expire and can be revoked")
    func credentials() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            let email = TestDatabase.uniqueEmail("owner")
            let user = try await store.addMember(email: email, name: "O", password: "correct horse battery", role: .owner, organisation: org, by: tester, bcryptCost: 4)
            #expect(try await store.authenticate(email: email, password: "wrong password!") == nil)
            let authenticated = try await store.authenticate(email: email.uppercased(), password: "correct horse battery")
            #expect(authenticated?.1.first?.1 == .owner)
            let stored = try await UserModel.query(on: store.db).filter(\.$email == email).first()
            #expect(stored?.passwordHash.hasPrefix("$2") == true)

            let (token, secret) = try await store.createToken(name: "ci", for: user.id, organisation: org.id, lifetime: 3600, by: tester)
            #expect(secret.hasPrefix("aims_"))
            let rows = try await APITokenModel.query(on: store.db).filter(\.$organisationID == org.id).all()
            #expect(rows.allSatisfy { $0.tokenHash != secret && !$0.tokenHash.contains(secret) })
            #expect(try await store.identity(bearer: secret)?.role == .owner)
            try await store.revokeToken(id: token.id, organisation: org.id, by: tester)
            #expect(try await store.identity(bearer: secret) == nil)

            let (expired, expiredSecret) = try await store.createToken(name: "old", for: user.id, organisation: org.id, lifetime: 3600, by: tester)
            let model = try await APITokenModel.find(expired.id, on: store.db)!
            model.expiresAt = Date().addingTimeInterval(-1)
            try await model.update(on: store.db)
            #expect(try await store.identity(bearer: expiredSecret) == nil)
            await #expect(throws: ValidationFailure.self) {
                try await store.addMember(email: "not-an-email", name: "x", password: "short", role: .viewer, organisation: org, by: tester, bcryptCost: 4)
            }
        }
    }
}

@Suite("Audit trail tamper detection")
struct AuditTamperTests {
    /// An organisation with a short history: its 39 creation events, then A created (40) and
    /// updated (41), B created (42) and deleted (43).
    func history(_ store: AimsStore) async throws -> Organisation {
        let org = try await TestDatabase.organisation(store)
        let a = try await store.create(contextIssue("A"), organisation: org.id, by: tester)
        _ = try await store.update(id: a.id, organisation: org.id, expectedVersion: 1, to: contextIssue("A2"), by: tester)
        let b = try await store.create(contextIssue("B"), organisation: org.id, by: tester)
        try await store.delete(id: b.id, kind: ContextIssue.spec.kind, organisation: org.id, expectedVersion: 1, by: tester)
        #expect(try await store.verifyAuditTrail(organisation: org.id).isIntact)
        return org
    }

    func sql(_ store: AimsStore) -> any SQLDatabase { store.db as! any SQLDatabase }

    @Test("an edited event is named")
    func editedEvent() async throws {
        try await TestDatabase.with { store in
            let org = try await history(store)
            try await sql(store).update("audit_events").set("actor", to: SQLBind("user:mallory@evil.example"))
                .where("organisation_id", .equal, SQLBind(org.id)).where("sequence", .equal, SQLBind(organisationEvents + 1)).run()
            let result = try await store.verifyAuditTrail(organisation: org.id)
            #expect(result.firstBadSequence == organisationEvents + 1)
            #expect(result.problem?.contains("altered") == true)
        }
    }

    @Test("a deleted event is named")
    func deletedEvent() async throws {
        try await TestDatabase.with { store in
            let org = try await history(store)
            try await sql(store).delete(from: "audit_events").where("organisation_id", .equal, SQLBind(org.id)).where("sequence", .equal, SQLBind(organisationEvents)).run()
            let result = try await store.verifyAuditTrail(organisation: org.id)
            #expect(result.firstBadSequence == organisationEvents + 1)
            #expect(result.problem?.contains("missing") == true)
        }
    }

    @Test("reordered events are named")
    func reorderedEvents() async throws {
        try await TestDatabase.with { store in
            let org = try await history(store)
            let db = sql(store)
            let (a, b) = (organisationEvents + 1, organisationEvents + 2)
            for (from, to) in [(a, 1000), (b, a), (1000, b)] {
                try await db.update("audit_events").set("sequence", to: SQLBind(to))
                    .where("organisation_id", .equal, SQLBind(org.id)).where("sequence", .equal, SQLBind(from)).run()
            }
            let result = try await store.verifyAuditTrail(organisation: org.id)
            #expect(result.firstBadSequence == organisationEvents + 1)
            #expect(result.isIntact == false)
        }
    }

    @Test("a record edited behind Aims' back is named")
    func editedRecord() async throws {
        try await TestDatabase.with { store in
            let org = try await history(store)
            try await sql(store).update("records").set("title", to: SQLBind("Forged"))
                .where("organisation_id", .equal, SQLBind(org.id)).where("kind", .equal, SQLBind(ContextIssue.spec.kind)).run()
            let result = try await store.verifyAuditTrail(organisation: org.id)
            #expect(result.problem?.contains("edited outside Aims") == true)
            #expect(result.firstBadSequence == organisationEvents + 2)
        }
    }

    @Test("tampering in one organisation leaves another's chain intact")
    func chainsArePerOrganisation() async throws {
        try await TestDatabase.with { store in
            let org = try await history(store)
            let other = try await history(store)
            try await sql(store).delete(from: "audit_events").where("organisation_id", .equal, SQLBind(org.id)).where("sequence", .equal, SQLBind(1)).run()
            #expect(try await store.verifyAuditTrail(organisation: org.id).firstBadSequence == 2)
            #expect(try await store.verifyAuditTrail(organisation: other.id).isIntact)
        }
    }
}

@Suite("Store: records Aims composes itself")
struct CreateCheckedTests {
    @Test("are checked like user input, and keep the derived fields Aims set")
    func checked() async throws {
        try await TestDatabase.with { store in
            let org = try await TestDatabase.organisation(store)
            var record = Nonconformity(title: "Monitoring failed", source: "monitoring", grade: "minor", description: "d", requirement: "A.99",
                                       raisedOn: CalendarDate("2026-11-01")!, raisedBy: "system:monitoring", status: "open", owner: "Ada", monitoringKey: "plan:1")
            await #expect(throws: ValidationFailure.self) {
                try await store.createChecked(record, organisation: org.id, catalog: TestDatabase.catalog, by: tester)
            }
            record.requirement = "A.6.2.6"
            let stored = try await store.createChecked(record, organisation: org.id, catalog: TestDatabase.catalog, by: tester)
            #expect(stored.data["monitoringKey"] == "plan:1")
        }
    }
}
