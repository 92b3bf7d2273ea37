import Crypto
import Foundation
import Synchronization

/// One row of a table, read lazily: only the columns asked for are decoded.
public protocol TableRow {
    /// 1-based line in the file.
    var line: Int { get }
    /// The cell as text; nil when missing (empty, or null in JSON Lines).
    func text(_ column: Int) -> String?
    /// The cell as a number; nil when missing; throws when present but not a number.
    func number(_ column: Int) -> Double??
    /// The cell's UTF-8 bytes, without making a String; empty when missing.
    func withBytes<T>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T
    /// The cell as a number, telling a plain decimal apart (so it can be stored exactly as a
    /// scaled integer) from other notations.
    func numeric(_ column: Int) -> NumericCell
}

/// Rows handed over together, as a reader reads them (CSV rows of one scanned block, or JSON
/// lines): an analysis takes a block in one call, and can read it a column at a time.
protocol TableBlock {
    associatedtype Row: TableRow
    var count: Int { get }
    subscript(_ r: Int) -> Row { get }
}

/// A cell read as a number.
public enum NumericCell {
    case missing
    /// Written as a plain decimal: `mantissa` ÷ 10^`fraction`, exactly.
    case decimal(mantissa: Int64, fraction: Int)
    /// A number in another notation (an exponent, digits beyond 2^53, a JSON number).
    case number(Double)
    /// Present but not a number.
    case invalid

    /// A cell's text read as a number.
    @inline(__always)
    init(text bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty {
            self = .missing
        } else if let decimal = NumberParser.decimal(bytes) {
            self = .decimal(mantissa: decimal.mantissa, fraction: decimal.fraction)
        } else {
            self = NumberParser.slowParse(bytes).map { .number($0) } ?? .invalid
        }
    }
}

extension TableRow {
    /// Rows that hold text already hand out its bytes.
    public func withBytes<T>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard var text = text(column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try text.withUTF8(body)
    }

    /// Rows that parse numbers already hand them out as they are.
    public func numeric(_ column: Int) -> NumericCell {
        switch number(column) {
        case nil: .invalid
        case .some(nil): .missing
        case .some(.some(let value)): .number(value)
        }
    }
}

/// One byte range's outcome: its state or error, with lines numbered from 1 within the range.
struct RangeOutcome<State> {
    var result: Result<State, any Error>
    var progress: CSVScanner.Progress
}

/// Thrown to stop reading a part that lies after a failed one: its rows cannot hold the first
/// error in file order, which is all a failed read reports.
struct AbandonedPart: Error {}

/// Thrown to stop scanning once the header row is in hand.
private struct HeaderFound: Error {
    var names: [String]
    var end: Int
}

/// Reads CSV (RFC 4180, header row) or JSON Lines (one object per line), streaming.
public struct TableReader {
    public enum Format: String, Sendable { case csv, jsonl }
    public let path: String
    public let format: Format
    /// Told the bytes read so far and the file's size after every block (for a progress display).
    public var progress: (@Sendable (_ read: Int, _ total: Int) -> Void)?
    /// A part with fewer bytes left to read is not cut for an idle thread (`PartQueue`).
    var smallestCut = 4 << 20

    public init(path: String, format: Format? = nil, progress: (@Sendable (_ read: Int, _ total: Int) -> Void)? = nil) {
        self.path = path
        self.format = format ?? (path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? .jsonl : .csv)
        self.progress = progress
    }

    /// Calls `header` once with the column names, then `body` for each row, in file order. Ragged
    /// rows are errors. Returns the file's SHA-256, hashed as the file is read.
    @discardableResult
    public func read(header: ([String]) throws -> Void, body: (any TableRow) throws -> Void) throws -> String {
        if format == .csv {
            return try readCSV(parts: 1, header: header, state: { _ in () }, body: { _, _, rows in for r in 0..<rows.count { try body(rows[r]) } }).sha256
        }
        return try readJSONLines(parts: 1, header: header, state: { _ in () }, body: { _, _, rows in for r in 0..<rows.count { try body(rows[r]) } }).sha256
    }

