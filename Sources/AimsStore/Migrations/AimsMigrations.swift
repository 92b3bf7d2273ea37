import FluentKit

/// Every migration, in order. Migrations are never edited once shipped: add a new one.
enum AimsMigrations {
    static let all: [any Migration] = [CreateIdentity(), CreateRecords(), CreateAuditEvents(), CreateRecordLinks()]
}

struct CreateIdentity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("organisations").id()
            .field("name", .string, .required).field("slug", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "slug").create()
        try await database.schema("users").id()
            .field("email", .string, .required).field("name", .string, .required)
            .field("password_hash", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "email").create()
        try await database.schema("memberships").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("role", .string, .required)
            .unique(on: "organisation_id", "user_id").create()
        try await database.schema("sessions").id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required)
            .unique(on: "token_hash").create()
        try await database.schema("api_tokens").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("name", .string, .required).field("prefix", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime).field("last_used_at", .datetime)
            .unique(on: "token_hash").create()
    }

    func revert(on database: any Database) async throws {
        for table in ["api_tokens", "sessions", "memberships", "users", "organisations"] {
            try await database.schema(table).delete()
        }
    }
}

struct CreateRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("records").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("kind", .string, .required).field("version", .int, .required)
            .field("title", .string, .required).field("data", .string, .required)
            .field("unique_key", .string)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("created_by", .string, .required).field("updated_by", .string, .required)
            .unique(on: "organisation_id", "kind", "unique_key")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("records").delete() }
}

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("sequence", .int, .required).field("at", .string, .required).field("actor", .string, .required)
            .field("action", .string, .required).field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("before_digest", .string).field("after_digest", .string)
            .field("previous_digest", .string, .required).field("digest", .string, .required)
            .field("snapshot", .string, .required)
            .unique(on: "organisation_id", "sequence")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("audit_events").delete() }
}

struct CreateRecordLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("record_links").id()
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("from_id", .uuid, .required).field("from_kind", .string, .required).field("field", .string, .required)
            .field("to_id", .uuid, .required).field("to_kind", .string, .required)
            .unique(on: "from_id", "field", "to_id")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("record_links").delete() }
}
