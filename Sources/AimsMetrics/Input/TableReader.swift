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
protocol TableBlock: SendableMetatype {
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

/// Thrown to stop reading a window that lies after a failed one: its rows cannot hold the first
/// error in file order, which is all a failed read reports.
struct AbandonedWindow: Error {}

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
    /// Bytes of the file a thread reads at a time (`FileWindows`): 256 KiB, so that a window, its
    /// field offsets and the digest's pass over it stay in the second-level cache.
    var windowSize = 1 << 18

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
            return try readCSV(threads: 1, header: header, state: { _ in () }, body: { _, _, rows in for r in 0..<rows.count { try body(rows[r]) } }).sha256
        }
        return try readJSONLines(threads: 1, header: header, state: { _ in () }, body: { _, _, rows in for r in 0..<rows.count { try body(rows[r]) } }).sha256
    }

    var fileSize: Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// How many threads read a file at once: one per core.
    public static let defaultThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// CSV read on every core: the header first (`header` turns it into the settings every thread
    /// shares), then the data rows a window at a time (`FileWindows`), each thread into its own
    /// state, with the file's SHA-256 hashed from the same buffers. States come back one per
    /// thread, for the caller to merge (each holds rows from all over the file); the first error
    /// in file order is thrown.
    func readCSV<Config, State>(threads: Int = TableReader.defaultThreads, header: ([String]) throws -> Config,
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
        let width = found.names.count
        let digest = try FileDigest(path: path, header: found.end)
        let windows = FileWindows(path: path, start: found.end, end: digest.size, size: windowSize)
        var read = inWindows(windows, threads: threads, config: config, digest: digest, state: state, body: body) { CSVScan(scanner: scanner, width: width) }
        var sha256 = Result { try digest.finish() }
        if windows.count > 1, read.sawQuotedField {
            // A quoted field may hold a line break, so a cut may have fallen inside one: read again in
            // one window, and hash again if the first pass stopped hashing at a failure.
            let whole = FileWindows(path: path, start: found.end, end: digest.size, size: max(1, digest.size))
            let again = (try? sha256.get()) == nil ? try FileDigest(path: path, header: found.end) : nil
            read = inWindows(whole, threads: 1, config: config, digest: again, state: state, body: body) { CSVScan(scanner: scanner, width: width) }
            if let again { sha256 = Result { try again.finish() } }
        }
        return (try read.states(firstLine: firstLine), try sha256.get())
    }

    /// JSON Lines on every core: the columns are the first object's keys, then the file is read a
    /// window at a time (`FileWindows`: a JSON line holds no line break, they are escaped inside
    /// strings), each thread into its own state, with the SHA-256 alongside.
    func readJSONLines<Config, State>(threads: Int = TableReader.defaultThreads, header: ([String]) throws -> Config,
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
        let digest = try FileDigest(path: path, header: 0)
        let windows = FileWindows(path: path, start: 0, end: digest.size, size: windowSize)
        let read = inWindows(windows, threads: threads, config: config, digest: digest, state: state, body: body) { JSONScan(path: path, columns: columns) }
        return (try read.states(firstLine: 1), try digest.finish())
    }

    /// What reading the windows gave: each thread's state, each window's line count, and the
    /// first failure in file order.
    struct WindowsRead<State> {
        var states: [State]
        /// Lines per window, to number an error's line from the file's start.
        var lines: [UInt32]
        var failure: (window: Int, error: any Error)?
        /// Whether any window opened a quoted field.
        var sawQuotedField: Bool

        /// The states, or the first error in file order with its line numbered from the file's
        /// start: each window numbered its lines from 1, and the windows before it tell where it starts.
        func states(firstLine: Int) throws -> [State] {
            guard let (window, error) = failure else { return states }
            guard var error = error as? MetricsInputError else { throw error }
            let before = lines[..<window].reduce(0) { $0 + Int($1) }
            error.line = error.line.map { $0 + firstLine - 1 + before }
            throw error
        }
    }

    /// Reads the windows on `threads` threads, each taking the next window when done with one and
    /// keeping one state for all it takes (`scan` makes each thread's scanner), and offers each
    /// window to `digest` once read.
    ///
    /// A failed window stops the reading of every window after it (`AbandonedWindow`) and the
    /// digest: only the first error in file order is reported, so the windows before it still read
    /// to their end, and a bad row near the start of a large file is reported at once rather than
    /// after the whole file is read and hashed.
    private func inWindows<Config, State, Scan: WindowScan>(_ windows: FileWindows, threads: Int, config: Config, digest: FileDigest?,
                                                            state: (Config) -> State, body: (Config, inout State, Scan.Block) throws -> Void,
                                                            scan: () -> Scan) -> WindowsRead<State> {
        nonisolated(unsafe) let config = config, makeState = state, rowBody = body, makeScan = scan
        let progress = self.progress, total = windows.end, before = windows.start
        let count = windows.count
        let next = Atomic<Int>(0), done = Atomic<Int>(0), quoted = Atomic<Bool>(false)
        /// The earliest failed window (Int.max while none has failed).
        let failed = Atomic<Int>(.max)
        let failure = Mutex<(window: Int, error: any Error)?>(nil)
        nonisolated(unsafe) var lines = [UInt32](repeating: 0, count: count)
        nonisolated(unsafe) var states = [State?](repeating: nil, count: max(1, threads))
        let file = open(path, O_RDONLY)
        defer { if file >= 0 { close(file) } }
        if file < 0 { failure.withLock { $0 = (0, MetricsInputError(file: path, problem: "cannot be opened")) } }
        lines.withUnsafeMutableBufferPointer { lines in
            states.withUnsafeMutableBufferPointer { states in
                nonisolated(unsafe) let (lines, states) = (lines, states)
                DispatchQueue.concurrentPerform(iterations: states.count) { thread in
                    var scan = makeScan()
                    var buffer = digest?.buffer(capacity: windows.bufferSize) ?? WindowBuffer(capacity: windows.bufferSize)
                    var threadState = makeState(config)
                    while file >= 0 {
                        let k = next.add(1, ordering: .relaxed).oldValue
                        guard k < count, k < failed.load(ordering: .relaxed) else { break }
                        var scanned = CSVScanner.Progress(line: 1)
                        if buffer.bytes.count < windows.bufferSize {  // the reach grew: rows are wider than it was
                            buffer.deallocate()
                            buffer = digest?.buffer(capacity: windows.bufferSize) ?? WindowBuffer(capacity: windows.bufferSize)
                        }
                        do {
                            let span = try windows.read(k, file: file, into: buffer)
                            try scan.rows(span, in: buffer, progress: &scanned) { block in
                                if failed.load(ordering: .relaxed) < k { throw AbandonedWindow() }
                                try rowBody(config, &threadState, block)
                            }
                            let read = done.add(span.file.count, ordering: .relaxed).newValue + before
                            // Bytes still in the buffer are hashed from there (and the buffer may stay
                            // with the digest); a streamed window is read again for it.
                            if let digest, digest.offer(span.file, bytes: span.bytes(in: buffer).map(UnsafeRawBufferPointer.init), in: buffer) {
                                buffer = digest.buffer(capacity: windows.bufferSize)
                            }
                            progress?(read, total)
                            lines[k] = UInt32(truncatingIfNeeded: scanned.line - 1)
                        } catch {
                            failed.min(k, ordering: .relaxed)
                            digest?.abandon()
                            failure.withLock { if $0 == nil || k < $0!.window { $0 = (k, error) } }
                        }
                        if scanned.sawQuotedField { quoted.store(true, ordering: .relaxed) }
                    }
                    states[thread] = threadState
                    scan.deallocate()
                    buffer.deallocate()
                }
            }
        }
        return WindowsRead(states: states.map { $0! }, lines: lines, failure: failure.withLock { $0 }, sawQuotedField: quoted.load(ordering: .relaxed))
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
            if !isBlank(bytes) { try body(bytes, number) }
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

    /// Calls `body` with each non-blank line of `bytes` (without its line break) and its number,
    /// counting on from `number`.
    static func forEachLine(in bytes: UnsafeBufferPointer<UInt8>, number: inout Int, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            number += 1
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if !isBlank(line) { try body(line, number) }
            start = end + 1
        }
    }

    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool { line.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }

    /// Any table into per-thread states, on every core (`readCSV`, `readJSONLines`). The body
    /// comes once per format, each specialised for its concrete block type.
    func readParts<Config, State>(threads: Int = TableReader.defaultThreads, header: ([String]) throws -> Config, state: (Config) -> State,
                                  csv: (Config, inout State, CSVBlock) throws -> Void,
                                  jsonLines: (Config, inout State, JSONBlock) throws -> Void) throws -> (config: Config, states: [State], sha256: String) {
        if format == .csv {
            var resolved: Config?
            let (states, digest) = try readCSV(threads: threads, header: { names in
                let config = try header(names)
                resolved = config
                return config
            }, state: state, body: csv)
            return (resolved!, states, digest)
        }
        var resolved: Config?
        let (states, digest) = try readJSONLines(threads: threads, header: { names in
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