    var fileSize: Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// How many byte ranges a file is read in at once: one per core (two per core measured no
    /// faster: each part's tallies cost as much again).
    public static let defaultParts = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// CSV read on every core: the header first (`header` turns it into the settings every part
    /// shares), then the data rows in `parts` byte ranges at once, each into its own state, with
    /// the file's SHA-256 computed alongside. States come back in file order, for the caller to
    /// merge; the first error in file order is thrown.
    func readCSV<Config, State>(parts: Int = TableReader.defaultParts, header: ([String]) throws -> Config,
                                state: (Config) -> State, body: (Config, inout State, CSVBlock) throws -> Void) throws -> (states: [State], sha256: String) {
        let scanner = CSVScanner(path: path)
        var found: HeaderFound?
        do {
            try scanner.forEachRow { row in throw HeaderFound(names: (0..<row.count).map { row.string($0).trimmingCharacters(in: .whitespaces) }, end: row.nextOffset) }
        } catch let error as HeaderFound {
            found = error
        }
        guard let found else { throw MetricsInputError(file: path, problem: "is empty: a header row is needed") }
        let config = try header(found.names)
        let firstLine = 1 + (try Self.lineBreaks(path: path, upTo: found.end))
        let path = self.path, width = found.names.count
        let rowStart: @Sendable (Int, Int) -> Int? = { try? scanner.rowStart(atOrAfter: $0, before: $1) }
        // The first pass cuts the file where it likes and hashes it; the second, if needed, does not
        // cut, and hashes only if the first stopped hashing at a failure that the second may not see.
        func run(_ ranges: [Range<Int>], firstPass: Bool, digest: Bool) -> (parts: [RangeOutcome<State>], digest: Result<String, any Error>?) {
            inRanges(ranges, rowStart: firstPass ? rowStart : nil, config: config, bytesBefore: found.end, digest: digest,
                     state: state, body: body) { range, claim, scanned, read, block in
                try scanner.forEachBlock(range: range, claim: claim, progress: &scanned, blocks: { read($0.count) }) { rows in
                    // The rows before one of another width go on; it is an error after them, in file order.
                    var count = 0
                    while count < rows.count, rows.width(count) == width { count += 1 }
                    try block(CSVBlock(rows: rows, count: count, width: width))
                    if count < rows.count {
                        throw MetricsInputError(file: path, line: rows[count].line, problem: "has \(rows.width(count)) fields where the header has \(width)")
                    }
                }
            }
        }
        var (parts, digest) = run(try scanner.split(from: found.end, parts: parts), firstPass: true, digest: true)
        if parts.count > 1, parts.contains(where: { $0.progress.sawQuotedField }) {
            // A quoted field may hold a line break, so a cut may have fallen inside one: read again in one pass.
            let abandoned = parts.contains { if case .failure = $0.result { true } else { false } }
            let again = run([found.end..<max(found.end, fileSize)], firstPass: false, digest: abandoned)
            parts = again.parts
            if abandoned { digest = again.digest }
        }
        return (try Self.states(parts, firstLine: firstLine), try digest!.get())
    }

    /// JSON Lines on every core: the columns are the first object's keys, then the file is cut at
    /// line breaks (a JSON line holds none: they are escaped inside strings) into `parts` ranges,
    /// each decoded into its own state, with the SHA-256 alongside.
    func readJSONLines<Config, State>(parts: Int = TableReader.defaultParts, header: ([String]) throws -> Config,
                                      state: (Config) -> State, body: (Config, inout State, JSONBlock) throws -> Void) throws -> (states: [State], sha256: String) {
        let path = self.path
        var first: [String]?
        do {
            try Self.forEachLine(path: path, range: 0..<fileSize, progress: { _ in }) { line, number in
                guard let object = try? JSONDecoder().decode([String: Cell].self, from: Data(line)) else {
                    throw MetricsInputError(file: path, line: number, problem: "is not a JSON object")
                }
                throw HeaderFound(names: object.keys.sorted(), end: 0)
            }
        } catch let found as HeaderFound {
            first = found.names
        }
        guard let columns = first else { throw MetricsInputError(file: path, problem: "is empty: no JSON object found") }
        let config = try header(columns)
        let ranges = try CSVScanner(path: path).split(from: 0, parts: parts)
        let (outcomes, digest) = inRanges(ranges, rowStart: nil, config: config, bytesBefore: 0, digest: true, state: state, body: body) { range, _, scanned, read, block in
            let decoder = JSONDecoder()
            var rows = JSONBlock()
            scanned.line = 1 + (try Self.forEachLine(path: path, range: range, progress: read) { line, number in
                guard let object = try? decoder.decode([String: Cell].self, from: Data(line)) else {
                    try block(rows)  // the lines before it first: an error of theirs comes first
                    throw MetricsInputError(file: path, line: number, problem: "is not a JSON object")
                }
                rows.rows.append(JSONRow(line: number, values: columns.map { object[$0] }))
                if rows.count == CSVScanner.FieldBuffer.blockRows {
                    try block(rows)
                    rows.rows.removeAll(keepingCapacity: true)
                }
            })
            try block(rows)
        }
        return (try Self.states(outcomes, firstLine: 1), try digest!.get())
    }

