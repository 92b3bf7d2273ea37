/// An organisation's AI risk criteria (clause 6.1.1): the likelihood and consequence scales, the
/// bands that turn a score into a level, and the highest level that may be accepted without treatment.
public struct RiskCriteria: RegisterRecord {
    public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
        case low, medium, high, critical
        public static func < (a: Level, b: Level) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
        public static var choices: [Choice] { [Choice("low", "Low"), Choice("medium", "Medium"), Choice("high", "High"), Choice("critical", "Critical")] }
    }

    public var name: String
    public var likelihoodLevels: Int
    public var consequenceLevels: Int
    /// Highest score (likelihood × consequence) that is still low, medium, high; above is critical.
    public var lowMax: Int
    public var mediumMax: Int
    public var highMax: Int
    /// Residual risk up to this level may be accepted.
    public var acceptanceThreshold: Level
    public var likelihoodMeaning: String?
    public var consequenceMeaning: String?

    public init(name: String, likelihoodLevels: Int, consequenceLevels: Int, lowMax: Int, mediumMax: Int, highMax: Int,
                acceptanceThreshold: Level, likelihoodMeaning: String? = nil, consequenceMeaning: String? = nil) {
        self.name = name
        self.likelihoodLevels = likelihoodLevels
        self.consequenceLevels = consequenceLevels
        self.lowMax = lowMax
        self.mediumMax = mediumMax
        self.highMax = highMax
        self.acceptanceThreshold = acceptanceThreshold
        self.likelihoodMeaning = likelihoodMeaning
        self.consequenceMeaning = consequenceMeaning
    }

    /// 1–5 × 1–5: up to 4 low, up to 9 medium, up to 16 high, above critical; accept up to medium.
    public static let standard = RiskCriteria(
        name: "AI risk criteria", likelihoodLevels: 5, consequenceLevels: 5, lowMax: 4, mediumMax: 9, highMax: 16, acceptanceThreshold: .medium,
        likelihoodMeaning: "1 rare · 2 unlikely · 3 possible · 4 likely · 5 almost certain",
        consequenceMeaning: "1 negligible · 2 minor · 3 moderate · 4 major · 5 severe")

    public func level(likelihood: Int, consequence: Int) -> Level {
        let score = likelihood * consequence
        return score <= lowMax ? .low : score <= mediumMax ? .medium : score <= highMax ? .high : .critical
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "risk-criteria", path: "risk-criteria", singular: "Risk criteria", plural: "Risk criteria", clause: "6.1.1", area: "6 Planning",
        summary: "Scales, level bands and the acceptance threshold every AI risk is scored against.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true),
            FieldSpec("likelihoodLevels", "Likelihood levels", .integer(3...10), required: true, listed: true),
            FieldSpec("consequenceLevels", "Consequence levels", .integer(3...10), required: true, listed: true),
            FieldSpec("lowMax", "Highest low score", .integer(1...100), required: true),
            FieldSpec("mediumMax", "Highest medium score", .integer(1...100), required: true),
            FieldSpec("highMax", "Highest high score", .integer(1...100), required: true),
            FieldSpec("acceptanceThreshold", "Accept residual risk up to", .choice(Level.choices), required: true, listed: true),
            FieldSpec("likelihoodMeaning", "What each likelihood level means", .longText),
            FieldSpec("consequenceMeaning", "What each consequence level means", .longText),
        ],
        defaultSort: "name", deletionRule: .never(reason: "every organisation keeps its AI risk criteria; edit them instead"),
        approvalFields: ["likelihoodLevels", "consequenceLevels", "lowMax", "mediumMax", "highMax", "acceptanceThreshold"], singleton: true)

    public func check(previous: RiskCriteria?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !(lowMax < mediumMax && mediumMax < highMax) {
            issues.append(FieldIssue("mediumMax", "bands must rise: highest low < highest medium < highest high"))
        }
        if highMax >= likelihoodLevels * consequenceLevels {
            issues.append(FieldIssue("highMax", "must be below the largest score (\(likelihoodLevels * consequenceLevels)) so that critical is reachable"))
        }
        return issues
    }
}
