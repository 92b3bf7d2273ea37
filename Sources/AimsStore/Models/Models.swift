import FluentKit
import Foundation

// Fluent models stay inside AimsStore; the rest of Aims sees value types.

final class OrganisationModel: Model, @unchecked Sendable {
    static let schema = "organisations"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
    init(id: UUID, name: String, slug: String, createdAt: Date) {
        (self.id, self.name, self.slug, self.createdAt) = (id, name, slug, createdAt)
    }
}

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class MembershipModel: Model, @unchecked Sendable {
    static let schema = "memberships"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    init() {}
}

final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    init() {}
}

final class RecordModel: Model, @unchecked Sendable {
    static let schema = "records"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "version") var version: Int
    @Field(key: "title") var title: String
    /// The record's fields as canonical JSON.
    @Field(key: "data") var data: String
    @OptionalField(key: "unique_key") var uniqueKey: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "created_by") var createdBy: String
    @Field(key: "updated_by") var updatedBy: String
    init() {}
}

final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "sequence") var sequence: Int
    @Field(key: "at") var at: String
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "record_kind") var recordKind: String
    @Field(key: "record_id") var recordID: UUID
    @OptionalField(key: "before_digest") var beforeDigest: String?
    @OptionalField(key: "after_digest") var afterDigest: String?
    @Field(key: "previous_digest") var previousDigest: String
    @Field(key: "digest") var digest: String
    /// The record as it stood after the change (before it, for deletions): the version history.
    @Field(key: "snapshot") var snapshot: String
    init() {}
}

/// One link from a record's reference field to another record, kept so that deletions can be
/// refused while something points at a record, and so each record can list what points at it.
final class RecordLinkModel: Model, @unchecked Sendable {
    static let schema = "record_links"
    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "from_id") var fromID: UUID
    @Field(key: "from_kind") var fromKind: String
    @Field(key: "field") var field: String
    @Field(key: "to_id") var toID: UUID
    @Field(key: "to_kind") var toKind: String
    init() {}
}
