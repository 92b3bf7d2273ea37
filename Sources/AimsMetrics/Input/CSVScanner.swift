import Foundation

/// A streaming RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF, and a UTF-8 byte-order mark. It reads the file in blocks, so memory stays
/// flat however long the file is, and hands each row to the caller without copying unquoted fields.
public struct CSVScanner {
    public let path: String
    let blockSize: Int

    public init(path: String, blockSize: Int = 1 << 20) {
        self.path = path
        self.blockSize = blockSize
    }

    /// A row as byte ranges into a buffer that is valid only during the callback.
    public struct Row {
        /// 1-based line number where the row starts.
        public let line: Int
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: [Int]
        let ends: [Int]
        let quoted: [Bool]
        public var count: Int { starts.count }

        /// The field's bytes, unescaped ("" inside quotes becomes ").
        public func withField<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
            let slice = UnsafeBufferPointer(rebasing: bytes[starts[index]..<ends[index]])
            guard quoted[index], slice.contains(UInt8(ascii: "\"")) else { return try body(slice) }
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

    /// Calls `body` for every row, the header included. Rows are not checked for width here.
    /// `blocks` sees every byte of the file, in order (to compute its digest in the same pass).
    public func forEachRow(blocks: (Data) -> Void = { _ in }, _ body: (Row) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MetricsInputError(file: path, problem: "cannot be opened")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var line = 1
        var first = true
        var finished = false
        while !finished {
            // The first read takes at least three bytes, enough to recognise a byte-order mark.
            let chunk = try handle.read(upToCount: first ? max(blockSize, 3) : blockSize) ?? Data()
            finished = chunk.isEmpty
            blocks(chunk)
            var buffer = carry
            buffer.append(contentsOf: chunk)
            if first {
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                first = false
            }
            let consumed = try buffer.withUnsafeBufferPointer { bytes in
                try scan(bytes, line: &line, final: finished, body)
            }
            carry = Array(buffer[consumed...])
        }
    }

    /// Scans complete rows; returns how many bytes were consumed. An unfinished row stays for the next block.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, line: inout Int, final: Bool, _ body: (Row) throws -> Void) throws -> Int {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var rowStart = 0
        var i = 0
        var starts: [Int] = [], ends: [Int] = [], quoted: [Bool] = []
        var fieldStart = 0
        var inQuotes = false
        var fieldQuoted = false
        var linesInRow = 0
        let n = bytes.count
        func endField(_ end: Int) {
            if fieldQuoted {
                starts.append(fieldStart + 1)
                ends.append(max(fieldStart + 1, end - 1))
            } else {
                starts.append(fieldStart)
                ends.append(end)
            }
            quoted.append(fieldQuoted)
        }
        while i < n {
            let byte = bytes[i]
            if inQuotes {
                if byte == quote {
                    if i + 1 < n, bytes[i + 1] == quote { i += 2; continue }
                    if i + 1 == n, !final { break }
                    inQuotes = false
                } else if byte == lf {
                    linesInRow += 1
                }
                i += 1
                continue
            }
            if byte == quote, i == fieldStart {
                inQuotes = true
                fieldQuoted = true
                i += 1
            } else if byte == comma {
                endField(i)
                i += 1
                fieldStart = i
                fieldQuoted = false
            } else if byte == lf || byte == cr {
                var end = i
                if byte == cr {
                    if i + 1 == n, !final { break }
                    if i + 1 < n, bytes[i + 1] == lf { i += 1 }
                }
                endField(end)
                end = i + 1
                let row = Row(line: line, bytes: bytes, starts: starts, ends: ends, quoted: quoted)
                if !(row.count == 1 && starts[0] == ends[0]) { try body(row) }  // skip blank lines
                line += 1 + linesInRow
                linesInRow = 0
                starts.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
                quoted.removeAll(keepingCapacity: true)
                i = end
                rowStart = i
                fieldStart = i
                fieldQuoted = false
            } else {
                if fieldQuoted {
                    throw MetricsInputError(file: path, line: line + linesInRow, problem: "text after a closing quote in field \(starts.count + 1)")
                }
                i += 1
            }
        }
        if final {
            if inQuotes { throw MetricsInputError(file: path, line: line, problem: "a quoted field is never closed") }
            if rowStart < n {
                endField(n)
                let row = Row(line: line, bytes: bytes, starts: starts, ends: ends, quoted: quoted)
                if !(row.count == 1 && starts[0] == ends[0]) { try body(row) }
                line += 1
            }
            return n
        }
        return rowStart
    }
}
