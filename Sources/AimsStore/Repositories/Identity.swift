import AimsCore
import Crypto
import FluentKit
import Foundation
import HummingbirdBcrypt
import NIOPosix

public struct Organisation: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    public var slug: String
}

public struct User: Sendable, Equatable, Codable {
    public var id: UUID
    public var email: String
    public var name: String
}

public struct Member: Sendable, Equatable, Codable {
    public var user: User
    public var role: Role
}

/// The identity behind a request: a user acting in one organisation with one role.
public struct Identity: Sendable, Equatable {
    public var user: User
    public var organisation: Organisation
    public var role: Role
    /// Set for browser sessions; forms must echo it back.
    public var csrfToken: String?
    public var tokenName: String?

    public var principal: Principal {
        Principal(userID: user.id, label: tokenName.map { "token:\($0) (\(user.email))" } ?? "user:\(user.email)")
    }
}

public struct APIToken: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    public var prefix: String
    public var userEmail: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?
}

/// Secrets: random, URL-safe, and stored only as SHA-256.
enum Secret {
    static func make(prefix: String = "") -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    static func hash(_ secret: String) -> String { AuditChain.sha256(Data(secret.utf8)) }
}

extension AimsStore {
    // MARK: Organisations

    /// Creates an organisation with its 38 Annex A Statement of Applicability rows and default risk criteria.
    public func createOrganisation(name: String, slug: String, catalog: Catalog, by actor: Principal) async throws -> Organisation {
        let slug = slug.lowercased()
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationFailure([FieldIssue("name", "is required")]) }
        guard slug.range(of: "^[a-z0-9][a-z0-9-]{1,62}$", options: .regularExpression) != nil else {
            throw ValidationFailure([FieldIssue("slug", "must be 2–63 lowercase letters, digits or hyphens")])
        }
        let model = OrganisationModel(id: UUID(), name: name, slug: slug, createdAt: Date())
        try await write { db in
            if try await OrganisationModel.query(on: db).filter(\.$slug == slug).count() > 0 {
                throw StoreError.duplicate(field: "slug", value: slug)
            }
            try await model.create(on: db)
            for control in catalog.controls {
                _ = try await self.create(try RecordDraft(SoAEntry.undecided(control)), organisation: model.id!, by: actor, on: db)
            }
            _ = try await self.create(try RecordDraft(RiskCriteria.standard), organisation: model.id!, by: actor, on: db)
        }
        return Organisation(id: model.id!, name: name, slug: slug)
    }

    public func organisations() async throws -> [Organisation] {
        try await OrganisationModel.query(on: db).sort(\.$name).all().map { Organisation(id: $0.id!, name: $0.name, slug: $0.slug) }
    }

    public func organisation(slug: String) async throws -> Organisation? {
        try await OrganisationModel.query(on: db).filter(\.$slug == slug.lowercased()).first()
            .map { Organisation(id: $0.id!, name: $0.name, slug: $0.slug) }
    }

    // MARK: Users and members

    /// Creates the user if the e-mail is new, and makes them a member of the organisation.
    public func addMember(
        email: String, name: String, password: String, role: Role, organisation: Organisation, by actor: Principal,
        bcryptCost: UInt8 = 12
    ) async throws -> User {
        let email = email.lowercased().trimmingCharacters(in: .whitespaces)
        var issues: [FieldIssue] = []
        if email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
            issues.append(FieldIssue("email", "must be an e-mail address"))
        }
        if password.count < 12 { issues.append(FieldIssue("password", "must be at least 12 characters")) }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: bcryptCost) }
        return try await write { db in
            let user: UserModel
            if let existing = try await UserModel.query(on: db).filter(\.$email == email).first() {
                user = existing
            } else {
                user = UserModel()
                (user.id, user.email, user.name, user.passwordHash, user.createdAt) = (UUID(), email, name, hash, Date())
                try await user.create(on: db)
            }
            if try await MembershipModel.query(on: db).filter(\.$organisationID == organisation.id)
                .filter(\.$userID == user.id!).count() > 0
            {
                throw StoreError.duplicate(field: "email", value: email)
            }
            let membership = MembershipModel()
            (membership.id, membership.organisationID, membership.userID, membership.role) = (UUID(), organisation.id, user.id!, role.rawValue)
            try await membership.create(on: db)
            try await self.audit(membership: membership, email: email, action: .create, organisation: organisation.id, by: actor, on: db)
            return User(id: user.id!, email: email, name: user.name)
        }
    }

    public func members(of organisation: UUID) async throws -> [Member] {
        let memberships = try await MembershipModel.query(on: db).filter(\.$organisationID == organisation).all()
        var members: [Member] = []
        for membership in memberships {
            guard let user = try await UserModel.find(membership.userID, on: db), let role = Role(rawValue: membership.role) else { continue }
            members.append(Member(user: User(id: user.id!, email: user.email, name: user.name), role: role))
        }
        return members.sorted { $0.user.email < $1.user.email }
    }

    private func audit(
        membership: MembershipModel, email: String, action: AuditAction, organisation: UUID, by actor: Principal, on db: any Database
    ) async throws {
        let state = StoredRecord(
            id: membership.id!, organisationID: organisation, kind: "membership", version: 1, title: email,
            data: .object(["email": .string(email), "role": .string(membership.role)]),
            createdAt: Date(), updatedAt: Date(), createdBy: actor.label, updatedBy: actor.label)
        try await AuditChain.append(
            on: db, organisation: organisation, actor: actor, action: action, kind: "membership", recordID: membership.id!,
            before: action == .create ? nil : state, after: action == .delete ? nil : state, at: Date())
    }

    /// Checks a password. Returns the user's memberships (organisation and role) when it matches.
    public func authenticate(email: String, password: String) async throws -> (User, [(Organisation, Role)])? {
        guard let user = try await UserModel.query(on: db).filter(\.$email == email.lowercased()).first() else {
            // Spend the same time as a real check so response timing does not reveal which e-mails exist.
            _ = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: Self.dummyHash) }
            return nil
        }
        let hash = user.passwordHash
        guard try await NIOThreadPool.singleton.runIfActive({ Bcrypt.verify(password, hash: hash) }) else { return nil }
        let memberships = try await MembershipModel.query(on: db).filter(\.$userID == user.id!).all()
        var result: [(Organisation, Role)] = []
        for membership in memberships {
            if let org = try await OrganisationModel.find(membership.organisationID, on: db), let role = Role(rawValue: membership.role) {
                result.append((Organisation(id: org.id!, name: org.name, slug: org.slug), role))
            }
        }
        return (User(id: user.id!, email: user.email, name: user.name), result)
    }

    static let dummyHash = Bcrypt.hash("aims-timing-equaliser", cost: 10)

    private func identity(userID: UUID, organisationID: UUID, on db: any Database) async throws -> Identity? {
        guard let user = try await UserModel.find(userID, on: db), let org = try await OrganisationModel.find(organisationID, on: db),
            let membership = try await MembershipModel.query(on: db).filter(\.$organisationID == organisationID)
                .filter(\.$userID == userID).first(),
            let role = Role(rawValue: membership.role)
        else { return nil }
        return Identity(
            user: User(id: user.id!, email: user.email, name: user.name),
            organisation: Organisation(id: org.id!, name: org.name, slug: org.slug), role: role)
    }

    // MARK: Sessions

    /// Starts a browser session; returns the cookie value (only its hash is stored).
    public func startSession(user: UUID, organisation: UUID, lifetime: TimeInterval) async throws -> String {
        let token = Secret.make()
        let session = SessionModel()
        (session.id, session.tokenHash, session.userID, session.organisationID) = (UUID(), Secret.hash(token), user, organisation)
        (session.csrfToken, session.createdAt, session.expiresAt) = (Secret.make(), Date(), Date().addingTimeInterval(lifetime))
        try await write { db in try await session.create(on: db) }
        return token
    }

    public func session(token: String) async throws -> Identity? {
        guard let session = try await SessionModel.query(on: db).filter(\.$tokenHash == Secret.hash(token)).first(),
            session.expiresAt > Date()
        else { return nil }
        var identity = try await identity(userID: session.userID, organisationID: session.organisationID, on: db)
        identity?.csrfToken = session.csrfToken
        return identity
    }

    public func endSession(token: String) async throws {
        try await write { db in
            try await SessionModel.query(on: db).filter(\.$tokenHash == Secret.hash(token)).delete()
        }
    }

    // MARK: API tokens

    /// Creates a token for a member. The secret is returned once and never stored.
    public func createToken(name: String, for user: UUID, organisation: UUID, lifetime: TimeInterval, by actor: Principal) async throws -> (APIToken, String) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
            throw ValidationFailure([FieldIssue("name", "is required (at most 100 characters)")])
        }
        guard lifetime > 0, lifetime <= 366 * 86_400 else {
            throw ValidationFailure([FieldIssue("expiresInDays", "must be between 1 and 366 days")])
        }
        let secret = Secret.make(prefix: "aims_")
        let model = APITokenModel()
        (model.id, model.organisationID, model.userID, model.name) = (UUID(), organisation, user, name)
        (model.prefix, model.tokenHash, model.createdAt, model.expiresAt) = (String(secret.prefix(12)), Secret.hash(secret), Date(), Date().addingTimeInterval(lifetime))
        try await write { db in
            guard try await MembershipModel.query(on: db).filter(\.$organisationID == organisation).filter(\.$userID == user).count() > 0 else {
                throw StoreError.notFound(kind: "member")
            }
            try await model.create(on: db)
            try await self.auditToken(model, action: .create, by: actor, on: db)
        }
        return (try await token(model), secret)
    }

    public func tokens(organisation: UUID) async throws -> [APIToken] {
        var result: [APIToken] = []
        for model in try await APITokenModel.query(on: db).filter(\.$organisationID == organisation).sort(\.$createdAt, .descending).all() {
            result.append(try await token(model))
        }
        return result
    }

    private func token(_ model: APITokenModel) async throws -> APIToken {
        let email = try await UserModel.find(model.userID, on: db)?.email ?? "?"
        return APIToken(
            id: model.id!, name: model.name, prefix: model.prefix, userEmail: email, createdAt: model.createdAt,
            expiresAt: model.expiresAt, revokedAt: model.revokedAt, lastUsedAt: model.lastUsedAt)
    }

    public func revokeToken(id: UUID, organisation: UUID, by actor: Principal) async throws {
        try await write { db in
            guard let model = try await APITokenModel.query(on: db).filter(\.$id == id).filter(\.$organisationID == organisation).first() else {
                throw StoreError.notFound(kind: "api-token")
            }
            guard model.revokedAt == nil else { return }
            model.revokedAt = Date()
            try await model.update(on: db)
            try await self.auditToken(model, action: .update, by: actor, on: db)
        }
    }

    /// The identity a bearer token acts as, or nil if it is unknown, expired or revoked.
    public func identity(bearer secret: String) async throws -> Identity? {
        guard let model = try await APITokenModel.query(on: db).filter(\.$tokenHash == Secret.hash(secret)).first(),
            model.revokedAt == nil, model.expiresAt > Date()
        else { return nil }
        var identity = try await identity(userID: model.userID, organisationID: model.organisationID, on: db)
        identity?.tokenName = model.name
        return identity
    }

    private func auditToken(_ model: APITokenModel, action: AuditAction, by actor: Principal, on db: any Database) async throws {
        let state = StoredRecord(
            id: model.id!, organisationID: model.organisationID, kind: "api-token", version: model.revokedAt == nil ? 1 : 2,
            title: model.name,
            data: .object(["name": .string(model.name), "prefix": .string(model.prefix), "revoked": .bool(model.revokedAt != nil)]),
            createdAt: model.createdAt, updatedAt: Date(), createdBy: actor.label, updatedBy: actor.label)
        try await AuditChain.append(
            on: db, organisation: model.organisationID, actor: actor, action: action, kind: "api-token", recordID: model.id!,
            before: nil, after: state, at: Date())
    }
}
