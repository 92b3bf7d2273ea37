import AimsCore
import AimsStore
import AimsMetrics
import Foundation

/// A fictional mid-size lender using AI for credit scoring, fraud detection and a customer-service
/// chatbot, so a newcomer sees a living AIMS.
public enum DemoData {
    public static let slug = "northwind-lending"
    public static let password = "aims-demo-password"
    public static let users: [(email: String, name: String, role: Role)] = [
        ("owner@northwind.example", "Olivia Owner", .owner),
        ("lead@northwind.example", "Gabriel Lead", .governanceLead),
        ("contributor@northwind.example", "Chen Contributor", .contributor),
        ("auditor@northwind.example", "Aisha Auditor", .auditor),
        ("viewer@northwind.example", "Victor Viewer", .viewer),
    ]

    /// Seeds the demo organisation once; later runs leave it as it is.
    @discardableResult
    public static func seed(store: AimsStore, catalog: Catalog, bcryptCost: UInt8, files: EvidenceFiles) async throws -> Organisation {
        if let existing = try await store.organisation(slug: slug) { return existing }
        let system = Principal.system("demo")
        let org = try await store.createOrganisation(name: "Northwind Lending", slug: slug, catalog: catalog, by: system)
        for user in users {
            _ = try await store.addMember(email: user.email, name: user.name, password: password, role: user.role, organisation: org, by: system, bcryptCost: bcryptCost)
        }
        let lead = Principal(userID: nil, label: "user:lead@northwind.example")
        var drafts: [RecordDraft] = [try RecordDraft(scope)]
        drafts += try contextIssues.map(RecordDraft.init)
        drafts += try parties.map(RecordDraft.init)
        try await store.createAll(drafts, organisation: org.id, by: lead)
        try await fillSoA(store: store, catalog: catalog, organisation: org.id, by: lead)
        try await DemoRegisters(store: store, organisation: org.id, actor: lead).seed()
        try await seedMonitoring(store: store, catalog: catalog, files: files, organisation: org.id, by: lead)
        return org
    }

    static let scope = ScopeStatement(
        title: "AIMS scope — Northwind Lending 2026",
        boundaries: "Retail lending and payments operations of Northwind Lending Ltd, including the data science, credit risk, fraud and customer service functions, and the IT operations that host the AI systems.",
        inScopeSystems: "Credit scoring model (application decisioning); card-payment fraud detection; customer-service chatbot on the website and app.",
        sitesAndUnits: ["Head office, Leeds", "Data science team", "Credit risk", "Financial crime", "Customer service"],
        aiRoles: [.provider, .customer],
        exclusions: "The marketing department's third-party ad-targeting tools.",
        exclusionJustification: "Operated entirely by the agency under its own governance; no Northwind data is used for training, and the contract places responsibility with the agency (reviewed yearly).",
        status: .approved, approvedBy: "Olivia Owner, CEO", approvedOn: CalendarDate("2026-02-02"), effectiveFrom: CalendarDate("2026-02-02"))

