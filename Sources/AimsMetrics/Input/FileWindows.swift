import Foundation
import Synchronization

/// The rows after a file's header cut into windows of about `size` bytes, dealt out to the reading
/// threads in file order as they fall idle: the threads read side by side, so the digest hashes
/// each window from the buffer it was read into (`FileDigest`), and a slower core takes fewer
/// windows. (Cut into one part per thread, the second part lay half a file ahead of the digest,
/// which read it again; and a part's thread idled at the end unless parts were cut again.)
///
/// The cuts lie at multiples of `size` in the file, so that every window is read from an offset
/// the page cache's pages line up with (read from an offset just past the header, the kernel's
/// copy into the buffer took three times as long). Window k starts just past the first line
/// break at or after its cut (window 0 at `start`) and ends where window k + 1 starts: the
/// windows tile the rows, none cut in two. The cut does not look at quotes, so a reader must read
/// again in one window when any window opened a quoted field (one could hold a line break).
struct FileWindows: Sendable {
    let path: String
    let start: Int
    let end: Int
    let size: Int

    /// Bytes read past a window's cut to find where its last row ends: 4 KiB at first, doubled
    /// (up to 1 MiB) whenever a window's last row runs further, so that a table of wide rows reads
    /// one window streaming, like one too large for a buffer, rather than every one.
    let reach = Reach()

    final class Reach: Sendable {
        let bytes = Atomic<Int>(FileWindows.overhang)
    }

    static let overhang = 4096, longestReach = 1 << 20

    var count: Int { end > start ? (end - 1) / size - start / size + 1 : 0 }

    /// Window k's cut (for window 0, where its bytes are read from).
    func cut(_ k: Int) -> Int { (start / size + k) * size }

    /// Bytes a window's buffer holds.
    var bufferSize: Int { size + reach.bytes.load(ordering: .relaxed) }

    /// Where window k's bytes lie.
    enum Span {
        /// At `range` in the buffer, whose byte 0 is the file's byte `offset`.
        case buffered(range: Range<Int>, offset: Int)
        /// At `range` in the file, to be read streaming.
        case streamed(Range<Int>)

        /// The window's bytes in the file.
        var file: Range<Int> {
            switch self {
            case .buffered(let range, let offset): offset + range.lowerBound..<offset + range.upperBound
            case .streamed(let range): range
            }
        }

        /// The window's bytes in `buffer`, when it was read there.
        func bytes(in buffer: WindowBuffer) -> UnsafeBufferPointer<UInt8>? {
            guard case .buffered(let range, _) = self else { return nil }
            return UnsafeBufferPointer(rebasing: UnsafeBufferPointer(buffer.bytes.assumingMemoryBound(to: UInt8.self))[range])
        }
    }

    /// Reads window k into `buffer` (through `file`, open on `path`): its cut, its rows and the
    /// start of the next window's.
    func read(_ k: Int, file: Int32, into buffer: WindowBuffer) throws -> Span {
        let from = cut(k)
        let to = k + 1 < count ? from + size : end
        let overhang = reach.bytes.load(ordering: .relaxed)
        let want = min(to + overhang, end) - from
        guard want <= buffer.bytes.count else { return .streamed(try windowStart(k)..<windowStart(k + 1)) }
        let base = buffer.bytes.baseAddress!
        var got = 0
        while got < want {
            let n = pread(file, base + got, want - got, off_t(from + got))
            guard n > 0 else { throw MetricsInputError(file: path, problem: n == 0 ? "changed while it was read" : "cannot be read (\(String(cString: strerror(errno))))") }
            got += n
        }
        /// Just past the first line break at or after `index` in the buffer.
        func rowStart(at index: Int) -> Int? {
            guard index < got, let found = memchr(base + index, Int32(UInt8(ascii: "\n")), got - index) else { return nil }
            return base.distance(to: found) + 1
        }
        let first = k == 0 ? start - from : rowStart(at: 0) ?? (from + got == end ? got : nil)
        let last = k + 1 == count ? got : rowStart(at: to - from)
        guard let first, let last else {
            if last == nil { reach.bytes.max(Swift.min(2 * overhang, Self.longestReach), ordering: .relaxed) }
            return .streamed(try windowStart(k)..<windowStart(k + 1))
        }
        return .buffered(range: first..<last, offset: from)
    }

    /// Where window k starts, looked for in the file: just past the first line break at or after
    /// its cut, or the end.
    func windowStart(_ k: Int) throws -> Int {
        guard k > 0 else { return start }
        guard k < count else { return end }
        return try CSVScanner(path: path).rowStart(atOrAfter: cut(k), before: end) ?? end
    }
}