    /// Reads byte ranges at once, one thread per range, each into its own state, with the file's
    /// SHA-256 hashed by the same threads as they go when `digest` is set (`FileDigest`). With
    /// `rowStart`, a thread done with its range takes the second half of what another has left
    /// (`PartQueue`), as a part of its own. `scan` reads one range, numbering its lines from 1,
    /// claiming its bytes before each read when given a claim, telling the bytes it read and
    /// handing over each row. Parts come back in file order.
    ///
    /// A failed part stops the reading of every part after it (`AbandonedPart`) and the digest:
    /// only the first error in file order is reported, so the parts before it still read to their
    /// end, and a bad row near the start of a large file is reported at once rather than after the
    /// whole file is read and hashed.
    private func inRanges<Config, State, Block>(_ ranges: [Range<Int>], rowStart: (@Sendable (Int, Int) -> Int?)?, config: Config, bytesBefore: Int, digest: Bool,
                                                state: (Config) -> State, body: (Config, inout State, Block) throws -> Void,
                                                scan: (Range<Int>, ((Int) -> Int)?, inout CSVScanner.Progress, (Int) -> Void, (Block) throws -> Void) throws -> Void)
        -> (parts: [RangeOutcome<State>], digest: Result<String, any Error>?) {
        nonisolated(unsafe) let config = config, makeState = state, rowBody = body, scan = scan
        let progress = self.progress, total = fileSize
        let queue = PartQueue(ranges, rowStart: rowStart, smallest: smallestCut)
        // Each thread's parts, by part number.
        nonisolated(unsafe) var byThread = [[(Int, RangeOutcome<State>)]](repeating: [], count: ranges.count)
        let done = Atomic<Int>(0)
        /// Where the earliest failed part starts (Int.max while none has failed).
        let failed = Atomic<Int>(.max)
        let digester: Result<FileDigest, any Error>? = digest ? Result { try FileDigest(path: path) } : nil
        let fileDigest = try? digester?.get()
        byThread.withUnsafeMutableBufferPointer { threads in
            nonisolated(unsafe) let threads = threads
            DispatchQueue.concurrentPerform(iterations: ranges.count) { thread in
                while let (id, range) = queue.take() {
                    var scanned = CSVScanner.Progress(line: 1)
                    let result = Result<State, any Error> {
                        var partState = makeState(config)
                        try scan(range, rowStart == nil ? nil : { queue.claim(id, upTo: $0) }, &scanned, { count in
                            let read = done.add(count, ordering: .relaxed).newValue + bytesBefore
                            fileDigest?.keepUp(with: read)
                            progress?(read, total)
                        }) { block in
                            if failed.load(ordering: .relaxed) < range.lowerBound { throw AbandonedPart() }
                            try rowBody(config, &partState, block)
                        }
                        return partState
                    }
                    if case .failure = result {
                        failed.min(range.lowerBound, ordering: .relaxed)
                        fileDigest?.abandon()
                    }
                    queue.finish(id)
                    threads[thread].append((id, RangeOutcome(result: result, progress: scanned)))
                }
                // Nothing left to read or to take: hash what is left while the others scan.
                fileDigest?.hashRest()
            }
        }
        let ranges = queue.ranges
        let inOrder = byThread.joined().sorted { ranges[$0.0].lowerBound < ranges[$1.0].lowerBound }.map(\.1)
        return (inOrder, digester.map { digester in Result { try digester.get().finish() } })
    }

