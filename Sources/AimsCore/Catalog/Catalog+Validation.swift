extension Catalog {
    /// Unique ids, and every reference between entries resolves.
    func validate() throws {
        var seen = Set<String>()
        func unique(_ id: String) throws {
            guard !id.isEmpty else { throw CatalogError(entry: "\"\"", problem: "has an empty id") }
            guard seen.insert(id).inserted else { throw CatalogError(entry: id, problem: "is defined twice") }
        }
        for clause in clauses {
            try unique(clause.id)
            if clause.title.isEmpty { throw CatalogError(entry: clause.id, problem: "has no title") }
        }
        for objective in objectives { try unique(objective.id) }
        for control in controls { try unique(control.id) }
        for entry in annexC.objectives + annexC.riskSources { try unique(entry.id) }
        for item in documentedInformation { try unique(item.id) }

        let clauseIDs = Set(clauses.map(\.id))
        let objectiveIDs = Set(objectives.map(\.id))
        for clause in clauses {
            if let parent = clause.parent, !clauseIDs.contains(parent) {
                throw CatalogError(entry: clause.id, problem: "names parent \(parent), which is not a clause")
            }
            if clause.isLeaf != (clause.documentedInformation != nil) {
                throw CatalogError(entry: clause.id, problem: "must give both evidence and documented information, or neither")
            }
        }
        for objective in objectives {
            if let parent = objective.parent, !objectiveIDs.contains(parent) {
                throw CatalogError(entry: objective.id, problem: "names parent \(parent), which is not an objective")
            }
        }
        for control in controls where !objectiveIDs.contains(control.objective) {
            throw CatalogError(entry: control.id, problem: "names objective \(control.objective), which does not exist")
        }
        for item in documentedInformation {
            for clause in item.clauses where !clauseIDs.contains(clause) {
                throw CatalogError(entry: item.id, problem: "names clause \(clause), which does not exist")
            }
        }
        var references: [String: Set<String>] = [:]
        for framework in frameworks {
            guard references[framework.id] == nil else {
                throw CatalogError(entry: framework.id, problem: "is defined twice")
            }
            references[framework.id] = Set(framework.references.map(\.ref))
        }
        let targets = clauseIDs.union(controls.map(\.id))
        for link in crosswalks {
            let name = "\(link.framework) \(link.ref) → \(link.target)"
            guard let refs = references[link.framework] else {
                throw CatalogError(entry: name, problem: "names framework \(link.framework), which does not exist")
            }
            guard refs.contains(link.ref) else {
                throw CatalogError(entry: name, problem: "names \(link.ref), which \(link.framework) does not list")
            }
            guard targets.contains(link.target) else {
                throw CatalogError(entry: name, problem: "points at \(link.target), which is not a clause or control")
            }
        }
    }
}
