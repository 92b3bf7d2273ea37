import Foundation

/// Sufficient statistics for fairness and performance: per-group confusion counts (and scores
/// for ROC AUC) per sensitive attribute and for their intersection. They merge by addition,
/// which is what lets a warehouse compute them and ship only these numbers.
public struct FairnessAggregates: Sendable, Codable, Equatable {
    public var attributes: [String]
    /// attribute (or "a|b" for the intersection) → group value → counts.
    public var groups: [String: [String: Confusion]]
    /// Scores per group, as counts computed elsewhere arrive (`aims metrics sql`).
    public var scores: [String: [String: ScoreCounts]]?
    public var overall: Confusion
    public var overallScores: ScoreCounts?
    /// Scores as a prediction log gives them: each row once, tagged with its groups.
    public var scoredRows: ScoredRows?
    public var brierSum: Double?
    public var calibration: [CalibrationBin]?
    public var rows: Int
    public var skippedRows: Int

    public var intersectionKey: String { attributes.joined(separator: "|") }

    /// ROC AUC overall and per group of each key, from whichever form the scores come in.
    public func rocAUCs() -> (overall: Double?, groups: [String: [String: Double?]]) {
        if let scoredRows { return scoredRows.rocAUCs(attributes: attributes) }
        guard let scores else { return (overallScores?.rocAUC, [:]) }
        // Each group's AUC sorts its own scores: spread them over the cores.
        let pairs = scores.flatMap { key, groups in groups.keys.map { (key, $0) } }
        let values = pairs.concurrentMap { scores[$0.0]![$0.1]!.rocAUC }
        var groups: [String: [String: Double?]] = scores.mapValues { _ in [:] }
        for (pair, value) in zip(pairs, values) { groups[pair.0]![pair.1] = .some(value) }
        return (overallScores?.rocAUC, groups)
    }
}

public struct CalibrationBin: Sendable, Codable, Equatable {
    public var count = 0
    public var scoreSum = 0.0
    public var positives = 0
}

/// Reads a prediction log and accumulates the aggregates in one pass (through `LogAnalysis`); the
/// file is read on every core, each thread into its own tally, and the tallies merged by group name.
public struct FairnessReader {
    public var roles: ColumnRoles
    public var badRows: BadRowPolicy = .fail
    /// Threads that read a file at once (defaults to one per core).
    public var threads = TableReader.defaultThreads
    public static let missingGroup = "(missing)"
    public static let calibrationBins = 10

    public init(roles: ColumnRoles, badRows: BadRowPolicy = .fail) {
        self.roles = roles
        self.badRows = badRows
    }

    /// Column positions, resolved once from the header.
    /// A class for the same reason as the drift reader's plan: every row gets it, and a reference is one retain.
    final class Columns: @unchecked Sendable {
        let names: [String]
        let label: Int, prediction: Int, score: Int?, filter: Int?
        let sensitive: Pinned<Int>
        let filterValue: Pinned<UInt8>
        let file: String
        let skipBadRows: Bool
        /// Bits per attribute slot in the packed intersection key.
        let slotBits: Int

        init(names: [String], label: Int, prediction: Int, score: Int?, sensitive: [Int], filter: Int?, filterValue: [UInt8], file: String, skipBadRows: Bool) {
            (self.names, self.label, self.prediction, self.score, self.sensitive) = (names, label, prediction, score, Pinned(sensitive))
            (self.filter, self.filterValue, self.file, self.skipBadRows) = (filter, Pinned(filterValue), file, skipBadRows)
            slotBits = 63 / max(sensitive.count, 1)
        }

        deinit {
            sensitive.free()
            filterValue.free()
        }
    }

    public func read(_ table: TableReader) throws -> (aggregates: FairnessAggregates, sha256: String) {
        let result = try LogAnalysis(fairness: self).read(table)
        return (result.fairness!, result.sha256)
    }

    /// The roles' column positions in a header.
    func columns(_ names: [String], file: String) throws -> Columns {
        let index = ColumnIndex(names: names, file: file)
        return Columns(names: names, label: try index.index(roles.label, role: "label"),
                       prediction: try index.index(roles.prediction, role: "prediction"),
                       score: try roles.score.map { try index.index($0, role: "score") },
                       sensitive: try roles.sensitive.map { try index.index($0, role: "sensitive") },
                       filter: try roles.filter.map { try index.index($0.column, role: "split") },
                       filterValue: Array((roles.filter?.value ?? "").utf8), file: file, skipBadRows: badRows == .skip)
    }

