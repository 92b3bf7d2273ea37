/// A dataset used to build, test or run AI systems (A.7), with its lineage.
public struct Dataset: RegisterRecord {
    public var name: String
    public var description: String?
    public var purpose: String
    public var source: String
    public var acquisition: String?
    public var licence: String?
    public var legalBasis: String?
    public var containsPersonalData: Bool
    public var specialCategories: Bool?
    public var provenance: String?
    public var preparationSteps: String?
    public var knownBiases: String?
    public var knownGaps: String?
    public var qualityRequirements: String?
    public var retention: String?
    public var owner: String
    public var derivedFrom: [String]?
    public var aiSystems: [String]?

    public init(
        name: String,
        description: String? = nil,
        purpose: String,
        source: String,
        acquisition: String? = nil,
        licence: String? = nil,
        legalBasis: String? = nil,
        containsPersonalData: Bool,
        specialCategories: Bool? = nil,
        provenance: String? = nil,
        preparationSteps: String? = nil,
        knownBiases: String? = nil,
        knownGaps: String? = nil,
        qualityRequirements: String? = nil,
        retention: String? = nil,
        owner: String,
        derivedFrom: [String]? = nil,
        aiSystems: [String]? = nil
    ) {
        self.name = name
        self.description = description
        self.purpose = purpose
        self.source = source
        self.acquisition = acquisition
        self.licence = licence
        self.legalBasis = legalBasis
        self.containsPersonalData = containsPersonalData
        self.specialCategories = specialCategories
        self.provenance = provenance
        self.preparationSteps = preparationSteps
        self.knownBiases = knownBiases
        self.knownGaps = knownGaps
        self.qualityRequirements = qualityRequirements
        self.retention = retention
        self.owner = owner
        self.derivedFrom = derivedFrom
        self.aiSystems = aiSystems
    }

    public var displayTitle: String { name }

    public static let spec = RegisterSpec(
        kind: "dataset", path: "datasets", singular: "Dataset", plural: "Datasets", clause: "A.7", area: "8 Operation",
        summary: "Data for AI systems: where it comes from, on what basis, how it was prepared and what it lacks.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true),
            FieldSpec("description", "Description", .longText),
            FieldSpec("purpose", "Used for", .choice(Vocabulary.list([("training", "Training"), ("validation", "Validation"), ("test", "Test"),
                                                                      ("production", "Production input"), ("reference", "Monitoring reference"), ("mixed", "Several")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("source", "Source", .choice(Vocabulary.list([("internal", "Internal"), ("purchased", "Purchased"), ("shared", "Shared by a partner"),
                                                                   ("open", "Open data"), ("synthetic", "Synthetic"), ("scraped", "Collected from the web")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("acquisition", "How it was acquired", .longText),
            FieldSpec("licence", "Licence or terms", listed: true),
            FieldSpec("legalBasis", "Legal basis or consent", .longText),
            FieldSpec("containsPersonalData", "Contains personal data", .boolean, required: true, listed: true, filterable: true),
            FieldSpec("specialCategories", "Special categories of personal data", .boolean, filterable: true),
            FieldSpec("provenance", "Provenance", .longText, help: "Creation, updates, transfers and transformations (A.7.5)."),
            FieldSpec("preparationSteps", "Preparation steps", .longText, help: "Cleaning, imputation, labelling, encoding (A.7.6)."),
            FieldSpec("knownBiases", "Known biases", .longText),
            FieldSpec("knownGaps", "Known gaps", .longText),
            FieldSpec("qualityRequirements", "Quality requirements", .longText, help: "What the data must meet (A.7.4)."),
            FieldSpec("retention", "Retention and disposal"),
            FieldSpec("owner", "Owner", required: true, listed: true, filterable: true),
            FieldSpec("derivedFrom", "Derived from", .references("dataset")),
            FieldSpec("aiSystems", "Used by AI systems", .references(AISystem.spec.kind)),
        ],
        defaultSort: "name")

    public func check(previous: Dataset?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if specialCategories == true, !containsPersonalData {
            issues.append(FieldIssue("specialCategories", "implies personal data: set containsPersonalData"))
        }
        if containsPersonalData, legalBasis?.isEmpty ?? true {
            issues.append(FieldIssue("legalBasis", "is required for personal data"))
        }
        return issues
    }
}
