/// Every register Aims knows, in navigation order.
public enum Registers {
    public static let all: [any RegisterRecord.Type] = [
        ScopeStatement.self, ContextIssue.self, InterestedParty.self, AISystem.self,
        Policy.self, AIMSRole.self, RACIAssignment.self,
        RiskCriteria.self, AIRisk.self, ImpactAssessment.self, SoAEntry.self, Objective.self,
        CompetenceRequirement.self, CompetenceRecord.self, Evidence.self,
        Dataset.self, ModelVersion.self, Supplier.self, Incident.self,
        MonitoringPlan.self, KPIMeasurement.self, AuditProgramme.self, InternalAudit.self, ManagementReview.self,
        Nonconformity.self, CorrectiveAction.self,
    ]

    public static func type(forKind kind: String) -> (any RegisterRecord.Type)? { all.first { $0.spec.kind == kind } }
    public static func type(forPath path: String) -> (any RegisterRecord.Type)? { all.first { $0.spec.path == path } }
}
