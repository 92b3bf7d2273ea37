import Foundation
import Testing

@testable import AimsCore

@Suite("AIMS register rules")
struct AIMSRegisterTests {
    let context = RuleContext(catalog: try! Catalog.bundled())

    func decode<R: RegisterRecord>(_ type: R.Type, _ input: JSONValue, previous: R? = nil) throws -> R {
        try R.spec.decode(R.self, from: input, previous: previous, context: context)
    }

    func merged(_ base: JSONValue, _ changes: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = base else { return base }
        object.merge(changes) { _, new in new }
        return .object(object)
    }

    func fields(_ error: ValidationFailure?) -> Set<String> { Set(error?.issues.map(\.field) ?? []) }

    @Test("no register field reuses a record metadata name")
    func metadataNames() {
        let reserved: Set<String> = ["id", "version", "createdAt", "updatedAt", "createdBy", "updatedBy", "displayTitle"]
        for type in Registers.all {
            let clash = Set(type.spec.fields.map(\.name)).intersection(reserved)
            #expect(clash.isEmpty, "\(type.spec.kind) uses \(clash)")
            #expect(Registers.type(forPath: type.spec.path)?.spec.kind == type.spec.kind)
        }
        #expect(Set(Registers.all.map { $0.spec.kind }).count == Registers.all.count)
        #expect(Set(Registers.all.map { $0.spec.path }).count == Registers.all.count)
    }

