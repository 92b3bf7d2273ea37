import AimsCore
import FluentKit
import Foundation
import SQLKit

extension RecordModel {
    var value: StoredRecord {
        get throws {
            StoredRecord(
                id: try requireID(), organisationID: organisationID, kind: kind, version: version, title: title,
                data: try JSONCoding.decoder.decode(JSONValue.self, from: Data(data.utf8)),
                createdAt: createdAt, updatedAt: updatedAt, createdBy: createdBy, updatedBy: updatedBy)
        }
    }
}

/// What the caller wants a record to become.
public struct RecordDraft: Sendable {
    public var kind: String
    public var title: String
    public var data: JSONValue
    /// Value that must be unique per organisation and kind (the SoA control id, say).
    public var uniqueKey: String?
    /// Records this one points at; each must exist in the same organisation.
    public var links: [RecordLink]

    public init(kind: String, title: String, data: JSONValue, uniqueKey: String? = nil, links: [RecordLink] = []) {
        self.kind = kind
        self.title = title
        self.data = data
        self.uniqueKey = uniqueKey
        self.links = links
    }

    /// Builds the draft for a typed register record.
    public init<R: RegisterRecord>(_ record: R) throws {
        let data = try JSONValue(encoding: record)
        self.init(kind: R.spec.kind, title: record.displayTitle, data: data,
                  uniqueKey: R.spec.uniqueKey(of: data), links: R.spec.links(in: data))
    }
}

extension AimsStore {
    // Every query is filtered by organisation: there is no way to read another tenant's record.

