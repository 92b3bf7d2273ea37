import AimsCore
import Foundation

/// A valid input for every register, with the ids of records it must link to filled in by `link`.
public enum Samples {
    /// Minimal valid fields per register kind. `link(kind)` returns the id of an existing record of that kind.
    public static func input(for kind: String, link: (String) -> String) -> JSONValue {
        switch kind {
        case ScopeStatement.spec.kind: ["title": "Scope", "boundaries": "Everything", "aiRoles": ["provider"], "status": "draft"]
        case ContextIssue.spec.kind:
            ["title": "Model drift in production", "origin": "internal", "category": "technological", "description": "Scores drift",
             "effectOnAims": "Monitoring needed", "relevant": true, "rationale": "Affects outcomes"]
        case InterestedParty.spec.kind: ["party": "Regulator", "partyType": "regulator", "requirement": "Reports", "addressedByAims": false, "rationale": "Out of scope"]
        case AISystem.spec.kind:
            ["name": "Sample system", "purpose": "Scores things", "owner": "Ada", "euOperatorRole": "deployer", "euClassification": "minimal-risk",
             "classificationReason": "Internal analytics", "lifecycleStage": "operation-and-monitoring", "status": "in-use"]
        case Policy.spec.kind: ["title": "AI policy", "policyType": "ai-policy", "documentVersion": "1", "content": "We use AI responsibly.", "status": "draft", "owner": "Ada"]
        case AIMSRole.spec.kind: ["name": .string("AI risk owner \(UUID().uuidString.prefix(4))"), "responsibilities": "Owns AI risks", "assignedTo": ["Ada"]]
        case RACIAssignment.spec.kind: ["activity": "Retraining", "process": "Model lifecycle", "responsible": ["Ada"], "accountable": "Bob"]
        case RiskCriteria.spec.kind: ["name": "Criteria", "likelihoodLevels": 5, "consequenceLevels": 5, "lowMax": 4, "mediumMax": 9, "highMax": 16, "acceptanceThreshold": "medium"]
        case AIRisk.spec.kind: ["title": "Unfair refusals", "description": "Group disparity", "likelihood": 3, "consequence": 4, "treatmentOption": "retain",
                                "owner": "Ada", "status": "assessed"]
        case ImpactAssessment.spec.kind: ["title": "Impact of the sample system", "aiSystem": .string(link(AISystem.spec.kind)), "scope": "All uses",
                                          "status": "draft", "assessor": "Ada"]
        case SoAEntry.spec.kind: ["controlId": .string("X.\(Int.random(in: 100...999_999))"), "source": "custom", "title": "Custom", "implementationStatus": "planned"]
        case Objective.spec.kind: ["title": "Fairness", "what": "Keep parity", "owner": "Ada", "dueDate": "2027-01-31", "measure": "Parity ratio", "status": "planned"]
        case CompetenceRequirement.spec.kind: ["competence": "Fairness metrics", "role": .string(link(AIMSRole.spec.kind)), "level": "practitioner", "aiLiteracy": true]
        case CompetenceRecord.spec.kind: ["person": "Ada", "kind": "training", "description": "Fairness course", "completedOn": "2026-01-10",
                                          "competences": [.string(link(CompetenceRequirement.spec.kind))]]
        case Evidence.spec.kind: ["title": "Validation report", "evidenceType": "link", "url": "https://example.org/report", "owner": "Ada", "classification": "internal"]
        case Dataset.spec.kind: ["name": "Applications 2025", "purpose": "training", "source": "internal", "containsPersonalData": false, "owner": "Ada"]
        case ModelVersion.spec.kind: ["name": "Scorer", "modelVersion": .string("\(Int.random(in: 1...1_000_000))"), "modelType": "GBM", "status": "draft", "owner": "Ada"]
        case Supplier.spec.kind: ["name": "LLM vendor", "supplies": ["platform"], "description": "Hosted LLM", "responsibilities": "They host; we prompt",
                                  "assessmentResult": "not-assessed", "owner": "Ada"]
        case Incident.spec.kind: ["title": "Wrong refusals", "aiSystem": .string(link(AISystem.spec.kind)), "description": "Batch of refusals",
                                  "detectedAt": "2026-03-01T09:30:00+01:00", "awareAt": "2026-03-01T10:00:00+01:00", "severity": "medium", "serious": false,
                                  "status": "open", "owner": "Ada"]
        case AuditProgramme.spec.kind: ["title": "2026 programme", "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "scope": "Whole AIMS",
                                        "criteria": "ISO/IEC 42001", "frequency": "Yearly", "auditors": ["Ivy"], "owner": "Ada", "status": "planned"]
        case InternalAudit.spec.kind: ["title": "Audit of monitoring", "auditedArea": "Data science", "areaResponsible": ["Dan"], "auditors": ["Ivy"],
                                       "plannedOn": "2026-05-01", "scope": "Monitoring", "clausesCovered": ["9.1", "A.6.2.6"], "status": "planned"]
        case ManagementReview.spec.kind: ["title": "Q1 review", "heldOn": "2026-04-01", "attendees": ["CEO"], "status": "planned"]
        case Nonconformity.spec.kind: ["title": "Missed review", "source": "other", "grade": "minor", "description": "Review late", "requirement": "9.3.1",
                                       "raisedOn": "2026-02-01", "raisedBy": "Ivy", "status": "open", "owner": "Ada"]
        case CorrectiveAction.spec.kind: ["action": "Schedule reviews", "nonconformity": .string(link(Nonconformity.spec.kind)), "owner": "Ada",
                                          "dueDate": "2026-03-01", "status": "planned"]
        case MonitoringPlan.spec.kind: ["name": "Weekly fairness", "aiSystem": .string(link(AISystem.spec.kind)), "checks": ["fairness"], "label": "y_true",
                                        "prediction": "y_pred", "sensitive": ["sex"], "schedule": "weekly", "owner": "Ada", "active": true]
        case KPIMeasurement.spec.kind: ["kpi": "sex demographic_parity_ratio", "aiSystem": .string(link(AISystem.spec.kind)), "value": "0.91", "threshold": "0.8",
                                        "comparison": ">=", "status": "pass", "measuredAt": "2026-03-01T09:30:00Z"]
        default: fatalError("no sample for \(kind): add one when adding a register")
        }
    }
}
