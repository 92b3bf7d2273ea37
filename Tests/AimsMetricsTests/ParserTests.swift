import Foundation
import Synchronization
import Testing

@testable import AimsMetrics
import TestScratch

func fixture(_ name: String) -> String { Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path }

func temporaryFile(_ text: String, suffix: String = ".csv") throws -> String {
    let path = Scratch.path("aims-metrics", suffix: suffix)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("CSV and JSON Lines input")
struct ParserTests {
    func rows(_ path: String, blockSize: Int = 1 << 20) throws -> [[String]] {
        var result: [[String]] = []
        try CSVScanner(path: path, blockSize: blockSize).forEachRow { row in result.append((0..<row.count).map(row.string)) }
        return result
    }

    @Test("quotes, doubled quotes, commas and newlines in fields, CRLF, BOM, empty fields")
    func torture() throws {
        let expected = [["name", "note, with comma", "value"], ["Ada \"the first\"", "line one\nline two", "1.5"], ["Bob", "", "2"]]
        #expect(try rows(fixture("torture.csv")) == expected)
        // The same whatever the block boundaries.
        for size in [1, 2, 3, 7, 16] {
            let got = try rows(fixture("torture.csv"), blockSize: size)
            #expect(got == expected, "block size \(size): \(got)")
        }
    }

    @Test("random fields, quoted where RFC 4180 needs it, read back exactly at any block size")
    func randomRoundTrip() throws {
        var random = PredictionLogGenerator.SplitMix64(state: 2026)
        let alphabet = Array("abcXYZ019.-_ ,\"\n\r\té€😀").map(String.init) + ["longer-than-eight-bytes", "0.123456789"]
        var expected: [[String]] = []
        for _ in 0..<400 {
            let width = 4
            expected.append((0..<width).map { _ in
                (0..<Int(random.uniform() * 12)).map { _ in alphabet[Int(random.uniform() * Double(alphabet.count))] }.joined()
            })
        }
        expected[0] = ["a", "b", "c", "d"]
        // A row of one empty field is a blank line, which the reader skips; keep every row wider.
        expected = expected.map { $0.allSatisfy(\.isEmpty) ? ["x", "", "", ""] : $0 }
        let text = expected.map { row in
            row.map { field in
                field.unicodeScalars.contains { ",\"\n\r".unicodeScalars.contains($0) } ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
        let path = try temporaryFile(text)
        for size in [3, 8, 64, 1 << 20] {
            let got = try rows(path, blockSize: size)
            #expect(got == expected, "block size \(size): first difference at row \(String(describing: got.indices.first { $0 >= expected.count || got[$0] != expected[$0] })): \(got.count) rows")
        }
    }

    @Test("unquoted rows (read through bit masks): LF, CRLF and lone CR, blank lines, bytes below the comma, any block size, a quoted row now and then",
          arguments: [0, 37])
    func plainRows(quoteEvery: Int) throws {
        var random = PredictionLogGenerator.SplitMix64(state: 42)
        // Spaces, tabs, "!", "#", "+" and "'" lie below "," like the delimiters do; the scan must pass over them.
        let alphabet = Array("abcXYZ019.-_ \t!#+'é€😀").map(String.init) + ["longer-than-eight-bytes", "0.123456789"]
        var expected: [[String]] = [], lines: [Int] = []
        var text = "", line = 1, previousEnd = "\n"
        for r in 0..<600 {
            let quoted = quoteEvery > 0 && r % quoteEvery == quoteEvery - 1
            var row = (0..<5).map { _ in (0..<Int(random.uniform() * 14)).map { _ in alphabet[Int(random.uniform() * Double(alphabet.count))] }.joined() }
            if row.allSatisfy(\.isEmpty) { row[0] = "x" }
            if quoted { row[2] = "say \"hi\",\nthen go" }
            expected.append(row)
            lines.append(line)
            text += row.map { $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }.joined(separator: ",")
            line += quoted ? 1 : 0
            previousEnd = ["\n", "\r\n", "\r"][Int(random.uniform() * 3)]
            text += previousEnd
            line += 1
            if random.uniform() < 0.1, previousEnd != "\r" {
                text += "\n"  // a blank line: skipped, but counted
                line += 1
            }
        }
        text.removeLast(previousEnd.count)  // the last row ends the file without a line break
        let path = try temporaryFile(text)
        for size in [1, 5, 8, 63, 64, 65, 200, 1 << 20] {
            var got: [[String]] = [], gotLines: [Int] = []
            try CSVScanner(path: path, blockSize: size).forEachRow { row in
                got.append((0..<row.count).map(row.string))
                gotLines.append(row.line)
            }
            // The first row that differs, not the whole file, when this fails.
            let differs = (0..<max(got.count, expected.count)).first { $0 >= got.count || $0 >= expected.count || got[$0] != expected[$0] || gotLines[$0] != lines[$0] }
            #expect(differs == nil, "block size \(size), row \(differs ?? 0): \(differs.map { $0 < got.count ? "\(got[$0]) at line \(gotLines[$0])" : "missing" } ?? "") against \(differs.map { $0 < expected.count ? "\(expected[$0]) at line \(lines[$0])" : "none" } ?? "")")
        }
    }

    @Test("rows of hundreds of empty fields: every 64 bytes of commas end 64 fields, and the offsets make room for them")
    func denseCommas() throws {
        let widths = [64, 65, 300, 2, 700, 129, 3]
        let text = widths.map { String(repeating: ",", count: $0 - 1) }.joined(separator: "\n")
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let path = try temporaryFile(text + "\n")
        for size in [7, 64, 1 << 20] {
            #expect(try rows(path, blockSize: size) == expected, "block size \(size)")
        }
    }

    @Test("the delimiter masks mark exactly the bytes at or below a comma, and the commas, sixteen or eight bytes at a time")
    func delimiterMask() {
        let bytes = (0..<330).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }  // every byte value, 0x2C and 0xAC among them
        for start in [0, 3, 100, 256] {
            for count in [0, 1, 7, 8, 9, 63, 64] where start + count <= bytes.count {
                let expected = (0..<count).reduce((UInt64(0), UInt64(0))) { masks, k in
                    (masks.0 | (bytes[start + k] <= UInt8(ascii: ",") ? 1 << UInt64(k) : 0), masks.1 | (bytes[start + k] == UInt8(ascii: ",") ? 1 << UInt64(k) : 0))
                }
                let masks = bytes.withUnsafeBufferPointer { CSVScanner.delimiters($0.baseAddress! + start, count: count) }
                let words = bytes.withUnsafeBufferPointer { CSVScanner.delimitersInWords($0.baseAddress! + start, count: count) }
                #expect(masks.candidates == expected.0 && masks.commas == expected.1, "start \(start), count \(count)")
                #expect(words.candidates == expected.0 && words.commas == expected.1, "in words: start \(start), count \(count)")
            }
        }
    }

    @Test("line numbers count rows, including newlines inside quotes")
    func lineNumbers() throws {
        let path = try temporaryFile("a,b\n\"x\ny\",1\nz,2\n")
        var lines: [Int] = []
        try CSVScanner(path: path).forEachRow { lines.append($0.line) }
        #expect(lines == [1, 2, 4])
    }

    @Test("a ragged row is an error naming the file and line")
    func ragged() {
        let error = #expect(throws: MetricsInputError.self) { try TableReader(path: fixture("ragged.csv")).read(header: { _ in }, body: { _ in }) }
        #expect(error?.line == 3)
        #expect(error?.description.contains("ragged.csv:3") == true)
        #expect(error?.problem.contains("1 fields where the header has 2") == true)
    }

    @Test("rows read a block at a time report the earliest bad row, whichever analysis, window or column finds it")
    func earliestErrorInBlock() throws {
        // 600 rows, three blocks; the bad rows sit in the second. Row i is on line i + 2 (i + 1 in
        // JSON Lines, which has no header line), in the reference window when i % 4 < 2.
        typealias Bad = (line: Int, column: String, value: String)
        func log(_ bad: [Bad], ragged: Int? = nil, jsonLines: Bool = false) throws -> String {
            let names = ["split", "sex", "y", "yhat", "age", "income"]
            let rows = (0..<600).map { i -> [String] in
                var row = [i % 4 < 2 ? "reference" : "current", i % 3 == 0 ? "f" : "m", "\(i % 2)", "\(i / 3 % 2)", "\(20 + i % 50)", "\(1000 + i).50"]
                for cell in bad where cell.line == i + 2 { row[names.firstIndex(of: cell.column)!] = cell.value }
                if i + 2 == ragged { row.removeLast() }
                return row
            }
            guard jsonLines else { return try temporaryFile(([names] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n") }
            let objects = rows.map { row in "{" + zip(names, row).map { "\"\($0)\": \"\($1)\"" }.joined(separator: ", ") + "}" }
            return try temporaryFile(objects.joined(separator: "\n") + "\n", suffix: ".jsonl")
        }
        var analysis = LogAnalysis(fairness: FairnessReader(roles: ColumnRoles(label: "y", prediction: "yhat", sensitive: ["sex"])),
                                   drift: DriftReader(columns: ["age", "income"], numerical: ["age", "income"]),
                                   split: DriftReader.Split(column: "split"), quality: DriftReader(columns: ["age"], numerical: ["age"]))
        func error(_ path: String) -> MetricsInputError? { #expect(throws: MetricsInputError.self) { try analysis.read(TableReader(path: path)) } }
        for jsonLines in [false, true] {
            let line = { (csvLine: Int) in jsonLines ? csvLine - 1 : csvLine }
            // Drift's error on an earlier row than fairness's, and the other way round.
            var found = error(try log([(290, "income", "abc"), (300, "y", "x")], jsonLines: jsonLines))
            #expect(found?.line == line(290) && found?.column == "income")
            found = error(try log([(290, "y", "x"), (300, "income", "abc")], jsonLines: jsonLines))
            #expect(found?.line == line(290) && found?.column == "y")
            // Within drift: a later column on an earlier row (lines 294 and 295 are both in the reference window).
            found = error(try log([(295, "age", "old"), (294, "income", "abc")], jsonLines: jsonLines))
            #expect(found?.line == line(294) && found?.column == "income")
            // The current window's error (line 292) before the reference window's (line 294).
            found = error(try log([(294, "age", "old"), (292, "income", "abc")], jsonLines: jsonLines))
            #expect(found?.line == line(292) && found?.column == "income")
            // One row bad for fairness (its prediction, after its label) and drift: fairness reads it first.
            found = error(try log([(294, "age", "old"), (294, "yhat", "2"), (294, "y", "x")], jsonLines: jsonLines))
            #expect(found?.line == line(294) && found?.column == "y")
        }
        // A ragged row after a bad one in the same block, and before one.
        var found = error(try log([(294, "y", "x")], ragged: 296))
        #expect(found?.line == 294 && found?.column == "y")
        // Text after a closing quote, found field by field once a quote (line 280) opened the way:
        // the rows before it, and the bad label among them, come first.
        found = error(try log([(280, "sex", "\"m\""), (294, "y", "x"), (296, "sex", "\"f\"x")]))
        #expect(found?.line == 294 && found?.column == "y")
        found = error(try log([(280, "sex", "\"m\""), (296, "sex", "\"f\"x")]))
        #expect(found?.line == 296 && found?.problem.contains("after a closing quote") == true)
        found = error(try log([(296, "y", "x")], ragged: 294))
        #expect(found?.line == 294 && found?.problem.contains("fields where the header has") == true)
        // Skipping bad rows: fairness counts the others (a missing group is a group, not a bad row),
        // and drift still stops at its own first error.
        analysis.fairness?.badRows = .skip
        let result = try analysis.read(TableReader(path: try log([(290, "y", "x"), (300, "sex", ""), (301, "yhat", "maybe")])))
        #expect(result.fairness?.skippedRows == 2 && result.fairness?.rows == 598 && result.rows == 600)
        found = error(try log([(290, "y", "x"), (400, "age", "old")]))
        #expect(found?.line == 400 && found?.column == "age")
    }

    @Test("unclosed quotes, text after a quote, empty files")
    func malformed() throws {
        let unclosed = try temporaryFile("a,b\n\"open,1\n")
        #expect(throws: MetricsInputError.self) { try TableReader(path: unclosed).read(header: { _ in }, body: { _ in }) }
        let after = try temporaryFile("a,b\n\"x\"y,1\n")
        let error = #expect(throws: MetricsInputError.self) { try TableReader(path: after).read(header: { _ in }, body: { _ in }) }
        #expect(error?.problem.contains("after a closing quote") == true)
        let empty = try temporaryFile("")
        #expect(throws: MetricsInputError.self) { try TableReader(path: empty).read(header: { _ in }, body: { _ in }) }
    }

    @Test("JSON Lines: nulls are missing, numbers and booleans read as values")
    func jsonLines() throws {
        let path = try temporaryFile("{\"y\": 1, \"p\": true, \"g\": \"a\", \"s\": 0.5}\n\n{\"y\": 0, \"p\": false, \"g\": null, \"s\": 0.25}\n", suffix: ".jsonl")
        var texts: [[String?]] = []
        var numbers: [Double?] = []
        try TableReader(path: path).read(header: { #expect($0 == ["g", "p", "s", "y"]) }, body: { row in
            texts.append((0..<4).map { row.text($0) })
            numbers.append(row.number(2) ?? nil)
        })
        #expect(texts == [["a", "true", "0.5", "1"], [nil, "false", "0.25", "0"]])
        #expect(numbers == [0.5, 0.25])
        let bad = try temporaryFile("{\"y\": 1}\nnot json\n", suffix: ".jsonl")
        let error = #expect(throws: MetricsInputError.self) { try TableReader(path: bad).read(header: { _ in }, body: { _ in }) }
        #expect(error?.line == 2)
    }

    @Test("numbers: the fast path agrees with strtod, and rejects what is not a number")
    func numbers() {
        func parse(_ text: String) -> Double? { Array(text.utf8).withUnsafeBufferPointer { NumberParser.parse($0) } }
        for text in ["0", "1", "-2.5", "+3", "0.1", "123456.789012", "0.526141", "39258.08", "1.", ".5", "007", "1e-06", "-1.5E+3",
                     "12345678901234567890", "0.30000000000000004", "1234567890.12345678", "9007199254740992", "9007199254740993",
                     "-9007199254740993.5", "0.000000000000000001", "123456789012345678", "-0", "-0.0"] {
            #expect(parse(text) == Double(text) ?? strtod(text, nil), "\(text)")
            #expect(parse(text)?.sign == Double(text)?.sign, "\(text)")
        }
        // Random decimals of up to 18 digits, either side of 2^53: bit for bit what strtod gives.
        var random = PredictionLogGenerator.SplitMix64(state: 3)
        for _ in 0..<5000 {
            let digits = String(random.next() % 1_000_000_000_000_000_000)
            let point = Int(random.next() % UInt64(digits.count + 1))
            let text = (random.next() % 2 == 0 ? "-" : "") + digits.prefix(point) + "." + digits.dropFirst(point)
            #expect(parse(text) == Double(text) ?? strtod(text, nil), "\(text)")
        }
        for text in ["", "-", ".", "-.", "1.2.3", "abc", "1,5", "nan", "inf", "--1"] { #expect(parse(text) == nil, "\(text)") }
    }

    #if arch(x86_64)
    @Test("numbers read in a register: the byte loop's answer for every cell it takes, whatever bytes lie before the cell")
    func decimalsInARegister() {
        /// The register's answer for `text` after `before` (17 bytes or more), and the loop's.
        func both(_ text: [UInt8], after before: [UInt8]) -> (register: NumberParser.Decimal?, loop: NumberParser.Decimal?) {
            let bytes = before + text
            return bytes.withUnsafeBufferPointer { buffer in
                (NumberParser.decimal(endingAt: buffer.baseAddress! + buffer.count, count: text.count),
                 NumberParser.decimal(UnsafeBufferPointer(rebasing: buffer[before.count...])))
            }
        }
        func same(_ a: NumberParser.Decimal?, _ b: NumberParser.Decimal?) -> Bool { a?.mantissa == b?.mantissa && a?.fraction == b?.fraction }
        let digitsBefore = Array("12345678901234567.".utf8), commasBefore = Array(repeating: UInt8(ascii: ","), count: 17)
        // Cells it must take, each at once (the log's ages, amounts and scores among them).
        for text in ["0", "7", "57", "39258.08", "0.526141", "1.", ".5", "007", "1234567890123456", "9007199254740992", "123456.789012345",
                     "0.000000000000001", "100000000.0000001"] {
            for before in [digitsBefore, commasBefore] {
                let (register, loop) = both(Array(text.utf8), after: before)
                #expect(register != nil && same(register, loop), "\(text)")
            }
        }
        // Cells it leaves to the loop: signs, more than 2^53, not decimals (":" to "?" share the
        // digits' high half: the short integers' test must look at the low half too).
        for text in ["-1", "+3", "9007199254740993", "1e5", ".", "1.2.3", "12a", " 1", "1 ", "1:", "?", "12;4", "=5", "/"] {
            #expect(both(Array(text.utf8), after: digitsBefore).register == nil, "\(text)")
        }
        // Random cells of 1 to 16 bytes from digits, points and a few others, after random bytes:
        // whenever the register answers, the loop gives the same.
        var random = PredictionLogGenerator.SplitMix64(state: 42)
        let alphabet = Array("0123456789012345678901234567890123456789....-+e, x".utf8)
        var taken = 0
        for _ in 0..<200_000 {
            let text = (0..<Int(1 + random.next() % 16)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let before = (0..<17).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let (register, loop) = both(text, after: before)
            if register != nil {
                taken += 1
                #expect(same(register, loop), "\(String(decoding: text, as: UTF8.self))")
            } else if !text.contains(where: { !(48...57).contains($0) && $0 != UInt8(ascii: ".") }) {
                // Only digits and points: the register declines only what the loop declines too,
                // or a mantissa above 2^53.
                #expect(loop == nil || loop!.mantissa > 1 << 53, "\(String(decoding: text, as: UTF8.self))")
            }
        }
        #expect(taken > 10_000)
    }
    #endif

    @Test("the file's SHA-256 is computed in the same pass")
    func digest() throws {
        let path = try temporaryFile("a\n1\n")
        let digest = try TableReader(path: path).read(header: { _ in }, body: { _ in })
        #expect(digest == "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc")
        // Read whole, or offered a window at a time out of order: sizes either side of the read's edge give what sha256sum gives.
        var random = PredictionLogGenerator.SplitMix64(state: 3)
        for size in [0, 1, 4095, 4096, 4097, 3 * 4096 + 5] {
            let path = Scratch.path("aims-digest")
            try Data((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }).write(to: URL(fileURLWithPath: path))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
            #expect(try FileDigest(path: path, header: 0).finish() == String(expected), "\(size) bytes")
            // Windows offered by several threads, each its own last first, every other one with its
            // bytes, then finished on another thread.
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let header = min(size, 100)
            let digest = try FileDigest(path: path, header: header)
            let windows = stride(from: header, to: size, by: 1000).map { $0..<min($0 + 1000, size) }
            DispatchQueue.concurrentPerform(iterations: 3) { task in
                for (k, range) in windows.enumerated().reversed() where k % 3 == task {
                    let buffer = WindowBuffer(capacity: range.count)
                    buffer.bytes.copyBytes(from: bytes[range])
                    let withBytes = k % 2 == 0
                    if !digest.offer(range, bytes: withBytes ? UnsafeRawBufferPointer(buffer.bytes) : nil, in: withBytes ? buffer : nil) { buffer.deallocate() }
                }
            }
            #expect(try digest.finish() == String(expected), "\(size) bytes, offered out of order")
        }
        #expect(throws: MetricsInputError.self) { try FileDigest(path: "/nonexistent/aims-digest", header: 0) }
    }
}

@Suite("Progress on a terminal")
struct ProgressTests {
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
        let clock = Mutex<Double>(0)
    }

    @Test("redrawn at most ten times a second, ended with a line break; small files draw nothing")
    func progress() {
        let recorder = Recorder()
        let display = ProgressDisplay(name: "log.csv", write: { line in recorder.lines.withLock { $0.append(line) } },
                                      now: { Date(timeIntervalSinceReferenceDate: recorder.clock.withLock { $0 }) })
        let total = 100 << 20
        for (time, read) in [(0.0, 1 << 20), (0.05, 2 << 20), (0.2, 42 << 20), (0.25, 50 << 20), (0.3, total)] {
            recorder.clock.withLock { $0 = time }
            display.update(read: read, total: total)
        }
        let lines = recorder.lines.withLock { $0 }
        #expect(lines.count == 3)
        #expect(lines[1] == "\r\u{1B}[Kreading log.csv   42% (42 of 100 MB, 0.2 s)")
        #expect(lines[2].hasSuffix("100% (100 of 100 MB, 0.3 s)\n"))
        let small = ProgressDisplay(name: "small.csv", write: { line in recorder.lines.withLock { $0.append(line) } })
        small.update(read: 1 << 20, total: 16 << 20)
        #expect(recorder.lines.withLock { $0.count } == 3)
    }
}