    /// One thread's running counts. Group values are interned by their bytes, so a row makes no
    /// strings. Counts are kept per cell (the row's group of every attribute at once) only: each
    /// attribute's groups and the overall counts are sums of cells, added up at the merge, so a row
    /// updates one count instead of one per attribute, one for the intersection and one overall.
    struct FairnessTally {
        var groups: [ByteInterner]
        var intersection = IntInterner()
        var cache: CellCache
        /// Each cell's group slot per attribute.
        var cellSlots: [[Int]] = []
        /// Four counts per cell, at cell × 4 + label × 2 + prediction: a row adds one at an index
        /// it computes. Choosing the count by branches on label and prediction (close to coin
        /// flips) went the wrong way about half the time.
        var counts: [Int] = []
        /// Each scored row's score and tag (its cell, the intersection slot or the one attribute's
        /// slot, and its label); buffers that grow without copying (`GrowingBuffer`), so a thread's
        /// tally is changed only by that thread.
        var scores = GrowingBuffer<Double>()
        var tags = GrowingBuffer<UInt32>()
        var rows = 0, skipped = 0

        init(attributes: Int) {
            groups = Array(repeating: ByteInterner(), count: attributes)
            cache = CellCache(attributes: attributes)
        }

        var cells: Int { counts.count / 4 }

        /// A cell's counts.
        func confusion(_ cell: Int) -> Confusion {
            Confusion(tp: counts[4 * cell + 3], fp: counts[4 * cell + 1], tn: counts[4 * cell], fn: counts[4 * cell + 2])
        }
    }

    /// A block's rows one at a time (read a column at a time, as drift's are, it measured no
    /// faster: each row's work here is a few lookups, not a parse).
    static func add<Block: TableBlock>(_ rows: Block, _ columns: Columns, _ tally: inout FairnessTally) throws {
        for r in 0..<rows.count { try add(rows[r], columns, &tally) }
    }

    @inline(__always)
    static func add<Row: TableRow>(_ row: Row, _ columns: Columns, _ tally: inout FairnessTally) throws {
        if let filter = columns.filter {
            let value = columns.filterValue.bytes  // not `columns` in the closure: that retained it per row
            let keep = row.withBytes(filter) { $0.sameBytes(as: value) }
            if !keep { return }
        }
        do {
            let y = try binary(row, columns.label, columns) ? 1 : 0
            let yHat = try binary(row, columns.prediction, columns) ? 1 : 0
            var s: Double?
            if let score = columns.score {
                switch row.numeric(score) {
                case .decimal(let mantissa, let fraction): s = NumberParser.Decimal(mantissa: mantissa, fraction: fraction).value
                case .number(let value): s = value
                case .missing: throw MetricsInputError(file: columns.file, line: row.line, column: columns.names[score], problem: "is missing")
                case .invalid:
                    throw MetricsInputError(file: columns.file, line: row.line, column: columns.names[score], problem: "is not a number: \(row.text(score) ?? "")")
                }
            }
            let cell = try cell(row, columns, &tally)
            tally.counts[4 * cell + 2 * y + yHat] += 1
            if let s {
                tally.scores.append(s)
                tally.tags.append(UInt32(truncatingIfNeeded: cell << 1 | y))
            }
            tally.rows += 1
        } catch let error as MetricsInputError {
            guard columns.skipBadRows else { throw error }
            tally.skipped += 1
        }
    }

    /// The row's cell: found at once from its values' bytes when the combination was seen before
    /// (`CellCache`), otherwise interned.
    @inline(__always)
    static func cell<Row: TableRow>(_ row: Row, _ columns: Columns, _ tally: inout FairnessTally) throws -> Int {
        guard tally.cache.enabled else { return try intern(row, columns, &tally) }
        let key = CellCache.key(row, columns.sensitive)
        if let key, let cell = tally.cache.cell(key) { return cell }
        let cell = try intern(row, columns, &tally)
        if let key { tally.cache.insert(key, cell: cell) }
        return cell
    }

