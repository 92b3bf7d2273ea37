import Foundation

#if canImport(Glibc)
import Glibc
#endif
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// A streaming RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF, and a UTF-8 byte-order mark. It reads the file (or one byte range of it) in
/// blocks into one reused buffer, so memory stays flat however long the file is, and hands each row
/// to the caller as offsets into that buffer, without copying or allocating per row.
public struct CSVScanner: Sendable {
    public let path: String
    let blockSize: Int

    /// 256 KiB blocks (larger ones measured no faster), read into a buffer of two: a row may run on from one block into the next.
    public init(path: String, blockSize: Int = 1 << 18) {
        self.path = path
        self.blockSize = blockSize
    }

    /// A row as byte ranges into a buffer that is valid only during the callback.
    public struct Row {
        /// 1-based line number where the row starts.
        public let line: Int
        /// Offset in the file just past the row's line break.
        public let nextOffset: Int
        let bytes: UnsafePointer<UInt8>
        /// start, end per field; a quoted field's start is stored as its bitwise complement.
        let fields: UnsafePointer<Int>
        public let count: Int

        @inline(__always)
        func range(_ index: Int) -> (start: Int, end: Int, quoted: Bool) {
            let start = fields[2 * index], end = fields[2 * index + 1]
            return start < 0 ? (~start, end, true) : (start, end, false)
        }

        /// The field's raw bytes (still escaped if quoted); for fast checks that need no unescaping.
        @inline(__always)
        func raw(_ index: Int) -> (bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) {
            let (start, end, quoted) = range(index)
            return (UnsafeBufferPointer(start: bytes + start, count: end - start), quoted)
        }

        /// The field's bytes, unescaped ("" inside quotes becomes ").
        /// Inlined, so a row's cells reach the analysis without a call each; quoted fields take a call.
        @inline(__always)
        public func withField<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            let (slice, quoted) = raw(index)
            return quoted ? try Self.unescaping(slice, body) : try body(slice)
        }

        @inline(never)
        static func unescaping<T>(_ slice: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            guard slice.contains(UInt8(ascii: "\"")) else { return try body(slice) }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(slice.count)
            var i = slice.startIndex
            while i < slice.endIndex {
                unescaped.append(slice[i])
                if slice[i] == UInt8(ascii: "\""), i + 1 < slice.endIndex, slice[i + 1] == UInt8(ascii: "\"") { i += 1 }
                i += 1
            }
            return try unescaped.withUnsafeBufferPointer(body)
        }

