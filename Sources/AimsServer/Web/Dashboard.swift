import AimsCore
import AimsStore
import Foundation

/// What top management sees first: the state of each part of the AIMS, computed from the registers.
struct Dashboard {
    let store: AimsStore
    let organisation: UUID

    func records<R: RegisterRecord>(_ type: R.Type) async throws -> [(id: String, record: R)] {
        try await store.records(organisation: organisation, kind: R.spec.kind).compactMap { stored in
            (try? stored.record(as: R.self)).map { (stored.id.uuidString.lowercased(), $0) }
        }
    }

    func viewModel(today: CalendarDate, now: Date) async throws -> [String: Any] {
        let soa = try await records(SoAEntry.self).map(\.record)
        let issues = try await records(ContextIssue.self).map(\.record)
        let scopes = try await records(ScopeStatement.self).map(\.record)
        let systems = try await records(AISystem.self).map(\.record)
        let risks = try await records(AIRisk.self)
        let criteria = try await records(RiskCriteria.self).first?.record ?? .standard
        let incidents = try await records(Incident.self)
        let nonconformities = try await records(Nonconformity.self).map(\.record)
        let actions = try await records(CorrectiveAction.self)
        let objectives = try await records(Objective.self).map(\.record)
        let evidence = try await records(Evidence.self)
        let reviews = try await records(ManagementReview.self).map(\.record)
        let gaps = try await competenceGaps(today: today)
        let audit = try await store.verifyAuditTrail(organisation: organisation)

        let levels = RiskCriteria.Level.allCases
        let unaccepted = risks.filter { ($0.record.residualLevel ?? $0.record.inherentLevel ?? .critical) > criteria.acceptanceThreshold && $0.record.status != "closed" }
        let openIncidents = incidents.filter { $0.record.status != "closed" }
        let overdueActions = actions.filter { $0.record.dueDate < today && $0.record.status != "done" && $0.record.status != "cancelled" }
        let lastReview = reviews.filter { $0.status != "planned" }.map(\.heldOn).max()
        let soon = CalendarDate(Calendar(identifier: .gregorian).date(byAdding: .day, value: 30, to: now) ?? now)
        return [
            "soa": ["total": soa.count, "decided": soa.filter { $0.applicable != nil }.count, "applicable": soa.filter { $0.applicable == true }.count,
                    "implemented": soa.filter { $0.implementationStatus == .implemented }.count],
            "contextIssues": issues.count, "parties": try await store.records(organisation: organisation, kind: InterestedParty.spec.kind).count,
            "climateDecided": issues.contains { $0.category == "climate-change" },
            "scope": (scopes.first { $0.status == .approved } ?? scopes.first).map { ["title": $0.title, "status": $0.status.rawValue] } ?? false,
            "systems": systems.count, "highRisk": systems.filter { $0.euClassification.hasPrefix("high-risk") }.count,
            "riskRows": levels.reversed().map { level in
                ["level": level.rawValue, "inherent": risks.filter { $0.record.inherentLevel == level }.count,
                 "residual": risks.filter { ($0.record.residualLevel ?? $0.record.inherentLevel) == level }.count]
            },
            "threshold": criteria.acceptanceThreshold.rawValue,
            "unaccepted": unaccepted.prefix(8).map { ["title": $0.record.title, "id": $0.id, "level": ($0.record.residualLevel ?? $0.record.inherentLevel)?.rawValue ?? ""] },
            "hasUnaccepted": !unaccepted.isEmpty,
            "incidents": openIncidents.map { item -> [String: Any] in
                var row: [String: Any] = ["title": item.record.title, "id": item.id, "status": item.record.status, "serious": item.record.serious]
                if let due = item.record.reportDueBy { row["due"] = due }
                row["overdue"] = item.record.isOverdue(at: now)
                return row
            },
            "hasIncidents": !openIncidents.isEmpty,
            "openNonconformities": nonconformities.filter { $0.status != "closed" }.count,
            "majorOpen": nonconformities.filter { $0.status != "closed" && $0.grade == "major" }.count,
            "overdueActions": overdueActions.count,
            "objectives": ["planned", "on-track", "at-risk", "achieved", "missed"].map { status in ["status": status, "count": objectives.filter { $0.status == status }.count] },
            "expiringEvidence": evidence.filter { ($0.record.validUntil.map { $0 <= soon }) ?? false }.count,
            "lastReview": lastReview?.description ?? "never",
            "peopleWithGaps": gaps.filter { !$0.missing.isEmpty || !$0.expired.isEmpty }.count, "people": gaps.count,
            "auditIntact": audit.isIntact, "auditEvents": audit.eventsChecked, "auditProblem": audit.problem ?? "",
        ]
    }

    func competenceGaps(today: CalendarDate) async throws -> [CompetenceGap] {
        CompetenceGaps.compute(roles: try await records(AIMSRole.self).map { ($0.id, $0.record) },
                               requirements: try await records(CompetenceRequirement.self).map { ($0.id, $0.record) },
                               records: try await records(CompetenceRecord.self).map(\.record), today: today)
    }
}