    /// Interns the row's group of every attribute, then their combination: its intersection slot,
    /// or with one attribute its group's slot. A new cell gets its group slots and its counts.
    @inline(__always)
    static func intern<Row: TableRow>(_ row: Row, _ columns: Columns, _ tally: inout FairnessTally) throws -> Int {
        let attributes = columns.sensitive.count, bits = columns.slotBits
        var packed = 0
        for i in 0..<attributes {
            let column = columns.sensitive[i]
            let slot = row.withBytes(column) { tally.groups[i].slot(for: $0) }
            // Every row is checked, not only a group's first: a skipped row still interns its value.
            if attributes > 1, slot >> bits != 0 {
                throw MetricsInputError(file: columns.file, line: row.line, column: columns.names[column], problem: "has too many distinct groups to intersect")
            }
            packed = packed << bits | slot
        }
        let cell = attributes > 1 ? tally.intersection.slot(for: packed) : packed
        if cell == tally.cells {
            tally.cellSlots.append(attributes == 1 ? [packed] : (0..<attributes).map { (packed >> ((attributes - 1 - $0) * bits)) & ((1 << bits) - 1) })
            tally.counts += [0, 0, 0, 0]
        }
        return cell
    }

    /// Adds the threads' counts up by group name; their scored rows go into one list, each tally's
    /// cells renumbered by their groups' names. Takes the tallies (and empties `tallies`), so each
    /// one's scores are freed once copied.
    func merge(_ tallies: inout [FairnessTally]) -> FairnessAggregates {
        let attributes = roles.sensitive
        let keys = attributes + (attributes.count > 1 ? [attributes.joined(separator: "|")] : [])
        var groups: [String: [String: Confusion]] = [:]
        var overall = Confusion()
        var rows = 0, skipped = 0
        var scored = ScoredRows()
        var cellIndex: [[String]: UInt32] = [:]
        scored.scores.reserveCapacity(tallies.reduce(0) { $0 + $1.scores.count })
        scored.tags.reserveCapacity(scored.scores.capacity)
        for t in tallies.indices {
            let tally = tallies[t]
            func name(_ key: Int, _ slot: Int) -> String { tally.groups[key].name(slot, missing: Self.missingGroup) }
            /// A cell's group per attribute.
            func cell(_ slot: Int) -> [String] { tally.cellSlots[slot].enumerated().map { name($0.offset, $0.element) } }
            // Each cell's counts go to its group of every attribute, and to the intersection.
            for slot in 0..<tally.cells {
                let names = cell(slot), counts = tally.confusion(slot)
                overall += counts
                for (key, keyName) in keys.enumerated() {
                    let group = key < attributes.count ? names[key] : names.joined(separator: "|")
                    groups[keyName, default: [:]][group, default: Confusion()] += counts
                }
            }
            if roles.score != nil {
                // This tally's cells as numbers of the merged list.
                let renumbered = (0..<tally.cells).map { slot -> UInt32 in
                    let groups = cell(slot)
                    if let known = cellIndex[groups] { return known }
                    let next = UInt32(scored.cells.count)
                    cellIndex[groups] = next
                    scored.cells.append(groups)
                    return next
                }
                scored.scores.append(contentsOf: tally.scores.values)
                for tag in tally.tags.values { scored.tags.append(renumbered[Int(tag >> 1)] << 1 | tag & 1) }
                tallies[t].scores = GrowingBuffer()
                tallies[t].tags = GrowingBuffer()
            }
            rows += tally.rows
            skipped += tally.skipped
        }
        tallies = []
        for key in keys where groups[key] == nil { groups[key] = [:] }
        let withScore = roles.score != nil
        // Sorted here, where the rows are this function's own: sorting them for the AUCs later
        // would first copy them all.
        if withScore { RadixSort.sort(&scored.scores, carrying: &scored.tags) }
        let (brier, bins) = Self.brierAndCalibration(scored)
        return FairnessAggregates(attributes: attributes, groups: groups, scores: nil, overall: overall, overallScores: nil,
                                  scoredRows: withScore ? scored : nil, brierSum: withScore ? brier : nil,
                                  calibration: withScore ? bins : nil, rows: rows, skippedRows: skipped)
    }

    /// The Brier score's sum of squares and the calibration bins, from the scored rows sorted by
    /// score: each run of equal scores adds its count and its positives at once. Summed as the rows
    /// came, the last bits changed from run to run, since a thread's rows come from the windows it
    /// happened to take; the same log must give the same report, to the bit.
    static func brierAndCalibration(_ scored: ScoredRows) -> (brier: Double, bins: [CalibrationBin]) {
        var brier = 0.0
        var bins = Array(repeating: CalibrationBin(), count: calibrationBins)
        let (scores, tags) = (scored.scores, scored.tags)
        var i = 0
        while i < scores.count {
            let s = scores[i]
            var count = 0, positives = 0
            while i < scores.count, scores[i] == s {
                positives += Int(tags[i] & 1)
                count += 1
                i += 1
            }
            brier += Double(positives) * (1 - s) * (1 - s) + Double(count - positives) * s * s
            let bin = min(calibrationBins - 1, max(0, Int(s * Double(calibrationBins))))
            bins[bin].count += count
            bins[bin].scoreSum += s * Double(count)
            bins[bin].positives += positives
        }
        return (brier, bins)
    }