    static let contextIssues: [ContextIssue] = [
        ContextIssue(title: "EU AI Act: credit scoring is high-risk", origin: .external, category: "legal-regulatory",
                     description: "Creditworthiness assessment of natural persons is listed in Annex III(5)(b).",
                     effectOnAims: "Provider obligations (risk management, data governance, logging, human oversight, post-market monitoring) apply to the credit model.",
                     relevant: true, rationale: "We develop and deploy the model ourselves.", owner: "Gabriel Lead", reviewDate: CalendarDate("2026-12-31")),
        ContextIssue(title: "Consumer Duty and fair treatment", origin: .external, category: "legal-regulatory",
                     description: "Regulator expects evidence of fair outcomes across customer groups.",
                     effectOnAims: "Fairness metrics on credit decisions become monitoring objectives.", relevant: true,
                     rationale: "Directly applicable to lending decisions.", owner: "Gabriel Lead", reviewDate: CalendarDate("2026-12-31")),
        ContextIssue(title: "Climate change", origin: .external, category: "climate-change",
                     description: "Physical and transition climate risks; energy use of model training.",
                     effectOnAims: "Training runs are small; no material effect on AIMS outcomes today.", relevant: false,
                     rationale: "Compute footprint under 2 MWh a year; credit-risk climate exposure is handled by the ICAAP, not the AIMS. Revisit if we adopt large language models at scale.",
                     owner: "Olivia Owner", reviewDate: CalendarDate("2027-01-31")),
        ContextIssue(title: "Generative AI in customer service", origin: .internal, category: "technological",
                     description: "The chatbot uses a third-party large language model.",
                     effectOnAims: "Supplier controls (A.10) and transparency to users (A.8.2) needed.", relevant: true,
                     rationale: "Customer-facing and supplier-dependent.", owner: "Chen Contributor", reviewDate: CalendarDate("2026-09-30")),
        ContextIssue(title: "Scarce ML engineering skills", origin: .internal, category: "organisational",
                     description: "Two data scientists maintain three production systems.",
                     effectOnAims: "Key-person risk for monitoring and retraining.", relevant: true,
                     rationale: "Affects our ability to meet monitoring objectives.", owner: "Olivia Owner", reviewDate: CalendarDate("2026-10-31")),
        ContextIssue(title: "Public concern about automated credit refusals", origin: .external, category: "social-cultural",
                     description: "Press coverage of opaque lending algorithms.",
                     effectOnAims: "Explanations of decisions and an appeal route are expected.", relevant: true,
                     rationale: "Reputational and regulatory exposure.", owner: "Gabriel Lead", reviewDate: CalendarDate("2026-12-31")),
    ]

    static let parties: [InterestedParty] = [
        InterestedParty(party: "Loan applicants", partyType: "affected-person", requirement: "Fair, explainable credit decisions and a way to contest them.",
                        requirementSource: "legal", addressedByAims: true, rationale: "Core to Consumer Duty and Art. 86 AI Act.",
                        howAddressed: "Reason codes on every decision; human review on request; fairness monitoring.", owner: "Gabriel Lead"),
        InterestedParty(party: "Financial Conduct Authority", partyType: "regulator", requirement: "Evidence of model risk management and fair outcomes.",
                        requirementSource: "legal", addressedByAims: true, rationale: "Supervisory expectation.",
                        howAddressed: "Model inventory, validation reports and monitoring results kept in Aims.", owner: "Olivia Owner"),
        InterestedParty(party: "Card customers", partyType: "customer", requirement: "Fraud checks that do not block legitimate payments.",
                        requirementSource: "expectation", addressedByAims: true, rationale: "False positives harm customers.",
                        howAddressed: "False-positive rate is a monitored KPI.", owner: "Chen Contributor"),
        InterestedParty(party: "LLM vendor", partyType: "supplier", requirement: "Usage within their acceptable-use policy.",
                        requirementSource: "contractual", addressedByAims: true, rationale: "Contract condition.",
                        howAddressed: "Prompt filtering and usage review.", owner: "Chen Contributor"),
        InterestedParty(party: "Employees", partyType: "employee", requirement: "Training on the AI tools they use.",
                        requirementSource: "legal", addressedByAims: true, rationale: "AI literacy duty (AI Act Art. 4).",
                        howAddressed: "Annual AI literacy course tracked in competence records.", owner: "Olivia Owner"),
        InterestedParty(party: "Shareholders", partyType: "investor", requirement: "Quarterly AI performance dashboard.",
                        requirementSource: "voluntary", addressedByAims: false,
                        rationale: "Covered by the group risk report outside the AIMS; the AIMS supplies figures but does not own the report."),
    ]