    /// The parts' states in file order, or the first error in file order with its line renumbered:
    /// each part numbered its lines from 1, and the parts before it tell where it starts.
    static func states<State>(_ parts: [RangeOutcome<State>], firstLine: Int) throws -> [State] {
        var offset = firstLine - 1
        var states: [State] = []
        for part in parts {
            switch part.result {
            case .success(let state): states.append(state)
            case .failure(var error as MetricsInputError):
                error.line = error.line.map { $0 + offset }
                throw error
            case .failure(let error): throw error
            }
            offset += part.progress.line - 1
        }
        return states
    }

    /// Calls `body` with each non-blank line of `range` (without its line break) and its number,
    /// counted from 1 at the range's start; returns how many lines the range holds. Reads 256 KiB
    /// blocks into one buffer; `progress` is told the bytes of each block.
    @discardableResult
    static func forEachLine(path: String, range: Range<Int>, progress: (Int) -> Void,
                            _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws -> Int {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        defer { close(file) }
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        var carry: [UInt8] = []
        var offset = range.lowerBound, number = 0
        func line(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            number += 1
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
            try body(bytes, number)
        }
        while offset < range.upperBound {
            let got = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress!, min($0.count, range.upperBound - offset), off_t(offset)) }
            guard got > 0 else {
                if got < 0 { throw MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))") }
                break
            }
            offset += got
            progress(got)
            try buffer.withUnsafeBufferPointer { block in
                var start = 0
                while let newline = block[start..<got].firstIndex(of: UInt8(ascii: "\n")) {
                    if carry.isEmpty {
                        try line(UnsafeBufferPointer(rebasing: block[start..<newline]))
                    } else {
                        carry += block[start..<newline]
                        try carry.withUnsafeBufferPointer { try line($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    start = newline + 1
                }
                carry += block[start..<got]
            }
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try line($0) } }
        return number
    }

    /// Any table into per-part states, on every core (`readCSV`, `readJSONLines`). The body
    /// comes once per format, each specialised for its concrete block type.
    func readParts<Config, State>(parts: Int = TableReader.defaultParts, header: ([String]) throws -> Config, state: (Config) -> State,
                                  csv: (Config, inout State, CSVBlock) throws -> Void,
                                  jsonLines: (Config, inout State, JSONBlock) throws -> Void) throws -> (config: Config, states: [State], sha256: String) {
        if format == .csv {
            var resolved: Config?
            let (states, digest) = try readCSV(parts: parts, header: { names in
                let config = try header(names)
                resolved = config
                return config
            }, state: state, body: csv)
            return (resolved!, states, digest)
        }
        var resolved: Config?
        let (states, digest) = try readJSONLines(parts: parts, header: { names in
            let config = try header(names)
            resolved = config
            return config
        }, state: state, body: jsonLines)
        return (resolved!, states, digest)
    }

    /// Line breaks in the file's first `count` bytes.
    static func lineBreaks(path: String, upTo count: Int) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        defer { try? handle.close() }
        return (try handle.read(upToCount: count) ?? Data()).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The first `count` rows of a scanned block, each with the header's `width` fields.
    struct CSVBlock: TableBlock {
        let rows: CSVScanner.RowBlock
        let count: Int
        let width: Int
        @inline(__always)
        subscript(_ r: Int) -> CSVRow { CSVRow(row: rows.row(r, width: width)) }
    }

    struct JSONBlock: TableBlock {
        var rows: [JSONRow] = []
        var count: Int { rows.count }
        subscript(_ r: Int) -> JSONRow { rows[r] }
    }