    @inline(__always)
    static func binary<Row: TableRow>(_ row: Row, _ column: Int, _ columns: Columns) throws -> Bool {
        if let fast = BinaryValue.fast(row, column) { return fast }
        guard let text = row.text(column) else { throw MetricsInputError(file: columns.file, line: row.line, column: columns.names[column], problem: "is missing") }
        guard let value = BinaryValue.parse(text) else {
            throw MetricsInputError(file: columns.file, line: row.line, column: columns.names[column], problem: "is not binary: \(text) (use 0/1 or true/false)")
        }
        return value
    }
}

/// Interns byte strings: the same bytes always get the same slot, numbered from 0 in order of
/// first sight. Open addressing over FNV-1a hashes; the values lie back to back in one array, so a
/// lookup touches no nested array (and retains nothing), and a value seen before allocates nothing.
struct ByteInterner {
    /// Every value's bytes, back to back; slot k spans ends[k - 1] (or 0) up to ends[k].
    private var arena: [UInt8] = []
    private var ends: [Int] = []
    private var table = [Int32](repeating: -1, count: 64)

    var count: Int { ends.count }

    @inline(__always)
    private func bounds(_ slot: Int) -> Range<Int> { (slot == 0 ? 0 : ends[slot - 1])..<ends[slot] }

    @inline(__always)
    mutating func slot(for bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = table.count - 1
        var index = Self.home(bytes, mask)
        while true {
            let slot = Int(table[index])
            if slot < 0 { break }
            let range = bounds(slot)
            if range.count == bytes.count,
               arena.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[range]).sameBytes(as: bytes) }) { return slot }
            index = (index + 1) & mask
        }
        let slot = ends.count
        arena.append(contentsOf: bytes)
        ends.append(arena.count)
        table[index] = Int32(slot)
        if ends.count * 2 > table.count { rehash() }
        return slot
    }

    private mutating func rehash() {
        table = [Int32](repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        for slot in 0..<ends.count {
            let range = bounds(slot)
            var index = arena.withUnsafeBufferPointer { Self.home(UnsafeBufferPointer(rebasing: $0[range]), mask) }
            while table[index] >= 0 { index = (index + 1) & mask }
            table[index] = Int32(slot)
        }
    }

    /// The value's home in the table: its 64-bit hash (a word at a time; FNV-1a's byte at a time
    /// was a chain of a multiplication per byte, and every group value of every row comes here).
    @inline(__always)
    static func home(_ bytes: UnsafeBufferPointer<UInt8>, _ mask: Int) -> Int { Int(truncatingIfNeeded: bytes.hash64()) & mask }

    /// The slot's value as text; empty bytes are a missing value.
    func name(_ slot: Int, missing: String) -> String {
        let range = bounds(slot)
        return range.isEmpty ? missing : String(decoding: arena[range], as: UTF8.self)
    }
}

/// A row's cell straight from its groups' bytes when every value is at most eight bytes (sexes,
/// races, regions, codes): one lookup where interning each value and then their combination took
/// one per attribute and one more. Only combinations already interned are found, so the
/// interners, their slots and the check of each row's slots are as they were. For two or three
/// attributes (with one, the group's slot is the cell already; four or more are interned): a key of
/// a fixed four words is hashed and compared without a loop: `aims metrics all` on 10M rows took
/// 0.830 s against 0.862 s with a key as long as the attributes, looped over.
struct CellCache {
    /// Each value's `shortWord` (the third empty for two attributes), then every value's length,
    /// a byte each.
    struct Key {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var lengths: UInt64 = 0

        @inline(__always)
        static func same(_ x: Key, _ y: Key) -> Bool {
            (x.words.0 ^ y.words.0) | (x.words.1 ^ y.words.1) | (x.words.2 ^ y.words.2) | (x.lengths ^ y.lengths) == 0
        }

        /// Each word multiplied by a constant of its own (independent multiplications), then mixed.
        @inline(__always)
        var home: Int {
            let hash = (words.0 &* 0x9E37_79B9_7F4A_7C15) ^ (words.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (words.2 &* 0x1656_67B1_9E37_79F9) ^ (lengths &* 0x85EB_CA77_C2B2_AE63)
            return Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32)
        }
    }