    @Test("every reference field names a register that exists")
    func referencesResolve() {
        for type in Registers.all {
            for field in type.spec.fields {
                if let kind = field.linkedKind { #expect(Registers.type(forKind: kind) != nil, "\(type.spec.kind).\(field.name) → \(kind)") }
            }
        }
    }

    @Test("incident clock: 15 days, 10 where a death may be involved, 2 for widespread infringement or critical infrastructure")
    func incidentClock() throws {
        let base: JSONValue = Samples.incident
        let plain = try decode(Incident.self, base)
        #expect(plain.reportDueBy == nil)

        let serious = try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": "health", "awareAt": "2026-03-01T10:00:00+01:00"]))
        #expect(serious.reportDeadlineDays == 15)
        #expect(serious.reportDueBy == "2026-03-16T10:00:00+01:00")
        let death = try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": "death", "awareAt": "2026-03-01T10:00:00+01:00"]))
        #expect(death.reportDueBy == "2026-03-11T10:00:00+01:00")
        for category in ["widespread-infringement", "critical-infrastructure"] {
            let urgent = try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": .string(category), "awareAt": "2026-03-01T10:00:00+01:00"]))
            #expect(urgent.reportDueBy == "2026-03-03T10:00:00+01:00")
        }
        // Time zones: the deadline is the same instant whatever the offset, written in the reporter's offset.
        let tokyo = try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": "death", "detectedAt": "2026-02-28T18:00:00-08:00",
                                                            "awareAt": "2026-03-01T18:30:00+09:00"]))
        #expect(tokyo.reportDueBy == "2026-03-11T18:30:00+09:00")
        let utc = try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": "death", "awareAt": "2026-03-01T09:30:00Z"]))
        #expect(utc.reportDueBy == "2026-03-11T09:30:00Z")
        #expect(try Date(tokyo.reportDueBy!, strategy: .iso8601) == Date(utc.reportDueBy!, strategy: .iso8601))
        // Overdue only while no initial report has gone out.
        #expect(death.isOverdue(at: try Date("2026-03-12T00:00:00Z", strategy: .iso8601)))
        #expect(!death.isOverdue(at: try Date("2026-03-05T00:00:00Z", strategy: .iso8601)))
        var reported = death
        reported.interimReportAt = "2026-03-05T12:00:00+01:00"
        #expect(!reported.isOverdue(at: try Date("2026-03-12T00:00:00Z", strategy: .iso8601)))
        // A client cannot set the deadline itself.
        let forged = try decode(Incident.self, merged(base, ["reportDueBy": "2099-01-01T00:00:00Z"]))
        #expect(forged.reportDueBy == nil)
    }

    @Test("incident rules: category, order of times, closing")
    func incidentRules() {
        let base = Samples.incident
        let noCategory = #expect(throws: ValidationFailure.self) { try decode(Incident.self, merged(base, ["serious": true])) }
        #expect(fields(noCategory) == ["seriousCategory"])
        let early = #expect(throws: ValidationFailure.self) {
            try decode(Incident.self, merged(base, ["awareAt": "2026-03-01T08:00:00+01:00", "detectedAt": "2026-03-01T09:30:00+01:00"]))
        }
        #expect(fields(early) == ["awareAt"])
        let badTime = #expect(throws: ValidationFailure.self) { try decode(Incident.self, merged(base, ["awareAt": "yesterday"])) }
        #expect(fields(badTime) == ["awareAt"])
        let closing = #expect(throws: ValidationFailure.self) {
            try decode(Incident.self, merged(base, ["serious": true, "seriousCategory": "health", "status": "closed"]))
        }
        #expect(fields(closing) == ["interimReportAt", "rootCause"])
    }

    @Test("an auditor may not audit their own area")
    func auditorIndependence() throws {
        let audit: JSONValue = ["title": "Audit", "auditedArea": "Data science", "areaResponsible": ["Dan Lead", "Eve"], "auditors": ["Ivy", " dan lead "],
                                "plannedOn": "2026-05-01", "scope": "Monitoring", "clausesCovered": ["9.1", "A.6.2.6"], "status": "planned"]
        let failure = #expect(throws: ValidationFailure.self) { try decode(InternalAudit.self, audit) }
        #expect(failure?.issues.first?.field == "auditors")
        #expect(failure?.issues.first?.message.contains("dan lead") == true)
        _ = try decode(InternalAudit.self, merged(audit, ["auditors": ["Ivy"]]))
        let badClause = #expect(throws: ValidationFailure.self) { try decode(InternalAudit.self, merged(audit, ["auditors": ["Ivy"], "clausesCovered": ["A.99"]])) }
        #expect(fields(badClause) == ["clausesCovered"])
    }

    @Test("an approved model version is immutable; a new version names the previous one")
    func modelImmutability() throws {
        let draft: JSONValue = ["name": "Scorer", "modelVersion": "2.1", "modelType": "GBM", "status": "draft", "owner": "Ada"]
        let unapproved = #expect(throws: ValidationFailure.self) { try decode(ModelVersion.self, merged(draft, ["status": "approved"])) }
        #expect(fields(unapproved) == ["approvedBy", "approvedOn", "vvResults"])
        let approvedInput = merged(draft, ["status": "approved", "approvedBy": "Lead", "approvedOn": "2026-02-01", "vvResults": "AUC 0.81"])
        let approved = try decode(ModelVersion.self, approvedInput)
        let edited = #expect(throws: ValidationFailure.self) { try decode(ModelVersion.self, merged(approvedInput, ["limitations": "changed"]), previous: approved) }
        #expect(fields(edited) == ["modelVersion"])
        let deployed = try decode(ModelVersion.self, merged(approvedInput, ["status": "deployed"]), previous: approved)
        #expect(deployed.status == .deployed)
        let back = #expect(throws: ValidationFailure.self) { try decode(ModelVersion.self, approvedInput, previous: deployed) }
        #expect(fields(back) == ["status"])
        let reopened = #expect(throws: ValidationFailure.self) { try decode(ModelVersion.self, merged(approvedInput, ["status": "draft"]), previous: approved) }
        #expect(fields(reopened).contains("status"))
    }

    @Test("risk levels come from the organisation's criteria; acceptance respects the threshold")
    func riskScoring() throws {
        let risk: JSONValue = ["title": "R", "description": "d", "likelihood": 4, "consequence": 4, "treatmentOption": "modify", "treatmentPlan": "p",
                               "owner": "Ada", "status": "assessed"]
        let scored = try decode(AIRisk.self, merged(risk, ["residualLikelihood": 2, "residualConsequence": 2, "inherentLevel": "low"]))
        #expect(scored.inherentLevel == .high)
        #expect(scored.residualLevel == .low)
        let strict = RuleContext(catalog: context.catalog, riskCriteria: RiskCriteria(name: "c", likelihoodLevels: 3, consequenceLevels: 3, lowMax: 1, mediumMax: 3,
                                                                                        highMax: 6, acceptanceThreshold: .low))
        let offScale = #expect(throws: ValidationFailure.self) { try AIRisk.spec.decode(AIRisk.self, from: risk, previous: nil, context: strict) }
        #expect(fields(offScale) == ["likelihood", "consequence"])
        let worse = #expect(throws: ValidationFailure.self) { try decode(AIRisk.self, merged(risk, ["residualLikelihood": 5, "residualConsequence": 5])) }
        #expect(fields(worse) == ["residualLikelihood"])
        let tooHigh = #expect(throws: ValidationFailure.self) {
            try decode(AIRisk.self, merged(risk, ["acceptedBy": "CEO", "acceptedOn": "2026-02-01", "acceptedVersion": 3, "status": "accepted"]))
        }
        #expect(tooHigh?.issues.first?.message.contains("above the acceptance threshold") == true)
        let accepted = try decode(AIRisk.self, merged(risk, ["residualLikelihood": 2, "residualConsequence": 2, "acceptedBy": "CEO", "acceptedOn": "2026-02-01",
                                                             "acceptedVersion": 3, "status": "accepted"]))
        #expect(accepted.acceptedVersion == 3)
    }

    @Test("other rules name their fields")
    func otherRules() {
        let system: JSONValue = ["name": "S", "purpose": "p", "owner": "o", "euOperatorRole": "provider", "euClassification": "high-risk-annex-iii",
                                 "lifecycleStage": "deployment", "status": "in-use"]
        let highRisk = #expect(throws: ValidationFailure.self) { try decode(AISystem.self, system) }
        #expect(fields(highRisk) == ["annexIIIArea", "classificationReason", "oversightMechanism"])
        let nc: JSONValue = ["title": "t", "source": "internal-audit", "grade": "major", "description": "d", "requirement": "9.9", "raisedOn": "2026-02-01",
                             "raisedBy": "Ivy", "status": "closed", "owner": "Ada"]
        let closing = #expect(throws: ValidationFailure.self) { try decode(Nonconformity.self, nc) }
        #expect(fields(closing) == ["requirement", "audit", "rootCause", "closedOn", "effectivenessResult", "effectivenessCheckedBy"])
        let review: JSONValue = ["title": "r", "heldOn": "2026-04-01", "attendees": ["CEO"], "status": "signed-off"]
        let signOff = #expect(throws: ValidationFailure.self) { try decode(ManagementReview.self, review) }
        #expect(fields(signOff).isSuperset(of: ["previousActions", "monitoringResults", "auditResults", "decisions", "signedOffBy"]))
        let data: JSONValue = ["name": "d", "purpose": "training", "source": "internal", "containsPersonalData": false, "specialCategories": true, "owner": "o"]
        let special = #expect(throws: ValidationFailure.self) { try decode(Dataset.self, data) }
        #expect(fields(special) == ["specialCategories"])
        let objective: JSONValue = ["title": "o", "what": "w", "owner": "o", "dueDate": "2026-12-31", "measure": "m", "status": "planned",
                                    "target": "0.8", "direction": "higher", "measurements": ["2026-01-31 0.7", "soon 0.9"]]
        let measurement = #expect(throws: ValidationFailure.self) { try decode(Objective.self, objective) }
        #expect(fields(measurement) == ["measurements"])
    }
}