    public struct CSVRow: TableRow {
        let row: CSVScanner.Row
        public var line: Int { row.line }
        public func text(_ column: Int) -> String? {
            let value = row.string(column)
            return value.isEmpty ? nil : value
        }
        @inline(__always)
        public func withBytes<T>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            try row.withField(column, body)
        }
        public func number(_ column: Int) -> Double?? {
            row.withField(column) { bytes -> Double?? in
                if bytes.isEmpty { return .some(nil) }
                return NumberParser.parse(bytes).map { .some($0) } ?? nil
            }
        }
        /// A cell of 1 to 16 bytes with 17 bytes of the buffer before its end is read in a register
        /// (`NumberParser.decimal(endingAt:count:)`), anything else as text.
        @inline(__always)
        public func numeric(_ column: Int) -> NumericCell {
            #if arch(x86_64)
            let (start, end, quoted) = row.range(column)
            if !quoted, end >= 17, end - start >= 1, end - start <= 16, let decimal = NumberParser.decimal(endingAt: row.bytes + end, count: end - start) {
                return .decimal(mantissa: decimal.mantissa, fraction: decimal.fraction)
            }
            #endif
            return row.withField(column) { NumericCell(text: $0) }
        }
    }

    /// A JSON cell; decoded with JSONDecoder so that booleans and numbers stay apart.
    enum Cell: Decodable {
        case null, bool(Bool), number(Double), text(String), other(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .other("(nested value)")
            }
        }
    }

    struct JSONRow: TableRow {
        let line: Int
        let values: [Cell?]
        func text(_ column: Int) -> String? {
            switch values[column] {
            case nil, .null?: nil
            case .text(let string)?: string.isEmpty ? nil : string
            case .bool(let flag)?: flag ? "true" : "false"
            case .number(let number)?: number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            case .other(let text)?: text
            }
        }
        func number(_ column: Int) -> Double?? {
            switch values[column] {
            case nil, .null?: .some(nil)
            case .number(let number)?: .some(number)
            case .text(let string)?: string.isEmpty ? .some(nil) : Double(string).map { .some($0) } ?? nil
            default: nil
            }
        }
    }
}

/// Parses a decimal number from ASCII bytes without creating a String.
enum NumberParser {
    /// 10^0 … 10^22, every one an exact double. Written out so the compiler lays the array down
    /// at build time: one computed at first use costs a `swift_once` check on every read of it.
    static let powers: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                   1e18, 1e19, 1e20, 1e21, 1e22]

    /// A plain decimal whose digits make an integer up to 2^53 is exact as that integer ÷ 10^k
    /// (both exact doubles, one correctly rounded division); anything else goes to strtod.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let decimal = decimal(bytes) { return decimal.value }
        return slowParse(bytes)
    }

    /// A plain decimal ("-12.50", "7", ".5"): its digits as an integer and how many of them follow
    /// the point; nil for any other notation, for more than 18 digits (the integer could overflow),
    /// an integer above 2^53 (it would not convert to a double exactly) or a negative zero (an
    /// integer 0 has no sign; strtod gives −0.0). Two tight loops, one
    /// for the digits before the point and one after, with no test per byte of which side it is on.
    @inline(__always)
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        let n = bytes.count
        var i = 0, negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: Int64 = 0
        /// Reads digits into the mantissa up to the first other byte; returns how many.
        @inline(__always) func run() -> Int {
            let start = i
            while i < n {
                let digit = bytes[i] &- 48
                if digit >= 10 { break }
                mantissa = mantissa &* 10 &+ Int64(digit)
                i += 1
            }
            return i - start
        }
        var digits = run(), fraction = 0
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            fraction = run()
            digits += fraction
        }
        guard i == n, digits > 0, digits <= 18, mantissa <= 1 << 53, !(negative && mantissa == 0) else { return nil }
        return Decimal(mantissa: negative ? -mantissa : mantissa, fraction: fraction)
    }

    /// mantissa ÷ 10^fraction, as written in a cell.
    struct Decimal {
        var mantissa: Int64
        var fraction: Int

        /// Correctly rounded, and rounding is symmetric about zero, so the sign needs no care.
        @inline(__always)
        var value: Double { fraction > 0 ? Double(mantissa) / NumberParser.powers[fraction] : Double(mantissa) }
    }

    static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        // Short fields are the common case; strtod handles every notation scipy and pandas write.
        var buffer = [CChar](repeating: 0, count: bytes.count + 1)
        for (i, byte) in bytes.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        var end: UnsafeMutablePointer<CChar>?
        let value = buffer.withUnsafeMutableBufferPointer { pointer -> Double in
            strtod(pointer.baseAddress!, &end)
        }
        let consumed = buffer.withUnsafeBufferPointer { pointer in end.map { pointer.baseAddress!.distance(to: $0) } ?? 0 }
        guard consumed == bytes.count, consumed > 0, value.isFinite else { return nil }
        return value
    }
}