    /// A monitoring plan for the credit model and four weekly runs on generated logs, so the KPI
    /// series, the charts and the nonconformity a failed threshold opens are all there to see.
    static func seedMonitoring(store: AimsStore, catalog: Catalog, files: EvidenceFiles, organisation: UUID, by actor: Principal) async throws {
        guard let credit = try await store.records(organisation: organisation, kind: AISystem.spec.kind).first(where: { $0.title == "Credit scoring" }) else { return }
        let plan = MonitoringPlan(
            name: "Credit scoring weekly checks", aiSystem: credit.id.uuidString.lowercased(), checks: ["fairness", "performance", "drift"],
            label: "y_true", prediction: "y_pred", score: "score", sensitive: ["sex", "race"], privileged: ["race=white"], minimumGroupSize: 100,
            thresholds: #"{"demographic_parity_ratio": 0.8, "equal_opportunity_difference": 0.1, "roc_auc": 0.75, "dataset_drift_share": 0.5}"#,
            splitColumn: "split", referenceValue: "reference", currentValue: "current", schedule: "weekly", owner: "Chen Contributor", active: true)
        let context = try await store.ruleContext(organisation: organisation, catalog: catalog)
        let checked = try MonitoringPlan.spec.decode(MonitoringPlan.self, from: try JSONValue(encoding: plan), previous: nil, context: context)
        let planID = try await store.create(try RecordDraft(checked), organisation: organisation, by: actor).id
        let service = MonitoringService(store: store, catalog: catalog, files: files)
        let weeks = ["2026-10-30T06:00:00Z", "2026-11-06T06:00:00Z", "2026-11-13T06:00:00Z", "2026-11-20T06:00:00Z"]
        for (week, stamp) in weeks.enumerated() {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("aims-demo-log-\(UUID().uuidString).csv").path
            try PredictionLogGenerator(rows: 4_000, seed: UInt64(100 + week)).write(to: path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let report = try PlanEvaluation.evaluate(checked, input: path)
            _ = try await service.record(report, planID: planID, plan: checked, organisation: organisation, by: .system("monitoring"),
                                         at: try Date(stamp, strategy: .iso8601))
        }
    }

    /// Decides every Annex A control with a justification, as a governance lead would.
    static func fillSoA(store: AimsStore, catalog: Catalog, organisation: UUID, by actor: Principal) async throws {
        let notApplicable: [String: String] = [
            "A.10.4": "We do not supply AI systems to business customers; retail customers are covered by A.8.2.",
        ]
        let partial: Set<String> = ["A.6.2.8", "A.7.5", "A.8.3", "A.5.5", "A.4.5"]
        let planned: Set<String> = ["A.3.3", "A.9.3", "A.10.3"]
        let owners = ["A.2": "Olivia Owner", "A.3": "Olivia Owner", "A.4": "Chen Contributor", "A.5": "Gabriel Lead", "A.6": "Chen Contributor",
                      "A.7": "Chen Contributor", "A.8": "Gabriel Lead", "A.9": "Gabriel Lead", "A.10": "Gabriel Lead"]
        for stored in try await store.records(organisation: organisation, kind: SoAEntry.spec.kind) {
            var row = try stored.record(as: SoAEntry.self)
            guard let control = catalog.control(row.controlId) else { continue }
            if let reason = notApplicable[row.controlId] {
                row.applicable = false
                row.justification = reason
            } else {
                row.applicable = true
                row.justification = "Needed to treat risks in the AI risk register for the credit, fraud and chatbot systems (\(control.title.lowercased()))."
                row.implementationStatus = partial.contains(row.controlId) ? .partiallyImplemented : planned.contains(row.controlId) ? .planned : .implemented
                if row.implementationStatus != .implemented { row.targetDate = CalendarDate("2026-12-31") }
            }
            row.owner = owners[catalog.group(of: control)?.id ?? ""]
            _ = try await store.update(id: stored.id, organisation: organisation, expectedVersion: stored.version, to: try RecordDraft(row), by: actor)
        }
    }
}