/// How a format turns a window's bytes into blocks of rows, numbering lines from the
/// `progress` it is given; a thread keeps one, with its scratch space, for all its windows.
protocol WindowScan: SendableMetatype {
    associatedtype Block: TableBlock
    /// The rows of `bytes`, whole rows whose first lies at file offset `offset`.
    mutating func rows(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int, progress: inout CSVScanner.Progress, _ body: (Block) throws -> Void) throws
    /// The rows of a range too long for a buffer, read from the file a block at a time.
    mutating func rows(streaming range: Range<Int>, progress: inout CSVScanner.Progress, _ body: (Block) throws -> Void) throws
    func deallocate()
}

extension WindowScan {
    /// The rows of a window read by `FileWindows.read` into `buffer`, from there or streamed.
    mutating func rows(_ span: FileWindows.Span, in buffer: WindowBuffer, progress: inout CSVScanner.Progress, _ body: (Block) throws -> Void) throws {
        if let bytes = span.bytes(in: buffer) {
            try rows(bytes, offset: span.file.lowerBound, progress: &progress, body)
        } else {
            try rows(streaming: span.file, progress: &progress, body)
        }
    }
}

extension TableReader {
    /// CSV rows, each checked to have the header's width: the rows before one of another width
    /// go on, and it is an error after them, in file order.
    struct CSVScan: WindowScan {
        let scanner: CSVScanner
        let width: Int
        var fields = CSVScanner.FieldBuffer()

        mutating func rows(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int, progress: inout CSVScanner.Progress, _ body: (CSVBlock) throws -> Void) throws {
            let width = width
            try Self.named(scanner.path, width) { _ = try scanner.scanRows(bytes, baseOffset: offset, fields: &fields, progress: &progress, final: true) { try Self.checked($0, width: width, body) } }
        }

        mutating func rows(streaming range: Range<Int>, progress: inout CSVScanner.Progress, _ body: (CSVBlock) throws -> Void) throws {
            let width = width
            try Self.named(scanner.path, width) { try scanner.forEachBlock(range: range, progress: &progress, blocks: { _ in }) { try Self.checked($0, width: width, body) } }
        }

        /// A row of another width, found by `checked`.
        struct Ragged: Error {
            let line: Int, fields: Int
        }

        /// The rows up to one of another width, then `Ragged` for it. Its file is named here, not
        /// there: a closure holding the path (a string) retained it for every row.
        static func checked(_ rows: CSVScanner.RowBlock, width: Int, _ body: (CSVBlock) throws -> Void) throws {
            var count = 0
            while count < rows.count, rows.width(count) == width { count += 1 }
            try body(CSVBlock(rows: rows, count: count, width: width))
            if count < rows.count { throw Ragged(line: rows[count].line, fields: rows.width(count)) }
        }

        private static func named(_ path: String, _ width: Int, _ scan: () throws -> Void) throws {
            do {
                try scan()
            } catch let ragged as Ragged {
                throw MetricsInputError(file: path, line: ragged.line, problem: "has \(ragged.fields) fields where the header has \(width)")
            }
        }

        func deallocate() { fields.deallocate() }
    }

    /// JSON Lines: each non-blank line one object, its values taken for `columns`.
    struct JSONScan: WindowScan {
        let path: String
        let columns: [String]
        let decoder = JSONDecoder()
        var block = JSONBlock()

        mutating func rows(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int, progress: inout CSVScanner.Progress, _ body: (JSONBlock) throws -> Void) throws {
            var number = progress.line - 1
            try TableReader.forEachLine(in: bytes, number: &number) { try add($0, $1, body) }
            try flush(body)
            progress.line = number + 1
        }

        mutating func rows(streaming range: Range<Int>, progress: inout CSVScanner.Progress, _ body: (JSONBlock) throws -> Void) throws {
            progress.line += try TableReader.forEachLine(path: path, range: range, progress: { _ in }) { try add($0, $1, body) }
            try flush(body)
        }

        private mutating func add(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ body: (JSONBlock) throws -> Void) throws {
            guard let object = try? decoder.decode([String: Cell].self, from: Data(line)) else {
                try flush(body)  // the lines before it first: an error of theirs comes first
                throw MetricsInputError(file: path, line: number, problem: "is not a JSON object")
            }
            block.rows.append(JSONRow(line: number, values: columns.map { object[$0] }))
            if block.count == CSVScanner.FieldBuffer.blockRows { try flush(body) }
        }

        private mutating func flush(_ body: (JSONBlock) throws -> Void) throws {
            defer { block.rows.removeAll(keepingCapacity: true) }
            if block.count > 0 { try body(block) }
        }

        func deallocate() {}
    }
}
