/// A piece of evidence or a controlled document (7.5): an uploaded file, kept by its SHA-256 digest,
/// or a link; with its owner, validity and the records it supports.
public struct Evidence: RegisterRecord {
    public var title: String
    public var evidenceType: String
    public var url: String?
    /// Set by Aims when a file is uploaded.
    public var fileName: String?
    public var contentType: String?
    public var size: Int?
    public var sha256: String?
    public var owner: String
    public var classification: String
    public var validUntil: CalendarDate?
    public var clauses: [String]?
    public var soaEntries: [String]?
    public var risks: [String]?
    public var aiSystems: [String]?
    public var models: [String]?
    public var audits: [String]?
    public var notes: String?

    public init(
        title: String,
        evidenceType: String,
        url: String? = nil,
        fileName: String? = nil,
        contentType: String? = nil,
        size: Int? = nil,
        sha256: String? = nil,
        owner: String,
        classification: String,
        validUntil: CalendarDate? = nil,
        clauses: [String]? = nil,
        soaEntries: [String]? = nil,
        risks: [String]? = nil,
        aiSystems: [String]? = nil,
        models: [String]? = nil,
        audits: [String]? = nil,
        notes: String? = nil
    ) {
        self.title = title
        self.evidenceType = evidenceType
        self.url = url
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.owner = owner
        self.classification = classification
        self.validUntil = validUntil
        self.clauses = clauses
        self.soaEntries = soaEntries
        self.risks = risks
        self.aiSystems = aiSystems
        self.models = models
        self.audits = audits
        self.notes = notes
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "evidence", path: "evidence", singular: "Evidence", plural: "Evidence and documents", clause: "7.5", area: "7 Support",
        summary: "Files (kept by their SHA-256 digest) and links that show the AIMS works, tied to what they evidence.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("evidenceType", "Type", .choice(Vocabulary.list([("file", "Uploaded file"), ("link", "Link")])), required: true, listed: true, filterable: true),
            FieldSpec("url", "Link", help: "For a link: an https:// address."),
            FieldSpec("fileName", "File name", listed: true, derived: true),
            FieldSpec("contentType", "Content type", derived: true),
            FieldSpec("size", "Size (bytes)", .integer(0...Int.max), derived: true),
            FieldSpec("sha256", "SHA-256", derived: true),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("classification", "Classification", .choice(Vocabulary.list([("public", "Public"), ("internal", "Internal"), ("confidential", "Confidential"), ("restricted", "Restricted")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("validUntil", "Valid until", .date, listed: true),
            FieldSpec("clauses", "Clauses and controls", .textList, filterable: true, help: "ISO/IEC 42001 ids, one per line (9.1, A.6.2.4)."),
            FieldSpec("soaEntries", "SoA rows", .references(SoAEntry.spec.kind)),
            FieldSpec("risks", "AI risks", .references(AIRisk.spec.kind)),
            FieldSpec("aiSystems", "AI systems", .references(AISystem.spec.kind)),
            FieldSpec("models", "Models", .references(ModelVersion.spec.kind)),
            FieldSpec("audits", "Internal audits", .references("internal-audit")),
            FieldSpec("notes", "Notes", .longText),
        ],
        defaultSort: "title")

    /// File types Aims accepts, and the bytes a file of that type starts with (nil: text, not checked by signature).
    public static let acceptedTypes: [String: [UInt8]?] = [
        "application/pdf": Array("%PDF".utf8), "image/png": [0x89, 0x50, 0x4E, 0x47], "image/jpeg": [0xFF, 0xD8, 0xFF],
        "application/zip": [0x50, 0x4B, 0x03, 0x04],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [0x50, 0x4B, 0x03, 0x04],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [0x50, 0x4B, 0x03, 0x04],
        "text/plain": nil, "text/csv": nil, "text/markdown": nil, "application/json": nil,
    ]

    /// Why a file may not be stored as evidence, or nil if it may.
    public static func problem(contentType: String, bytes: [UInt8]) -> String? {
        guard let signature = acceptedTypes[contentType] else {
            return "type \(contentType) is not accepted; use one of \(acceptedTypes.keys.sorted().joined(separator: ", "))"
        }
        if let signature {
            return bytes.starts(with: signature) ? nil : "the file's content is not \(contentType)"
        }
        return String(validating: bytes, as: UTF8.self) == nil ? "a \(contentType) file must be UTF-8 text" : nil
    }

    public func check(previous: Evidence?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if evidenceType == "link" {
            if let url, url.hasPrefix("https://") || url.hasPrefix("http://") {} else {
                issues.append(FieldIssue("url", "is required for a link and must start with https://"))
            }
        }
        for id in clauses ?? [] where context.catalog.clause(id) == nil && context.catalog.control(id) == nil {
            issues.append(FieldIssue("clauses", "\(id) is not an ISO/IEC 42001 clause or control"))
        }
        return issues
    }
}
