import AimsCore
import AimsStore
import AimsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AimsServer
import TestScratch

@Suite("Demo organisation")
struct DemoTests {
    @Test("fills every register with valid, linked records and shows them on the dashboard")
    func demo() async throws {
        try await TestDatabase.with { store in
            // The demo lives under a fixed slug; on a shared PostgreSQL database it may exist already.
            let files = EvidenceFiles(root: Scratch.url("aims-demo"))
            let org = try await DemoData.seed(store: store, catalog: TestDatabase.catalog, bcryptCost: 4, files: files)
            for type in Registers.all {
                let count = try await store.records(organisation: org.id, kind: type.spec.kind).count
                #expect(count > 0, "\(type.spec.kind) is empty in the demo")
            }
            #expect(try await store.records(organisation: org.id, kind: AISystem.spec.kind).count == 3)
            let risks = try await store.records(organisation: org.id, kind: AIRisk.spec.kind).map { try $0.record(as: AIRisk.self) }
            #expect(risks.count == 15)
            #expect(Set(risks.compactMap(\.inherentLevel)).count >= 3)
            let assessments = try await store.records(organisation: org.id, kind: ImpactAssessment.spec.kind).map { try $0.record(as: ImpactAssessment.self) }
            #expect(assessments.contains { $0.status == "approved" && $0.title.contains("Credit") })
            let incidents = try await store.records(organisation: org.id, kind: Incident.spec.kind).map { try $0.record(as: Incident.self) }
            let serious = try #require(incidents.first { $0.serious })
            #expect(serious.reportDueBy == "2026-12-05T11:05:00Z")
            #expect(try await store.verifyAuditTrail(organisation: org.id).isIntact)
            // Every demo record passes the rules the API applies.
            let context = try await store.ruleContext(organisation: org.id, catalog: TestDatabase.catalog)
            for type in Registers.all {
                for stored in try await store.records(organisation: org.id, kind: type.spec.kind) {
                    #expect(throws: Never.self, "\(type.spec.kind) \(stored.title)") { try revalidate(type, stored.data, context: context) }
                }
            }

            let creditID = try await store.records(organisation: org.id, kind: AISystem.spec.kind).first { $0.title == "Credit scoring" }!.id.uuidString.lowercased()
            // The monitoring runs left KPI points, evidence and one nonconformity for the failing plan.
            let kpis = try await store.records(organisation: org.id, kind: KPIMeasurement.spec.kind)
            #expect(Set(kpis.compactMap { $0.data["measuredAt"]?.stringValue }).count == 4)
            let monitoringNCs = try await store.records(organisation: org.id, kind: Nonconformity.spec.kind).filter { $0.data["source"] == "monitoring" }
            #expect(monitoringNCs.count == 1, "one nonconformity per plan, not one per failing run")
            var config = AppConfig()
            config.bcryptCost = 4
            config.evidenceDirectory = files.root.path
            let (router, _) = try await buildRouter(AimsServices(config: config, catalog: TestDatabase.catalog, store: store))
            try await Application(router: router).test(.router) { client in
                let (cookie, _) = try await signIn(client, email: "owner@northwind.example", password: DemoData.password)
                let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).text
                #expect(page.contains("Wave of refusals after the bureau file change"))
                #expect(page.contains("report due 2026-12-05T11:05:00Z"))
                #expect(page.contains("Chain intact"))
                let monitoring = try await client.execute(uri: "/registers/ai-systems/\(creditID)/monitoring", method: .get, headers: [.cookie: cookie]).text
                #expect(monitoring.contains("<svg"))
                #expect(monitoring.contains("sex demographic_parity_ratio"))
                #expect(monitoring.contains("Fairness by group: race"))
                let gaps = try await client.execute(uri: "/competence/gaps", method: .get, headers: [.cookie: cookie]).text
                #expect(gaps.contains("Maya Ruiz"))
                let members = try await client.execute(uri: "/settings/members", method: .get, headers: [.cookie: cookie]).text
                #expect(members.contains("auditor@northwind.example"))
                let system = try await store.records(organisation: org.id, kind: AISystem.spec.kind).first { $0.title == "Credit scoring" }!
                let systemPage = try await client.execute(uri: "/registers/ai-systems/\(system.id.uuidString.lowercased())", method: .get, headers: [.cookie: cookie]).text
                for linked in ["Credit scorer 3.1", "Loan applications 2019–2025", "Credit scoring impact assessment 2026", "Unfair refusals for younger applicants",
                               "Wave of refusals after the bureau file change", "A.6.2.4 AI system verification and validation"] {
                    #expect(systemPage.contains(linked), "AI system page should show \(linked)")
                }
            }
        }
    }

    func revalidate(_ type: any RegisterRecord.Type, _ data: JSONValue, context: RuleContext) throws {
        func check<R: RegisterRecord>(_ type: R.Type) throws { _ = try R.spec.decode(R.self, from: data, previous: nil, context: context) }
        try check(type)
    }
}
