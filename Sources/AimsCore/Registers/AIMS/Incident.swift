import Foundation

/// An AI incident (A.8.4) and, for a serious incident under the EU AI Act (Art. 73), its reporting clock.
public struct Incident: RegisterRecord {
    public var title: String
    public var aiSystem: String
    public var description: String
    public var detectedAt: String
    /// When the organisation became aware it was a (possibly) serious incident; the clock starts here.
    public var awareAt: String
    public var severity: String
    public var affectedPersons: String?
    public var serious: Bool
    public var seriousCategory: String?
    public var reportDueBy: String?
    public var reportDeadlineDays: Int?
    public var interimReportAt: String?
    public var finalReportAt: String?
    public var authority: String?
    public var status: String
    public var containment: String?
    public var rootCause: String?
    public var correctiveActions: [String]?
    public var owner: String

    public init(
        title: String,
        aiSystem: String,
        description: String,
        detectedAt: String,
        awareAt: String,
        severity: String,
        affectedPersons: String? = nil,
        serious: Bool,
        seriousCategory: String? = nil,
        reportDueBy: String? = nil,
        reportDeadlineDays: Int? = nil,
        interimReportAt: String? = nil,
        finalReportAt: String? = nil,
        authority: String? = nil,
        status: String,
        containment: String? = nil,
        rootCause: String? = nil,
        correctiveActions: [String]? = nil,
        owner: String
    ) {
        self.title = title
        self.aiSystem = aiSystem
        self.description = description
        self.detectedAt = detectedAt
        self.awareAt = awareAt
        self.severity = severity
        self.affectedPersons = affectedPersons
        self.serious = serious
        self.seriousCategory = seriousCategory
        self.reportDueBy = reportDueBy
        self.reportDeadlineDays = reportDeadlineDays
        self.interimReportAt = interimReportAt
        self.finalReportAt = finalReportAt
        self.authority = authority
        self.status = status
        self.containment = containment
        self.rootCause = rootCause
        self.correctiveActions = correctiveActions
        self.owner = owner
    }

    public var displayTitle: String { title }

    public static let seriousCategories = Vocabulary.list([
        ("death", "Death of a person (or may have caused it)"),
        ("widespread-infringement", "Widespread infringement"),
        ("critical-infrastructure", "Serious and irreversible disruption of critical infrastructure"),
        ("health", "Serious harm to a person's health"),
        ("fundamental-rights", "Infringement of fundamental-rights obligations"),
        ("property-or-environment", "Serious harm to property or the environment"),
    ])

    public static let spec = RegisterSpec(
        kind: "incident", path: "incidents", singular: "Incident", plural: "Incidents", clause: "A.8.4", area: "8 Operation",
        summary: "AI incidents, their containment and causes, and the EU AI Act reporting clock for serious ones.",
        fields: [
            FieldSpec("title", "Title", required: true, listed: true),
            FieldSpec("aiSystem", "AI system", .reference(AISystem.spec.kind), required: true, filterable: true),
            FieldSpec("description", "What happened", .longText, required: true),
            FieldSpec("detectedAt", "Detected at", .dateTime, required: true, listed: true, help: "With its offset, such as 2026-03-01T09:30:00+01:00."),
            FieldSpec("awareAt", "Aware of seriousness at", .dateTime, required: true, help: "The reporting clock starts here."),
            FieldSpec("severity", "Severity", .choice(Vocabulary.severity), required: true, listed: true, filterable: true),
            FieldSpec("affectedPersons", "Affected persons", .longText),
            FieldSpec("serious", "Serious incident (EU AI Act Art. 3(49))", .boolean, required: true, listed: true, filterable: true),
            FieldSpec("seriousCategory", "Kind of serious incident", .choice(seriousCategories), filterable: true),
            FieldSpec("reportDueBy", "Report due by", .dateTime, listed: true, derived: true),
            FieldSpec("reportDeadlineDays", "Days allowed to report", .integer(0...15), derived: true),
            FieldSpec("interimReportAt", "Initial report sent at", .dateTime),
            FieldSpec("finalReportAt", "Final report sent at", .dateTime),
            FieldSpec("authority", "Market surveillance authority notified"),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("open", "Open"), ("contained", "Contained"), ("reported", "Reported"), ("closed", "Closed")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("containment", "Containment", .longText),
            FieldSpec("rootCause", "Root cause", .longText),
            FieldSpec("correctiveActions", "Nonconformities and corrective actions", .references("nonconformity")),
            FieldSpec("owner", "Owner", required: true, filterable: true),
        ],
        defaultSort: "-detectedAt")

    /// Art. 73: 15 days after awareness; 10 where a death may be involved; 2 for a widespread
    /// infringement or a serious and irreversible disruption of critical infrastructure.
    public static func deadlineDays(category: String?) -> Int {
        switch category {
        case "death": 10
        case "widespread-infringement", "critical-infrastructure": 2
        default: 15
        }
    }

    /// The deadline in the same offset as the awareness time, so it reads in the reporter's local time.
    public static func dueBy(awareAt: String, days: Int) -> String? {
        guard let instant = try? Date(awareAt, strategy: .iso8601), let offset = Self.offsetSeconds(awareAt) else { return nil }
        let due = instant.addingTimeInterval(TimeInterval(days * 86_400))
        return Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: TimeZone(secondsFromGMT: offset)!).format(due)
    }

    static func offsetSeconds(_ text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        guard text.count >= 6 else { return nil }
        let tail = text.suffix(6)
        guard let sign = tail.first, sign == "+" || sign == "-", let hours = Int(tail.dropFirst().prefix(2)), let minutes = Int(tail.suffix(2)) else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    public mutating func derive(context: RuleContext) {
        if serious {
            let days = Self.deadlineDays(category: seriousCategory)
            reportDeadlineDays = days
            reportDueBy = Self.dueBy(awareAt: awareAt, days: days)
        } else {
            reportDeadlineDays = nil
            reportDueBy = nil
        }
    }

    /// Whether the report is overdue at `now` (no initial report sent by the deadline).
    public func isOverdue(at now: Date) -> Bool {
        guard serious, interimReportAt == nil, let due = reportDueBy, let deadline = try? Date(due, strategy: .iso8601) else { return false }
        return now > deadline
    }

    public func check(previous: Incident?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let instant = { (text: String?) in text.flatMap { try? Date($0, strategy: .iso8601) } }
        if serious, seriousCategory == nil { issues.append(FieldIssue("seriousCategory", "is required for a serious incident")) }
        if !serious, seriousCategory != nil { issues.append(FieldIssue("seriousCategory", "applies only to serious incidents")) }
        if let detected = instant(detectedAt), let aware = instant(awareAt), aware < detected {
            issues.append(FieldIssue("awareAt", "cannot be before detection"))
        }
        if let interim = instant(interimReportAt), let aware = instant(awareAt), interim < aware {
            issues.append(FieldIssue("interimReportAt", "cannot be before awareness"))
        }
        if let final = instant(finalReportAt), let interim = instant(interimReportAt), final < interim {
            issues.append(FieldIssue("finalReportAt", "cannot be before the initial report"))
        }
        if finalReportAt != nil, interimReportAt == nil { issues.append(FieldIssue("interimReportAt", "is required before a final report")) }
        if serious, status == "reported" || status == "closed", interimReportAt == nil {
            issues.append(FieldIssue("interimReportAt", "a serious incident is reported or closed only after the report is sent"))
        }
        if status == "closed", rootCause?.isEmpty ?? true { issues.append(FieldIssue("rootCause", "is required to close an incident")) }
        return issues
    }
}
