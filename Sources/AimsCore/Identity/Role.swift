/// A member's role in one organisation.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case owner
    case governanceLead = "governance-lead"
    case contributor
    case auditor
    case viewer

    public var label: String {
        switch self {
        case .owner: "Owner"
        case .governanceLead: "Governance lead"
        case .contributor: "Contributor"
        case .auditor: "Auditor"
        case .viewer: "Viewer"
        }
    }

    /// What each role may do. Auditors read and export everything but change nothing.
    public func allows(_ permission: Permission) -> Bool {
        switch permission {
        case .read: true
        case .export: self != .viewer
        case .write: self == .owner || self == .governanceLead || self == .contributor
        case .approve: self == .owner || self == .governanceLead
        case .readAudit: self != .viewer && self != .contributor
        case .manageMembers: self == .owner
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a route needs. Every route declares exactly one.
public enum Permission: String, Sendable, Codable, CaseIterable {
    /// See registers and the catalog.
    case read
    /// Download exports (CSV, JSON, Markdown).
    case export
    /// Create, update and delete register records.
    case write
    /// Approve documents and accept residual risk.
    case approve
    /// Read the audit trail.
    case readAudit = "read-audit"
    /// Manage members and their roles.
    case manageMembers = "manage-members"
}
