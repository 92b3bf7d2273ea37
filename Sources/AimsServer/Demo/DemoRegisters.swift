import AimsCore
import AimsStore
import Foundation

/// The demo organisation's records in every register, linked the way a real AIMS would be.
struct DemoRegisters {
    let store: AimsStore
    let organisation: UUID
    let actor: Principal
    let soa: [String: String]

    init(store: AimsStore, organisation: UUID, actor: Principal) async throws {
        self.store = store
        self.organisation = organisation
        self.actor = actor
        var soa: [String: String] = [:]
        for row in try await store.records(organisation: organisation, kind: SoAEntry.spec.kind) {
            if let control = row.data["controlId"]?.stringValue { soa[control] = row.id.uuidString.lowercased() }
        }
        self.soa = soa
    }

    /// Goes through the same validation as the API, so the demo never shows a record the rules forbid.
    func add<R: RegisterRecord>(_ record: R) async throws -> String {
        let context = try await store.ruleContext(organisation: organisation, catalog: try Catalog.bundled())
        let checked = try R.spec.decode(R.self, from: try JSONValue(encoding: record), previous: nil, context: context)
        return try await store.create(try RecordDraft(checked), organisation: organisation, by: actor).id.uuidString.lowercased()
    }

    func controls(_ ids: String...) -> [String] { ids.compactMap { soa[$0] } }
    func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func seed() async throws {
        // Suppliers and AI systems
        let bureau = try await add(Supplier(
            name: "Northern Credit Bureau", supplies: ["data"], description: "Credit histories of applicants, monthly file.",
            responsibilities: "Bureau: accuracy and lawful collection of the data. Northwind: use only for creditworthiness, retention of 6 years.",
            assessmentResult: "approved", assessmentNotes: "ISO/IEC 27001 certified; data-quality report reviewed.", assessedOn: date("2026-01-15"),
            contractReference: "NCB-2024-117", reviewDate: date("2027-01-15"), owner: "Gabriel Lead"))
        let llmVendor = try await add(Supplier(
            name: "Parla AI", supplies: ["platform", "model"], description: "Hosted large language model behind the customer-service chatbot.",
            responsibilities: "Parla: model safety and hosting in the EU. Northwind: prompts, retrieval content, user disclosure, human hand-over.",
            assessmentResult: "conditional", assessmentNotes: "Approved on condition that no customer data is used for training (contract clause 9.2).",
            assessedOn: date("2026-03-02"), contractReference: "PAR-2026-004", reviewDate: date("2026-09-02"), owner: "Chen Contributor"))
        _ = (bureau, llmVendor)

        let credit = try await add(AISystem(
            name: "Credit scoring", purpose: "Estimate the probability of default of personal-loan applicants to support lending decisions.",
            intendedUse: "Score applications up to £25,000; underwriters decide on declines and on scores in the referral band.",
            foreseeableMisuse: "Using the score for marketing or for pricing other products.", owner: "Gabriel Lead", businessUnit: "Credit risk",
            aiRoles: [.provider, .customer], euOperatorRole: "provider", euClassification: "high-risk-annex-iii", annexIIIArea: "5",
            classificationReason: "Creditworthiness assessment of natural persons: Annex III point 5(b).", lifecycleStage: "operation-and-monitoring",
            autonomyLevel: "partial-automation", oversightMechanism: "human-on-the-loop",
            oversightDescription: "Underwriters review every decline and the referral band; weekly fairness and drift report to the model risk committee.",
            users: "Underwriters, credit risk analysts.", affectedPersons: "Loan applicants (about 40,000 a year).", deploymentRegions: ["United Kingdom", "Ireland"],
            status: "in-use", inUseSince: date("2024-05-01"), controls: controls("A.5.2", "A.6.2.4", "A.6.2.6", "A.7.4", "A.8.2", "A.9.3")))
        let fraud = try await add(AISystem(
            name: "Card fraud detection", purpose: "Flag card payments that are likely fraudulent for blocking or review.",
            intendedUse: "Real-time scoring of card authorisations; analysts review flagged payments.", owner: "Chen Contributor", businessUnit: "Financial crime",
            aiRoles: [.provider], euOperatorRole: "provider", euClassification: "minimal-risk",
            classificationReason: "Fraud detection is excluded from Annex III point 5(b); no other Annex III area applies.", lifecycleStage: "operation-and-monitoring",
            autonomyLevel: "conditional-automation", oversightMechanism: "human-on-the-loop",
            oversightDescription: "Analysts review all blocks above £500 within 15 minutes and can release payments.",
            users: "Fraud analysts.", affectedPersons: "Card holders.", deploymentRegions: ["United Kingdom"], status: "in-use", inUseSince: date("2023-09-01"),
            controls: controls("A.6.2.4", "A.6.2.6", "A.6.2.8", "A.7.4")))
        let chatbot = try await add(AISystem(
            name: "Customer-service chatbot", purpose: "Answer customers' questions about accounts, fees and applications.",
            intendedUse: "General information; hands over to a person for complaints, hardship and anything about a decision.",
            foreseeableMisuse: "Customers asking for financial advice.", owner: "Chen Contributor", businessUnit: "Customer service",
            aiRoles: [.customer], euOperatorRole: "deployer", euClassification: "limited-risk",
            classificationReason: "Interacts with natural persons: transparency duty of Art. 50(1).", lifecycleStage: "operation-and-monitoring",
            autonomyLevel: "conditional-automation", oversightMechanism: "human-in-command",
            oversightDescription: "Service managers review a sample of 200 conversations a week and can switch the bot off.",
            users: "Customers on the website and app.", affectedPersons: "Customers.", deploymentRegions: ["United Kingdom"], status: "in-use",
            inUseSince: date("2026-04-01"), controls: controls("A.8.2", "A.10.3", "A.9.4")))

        // Data and models
        let applications = try await add(Dataset(
            name: "Loan applications 2019–2025", description: "Application form data with outcomes after 12 months.", purpose: "training", source: "internal",
            acquisition: "Extracted from the origination system.", licence: "Internal", legalBasis: "Contract and legitimate interest (credit risk management); privacy notice section 4.",
            containsPersonalData: true, specialCategories: false, provenance: "Origination system export of 2026-01-05, hashed customer ids.",
            preparationSteps: "De-duplication, outcome labelling at 12 months, winsorising income, one-hot encoding of employment type.",
            knownBiases: "Under-represents applicants under 25 and self-employed applicants.", knownGaps: "No outcomes for declined applicants (reject inference applied).",
            qualityRequirements: "Missing income < 1 %; label leakage checks pass; monthly volumes within 20 % of the mean.", retention: "6 years after account closure",
            owner: "Chen Contributor", aiSystems: [credit]))
        let bureauData = try await add(Dataset(
            name: "Credit bureau histories", purpose: "mixed", source: "purchased", acquisition: "Monthly file from the bureau.", licence: "NCB data licence",
            legalBasis: "Legitimate interest; bureau fair processing notice.", containsPersonalData: true, owner: "Gabriel Lead", aiSystems: [credit]))
        let reference = try await add(Dataset(
            name: "Credit scoring reference window Q4 2025", purpose: "reference", source: "internal", legalBasis: "As the source dataset.",
            containsPersonalData: true, provenance: "Scored applications Oct–Dec 2025.", owner: "Chen Contributor", derivedFrom: [applications], aiSystems: [credit]))
        let transactions = try await add(Dataset(
            name: "Card transactions 2024–2025", purpose: "training", source: "internal", legalBasis: "Legal obligation (fraud prevention).",
            containsPersonalData: true, knownBiases: "Fraud labels depend on customer reports: under-reporting for small amounts.", owner: "Chen Contributor", aiSystems: [fraud]))
        let credit31 = try await add(ModelVersion(
            name: "Credit scorer", modelVersion: "3.1", modelType: "Gradient-boosted trees", trainingDatasets: [applications, bureauData], testDatasets: [reference],
            intendedUse: "Probability of default at 12 months.", limitations: "Not validated for loans above £25,000 or thin-file applicants.",
            vvCriteria: "AUC ≥ 0.75; demographic parity ratio ≥ 0.8 by sex and age band; calibration error ≤ 0.02.",
            vvResults: "AUC 0.79; parity ratio 0.86 (sex), 0.82 (age band); ECE 0.011. Independent validation report MV-2024-03.",
            status: .deployed, approvedBy: "Gabriel Lead", approvedOn: date("2024-04-20"), aiSystems: [credit], owner: "Chen Contributor"))
        _ = try await add(ModelVersion(
            name: "Credit scorer", modelVersion: "3.2", modelType: "Gradient-boosted trees", trainingDatasets: [applications, bureauData],
            intendedUse: "Probability of default at 12 months.", vvCriteria: "As 3.1, plus parity ratio ≥ 0.8 for applicants under 25.",
            status: .draft, previousVersion: credit31, owner: "Chen Contributor"))
        let fraudModel = try await add(ModelVersion(
            name: "Fraud detector", modelVersion: "7.0", modelType: "Gradient-boosted trees", trainingDatasets: [transactions],
            vvCriteria: "Recall ≥ 0.85 at a false-positive rate ≤ 2 %.", vvResults: "Recall 0.88 at FPR 1.6 % on the 2025 hold-out.",
            status: .deployed, approvedBy: "Gabriel Lead", approvedOn: date("2025-10-01"), aiSystems: [fraud], owner: "Chen Contributor"))
        _ = try await add(ModelVersion(
            name: "Chat assistant configuration", modelVersion: "1.2", modelType: "Hosted LLM with retrieval", intendedUse: "Answers from the help-centre articles only.",
            limitations: "May state outdated fees when articles lag behind tariff changes.", vvCriteria: "≥ 95 % of 500 test questions answered correctly or handed over.",
            vvResults: "96.4 % on the April 2026 test set.", status: .deployed, approvedBy: "Olivia Owner", approvedOn: date("2026-03-25"), aiSystems: [chatbot], owner: "Chen Contributor"))

        // Leadership
        let policy = try await add(Policy(
            title: "AI policy", policyType: "ai-policy", documentVersion: "2.0",
            content: "Northwind Lending uses AI to serve customers fairly and safely. We keep people accountable for every AI-supported decision, assess the impact of each AI system before use, monitor fairness and performance continuously, explain decisions to the people they affect, and stop any system that does not meet these commitments.",
            status: "published", owner: "Olivia Owner", approvedBy: "Board of directors", approvedOn: date("2026-01-28"), publishedOn: date("2026-02-01"),
            reviewDate: date("2027-01-31")))
        _ = try await add(Policy(
            title: "Acceptable use of generative AI", policyType: "topic-specific", topic: "Generative AI", documentVersion: "1.0",
            content: "Staff may use approved generative AI tools for drafting; no customer data may be entered; outputs are checked by the author.",
            status: "approved", owner: "Gabriel Lead", approvedBy: "Olivia Owner", approvedOn: date("2026-03-10"), reviewDate: date("2027-03-10")))
        let manager = try await add(AIMSRole(
            name: "AIMS manager", responsibilities: "Runs the AIMS, reports its performance to top management, keeps the SoA and risk register current.",
            authorities: "May suspend an AI system pending review.", assignedTo: ["Gabriel Lead"]))
        let validator = try await add(AIMSRole(
            name: "Independent model validator", responsibilities: "Validates models before approval and yearly after.", assignedTo: ["Priya Patel"], reportsTo: manager))
        let dpo = try await add(AIMSRole(
            name: "Data protection officer", responsibilities: "Advises on personal data in AI systems; receives concerns.", assignedTo: ["Sam Okafor"], reportsTo: manager,
            receivesConcerns: true, concernChannel: "concerns@northwind.example or the anonymous ethics line; acknowledged within 2 working days."))
        let scientist = try await add(AIMSRole(name: "Data scientist", responsibilities: "Builds, monitors and retrains models.", assignedTo: ["Chen Contributor", "Maya Ruiz"],
                                               reportsTo: manager))
        _ = dpo
        _ = try await add(RACIAssignment(activity: "Retrain and release the credit scorer", aiSystem: credit, responsible: ["Chen Contributor"],
                                         accountable: "Gabriel Lead", consulted: ["Priya Patel", "Sam Okafor"], informed: ["Olivia Owner"]))
        _ = try await add(RACIAssignment(activity: "Weekly chatbot conversation review", aiSystem: chatbot, responsible: ["Service managers"],
                                         accountable: "Chen Contributor", informed: ["Gabriel Lead"]))

        // Risks: across levels, linked to systems and SoA controls
        var riskIDs: [String] = []
        let risks: [(String, String, [String], Int, Int, Int?, Int?, String, [String], [String], String)] = [
            ("Unfair refusals for younger applicants", "Parity ratio for applicants under 25 may fall below 0.8.", [credit], 4, 4, 2, 3, "modify", ["C.2.5"], ["A.7.4", "A.6.2.6"], "treated"),
            ("Score drift after the rate rise", "Applicant mix changes faster than retraining.", [credit], 4, 3, 2, 3, "modify", ["C.2.8"], ["A.6.2.6"], "treated"),
            ("Decisions not explainable to applicants", "Reason codes may not reflect the model's drivers.", [credit], 3, 4, 2, 2, "modify", ["C.2.11"], ["A.8.2"], "treated"),
            ("Bureau data errors", "Incorrect bureau records lead to wrong scores.", [credit], 3, 3, 2, 2, "share", ["C.2.3"], ["A.10.3", "A.7.4"], "treated"),
            ("Training data retained too long", "Historic applications kept beyond retention.", [credit, fraud], 2, 3, 1, 3, "modify", ["C.2.7"], ["A.7.2"], "treated"),
            ("Fraud model blocks legitimate payments", "False positives cut off customers abroad.", [fraud], 4, 3, 3, 2, "modify", ["C.2.5", "C.2.8"], ["A.6.2.4"], "treated"),
            ("Adversarial probing of fraud thresholds", "Fraudsters learn thresholds by small test payments.", [fraud], 3, 4, 2, 4, "modify", ["C.2.10"], ["A.6.2.8"], "treatment-planned"),
            ("Label bias from under-reported fraud", "Small-amount fraud rarely reported, so rarely learnt.", [fraud], 3, 2, nil, nil, "retain", ["C.2.3"], [], "assessed"),
            ("Chatbot states wrong fees", "Retrieval returns outdated help articles.", [chatbot], 4, 2, 2, 2, "modify", ["C.2.8"], ["A.9.4"], "treated"),
            ("Chatbot gives financial advice", "Customers ask which loan to take.", [chatbot], 3, 4, 1, 3, "modify", ["C.2.9"], ["A.9.3"], "treated"),
            ("Prompt injection exposes other customers' data", "Crafted messages make the bot reveal retrieved content.", [chatbot], 2, 5, 1, 5, "modify", ["C.2.7", "C.2.10"], ["A.10.3"], "treatment-planned"),
            ("Vendor changes the underlying model", "Behaviour changes without notice.", [chatbot], 3, 3, 2, 3, "share", ["C.2.6"], ["A.10.3"], "treated"),
            ("Key-person dependency in data science", "Two people maintain all models.", [credit, fraud], 3, 3, nil, nil, "retain", ["C.2.2"], [], "assessed"),
            ("Energy use of model training", "Retraining frequency grows.", [credit], 1, 2, nil, nil, "retain", ["C.2.4"], [], "accepted"),
            ("Automation bias among underwriters", "Underwriters rubber-stamp the referral band.", [credit], 4, 4, nil, nil, "modify", ["C.2.1"], ["A.9.3"], "treatment-planned"),
        ]
        for (title, description, systems, l, c, rl, rc, option, objectives, soaControls, status) in risks {
            var risk = AIRisk(title: title, description: description, aiSystems: systems, lifecycleStage: "operation-and-monitoring", objectives: objectives,
                              likelihood: l, consequence: c, treatmentOption: option,
                              treatmentPlan: option == "retain" ? nil : "See linked controls; owner reports progress monthly.",
                              controls: soaControls.compactMap { soa[$0] }, residualLikelihood: rl, residualConsequence: rc,
                              owner: systems.first == credit ? "Gabriel Lead" : "Chen Contributor", reviewDate: date("2026-12-31"), status: status)
            if status == "accepted" { (risk.acceptedBy, risk.acceptedOn, risk.acceptedVersion) = ("Olivia Owner", date("2026-02-10"), 1) }
            riskIDs.append(try await add(risk))
        }

        // Impact assessment, objectives
        _ = try await add(ImpactAssessment(
            title: "Credit scoring impact assessment 2026", aiSystem: credit, scope: "Scoring of personal-loan applications in the UK and Ireland.",
            systemDescription: "Gradient-boosted model with reason codes; underwriters decide declines.", intendedUses: "Creditworthiness of applicants.",
            unintendedUses: "Marketing or pricing other products.", dataAndModel: "Applications 2019–2025 and bureau histories; model 3.1.",
            deploymentEnvironment: "Origination system; decisions within 2 minutes.", interestedParties: "Applicants, regulator, underwriters.",
            individualsBenefits: "Faster decisions; consistent criteria.", individualsHarms: "Wrongful refusal limits access to credit.",
            individualsSeverity: "high", individualsLikelihood: "possible", individualsReversibility: "partly-reversible",
            individualsMeasures: "Human review of declines; appeal route; reason codes.",
            groupsBenefits: "Consistent treatment across branches.", groupsHarms: "Younger and self-employed applicants refused more often.",
            groupsSeverity: "high", groupsLikelihood: "possible", groupsReversibility: "partly-reversible",
            groupsMeasures: "Monthly fairness monitoring by age band and sex; parity threshold 0.8.",
            societyHarms: "Reinforcing historic lending patterns.", societySeverity: "medium", societyLikelihood: "unlikely", societyReversibility: "reversible",
            societyMeasures: "Yearly review of approval rates by region.",
            environmentHarms: "Minor energy use for retraining.", environmentSeverity: "low", environmentLikelihood: "rare", environmentReversibility: "reversible",
            environmentMeasures: "None needed.",
            conclusion: "Acceptable with the measures in place; re-assess at model 3.2 or in 12 months.", risks: Array(riskIDs.prefix(3)), status: "approved",
            assessor: "Priya Patel", approvedBy: "Gabriel Lead", approvedOn: date("2026-02-20"), reassessBy: date("2027-02-20")))
        _ = try await add(Objective(
            title: "Fair credit decisions", what: "Keep the demographic parity ratio of approvals at or above 0.8 by sex and age band.", owner: "Gabriel Lead",
            resources: "Monitoring pipeline; 0.2 FTE data scientist.", dueDate: date("2026-12-31"), measure: "Monthly parity ratio from the monitoring run.",
            kpi: "demographic_parity_ratio", target: "0.8", direction: "higher",
            measurements: ["2026-07-31 0.86", "2026-08-31 0.84", "2026-09-30 0.83", "2026-10-31 0.81"], policy: policy, aiSystems: [credit], status: "at-risk"))
        _ = try await add(Objective(
            title: "Few false fraud blocks", what: "Keep the false-positive rate of fraud blocks at or below 2 %.", owner: "Chen Contributor",
            dueDate: date("2026-12-31"), measure: "Weekly FPR on reviewed blocks.", kpi: "false_positive_rate", target: "0.02", direction: "lower",
            measurements: ["2026-09-30 0.017", "2026-10-31 0.016"], policy: policy, aiSystems: [fraud], status: "on-track"))
        _ = try await add(Objective(
            title: "AI literacy for all staff", what: "Every employee completes the AI literacy course.", owner: "Olivia Owner", dueDate: date("2026-06-30"),
            measure: "Share of staff with a current completion.", kpi: "ai_literacy_completion", target: "1.0", direction: "higher",
            measurements: ["2026-03-31 0.62", "2026-06-30 0.97"], policy: policy, status: "missed"))

        // Competence
        let literacy = try await add(CompetenceRequirement(competence: "AI literacy", role: scientist, level: "practitioner", aiLiteracy: true, renewEveryMonths: 24,
                                                           description: "How our AI systems work, their limits and when to escalate."))
        let fairness = try await add(CompetenceRequirement(competence: "Fairness metrics and their limits", role: scientist, level: "expert", aiLiteracy: false))
        let validation = try await add(CompetenceRequirement(competence: "Model validation (SR 11-7 style)", role: validator, level: "expert", aiLiteracy: false))
        _ = try await add(CompetenceRecord(person: "Chen Contributor", kind: "training", description: "AI literacy course", completedOn: date("2026-02-14"),
                                           expiresOn: date("2028-02-14"), competences: [literacy]))
        _ = try await add(CompetenceRecord(person: "Chen Contributor", kind: "education", description: "MSc Statistics, thesis on fairness in credit",
                                           completedOn: date("2019-09-30"), competences: [fairness]))
        _ = try await add(CompetenceRecord(person: "Priya Patel", kind: "experience", description: "Eight years of model validation at two banks",
                                           completedOn: date("2025-12-31"), competences: [validation]))
        _ = try await add(CompetenceRecord(person: "Maya Ruiz", kind: "training", description: "AI literacy course", completedOn: date("2024-01-10"),
                                           expiresOn: date("2026-01-10"), competences: [literacy]))

        // Audit, incidents, nonconformities, review
        let programme = try await add(AuditProgramme(
            title: "Internal audit programme 2026", periodStart: date("2026-01-01"), periodEnd: date("2026-12-31"),
            scope: "All clauses of ISO/IEC 42001 and the applicable Annex A controls, over the year.", criteria: "ISO/IEC 42001:2023, AI policy 2.0, SoA",
            frequency: "Each process once a year; high-risk systems twice", auditors: ["Ivy Internal Audit", "Priya Patel"], owner: "Olivia Owner", status: "active"))
        let audit = try await add(InternalAudit(
            title: "Audit of monitoring and measurement", programme: programme, auditedArea: "Data science", areaResponsible: ["Chen Contributor", "Maya Ruiz"],
            auditors: ["Ivy Internal Audit"], plannedOn: date("2026-06-10"), performedOn: date("2026-06-12"),
            scope: "Monitoring of the credit and fraud models (9.1, A.6.2.6, A.7.4).", clausesCovered: ["9.1", "A.6.2.6", "A.7.4"], sampledSystems: [credit, fraud],
            report: "Monitoring runs weekly for credit; fraud thresholds are set but not documented. One minor nonconformity, one observation.",
            conclusion: "Monitoring is effective for credit scoring; fraud monitoring needs documented thresholds.", status: "reported"))
        let finding = try await add(Nonconformity(
            title: "Fraud model monitoring thresholds not documented", source: "internal-audit", grade: "minor",
            description: "Alert thresholds for the fraud model exist only in the pipeline code.", requirement: "A.6.2.6", raisedOn: date("2026-06-12"),
            raisedBy: "Ivy Internal Audit", aiSystem: fraud, audit: audit, containment: "Thresholds exported to the monitoring plan.",
            rootCause: "No template for monitoring plans when the fraud model was released.", status: "action-planned", owner: "Chen Contributor"))
        _ = try await add(CorrectiveAction(action: "Write monitoring plans for every deployed model from a template", nonconformity: finding, owner: "Chen Contributor",
                                           dueDate: date("2026-12-15"), status: "in-progress"))
        _ = try await add(Nonconformity(
            title: "Evidence of competence missing for one validator", source: "internal-audit", grade: "observation",
            description: "No record for the second validator's training.", requirement: "7.2", raisedOn: date("2026-06-12"), raisedBy: "Ivy Internal Audit",
            audit: audit, status: "open", owner: "Olivia Owner"))
        _ = try await add(Incident(
            title: "Chatbot quoted last year's arrangement fee", aiSystem: chatbot, description: "For three days the bot quoted £99 instead of £149.",
            detectedAt: "2026-10-03T14:20:00+01:00", awareAt: "2026-10-03T14:20:00+01:00", severity: "low", affectedPersons: "About 60 customers.",
            serious: false, status: "closed", containment: "Help article corrected; affected customers contacted.",
            rootCause: "Tariff change published before the help centre was updated.", owner: "Chen Contributor"))
        let serious = Incident(
            title: "Wave of refusals after the bureau file change", aiSystem: credit,
            description: "A format change in the bureau file set missing histories to zero; 340 applicants were refused in two days.",
            detectedAt: "2026-11-20T08:40:00+00:00", awareAt: "2026-11-20T11:05:00+00:00", severity: "critical",
            affectedPersons: "340 applicants refused credit.", serious: true, seriousCategory: "fundamental-rights", authority: "Financial Conduct Authority",
            status: "contained", containment: "Model switched to manual underwriting; affected applications re-assessed.", owner: "Gabriel Lead")
        let seriousID = try await add(serious)
        let fromIncident = try await add(Nonconformity(
            title: "Input validation missed a supplier format change", source: "incident", grade: "major",
            description: "The pipeline accepted a bureau file whose missing values were encoded as zeros.", requirement: "A.7.4", raisedOn: date("2026-11-20"),
            raisedBy: "Gabriel Lead", aiSystem: credit, incident: seriousID, containment: "Manual underwriting until validation is fixed.",
            rootCause: "No schema or range checks on supplier files.", status: "action-planned", owner: "Chen Contributor"))
        let action = try await add(CorrectiveAction(action: "Add schema and range checks for bureau files, failing closed", nonconformity: fromIncident,
                                                    owner: "Chen Contributor", dueDate: date("2026-12-05"), status: "in-progress"))
        _ = try await add(ManagementReview(
            title: "Management review H1 2026", heldOn: date("2026-07-15"), attendees: ["Olivia Owner (CEO)", "Gabriel Lead", "Chief Risk Officer", "Sam Okafor"],
            previousActions: "All three actions of the 2025 review closed.", changesInIssues: "EU AI Act obligations for high-risk systems from August 2026.",
            nonconformitiesAndActions: "One minor nonconformity from the monitoring audit; action in progress.",
            monitoringResults: "Credit parity ratio declining from 0.86 to 0.84; fraud FPR within target.", auditResults: "Monitoring audit: effective with one minor finding.",
            interestedPartyFeedback: "Two complaints about the chatbot's fees answer.", risksAndOpportunities: "Automation bias among underwriters rated high.",
            improvementOpportunities: "Automate data-quality checks on supplier files.",
            decisions: "Fund a retraining of the credit model with younger applicants; start supplier file validation.", actions: [action],
            status: "signed-off", signedOffBy: "Olivia Owner", signedOffOn: date("2026-07-20")))
        _ = try await add(Evidence(
            title: "Independent validation report, credit scorer 3.1", evidenceType: "link", url: "https://intranet.northwind.example/model-risk/MV-2024-03",
            owner: "Priya Patel", classification: "confidential", validUntil: date("2027-04-20"), clauses: ["A.6.2.4", "8.3"],
            soaEntries: controls("A.6.2.4"), risks: Array(riskIDs.prefix(2)), aiSystems: [credit], models: [credit31], audits: [audit]))
        _ = try await add(Evidence(
            title: "Fraud model release note 7.0", evidenceType: "link", url: "https://intranet.northwind.example/releases/fraud-7.0", owner: "Chen Contributor",
            classification: "internal", clauses: ["A.6.2.5"], aiSystems: [fraud], models: [fraudModel]))
    }
}
