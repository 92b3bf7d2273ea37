/// Every scored row once: its score, its label and its cell (the combination of its groups). One
/// sort of these gives the ROC AUC of every group of every attribute, of their intersection and
/// overall, by one sweep; per-group score lists held each score once per attribute and sorted
/// each list on its own.
public struct ScoredRows: Sendable, Codable, Equatable {
    public var scores: [Double] = []
    /// The row's cell shifted left by one, its label in the lowest bit.
    public var tags: [UInt32] = []
    /// Per cell, its group in each attribute (no attributes: one cell, no groups).
    public var cells: [[String]] = []

    public init() {}

    /// The AUC (null without both classes) overall and per group of each key: every attribute,
    /// then, with several attributes, their intersection (groups joined by "|").
    public func rocAUCs(attributes: [String]) -> (overall: Double?, groups: [String: [String: Double?]]) {
        let keys = attributes + (attributes.count > 1 ? [attributes.joined(separator: "|")] : [])
        // Flat group numbers over all keys, the overall "group" last; per cell, its group in each key.
        var names: [(key: Int, group: String)] = []
        var index: [Int: [String: Int]] = [:]
        let width = keys.count + 1
        var cellGroups = [Int](repeating: 0, count: cells.count * width)
        for (c, cell) in cells.enumerated() {
            for k in keys.indices {
                let group = k < attributes.count ? cell[k] : cell.joined(separator: "|")
                if index[k, default: [:]][group] == nil {
                    index[k, default: [:]][group] = names.count
                    names.append((k, group))
                }
                cellGroups[c * width + k] = index[k]![group]!
            }
        }
        let overallGroup = names.count
        for c in cells.indices { cellGroups[c * width + keys.count] = overallGroup }

        // Rows from a log come sorted (`FairnessReader.merge`); others are sorted in a copy.
        var sortedScores = scores, sortedTags = tags
        if !zip(scores, scores.dropFirst()).allSatisfy({ $0 <= $1 }) { RadixSort.sort(&sortedScores, carrying: &sortedTags) }
        let total = overallGroup + 1
        var area = [Double](repeating: 0, count: total), positives = area, negativesBelow = area
        var runPositives = area, runNegatives = area
        var touched: [Int] = []
        var i = 0
        while i < sortedScores.count {
            let score = sortedScores[i]
            // One run of tied scores: count it per group, then add each positive's negatives below plus half the tied ones.
            while i < sortedScores.count, sortedScores[i] == score {
                let tag = Int(sortedTags[i]), base = (tag >> 1) * width
                let positive = tag & 1 == 1
                for k in 0..<width {
                    let g = cellGroups[base + k]
                    if runPositives[g] == 0, runNegatives[g] == 0 { touched.append(g) }
                    if positive { runPositives[g] += 1 } else { runNegatives[g] += 1 }
                }
                i += 1
            }
            for g in touched {
                area[g] += runPositives[g] * (negativesBelow[g] + 0.5 * runNegatives[g])
                negativesBelow[g] += runNegatives[g]
                positives[g] += runPositives[g]
                (runPositives[g], runNegatives[g]) = (0, 0)
            }
            touched.removeAll(keepingCapacity: true)
        }
        func auc(_ g: Int) -> Double? {
            positives[g] > 0 && negativesBelow[g] > 0 ? area[g] / (positives[g] * negativesBelow[g]) : nil
        }
        var groups: [String: [String: Double?]] = Dictionary(uniqueKeysWithValues: keys.map { ($0, [:]) })
        for (g, name) in names.enumerated() { groups[keys[name.key]]![name.group] = auc(g) }
        return (cells.isEmpty ? nil : auc(overallGroup), groups)
    }
}