    public func records(organisation: UUID, kind: String) async throws -> [StoredRecord] {
        try await RecordModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$kind == kind).all()
            .map { try $0.value }
    }

    public func record(organisation: UUID, kind: String, id: UUID) async throws -> StoredRecord {
        guard let model = try await find(organisation: organisation, kind: kind, id: id, on: db) else {
            throw StoreError.notFound(kind: kind)
        }
        return try model.value
    }

    private func find(organisation: UUID, kind: String, id: UUID, on db: any Database) async throws -> RecordModel? {
        try await RecordModel.query(on: db).filter(\.$id == id).filter(\.$organisationID == organisation)
            .filter(\.$kind == kind).first()
    }

    public func create(_ draft: RecordDraft, organisation: UUID, by actor: Principal) async throws -> StoredRecord {
        try await write { db in try await self.create(draft, organisation: organisation, by: actor, on: db) }
    }

    /// Creates several records in one transaction (seeding an organisation's SoA, say).
    public func createAll(_ drafts: [RecordDraft], organisation: UUID, by actor: Principal) async throws {
        try await write { db in
            for draft in drafts { _ = try await self.create(draft, organisation: organisation, by: actor, on: db) }
        }
    }

    func create(_ draft: RecordDraft, organisation: UUID, by actor: Principal, on db: any Database) async throws -> StoredRecord {
        try await checkUnique(draft, organisation: organisation, except: nil, on: db)
        let now = Date()
        let model = RecordModel()
        model.id = UUID()
        model.organisationID = organisation
        model.kind = draft.kind
        model.version = 1
        model.title = draft.title
        model.data = try Self.encode(draft.data)
        model.uniqueKey = draft.uniqueKey
        (model.createdAt, model.updatedAt, model.createdBy, model.updatedBy) = (now, now, actor.label, actor.label)
        try await checkLinks(draft, organisation: organisation, from: model.id!, on: db)
        try await model.create(on: db)
        try await replaceLinks(draft, organisation: organisation, from: model.id!, on: db)
        let stored = try model.value
        try await AuditChain.append(
            on: db, organisation: organisation, actor: actor, action: .create, kind: draft.kind, recordID: stored.id,
            before: nil, after: stored, at: now)
        return stored
    }

    /// Replaces a record's fields if `expectedVersion` is still current; otherwise changes nothing
    /// and throws ``StoreError/versionConflict(current:)``.
    public func update(
        id: UUID, organisation: UUID, expectedVersion: Int, to draft: RecordDraft, by actor: Principal
    ) async throws -> StoredRecord {
        try await write { db in
            guard let model = try await self.find(organisation: organisation, kind: draft.kind, id: id, on: db) else {
                throw StoreError.notFound(kind: draft.kind)
            }
            let before = try model.value
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            try await self.checkUnique(draft, organisation: organisation, except: id, on: db)
            try await self.checkLinks(draft, organisation: organisation, from: id, on: db)
            let now = Date()
            // The version condition makes the update a compare-and-swap even across processes.
            let updated = try await (db as! any SQLDatabase).update(RecordModel.schema)
                .set("version", to: SQLBind(expectedVersion + 1))
                .set("title", to: SQLBind(draft.title))
                .set("data", to: SQLBind(try Self.encode(draft.data)))
                .set("unique_key", to: SQLBind(draft.uniqueKey))
                .set("updated_at", to: SQLBind(now))
                .set("updated_by", to: SQLBind(actor.label))
                .where("id", .equal, SQLBind(id))
                .where("version", .equal, SQLBind(expectedVersion))
                .returning("version")
                .all()
            guard updated.count == 1 else { throw StoreError.versionConflict(current: before.version + 1) }
            try await self.replaceLinks(draft, organisation: organisation, from: id, on: db)
            guard let after = try await self.find(organisation: organisation, kind: draft.kind, id: id, on: db) else {
                throw StoreError.notFound(kind: draft.kind)
            }
            let stored = try after.value
            try await AuditChain.append(
                on: db, organisation: organisation, actor: actor, action: .update, kind: draft.kind, recordID: id,
                before: before, after: stored, at: now)
            return stored
        }
    }

    public func delete(id: UUID, kind: String, organisation: UUID, expectedVersion: Int, by actor: Principal) async throws {
        try await write { db in
            guard let model = try await self.find(organisation: organisation, kind: kind, id: id, on: db) else {
                throw StoreError.notFound(kind: kind)
            }
            let before = try model.value
            guard before.version == expectedVersion else { throw StoreError.versionConflict(current: before.version) }
            let inbound = try await RecordLinkModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$toID == id).all()
            if !inbound.isEmpty {
                var names: [String] = []
                for link in inbound {
                    if let from = try await RecordModel.find(link.fromID, on: db) { names.append("\(from.kind) “\(from.title)”") }
                }
                throw StoreError.refused("\(before.title) is still referred to by \(Set(names).sorted().joined(separator: ", ")); remove those links first")
            }
            try await RecordLinkModel.query(on: db).filter(\.$fromID == id).delete()
            try await model.delete(on: db)
            try await AuditChain.append(
                on: db, organisation: organisation, actor: actor, action: .delete, kind: kind, recordID: id,
                before: before, after: nil, at: Date())
        }
    }

    /// Every link must name a record of the right kind in the same organisation, and not itself.
    private func checkLinks(_ draft: RecordDraft, organisation: UUID, from id: UUID, on db: any Database) async throws {
        var issues: [FieldIssue] = []
        for link in draft.links {
            let found = try await RecordModel.query(on: db).filter(\.$id == link.id).filter(\.$organisationID == organisation)
                .filter(\.$kind == link.kind).count()
            if found == 0 || link.id == id {
                issues.append(FieldIssue(link.field, "refers to \(link.id.uuidString.lowercased()), which is not a \(link.kind) of this organisation"))
            }
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }

    private func replaceLinks(_ draft: RecordDraft, organisation: UUID, from id: UUID, on db: any Database) async throws {
        try await RecordLinkModel.query(on: db).filter(\.$fromID == id).delete()
        for link in Set(draft.links) {
            let model = RecordLinkModel()
            (model.id, model.organisationID, model.fromID, model.fromKind) = (UUID(), organisation, id, draft.kind)
            (model.field, model.toID, model.toKind) = (link.field, link.id, link.kind)
            try await model.create(on: db)
        }
    }

    /// Records that point at `id`, with the field they point from.
    public func backlinks(organisation: UUID, to id: UUID) async throws -> [(field: String, record: StoredRecord)] {
        let links = try await RecordLinkModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$toID == id).all()
        var result: [(String, StoredRecord)] = []
        for link in links {
            if let model = try await RecordModel.query(on: db).filter(\.$id == link.fromID).filter(\.$organisationID == organisation).first() {
                result.append((link.field, try model.value))
            }
        }
        return result.sorted { ($0.1.kind, $0.1.title) < ($1.1.kind, $1.1.title) }
    }

    /// Titles of an organisation's records by id, to show links by name.
    public func titles(organisation: UUID, ids: Set<UUID>) async throws -> [UUID: StoredRecord] {
        guard !ids.isEmpty else { return [:] }
        let models = try await RecordModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: try models.map { ($0.id!, try $0.value) })
    }

    private func checkUnique(_ draft: RecordDraft, organisation: UUID, except id: UUID?, on db: any Database) async throws {
        guard let key = draft.uniqueKey else { return }
        var query = RecordModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$kind == draft.kind)
            .filter(\.$uniqueKey == key)
        if let id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            guard let spec = Registers.type(forKind: draft.kind)?.spec, !spec.singleton else {
                throw StoreError.refused("an organisation has one \(draft.kind); edit the existing one")
            }
            throw StoreError.duplicate(field: spec.uniqueFields.last ?? "key", value: key)
        }
    }

    static func encode(_ value: JSONValue) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}

extension AimsStore {
    /// Creates a record Aims itself composed (a monitoring run's evidence, say), after the same
    /// field and rule checks as user input. Derived fields are kept as given: Aims set them.
    public func createChecked<R: RegisterRecord>(_ record: R, organisation: UUID, catalog: Catalog, by actor: Principal) async throws -> StoredRecord {
        let context = try await ruleContext(organisation: organisation, catalog: catalog)
        let issues = R.spec.issues(in: try JSONValue(encoding: record)) + record.check(previous: nil, context: context)
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return try await create(try RecordDraft(record), organisation: organisation, by: actor)
    }

    /// What register rules consult for this organisation: the catalog and its risk criteria.
    public func ruleContext(organisation: UUID, catalog: Catalog, now: Date = Date()) async throws -> RuleContext {
        let stored = try await records(organisation: organisation, kind: RiskCriteria.spec.kind).first
        return RuleContext(catalog: catalog, riskCriteria: try stored?.record(as: RiskCriteria.self) ?? .standard, now: now)
    }
}
