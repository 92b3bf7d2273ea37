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

    public init(kind: String, title: String, data: JSONValue, uniqueKey: String? = nil) {
        self.kind = kind
        self.title = title
        self.data = data
        self.uniqueKey = uniqueKey
    }

    /// Builds the draft for a typed register record.
    public init<R: RegisterRecord>(_ record: R) throws {
        let data = try JSONValue(encoding: record)
        self.init(kind: R.spec.kind, title: record.displayTitle, data: data,
                  uniqueKey: R.spec.uniqueField.flatMap { data[$0]?.text })
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
        try await model.create(on: db)
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
            try await model.delete(on: db)
            try await AuditChain.append(
                on: db, organisation: organisation, actor: actor, action: .delete, kind: kind, recordID: id,
                before: before, after: nil, at: Date())
        }
    }

    private func checkUnique(_ draft: RecordDraft, organisation: UUID, except id: UUID?, on db: any Database) async throws {
        guard let key = draft.uniqueKey else { return }
        var query = RecordModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$kind == draft.kind)
            .filter(\.$uniqueKey == key)
        if let id { query = query.filter(\.$id != id) }
        if try await query.count() > 0 {
            let field = Registers.type(forKind: draft.kind)?.spec.uniqueField ?? "key"
            throw StoreError.duplicate(field: field, value: key)
        }
    }

    static func encode(_ value: JSONValue) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}
