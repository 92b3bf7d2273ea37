/// An internal or external issue that affects the AIMS (clause 4.1).
public struct ContextIssue: RegisterRecord {
    public enum Origin: String, Sendable, Codable { case `internal`, external }

    public var title: String
    public var origin: Origin
    public var category: String
    public var description: String
    public var effectOnAims: String
    /// Whether the issue is relevant to the AIMS. For the climate-change category this is the
    /// decision clause 4.1 asks to record.
    public var relevant: Bool
    public var rationale: String
    public var owner: String?
    public var reviewDate: CalendarDate?

    public init(
        title: String, origin: Origin, category: String, description: String, effectOnAims: String, relevant: Bool, rationale: String, owner: String? = nil, reviewDate: CalendarDate? = nil
    ) {
        self.title = title
        self.origin = origin
        self.category = category
        self.description = description
        self.effectOnAims = effectOnAims
        self.relevant = relevant
        self.rationale = rationale
        self.owner = owner
        self.reviewDate = reviewDate
    }

    public var displayTitle: String { title }

    public static let categories = [
        Choice("legal-regulatory", "Legal and regulatory"), Choice("technological", "Technological"),
        Choice("economic", "Economic and market"), Choice("social-cultural", "Social and cultural"),
        Choice("ethical", "Ethical"), Choice("environmental", "Environmental"), Choice("climate-change", "Climate change"),
        Choice("organisational", "Organisational"), Choice("competitive", "Competitive"),
    ]

    public static let spec = RegisterSpec(
        kind: "context-issue", path: "context-issues", singular: "Context issue", plural: "Context issues",
        clause: "4.1", area: "4 Context", summary: "Internal and external issues that shape what the AIMS must achieve.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("origin", "Internal or external", .choice([Choice("internal", "Internal"), Choice("external", "External")]),
                      required: true, listed: true, filterable: true),
            FieldSpec("category", "Category", .choice(categories), required: true, listed: true, filterable: true),
            FieldSpec("description", "Description", .longText, required: true),
            FieldSpec("effectOnAims", "Effect on the AIMS", .longText, required: true),
            FieldSpec("relevant", "Relevant to the AIMS", .boolean, required: true, listed: true, filterable: true,
                      help: "For climate change this records the relevance decision of clause 4.1."),
            FieldSpec("rationale", "Rationale for the decision", .longText, required: true),
            FieldSpec("owner", "Owner", listed: true, filterable: true),
            FieldSpec("reviewDate", "Next review", .date, listed: true),
        ],
        defaultSort: "title"
    )
}
