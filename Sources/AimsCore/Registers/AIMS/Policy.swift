/// The AI policy and topic-specific policies (5.2, A.2), as versioned documents.
public struct Policy: RegisterRecord {
    public var title: String
    public var policyType: String
    public var topic: String?
    public var documentVersion: String
    public var content: String
    public var status: String
    public var owner: String
    public var approvedBy: String?
    public var approvedOn: CalendarDate?
    public var publishedOn: CalendarDate?
    public var reviewDate: CalendarDate?
    public var supersedes: String?

    public init(
        title: String,
        policyType: String,
        topic: String? = nil,
        documentVersion: String,
        content: String,
        status: String,
        owner: String,
        approvedBy: String? = nil,
        approvedOn: CalendarDate? = nil,
        publishedOn: CalendarDate? = nil,
        reviewDate: CalendarDate? = nil,
        supersedes: String? = nil
    ) {
        self.title = title
        self.policyType = policyType
        self.topic = topic
        self.documentVersion = documentVersion
        self.content = content
        self.status = status
        self.owner = owner
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.publishedOn = publishedOn
        self.reviewDate = reviewDate
        self.supersedes = supersedes
    }

    public var displayTitle: String { "\(title) v\(documentVersion)" }

    public static let spec = RegisterSpec(
        kind: "policy", path: "policies", singular: "Policy", plural: "AI policies", clause: "5.2", area: "5 Leadership",
        summary: "The AI policy and topic-specific policies, each version approved and published.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("policyType", "Type", .choice(Vocabulary.list([("ai-policy", "AI policy (5.2)"), ("topic-specific", "Topic-specific policy")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("topic", "Topic"),
            FieldSpec("documentVersion", "Version", required: true, listed: true),
            FieldSpec("content", "Text", .longText, required: true),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("draft", "Draft"), ("approved", "Approved"), ("published", "Published"), ("withdrawn", "Withdrawn")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("owner", "Owner", required: true, filterable: true),
            FieldSpec("approvedBy", "Approved by", listed: true),
            FieldSpec("approvedOn", "Approved on", .date, listed: true),
            FieldSpec("publishedOn", "Published on", .date),
            FieldSpec("reviewDate", "Next review", .date, listed: true),
            FieldSpec("supersedes", "Supersedes", .reference("policy")),
        ],
        uniqueFields: ["title", "documentVersion"], defaultSort: "title", approvalFields: ["approvedBy", "approvedOn"])

    public func check(previous: Policy?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if status == "approved" || status == "published" {
            if approvedBy == nil { issues.append(FieldIssue("approvedBy", "is required once approved")) }
            if approvedOn == nil { issues.append(FieldIssue("approvedOn", "is required once approved")) }
        }
        if status == "published", publishedOn == nil { issues.append(FieldIssue("publishedOn", "is required once published")) }
        if policyType == "topic-specific", topic?.isEmpty ?? true { issues.append(FieldIssue("topic", "is required for a topic-specific policy")) }
        if let previous, previous.status != "draft", previous.content != content || previous.documentVersion != documentVersion {
            issues.append(FieldIssue("content", "an approved version is fixed; write a new version that supersedes it"))
        }
        return issues + order(approvedOn, publishedOn, field: "publishedOn", message: "cannot be before the approval")
    }
}

/// An AI objective (6.2) with the plan to reach it and its measurements.
public struct Objective: RegisterRecord {
    public var title: String
    public var what: String
    public var owner: String
    public var resources: String?
    public var dueDate: CalendarDate
    public var measure: String
    public var kpi: String?
    public var target: String?
    public var direction: String?
    /// Manual measurements, one per line: "2026-03-31 0.93" (the monitoring loop adds its own later).
    public var measurements: [String]?
    public var policy: String?
    public var aiSystems: [String]?
    public var status: String

    public init(
        title: String,
        what: String,
        owner: String,
        resources: String? = nil,
        dueDate: CalendarDate,
        measure: String,
        kpi: String? = nil,
        target: String? = nil,
        direction: String? = nil,
        measurements: [String]? = nil,
        policy: String? = nil,
        aiSystems: [String]? = nil,
        status: String
    ) {
        self.title = title
        self.what = what
        self.owner = owner
        self.resources = resources
        self.dueDate = dueDate
        self.measure = measure
        self.kpi = kpi
        self.target = target
        self.direction = direction
        self.measurements = measurements
        self.policy = policy
        self.aiSystems = aiSystems
        self.status = status
    }

    public var displayTitle: String { title }

    public static let spec = RegisterSpec(
        kind: "objective", path: "objectives", singular: "AI objective", plural: "AI objectives", clause: "6.2", area: "6 Planning",
        summary: "Measurable AI objectives: what, who, with which resources, by when and how results are evaluated.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("what", "What will be done", .longText, required: true),
            FieldSpec("owner", "Who is responsible", required: true, listed: true, filterable: true),
            FieldSpec("resources", "Resources", .longText),
            FieldSpec("dueDate", "When", .date, required: true, listed: true),
            FieldSpec("measure", "How results are evaluated", .longText, required: true),
            FieldSpec("kpi", "KPI", listed: true),
            FieldSpec("target", "Target", listed: true, help: "A number, such as 0.8."),
            FieldSpec("direction", "Better is", .choice(Vocabulary.list([("higher", "Higher"), ("lower", "Lower")]))),
            FieldSpec("measurements", "Measurements", .textList, help: "One per line: date and value, such as 2026-03-31 0.93."),
            FieldSpec("policy", "Policy", .reference(Policy.spec.kind)),
            FieldSpec("aiSystems", "AI systems", .references(AISystem.spec.kind)),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("planned", "Planned"), ("on-track", "On track"), ("at-risk", "At risk"),
                                                                   ("achieved", "Achieved"), ("missed", "Missed")])),
                      required: true, listed: true, filterable: true),
        ],
        defaultSort: "dueDate")

    /// Parsed measurements, oldest first.
    public var series: [(date: CalendarDate, value: Double)] {
        (measurements ?? []).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let date = CalendarDate(String(parts[0])), let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (date, value)
        }.sorted { $0.date < $1.date }
    }

    public func check(previous: Objective?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if let target, Double(target) == nil { issues.append(FieldIssue("target", "must be a number")) }
        if target != nil, direction == nil { issues.append(FieldIssue("direction", "is required with a target")) }
        if series.count != (measurements ?? []).count {
            issues.append(FieldIssue("measurements", "each line must be a date and a number, such as 2026-03-31 0.93"))
        }
        return issues
    }
}
