/// A version of a model (A.6.2). Once approved, a version is frozen: change means a new record
/// that names the previous one.
public struct ModelVersion: RegisterRecord {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case draft, validated, approved, deployed, retired
        var frozen: Bool { self == .approved || self == .deployed || self == .retired }
    }

    public var name: String
    public var modelVersion: String
    public var modelType: String
    public var description: String?
    public var trainingDatasets: [String]?
    public var validationDatasets: [String]?
    public var testDatasets: [String]?
    public var intendedUse: String?
    public var limitations: String?
    public var vvCriteria: String?
    public var vvResults: String?
    public var status: Status
    public var approvedBy: String?
    public var approvedOn: CalendarDate?
    public var previousVersion: String?
    public var aiSystems: [String]?
    public var owner: String

    public init(
        name: String,
        modelVersion: String,
        modelType: String,
        description: String? = nil,
        trainingDatasets: [String]? = nil,
        validationDatasets: [String]? = nil,
        testDatasets: [String]? = nil,
        intendedUse: String? = nil,
        limitations: String? = nil,
        vvCriteria: String? = nil,
        vvResults: String? = nil,
        status: Status,
        approvedBy: String? = nil,
        approvedOn: CalendarDate? = nil,
        previousVersion: String? = nil,
        aiSystems: [String]? = nil,
        owner: String
    ) {
        self.name = name
        self.modelVersion = modelVersion
        self.modelType = modelType
        self.description = description
        self.trainingDatasets = trainingDatasets
        self.validationDatasets = validationDatasets
        self.testDatasets = testDatasets
        self.intendedUse = intendedUse
        self.limitations = limitations
        self.vvCriteria = vvCriteria
        self.vvResults = vvResults
        self.status = status
        self.approvedBy = approvedBy
        self.approvedOn = approvedOn
        self.previousVersion = previousVersion
        self.aiSystems = aiSystems
        self.owner = owner
    }

    public var displayTitle: String { "\(name) \(modelVersion)" }

    public static let spec = RegisterSpec(
        kind: "model", path: "models", singular: "Model version", plural: "Models", clause: "A.6.2", area: "8 Operation",
        summary: "Model versions with their data, verification and validation, and approval; approved versions are immutable.",
        fields: [
            FieldSpec("name", "Name", required: true, listed: true, filterable: true),
            FieldSpec("modelVersion", "Version", required: true, listed: true),
            FieldSpec("modelType", "Type", required: true, listed: true, help: "Gradient-boosted trees, logistic regression, LLM …"),
            FieldSpec("description", "Description", .longText),
            FieldSpec("trainingDatasets", "Trained on", .references(Dataset.spec.kind)),
            FieldSpec("validationDatasets", "Validated on", .references(Dataset.spec.kind)),
            FieldSpec("testDatasets", "Tested on", .references(Dataset.spec.kind)),
            FieldSpec("intendedUse", "Intended use", .longText),
            FieldSpec("limitations", "Known limitations", .longText),
            FieldSpec("vvCriteria", "Verification and validation criteria", .longText, help: "Release criteria (A.6.2.4)."),
            FieldSpec("vvResults", "Verification and validation results", .longText),
            FieldSpec("status", "Status", .choice(Vocabulary.list([("draft", "Draft"), ("validated", "Validated"), ("approved", "Approved"),
                                                                   ("deployed", "Deployed"), ("retired", "Retired")])),
                      required: true, listed: true, filterable: true),
            FieldSpec("approvedBy", "Approved by", listed: true),
            FieldSpec("approvedOn", "Approved on", .date),
            FieldSpec("previousVersion", "Previous version", .reference("model")),
            FieldSpec("aiSystems", "Used by AI systems", .references(AISystem.spec.kind)),
            FieldSpec("owner", "Owner", required: true, filterable: true),
        ],
        uniqueFields: ["name", "modelVersion"], defaultSort: "name", approvalFields: ["approvedBy", "approvedOn"])

    public func check(previous: ModelVersion?, context: RuleContext) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if status.frozen {
            if approvedBy == nil { issues.append(FieldIssue("approvedBy", "is required once a version is approved")) }
            if approvedOn == nil { issues.append(FieldIssue("approvedOn", "is required once a version is approved")) }
            if vvResults?.isEmpty ?? true { issues.append(FieldIssue("vvResults", "are required before approval")) }
        }
        if let previous, previous.status.frozen {
            // Only the deployment state and where it is used may change on an approved version.
            var frozenCopy = self
            frozenCopy.status = previous.status
            frozenCopy.aiSystems = previous.aiSystems
            if frozenCopy != previous {
                issues.append(FieldIssue("modelVersion", "\(previous.modelVersion) is approved and cannot change; record a new version that names it as previous"))
            }
            let order: [Status] = [.approved, .deployed, .retired]
            if let from = order.firstIndex(of: previous.status), let to = order.firstIndex(of: status), to < from {
                issues.append(FieldIssue("status", "cannot go back from \(previous.status.rawValue) to \(status.rawValue)"))
            } else if !status.frozen {
                issues.append(FieldIssue("status", "an approved version cannot return to \(status.rawValue)"))
            }
        }
        return issues
    }
}