        public func string(_ index: Int) -> String { withField(index) { String(decoding: $0, as: UTF8.self) } }
    }

    /// Complete rows handed over together, as byte ranges into a buffer valid only during the
    /// callback. Rows come in blocks so that a reader makes one call per block rather than a chain
    /// of them per row, and can take one column of many rows in one loop.
    public struct RowBlock {
        let bytes: UnsafePointer<UInt8>
        let fields: UnsafePointer<Int>
        /// Row r's fields are firsts[r] ..< firsts[r + 1] in `fields`.
        let firsts: UnsafePointer<Int>
        let lines: UnsafePointer<Int>
        let nextOffsets: UnsafePointer<Int>
        public let count: Int

        /// How many fields row r has.
        @inline(__always)
        public func width(_ r: Int) -> Int { firsts[r + 1] - firsts[r] }

        /// Row r, when every row before it has `width` fields: where its fields start is then
        /// known without reading it, one load fewer on the way from a row to a cell's bytes.
        @inline(__always)
        func row(_ r: Int, width: Int) -> Row {
            Row(line: lines[r], nextOffset: nextOffsets[r], bytes: bytes, fields: fields + 2 * width * r, count: width)
        }

        @inline(__always)
        public subscript(_ r: Int) -> Row {
            Row(line: lines[r], nextOffset: nextOffsets[r], bytes: bytes, fields: fields + 2 * firsts[r], count: firsts[r + 1] - firsts[r])
        }
    }

    /// Calls `body` for every row in `range` (the whole file by default), the header included
    /// when the range starts at 0. `firstLine` numbers the range's first row. `blocks` sees every
    /// byte read, in order (to compute a digest in the same pass). Rows are not checked for width.
    public func forEachRow(range: Range<Int>? = nil, firstLine: Int = 1, blocks: (UnsafeRawBufferPointer) -> Void = { _ in },
                           _ body: (Row) throws -> Void) throws {
        var progress = Progress(line: firstLine)
        try forEachBlock(range: range, progress: &progress, blocks: blocks) { block in
            for r in 0..<block.count { try body(block[r]) }
        }
    }

    /// How far a scan got: the line the next row would start on, and whether any field opened a
    /// quote (a range cut without regard to quotes is trustworthy only when none did).
    struct Progress {
        var line: Int
        var sawQuotedField = false
    }

    /// Calls `body` with the rows of `range` a block at a time, in file order.
    func forEachBlock(range: Range<Int>?, progress: inout Progress, blocks: (UnsafeRawBufferPointer) -> Void,
                      _ body: (RowBlock) throws -> Void) throws {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        defer { close(file) }
        let end = range?.upperBound ?? Int.max
        var offset = range?.lowerBound ?? 0
        var capacity = blockSize * 2
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var fields = FieldBuffer()
        defer { fields.deallocate() }
        var carry = 0
        var checkBOM = offset == 0
        var bufferOffset = offset  // file offset of buffer[0]
        while true {
            if carry + blockSize > capacity {
                // One row longer than a block: make room rather than split it.
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: buffer, count: carry)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let want = min(blockSize, end - offset)
            let got = want > 0 ? pread(file, buffer + carry, want, off_t(offset)) : 0
            guard got >= 0 else { throw MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))") }
            blocks(UnsafeRawBufferPointer(start: buffer + carry, count: got))
            offset += got
            let final = got == 0
            var start = 0
            if checkBOM, carry + got >= 3 || final {
                checkBOM = false
                if carry + got >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            }
            if checkBOM { carry += got; continue }
            let bytes = UnsafeBufferPointer(start: buffer + start, count: carry + got - start)
            let consumed = try scanRows(bytes, baseOffset: bufferOffset + start, fields: &fields, progress: &progress, final: final, body)
            if final { break }
            carry = bytes.count - consumed
            memmove(buffer, buffer + start + consumed, carry)
            bufferOffset += start + consumed
        }
    }

    /// Field offsets of the rows scanned since the last block was handed over, grown as wide rows
    /// need, and each row's first field, line and end.
    struct FieldBuffer {
        var storage = UnsafeMutablePointer<Int>.allocate(capacity: 128)
        var capacity = 64
        var count = 0
        /// Rows a block holds at most: enough to spread a call over many rows, few enough that a
        /// block's bytes and field offsets (about 50 KB of a typical log) stay in the second-level
        /// cache while each column of them is read.
        static let blockRows = 256
        let firsts = UnsafeMutablePointer<Int>.allocate(capacity: FieldBuffer.blockRows + 1)
        let lines = UnsafeMutablePointer<Int>.allocate(capacity: FieldBuffer.blockRows)
        let nextOffsets = UnsafeMutablePointer<Int>.allocate(capacity: FieldBuffer.blockRows)
        var rows = 0

        init() { firsts[0] = 0 }

        func deallocate() {
            storage.deallocate()
            firsts.deallocate()
            lines.deallocate()
            nextOffsets.deallocate()
        }

        /// Fields of the row being scanned so far.
        @inline(__always)
        var pending: Int { count - firsts[rows] }

        /// Forgets the fields of the row being scanned.
        @inline(__always)
        mutating func dropRow() { count = firsts[rows] }

        /// Closes the row being scanned (a blank line is dropped) and hands a full block over.
        @inline(__always)
        mutating func endRow(blank: Bool, line: Int, nextOffset: Int, _ bytes: UnsafePointer<UInt8>, _ body: (RowBlock) throws -> Void) throws {
            if blank { return dropRow() }
            lines[rows] = line
            nextOffsets[rows] = nextOffset
            rows += 1
            firsts[rows] = count
            if rows == Self.blockRows { try flush(bytes, body) }
        }

        /// Closes the row being scanned with its last field, unquoted, from `lastField` to `end`.
        @inline(__always)
        mutating func closeRow(lastField start: Int, end: Int, line: Int, nextOffset: Int, _ bytes: UnsafePointer<UInt8>, _ body: (RowBlock) throws -> Void) throws {
            append(start: start, end: end, quoted: false)
            try endRow(blank: pending == 1 && end == start, line: line, nextOffset: nextOffset, bytes, body)
        }

        /// Room for `fields` fields in all.
        mutating func reserve(_ fields: Int) {
            guard fields > capacity else { return }
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: 2 * fields)
            grown.update(from: storage, count: count * 2)
            storage.deallocate()
            storage = grown
            capacity = fields
        }

        /// Hands the closed rows to `body` and starts a new block (keeping no unfinished row).
        mutating func flush(_ bytes: UnsafePointer<UInt8>, _ body: (RowBlock) throws -> Void) throws {
            count = 0
            guard rows > 0 else { return }
            let block = RowBlock(bytes: bytes, fields: storage, firsts: firsts, lines: lines, nextOffsets: nextOffsets, count: rows)
            rows = 0
            try body(block)
        }

        @inline(__always)
        mutating func append(start: Int, end: Int, quoted: Bool) {
            if count == capacity { reserve(2 * capacity) }
            storage[2 * count] = quoted ? ~start : start
            storage[2 * count + 1] = end
            count += 1
        }
    }

    /// Scans complete rows, quickly while no quote appears and field by field from the first quote
    /// on; returns how many bytes were consumed. An unfinished row stays for the next block.
    func scanRows(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, fields: inout FieldBuffer, progress: inout Progress, final: Bool,
                          _ body: (RowBlock) throws -> Void) throws -> Int {
        let plain = try scanPlain(bytes, baseOffset: baseOffset, fields: &fields, progress: &progress, final: final, body)
        guard plain.quote else { return plain.consumed }
        let rest = UnsafeBufferPointer(rebasing: bytes[plain.consumed...])
        return plain.consumed + (try scan(rest, baseOffset: baseOffset + plain.consumed, fields: &fields, progress: &progress, final: final, body))
    }

    /// Rows without quotes, found through bit masks: each 64 bytes give one 64-bit word with a bit
    /// set at every byte that may end a field (those at or below ",") and one with a bit at every
    /// comma, and only the bytes that may end a row are read. A byte-by-byte loop stopped at each
    /// field's end on a branch no predictor could guess; here the branches follow the row's shape
    /// (commas, then a line break). Stops at the start of the row where a quote appears (`quote`),
    /// for `scan` to take over.
    private func scanPlain(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, fields: inout FieldBuffer, progress: inout Progress, final: Bool,
                           _ body: (RowBlock) throws -> Void) throws -> (consumed: Int, quote: Bool) {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard let base = bytes.baseAddress else { return (0, false) }
        let n = bytes.count
        var rowStart = 0, fieldStart = 0
        // The field offsets are written through locals that no closure captures, so that they stay
        // in registers from comma to comma: kept in `fields` itself, the count went through memory
        // for every field (a store and a reload on each one's path), a fifth of the scan.
        var offsets = fields.storage, count = fields.count
        var block = 0
        while block < n {
            var (mask, commas) = Self.delimiters(base + block, count: min(64, n - block))
            if count &+ 64 > fields.capacity {  // room for every field these 64 bytes can end
                fields.count = count
                fields.reserve(count + 64)
                offsets = fields.storage
            }
            while mask != 0 {
                let bit = mask & (0 &- mask)
                let i = block &+ mask.trailingZeroBitCount
                mask ^= bit
                // A comma is told by its bit, without reading the byte: the test then waits on
                // no load. Marked likely: as a chain of equal tests the compiler made a jump
                // table of it, an indirect jump for every comma.
                if _fastPath(commas & bit != 0) {
                    offsets[2 &* count] = fieldStart
                    offsets[2 &* count &+ 1] = i
                    count &+= 1
                    fieldStart = i &+ 1
                    continue
                }
                let byte = base[i]
                var end = i
                if byte == lf {
                    if i > fieldStart, base[i - 1] == cr { end = i - 1 }
                } else if byte == cr {
                    if i + 1 < n {
                        if base[i + 1] == lf { continue }  // the LF ends the row
                    } else if !final {
                        fields.count = count
                        try fields.flush(base, body)
                        return (rowStart, false)
                    }
                    // A lone CR ends a row too.
                } else if byte == quote {
                    fields.count = count
                    try fields.flush(base, body)
                    return (rowStart, true)
                } else {
                    continue  // another byte at or below ","
                }
                fields.count = count
                try fields.closeRow(lastField: fieldStart, end: end, line: progress.line, nextOffset: baseOffset + i + 1, base, body)
                progress.line += 1
                (rowStart, fieldStart) = (i + 1, i + 1)
                (offsets, count) = (fields.storage, fields.count)
            }
            block += 64
        }
        fields.count = count
        if final, rowStart < n {
            try fields.closeRow(lastField: fieldStart, end: n, line: progress.line, nextOffset: baseOffset + n, base, body)
            progress.line += 1
        }
        try fields.flush(base, body)
        return (final ? n : rowStart, false)
    }

    /// For the `count` (at most 64) bytes from `pointer`: `candidates` has bit k set when byte k
    /// is at or below "," (the bytes that end or open a field: " , CR LF, and a few others that
    /// the caller passes over), `commas` when it is a comma. With SSE2 (every x86-64) sixteen
    /// bytes at a time (a minimum and a compare give the low bytes, a compare the commas, and a
    /// byte mask each); elsewhere, and for a block's last few bytes, in words.
    @inline(__always)
    static func delimiters(_ pointer: UnsafePointer<UInt8>, count: Int) -> (candidates: UInt64, commas: UInt64) {
        #if arch(x86_64)
        if count == 64 {
            var candidates: UInt64 = 0, commas: UInt64 = 0
            let raw = UnsafeRawPointer(pointer), highest = _mm_set1_epi8(0x2C)
            for part in 0..<4 {
                let bytes = _mm_loadu_si128(raw.advanced(by: 16 * part).assumingMemoryBound(to: __m128i.self))
                let low = _mm_cmpeq_epi8(_mm_min_epu8(bytes, highest), bytes)
                candidates |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(low))) << UInt64(16 * part)
                commas |= UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, highest)))) << UInt64(16 * part)
            }
            return (candidates, commas)
        }
        #endif
        return delimitersInWords(pointer, count: count)
    }

    /// `delimiters` eight bytes at a time in a 64-bit word: a byte b is below 0x2D when its top
    /// bit is clear and (b & 0x7F) + 0x53 does not reach 0x80, and is a comma when b ^ 0x2C is
    /// zero, that is when neither its top bit nor (b & 0x7F) + 0x7F reaches 0x80; the top bits are
    /// then gathered by a multiplication.
    @inline(__always)
    static func delimitersInWords(_ pointer: UnsafePointer<UInt8>, count: Int) -> (candidates: UInt64, commas: UInt64) {
        var candidates: UInt64 = 0, commas: UInt64 = 0
        var k = 0
        let raw = UnsafeRawPointer(pointer)
        while k + 8 <= count {
            let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            let below = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x5353_5353_5353_5353) | x) & 0x8080_8080_8080_8080
            let y = x ^ 0x2C2C_2C2C_2C2C_2C2C
            let zero = ~(((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | y) & 0x8080_8080_8080_8080
            candidates |= (((below >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(k)
            commas |= (((zero >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(k)
            k += 8
        }
        while k < count {
            if pointer[k] <= UInt8(ascii: ",") { candidates |= 1 << UInt64(k) }
            if pointer[k] == UInt8(ascii: ",") { commas |= 1 << UInt64(k) }
            k += 1
        }
        return (candidates, commas)
    }

    /// Scans complete rows field by field, quotes and all; returns how many bytes were consumed.
    /// An unfinished row stays for the next block.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, baseOffset: Int, fields: inout FieldBuffer, progress: inout Progress, final: Bool,
                      _ body: (RowBlock) throws -> Void) throws -> Int {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard let base = bytes.baseAddress else { return 0 }
        var rowStart = 0
        var i = 0
        var fieldStart = 0
        var inQuotes = false
        var fieldQuoted = false
        var linesInRow = 0
        let n = bytes.count
        @inline(__always) func endField(_ end: Int) {
            if fieldQuoted {
                fields.append(start: fieldStart + 1, end: max(fieldStart + 1, end - 1), quoted: true)
            } else {
                fields.append(start: fieldStart, end: end, quoted: false)
            }
        }
        func emit(next: Int) throws {
            let first = 2 * (fields.count - 1)
            try fields.endRow(blank: fields.pending == 1 && fields.storage[first] == fields.storage[first + 1], line: progress.line,
                              nextOffset: baseOffset + next, base, body)
            progress.line += 1 + linesInRow
            linesInRow = 0
        }
        while i < n {
            if !inQuotes, !fieldQuoted {
                // The bytes that end or open a field (" , CR LF) all lie at or below ",": skip the rest in a tight loop.
                // (Only rows from a block's first quote on come here; the others go through `scanPlain`.)
                while i < n, base[i] > comma { i += 1 }
                if i == n { break }
            }
            let byte = base[i]
            if inQuotes {
                if byte == quote {
                    if i + 1 < n, base[i + 1] == quote { i += 2; continue }
                    if i + 1 == n, !final { break }
                    inQuotes = false
                } else if byte == lf {
                    linesInRow += 1
                }
                i += 1
                continue
            }
            if byte == comma {
                endField(i)
                i += 1
                fieldStart = i
                fieldQuoted = false
            } else if byte == lf || byte == cr {
                let end = i
                if byte == cr {
                    if i + 1 == n, !final { break }
                    if i + 1 < n, base[i + 1] == lf { i += 1 }
                }
                endField(end)
                i += 1
                try emit(next: i)
                rowStart = i
                fieldStart = i
                fieldQuoted = false
            } else if byte == quote, i == fieldStart {
                inQuotes = true
                fieldQuoted = true
                progress.sawQuotedField = true
                i += 1
            } else {
                if fieldQuoted {
                    let field = fields.pending + 1
                    try fields.flush(base, body)  // the rows before it first: an error of theirs comes first
                    throw MetricsInputError(file: path, line: progress.line + linesInRow, problem: "text after a closing quote in field \(field)")
                }
                i += 1
            }
        }
        if final {
            if inQuotes {
                try fields.flush(base, body)
                throw MetricsInputError(file: path, line: progress.line, problem: "a quoted field is never closed")
            }
            if rowStart < n {
                endField(n)
                try emit(next: n)
            }
            try fields.flush(base, body)
            return n
        }
        try fields.flush(base, body)
        return rowStart
    }

    /// Just past the first line break at or after `target`, if that is before `limit`; nil
    /// otherwise. It does not look at quotes (see `FileWindows`).
    func rowStart(atOrAfter target: Int, before limit: Int) throws -> Int? {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        defer { close(file) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
        defer { buffer.deallocate() }
        var offset = target
        while offset < limit {
            let got = pread(file, buffer, min(1 << 16, limit - offset), off_t(offset))
            guard got > 0 else { return nil }
            if let newline = UnsafeBufferPointer(start: buffer, count: got).firstIndex(of: UInt8(ascii: "\n")) {
                let cut = offset + newline + 1
                return cut < limit ? cut : nil
            }
            offset += got
        }
        return nil
    }
}
