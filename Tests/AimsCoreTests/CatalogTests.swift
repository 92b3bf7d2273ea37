import Foundation
import Testing

@testable import AimsCore

@Suite("ISO/IEC 42001 catalog")
struct CatalogTests {
    let catalog = try! Catalog.bundled()

    @Test("clauses 4–10: 7 groups and 32 leaf sub-clauses")
    func clauseCounts() {
        #expect(catalog.clauses.filter { $0.parent == nil }.map(\.id) == ["4", "5", "6", "7", "8", "9", "10"])
        #expect(catalog.leafClauses.count == 32)
        for id in ["6.1.1", "6.1.2", "6.1.3", "6.1.4", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.2"] {
            #expect(catalog.clause(id)?.isLeaf == true, "\(id) should be a leaf")
        }
        #expect(catalog.clause("6.1")?.isLeaf == false)
        #expect(catalog.clause("4.3")?.documentedInformation == .document)
        #expect(catalog.clause("6.1.3")?.documentedInformation == .both)
        #expect(catalog.clause("9.1")?.documentedInformation == .record)
    }

    @Test("Annex A: 38 controls in 9 groups; A.6 has two sub-objectives")
    func controlCounts() {
        #expect(catalog.controls.count == 38)
        #expect(catalog.controlGroups.map(\.id) == ["A.2", "A.3", "A.4", "A.5", "A.6", "A.7", "A.8", "A.9", "A.10"])
        #expect(catalog.objectives.filter { $0.parent == "A.6" }.map(\.id) == ["A.6.1", "A.6.2"])
        let perGroup = Dictionary(grouping: catalog.controls) { catalog.group(of: $0)!.id }.mapValues(\.count)
        #expect(perGroup == ["A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9, "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3])
        #expect(catalog.control("A.6.2.4")?.objective == "A.6.2")
        #expect(catalog.control("A.6.2.4")?.guidance.ref == "B.6.2.4")
    }

    @Test("ids sort as dotted versions")
    func dottedOrder() {
        #expect(["A.10.2", "A.9.4", "A.2.2", "A.6.2.10", "A.6.2.9"].sortedAsDottedIDs() == ["A.2.2", "A.6.2.9", "A.6.2.10", "A.9.4", "A.10.2"])
        #expect(["10.1", "9.3.3", "4.1", "10.2"].sortedAsDottedIDs() == ["4.1", "9.3.3", "10.1", "10.2"])
        #expect(catalog.controls.last?.id == "A.10.4")
        #expect(catalog.clauses.last?.id == "10.2")
    }

    @Test("Annex C, documented information and crosswalks resolve, each link with a basis")
    func references() {
        #expect(catalog.annexC.objectives.count == 11)
        #expect(catalog.annexC.riskSources.count == 7)
        #expect(catalog.documentedInformation.contains { $0.title == "Statement of Applicability" && $0.clauses == ["6.1.3"] })
        #expect(Set(catalog.frameworks.map(\.id)) == ["eu-ai-act", "nist-ai-rmf", "iso-27001"])
        let links = catalog.crosswalks(for: "A.6.2.8")
        #expect(links.contains { $0.framework == "eu-ai-act" && $0.ref == "Art. 12" })
        #expect(catalog.crosswalks.contains { $0.basis == .publishedCrosswalk })
        #expect(catalog.crosswalks.contains { $0.basis == .harmonizedStructure && $0.framework == "iso-27001" })
        #expect(catalog.crosswalks.contains { $0.ref.hasPrefix("Annex III(") })
    }

    @Test("a broken catalog names the bad entry", arguments: [
        ("duplicate", "A.2.2", "is defined twice"),
        ("dangling-objective", "A.2.3", "names objective A.99"),
        ("dangling-crosswalk", "→ 4.99", "is not a clause or control"),
        ("dangling-parent", "4.1", "names parent 99"),
    ])
    func brokenCatalog(kind: String, entry: String, problem: String) throws {
        let url = Catalog.bundledURL
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var controls = json["controls"] as! [[String: Any]]
        var clauses = json["clauses"] as! [[String: Any]]
        var crosswalks = json["crosswalks"] as! [[String: Any]]
        switch kind {
        case "duplicate": controls.append(controls[0])
        case "dangling-objective": controls[1]["objective"] = "A.99"
        case "dangling-crosswalk": crosswalks[0]["target"] = "4.99"
        default: clauses[1]["parent"] = "99"
        }
        json["controls"] = controls
        json["clauses"] = clauses
        json["crosswalks"] = crosswalks
        let data = try JSONSerialization.data(withJSONObject: json)
        let error = #expect(throws: CatalogError.self) { try Catalog.load(from: data) }
        #expect(error?.description.contains(entry) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(problem) == true, "\(error?.description ?? "")")
    }
}

extension Catalog {
    static var bundledURL: URL { Bundle.module.url(forResource: "iso42001", withExtension: "json")! }
}