    static let attributes = 2...3
    let enabled: Bool
    private var keys: [Key]
    private var cells: [Int32]
    private var count = 0

    init(attributes: Int) {
        enabled = Self.attributes.contains(attributes)
        keys = Array(repeating: Key(), count: enabled ? 64 : 0)
        cells = Array(repeating: -1, count: enabled ? 64 : 0)
    }

    /// A row's key; nil when a value is longer than eight bytes.
    @inline(__always)
    static func key<Row: TableRow>(_ row: Row, _ sensitive: Pinned<Int>) -> Key? {
        if sensitive.count == 2 { return key(row, sensitive[0], sensitive[1]) }
        var key = Key()
        for i in 0..<sensitive.count {
            let word = row.withBytes(sensitive[i]) { bytes -> UInt64? in
                key.lengths = key.lengths << 8 | UInt64(bytes.count)
                return bytes.shortWord
            }
            guard let word else { return nil }
            switch i {
            case 0: key.words.0 = word
            case 1: key.words.1 = word
            default: key.words.2 = word
            }
        }
        return key
    }

    /// The key of two attributes' values, written out: through the loop (and its switch on which
    /// word) the words went to the stack and back before the hash could start. (One function for
    /// two and three, its values read through a nested function, was slower still: 10M fairness
    /// 0.49 -> 0.56 s; three attributes keep the loop.)
    @inline(__always)
    static func key<Row: TableRow>(_ row: Row, _ first: Int, _ second: Int) -> Key? {
        var lengths: UInt64 = 0
        let a = row.withBytes(first) { bytes -> UInt64? in
            lengths = UInt64(bytes.count) << 8
            return bytes.shortWord
        }
        let b = row.withBytes(second) { bytes -> UInt64? in
            lengths |= UInt64(bytes.count)
            return bytes.shortWord
        }
        guard let a, let b else { return nil }
        return Key(words: (a, b, 0), lengths: lengths)
    }

    @inline(__always)
    func cell(_ key: Key) -> Int? {
        let mask = cells.count - 1
        var index = key.home & mask
        while cells[index] >= 0 {
            if Key.same(keys[index], key) { return Int(cells[index]) }
            index = (index + 1) & mask
        }
        return nil
    }

    mutating func insert(_ key: Key, cell: Int) {
        if 2 * (count + 1) > cells.count { grow() }
        let mask = cells.count - 1
        var index = key.home & mask
        while cells[index] >= 0 { index = (index + 1) & mask }
        keys[index] = key
        cells[index] = Int32(cell)
        count += 1
    }

    private mutating func grow() {
        let (oldKeys, oldCells) = (keys, cells)
        keys = Array(repeating: Key(), count: 2 * oldKeys.count)
        cells = Array(repeating: -1, count: 2 * oldCells.count)
        count = 0
        for index in oldCells.indices where oldCells[index] >= 0 { insert(oldKeys[index], cell: Int(oldCells[index])) }
    }
}

/// Interns non-negative integers (packed group slots) the same way: slots from 0 in order of first sight.
struct IntInterner {
    private var keys = [Int](repeating: -1, count: 64)
    private var slots = [Int32](repeating: -1, count: 64)
    private var count = 0

    @inline(__always)
    mutating func slot(for key: Int) -> Int {
        let mask = keys.count - 1
        var index = Self.home(key, mask)
        while keys[index] >= 0 {
            if keys[index] == key { return Int(slots[index]) }
            index = (index + 1) & mask
        }
        keys[index] = key
        slots[index] = Int32(count)
        count += 1
        if count * 2 > keys.count { grow() }
        return count - 1
    }

    private mutating func grow() {
        let (oldKeys, oldSlots) = (keys, slots)
        keys = [Int](repeating: -1, count: oldKeys.count * 2)
        slots = [Int32](repeating: -1, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for (key, slot) in zip(oldKeys, oldSlots) where key >= 0 {
            var index = Self.home(key, mask)
            while keys[index] >= 0 { index = (index + 1) & mask }
            keys[index] = key
            slots[index] = slot
        }
    }

    /// Fibonacci hashing: the key times 2^64/φ, high bits first.
    @inline(__always)
    static func home(_ key: Int, _ mask: Int) -> Int { Int(truncatingIfNeeded: UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15 >> 32) & mask }
}
