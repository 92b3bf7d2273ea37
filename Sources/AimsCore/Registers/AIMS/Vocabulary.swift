import Foundation

/// Shared vocabularies of the registers, from ISO/IEC 22989, ISO/IEC 5338 and the EU AI Act.
public enum Vocabulary {
    static func list(_ pairs: [(String, String)]) -> [Choice] { pairs.map { Choice($0.0, $0.1) } }

    /// ISO/IEC 22989 / 5338 life-cycle stages.
    public static let lifecycleStages = list([
        ("inception", "Inception"), ("design-and-development", "Design and development"),
        ("verification-and-validation", "Verification and validation"), ("deployment", "Deployment"),
        ("operation-and-monitoring", "Operation and monitoring"), ("continuous-validation", "Continuous validation"),
        ("re-evaluation", "Re-evaluation"), ("retirement", "Retirement"),
    ])

    public static let euOperatorRoles = list([
        ("provider", "Provider"), ("deployer", "Deployer"), ("importer", "Importer"), ("distributor", "Distributor"),
        ("product-manufacturer", "Product manufacturer"), ("authorised-representative", "Authorised representative"),
        ("not-applicable", "Not in the EU AI Act's scope"),
    ])

    public static let euClassifications = list([
        ("prohibited", "Prohibited practice (Art. 5)"), ("high-risk-annex-iii", "High-risk: Annex III area"),
        ("high-risk-annex-i", "High-risk: Annex I product safety component"), ("limited-risk", "Limited risk: transparency duties (Art. 50)"),
        ("minimal-risk", "Minimal risk"), ("not-assessed", "Not yet assessed"),
    ])

    public static let annexIIIAreas = list([
        ("1", "1 Biometrics"), ("2", "2 Critical infrastructure"), ("3", "3 Education and vocational training"),
        ("4", "4 Employment and workers management"), ("5", "5 Essential private and public services"), ("6", "6 Law enforcement"),
        ("7", "7 Migration, asylum and border control"), ("8", "8 Administration of justice and democratic processes"),
    ])

    public static let oversight = list([
        ("human-in-the-loop", "Human in the loop: a person approves each output"),
        ("human-on-the-loop", "Human on the loop: a person monitors and can intervene"),
        ("human-in-command", "Human in command: a person decides when and how the system is used"),
    ])

    public static let autonomy = list([
        ("decision-support", "Decision support: a person decides"), ("partial-automation", "Partly automated, a person reviews"),
        ("conditional-automation", "Automated within limits, a person handles exceptions"), ("full-automation", "Fully automated"),
    ])

    public static let severity = list([("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")])
    public static let likelihood = list([("rare", "Rare"), ("unlikely", "Unlikely"), ("possible", "Possible"), ("likely", "Likely"), ("almost-certain", "Almost certain")])
    public static let reversibility = list([("reversible", "Reversible"), ("partly-reversible", "Partly reversible"), ("irreversible", "Irreversible")])

    public static let annexCObjectives: [Choice] = {
        (try? Catalog.bundled())?.annexC.objectives.map { Choice($0.id, "\($0.id) \($0.title)") } ?? []
    }()
    public static let annexCRiskSources: [Choice] = {
        (try? Catalog.bundled())?.annexC.riskSources.map { Choice($0.id, "\($0.id) \($0.title)") } ?? []
    }()
}

extension CalendarDate {
    /// The calendar day of an instant, in UTC.
    public init(_ date: Date) {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        self = CalendarDate(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))!
    }
}

/// Date-order rule shared by registers: `later` may not come before `earlier`.
func order(_ earlier: CalendarDate?, _ later: CalendarDate?, field: String, message: String) -> [FieldIssue] {
    guard let earlier, let later, later < earlier else { return [] }
    return [FieldIssue(field, message)]
}
