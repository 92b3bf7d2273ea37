import AimsCore
import Crypto
import FluentKit
import Foundation

/// Who performed a change, as written into the audit trail.
public struct Principal: Sendable, Equatable {
    public var userID: UUID?
    /// "user:ada@example.com", "token:ci-pipeline (ada@example.com)", "system:demo".
    public var label: String
    public init(userID: UUID?, label: String) {
        self.userID = userID
        self.label = label
    }
    public static func system(_ what: String) -> Principal { Principal(userID: nil, label: "system:\(what)") }
}

public enum AuditAction: String, Sendable, Codable { case create, update, delete }

/// One entry of an organisation's audit trail.
public struct AuditEvent: Sendable, Equatable, Codable {
    public var sequence: Int
    public var at: String
    public var actor: String
    public var action: String
    public var recordKind: String
    public var recordID: UUID
    public var beforeDigest: String?
    public var afterDigest: String?
    public var previousDigest: String
    public var digest: String
    public var snapshot: JSONValue
}

/// The hash chain: each event's digest covers its own fields and the previous event's digest,
/// so editing, deleting or reordering any stored event breaks every digest after it.
enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Digest of a record's state: its identity, version, title and fields.
    static func digest(of record: StoredRecord) -> String {
        let state: JSONValue = .object([
            "id": .string(record.id.uuidString.lowercased()), "kind": .string(record.kind),
            "organisation": .string(record.organisationID.uuidString.lowercased()),
            "version": .number(Double(record.version)), "title": .string(record.title), "data": record.data,
        ])
        return sha256(try! JSONCoding.encoder.encode(state))
    }

    static func digest(of event: AuditEventModel) -> String {
        let fields: JSONValue = .object([
            "organisation": .string(event.organisationID.uuidString.lowercased()),
            "sequence": .number(Double(event.sequence)), "at": .string(event.at), "actor": .string(event.actor),
            "action": .string(event.action), "kind": .string(event.recordKind),
            "record": .string(event.recordID.uuidString.lowercased()),
            "before": event.beforeDigest.map(JSONValue.string) ?? .null,
            "after": event.afterDigest.map(JSONValue.string) ?? .null,
            "previous": .string(event.previousDigest), "snapshot": .string(event.snapshot),
        ])
        return sha256(try! JSONCoding.encoder.encode(fields))
    }

    static let timestamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Appends an event inside the caller's transaction.
    static func append(
        on db: any Database, organisation: UUID, actor: Principal, action: AuditAction, kind: String, recordID: UUID,
        before: StoredRecord?, after: StoredRecord?, at date: Date
    ) async throws {
        let last = try await AuditEventModel.query(on: db).filter(\.$organisationID == organisation)
            .sort(\.$sequence, .descending).first()
        let event = AuditEventModel()
        event.id = UUID()
        event.organisationID = organisation
        event.sequence = (last?.sequence ?? 0) + 1
        event.at = timestamp.format(date)
        event.actor = actor.label
        event.action = action.rawValue
        event.recordKind = kind
        event.recordID = recordID
        event.beforeDigest = before.map(digest(of:))
        event.afterDigest = after.map(digest(of:))
        event.previousDigest = last?.digest ?? genesis
        event.snapshot = String(decoding: try JSONCoding.encoder.encode((after ?? before)?.data ?? .null), as: UTF8.self)
        event.digest = digest(of: event)
        try await event.create(on: db)
    }
}

/// The outcome of recomputing an organisation's chain.
public struct AuditVerification: Sendable, Equatable {
    public var organisationID: UUID
    public var eventsChecked: Int
    /// nil when the chain is intact.
    public var firstBadSequence: Int?
    public var problem: String?
    public var isIntact: Bool { problem == nil }
}

extension AuditEventModel {
    var value: AuditEvent {
        AuditEvent(
            sequence: sequence, at: at, actor: actor, action: action, recordKind: recordKind, recordID: recordID,
            beforeDigest: beforeDigest, afterDigest: afterDigest, previousDigest: previousDigest, digest: digest,
            snapshot: (try? JSONCoding.decoder.decode(JSONValue.self, from: Data(snapshot.utf8))) ?? .null)
    }
}

extension AimsStore {
    /// Recomputes the chain of one organisation and checks every live record against the digest
    /// of its latest event. Names the first event (by sequence) that does not match.
    public func verifyAuditTrail(organisation: UUID) async throws -> AuditVerification {
        let events = try await AuditEventModel.query(on: db).filter(\.$organisationID == organisation)
            .sort(\.$sequence).all()
        var result = AuditVerification(organisationID: organisation, eventsChecked: 0)
        var previous = AuditChain.genesis
        var latestAfter: [UUID: (digest: String?, sequence: Int)] = [:]
        for (index, event) in events.enumerated() {
            result.eventsChecked += 1
            let expected = index + 1
            func fail(_ problem: String) -> AuditVerification {
                var failed = result
                failed.firstBadSequence = event.sequence
                failed.problem = problem
                return failed
            }
            if event.sequence != expected {
                return fail("event \(expected) is missing: found sequence \(event.sequence) in its place (deleted or reordered)")
            }
            if event.previousDigest != previous {
                return fail("event \(event.sequence) does not link to event \(expected - 1) (deleted, inserted or reordered)")
            }
            if AuditChain.digest(of: event) != event.digest {
                return fail("event \(event.sequence) was altered: its digest does not match its contents")
            }
            previous = event.digest
            latestAfter[event.recordID] = (event.afterDigest, event.sequence)
        }
        let records = try await RecordModel.query(on: db).filter(\.$organisationID == organisation).all()
        for model in records {
            let record = try model.value
            guard let latest = latestAfter[record.id] else {
                result.problem = "record \(record.kind) \(record.id) has no audit event (written outside Aims)"
                return result
            }
            if latest.digest != AuditChain.digest(of: record) {
                result.firstBadSequence = latest.sequence
                result.problem = "record \(record.kind) \(record.id) differs from what event \(latest.sequence) recorded (edited outside Aims)"
                return result
            }
        }
        return result
    }

    /// Events of one organisation, newest first.
    public func auditEvents(organisation: UUID, recordID: UUID? = nil, page: Int = 1, perPage: Int = 100) async throws -> (events: [AuditEvent], total: Int) {
        var query = AuditEventModel.query(on: db).filter(\.$organisationID == organisation)
        if let recordID { query = query.filter(\.$recordID == recordID) }
        let total = try await query.count()
        let events = try await query.sort(\.$sequence, .descending).range(((page - 1) * perPage)..<(page * perPage)).all()
        return (events.map(\.value), total)
    }
}