extension Samples {
    static let incident: JSONValue = ["title": "Wrong refusals", "aiSystem": "00000000-0000-0000-0000-000000000001", "description": "Batch of refusals",
                                      "detectedAt": "2026-03-01T09:30:00+01:00", "awareAt": "2026-03-01T10:00:00+01:00", "severity": "medium",
                                      "serious": false, "status": "open", "owner": "Ada"]
}

enum Samples {}

@Suite("Competence gaps")
struct CompetenceGapTests {
    @Test("required by role, shown by unexpired records")
    func gaps() {
        let scientist = AIMSRole(name: "Data scientist", responsibilities: "r", assignedTo: ["Chen", "Maya"])
        let validator = AIMSRole(name: "Validator", responsibilities: "r", assignedTo: ["Priya", "chen "])
        let literacy = CompetenceRequirement(competence: "AI literacy", role: "role-1", level: "practitioner", aiLiteracy: true)
        let fairness = CompetenceRequirement(competence: "Fairness", role: "role-1", level: "expert", aiLiteracy: false)
        let validation = CompetenceRequirement(competence: "Validation", role: "role-2", level: "expert", aiLiteracy: false)
        let records = [
            CompetenceRecord(person: "Chen", kind: "training", description: "course", completedOn: CalendarDate("2026-01-01")!,
                             expiresOn: CalendarDate("2028-01-01")!, competences: ["req-1"]),
            CompetenceRecord(person: "Maya", kind: "training", description: "course", completedOn: CalendarDate("2024-01-01")!,
                             expiresOn: CalendarDate("2026-01-01")!, competences: ["req-1"]),
            CompetenceRecord(person: "Priya", kind: "experience", description: "years", completedOn: CalendarDate("2025-01-01")!, competences: ["req-3"]),
        ]
        let gaps = CompetenceGaps.compute(roles: [("role-1", scientist), ("role-2", validator)],
                                          requirements: [("req-1", literacy), ("req-2", fairness), ("req-3", validation)],
                                          records: records, today: CalendarDate("2026-11-25")!)
        #expect(gaps.map(\.person) == ["Chen", "Maya", "Priya"])
        #expect(gaps[0].roles == ["Data scientist", "Validator"])
        #expect(gaps[0].held == ["AI literacy"])
        #expect(Set(gaps[0].missing) == ["Fairness", "Validation"])
        #expect(gaps[1].expired == ["AI literacy"])
        #expect(gaps[1].missing == ["Fairness"])
        #expect(gaps[2].missing.isEmpty && gaps[2].held == ["Validation"])
    }
}
