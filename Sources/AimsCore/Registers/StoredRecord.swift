import Foundation

/// A register record as stored: its data plus the metadata every record carries.
public struct StoredRecord: Sendable, Equatable, Codable {
    public var id: UUID
    public var organisationID: UUID
    public var kind: String
    /// Starts at 1 and grows by one with every update; the HTTP ETag is derived from it.
    public var version: Int
    public var title: String
    public var data: JSONValue
    public var createdAt: Date
    public var updatedAt: Date
    public var createdBy: String
    public var updatedBy: String

    public init(
        id: UUID, organisationID: UUID, kind: String, version: Int, title: String, data: JSONValue,
        createdAt: Date, updatedAt: Date, createdBy: String, updatedBy: String
    ) {
        self.id = id
        self.organisationID = organisationID
        self.kind = kind
        self.version = version
        self.title = title
        self.data = data
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.updatedBy = updatedBy
    }

    /// The value a field has, as plain text ("" when absent). Metadata fields are included.
    public func text(of field: String) -> String {
        switch field {
        case "title": title
        case "createdAt": createdAt.ISO8601Format()
        case "updatedAt": updatedAt.ISO8601Format()
        case "version": String(version)
        default: data[field]?.text ?? ""
        }
    }

    public func record<R: RegisterRecord>(as type: R.Type) throws -> R { try data.decode(R.self) }
}
