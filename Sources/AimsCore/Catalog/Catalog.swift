import Foundation

/// The ISO/IEC 42001 catalog: clauses 4–10, Annex A objectives and controls, Annex C,
/// the mandatory documented information and crosswalks to other frameworks.
/// It is data (`iso42001.json`), validated when loaded.
public struct Catalog: Sendable, Codable {
    public struct Standard: Sendable, Codable, Equatable {
        public var id: String
        public var edition: String
        public var title: String
    }

    /// What a clause asks to be kept as documented information.
    public enum DocumentedInformation: String, Sendable, Codable, CaseIterable {
        case none, document, record, both
    }

    public struct Clause: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var parent: String?
        public var intent: String
        /// What an auditor expects to see; nil for clause groups.
        public var evidence: String?
        public var documentedInformation: DocumentedInformation?
        public var isLeaf: Bool { evidence != nil }
    }

    public struct Objective: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var parent: String?
        public var statement: String
    }

    public struct Guidance: Sendable, Codable, Equatable {
        public var ref: String
        public var topic: String
    }

    public struct Control: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        /// The objective this control serves (a group such as "A.2", or a sub-objective such as "A.6.2").
        public var objective: String
        public var intent: String
        public var guidance: Guidance
    }

    public struct AnnexCEntry: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var summary: String
    }

    public struct AnnexC: Sendable, Codable, Equatable {
        public var objectives: [AnnexCEntry]
        public var riskSources: [AnnexCEntry]
    }

    public struct DocumentedInformationItem: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var clauses: [String]
        public var kind: String
    }

    public struct FrameworkReference: Sendable, Codable, Equatable {
        public var ref: String
        public var title: String
        public var group: String?
    }

    public struct Framework: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var references: [FrameworkReference]
    }

    /// How far a crosswalk link can be trusted.
    public enum Basis: String, Sendable, Codable, CaseIterable {
        /// Taken from a crosswalk published by the framework's owner.
        case publishedCrosswalk = "published-crosswalk"
        /// Both standards share the ISO harmonized structure, so the clauses correspond.
        case harmonizedStructure = "harmonized-structure"
        /// Aims' own analysis; check it against your situation.
        case analysis
    }

    public struct Crosswalk: Sendable, Codable, Equatable {
        public var framework: String
        public var ref: String
        /// A clause or Annex A control id of ISO/IEC 42001.
        public var target: String
        public var basis: Basis
        public var coverage: String?
    }

    public var schema: String
    public var standard: Standard
    public var notice: String
    public var clauses: [Clause]
    public var objectives: [Objective]
    public var controls: [Control]
    public var annexC: AnnexC
    public var documentedInformation: [DocumentedInformationItem]
    public var frameworks: [Framework]
    public var crosswalks: [Crosswalk]
}

extension Catalog {
    /// Decodes and validates a catalog; a broken catalog throws ``CatalogError`` naming the bad entry.
    public static func load(from data: Data) throws -> Catalog {
        let catalog: Catalog
        do {
            catalog = try JSONDecoder().decode(Catalog.self, from: data)
        } catch {
            throw CatalogError(entry: "(file)", problem: "cannot be decoded: \(error)")
        }
        try catalog.validate()
        return catalog.sorted()
    }

    /// The catalog shipped with Aims.
    public static func bundled() throws -> Catalog {
        guard let url = Bundle.module.url(forResource: "iso42001", withExtension: "json") else {
            throw CatalogError(entry: "iso42001.json", problem: "is missing from the AimsCore bundle")
        }
        return try load(from: Data(contentsOf: url))
    }

    func sorted() -> Catalog {
        var copy = self
        copy.clauses.sort { DottedID.areInIncreasingOrder($0.id, $1.id) }
        copy.objectives.sort { DottedID.areInIncreasingOrder($0.id, $1.id) }
        copy.controls.sort { DottedID.areInIncreasingOrder($0.id, $1.id) }
        return copy
    }

    public var leafClauses: [Clause] { clauses.filter(\.isLeaf) }
    /// Top-level Annex A groups (A.2 … A.10).
    public var controlGroups: [Objective] { objectives.filter { $0.parent == nil } }

    public func clause(_ id: String) -> Clause? { clauses.first { $0.id == id } }
    public func control(_ id: String) -> Control? { controls.first { $0.id == id } }
    public func objective(_ id: String) -> Objective? { objectives.first { $0.id == id } }

    /// The top-level Annex A group of a control ("A.6" for "A.6.2.4").
    public func group(of control: Control) -> Objective? {
        guard var objective = objective(control.objective) else { return nil }
        while let parent = objective.parent, let next = self.objective(parent) { objective = next }
        return objective
    }

    public func crosswalks(for target: String) -> [Crosswalk] { crosswalks.filter { $0.target == target } }

    public func reference(framework: String, ref: String) -> FrameworkReference? {
        frameworks.first { $0.id == framework }?.references.first { $0.ref == ref }
    }

    /// Clause or control title for any 42001 id.
    public func title(of id: String) -> String? { clause(id)?.title ?? control(id)?.title ?? objective(id)?.title }
}

public struct CatalogError: Error, CustomStringConvertible, Equatable {
    public var entry: String
    public var problem: String
    public var description: String { "ISO/IEC 42001 catalog: entry \(entry) \(problem)" }
}
