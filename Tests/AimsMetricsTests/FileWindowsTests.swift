import Crypto
import Foundation
import Synchronization
import Testing

@testable import AimsMetrics

@Suite("A file read in windows on several threads", .serialized)
struct FileWindowsTests {
    /// Rows "id,padding" numbered from 1; every row 40 bytes.
    func log(rows: Int, bad: Int? = nil) throws -> String {
        var text = "id,padding\n"
        for id in 1...rows { text += id == bad ? "\(id)\n" : String(format: "%08d,%030d\n", id, id) }
        return try temporaryFile(text)
    }

    func sha256(_ path: String) throws -> String {
        TableReader.hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The ids of the rows each thread read, through windows of `window` bytes; some blocks are
    /// slowed down so that the threads fall out of step and windows wait for the digest.
    func ids(_ path: String, window: Int = 8 << 10, threads: Int = 2) throws -> (states: [[Int]], sha256: String) {
        var reader = TableReader(path: path)
        reader.windowSize = window
        return try reader.readCSV(threads: threads, header: { _ in () }, state: { _ in [Int]() }) { _, ids, block in
            for r in 0..<block.count { ids.append(Int(block[r].text(0)!)!) }
            if (ids.last ?? 0) % 7 == 0 { usleep(300) }
        }
    }

    @Test("every row comes once, each thread's in file order, with the file's SHA-256 hashed from the windows")
    func rowsOnce() throws {
        let path = try log(rows: 20000)  // 800 KB: a hundred windows of 8 KiB
        for threads in [1, 2, 3] {
            let (states, digest) = try ids(path, threads: threads)
            #expect(states.count == threads)
            #expect(states.joined().sorted() == Array(1...20000))
            #expect(states.allSatisfy { $0 == $0.sorted() })
            #expect(digest == (try sha256(path)))
        }
        // Whether the threads run at once is up to the thread pool (other tests keep it busy), so
        // taking windows out of order is tested on the digest itself (`digestInOrder`).
    }

    @Test("windows cut at multiples of their size: the cut after a line break, a row longer than the look past the cut, no final line break, CR line ends")
    func cuts() throws {
        // Rows of 10 bytes from offset 3 ("a\r\n" is not the header: the header is "h\n").
        var rows = (0..<100).map { String(format: "%09d", $0) }
        rows[37] = String(repeating: "x", count: 3 * FileWindows.overhang)  // spans several windows
        for (name, text) in [("LF", "h\n" + rows.joined(separator: "\n") + "\n"), ("no final break", "h\n" + rows.joined(separator: "\n")),
                             ("CRLF", "h\r\n" + rows.joined(separator: "\r\n") + "\r\n"), ("CR only", "h\r" + rows.joined(separator: "\r") + "\r")] {
            let path = try temporaryFile(text)
            for window in [10, 64, 100, 4096] {
                var reader = TableReader(path: path)
                reader.windowSize = window
                let (states, digest) = try reader.readCSV(threads: 2, header: { _ in () }, state: { _ in [String]() }) { _, seen, block in
                    for r in 0..<block.count { seen.append(block[r].text(0)!) }
                }
                #expect(states.joined().sorted() == rows.sorted(), "\(name), windows of \(window)")
                #expect(digest == (try sha256(path)), "\(name), windows of \(window)")
            }
        }
        // Window geometry: cuts at multiples of the size, the first window from the header's end.
        let windows = FileWindows(path: "", start: 25, end: 1000, size: 100)
        #expect(windows.count == 10 && windows.cut(0) == 0 && windows.cut(1) == 100 && windows.cut(9) == 900)
        #expect(FileWindows(path: "", start: 100, end: 1000, size: 100).count == 9)
        #expect(FileWindows(path: "", start: 25, end: 25, size: 100).count == 0)
        #expect(FileWindows(path: "", start: 25, end: 1000, size: 1000).count == 1, "one window for a pass in one piece")
    }

    @Test("rows wider than the look past a cut: it doubles, so that only the first windows are read streaming")
    func wideRows() throws {
        let row = String(repeating: "9,", count: 5_000) + "9"  // 10 KB
        let path = try temporaryFile("h" + String(repeating: ",h", count: 5_000) + "\n" + Array(repeating: row, count: 300).joined(separator: "\n") + "\n")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let windows = FileWindows(path: path, start: row.utf8.count + 1, end: size, size: 64 << 10)
        let file = open(path, O_RDONLY)
        defer { close(file) }
        var streamed = 0, buffered = 0, covered = windows.start
        var buffer = WindowBuffer(capacity: windows.bufferSize)
        for k in 0..<windows.count {
            if buffer.bytes.count < windows.bufferSize {
                buffer.deallocate()
                buffer = WindowBuffer(capacity: windows.bufferSize)
            }
            switch try windows.read(k, file: file, into: buffer) {
            case .buffered(let range, let offset):
                buffered += 1
                #expect(offset + range.lowerBound == covered)
                covered = offset + range.upperBound
            case .streamed(let range):
                streamed += 1
                #expect(range.lowerBound == covered)
                covered = range.upperBound
            }
        }
        buffer.deallocate()
        #expect(covered == size, "the windows tile the rows")
        #expect(streamed <= 2 && buffered >= windows.count - 2 && windows.reach.bytes.load(ordering: .relaxed) >= 10_000, "\(streamed) streamed, \(buffered) buffered")
        // Read through on two threads: every row, and the file's digest.
        var reader = TableReader(path: path)
        reader.windowSize = 64 << 10
        let (states, digest) = try reader.readCSV(threads: 2, header: { _ in () }, state: { _ in 0 }) { _, rows, block in rows += block.count }
        let expected = try sha256(path)
        #expect(states.reduce(0, +) == 300 && digest == expected)
    }

    @Test("the digest hashes windows offered out of order from their buffers, reads again what comes without bytes, and keeps few buffers")
    func digestInOrder() throws {
        let text = String((0..<40_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        let path = try temporaryFile(text)
        let bytes = Array(text.utf8)
        let digest = try FileDigest(path: path, header: 100)
        func offer(_ range: Range<Int>, withBytes: Bool = true) -> Bool {
            let buffer = WindowBuffer(capacity: range.count)
            buffer.bytes.copyBytes(from: bytes[range])
            let kept = digest.offer(range, bytes: withBytes ? UnsafeRawBufferPointer(buffer.bytes) : nil, in: withBytes ? buffer : nil)
            if !kept { buffer.deallocate() }
            return kept
        }
        // Windows 1000 bytes each from 100; offered backwards, all but the first wait.
        let windows = (0..<40).map { 100 + 1000 * $0..<min(100 + 1000 * ($0 + 1), 40_000) }
        var kept = 0
        for range in windows.dropFirst().reversed() where range.lowerBound != 5100 { kept += offer(range) ? 1 : 0 }
        #expect(kept == FileDigest.parkedBuffers, "beyond that many, windows wait without their bytes")
        #expect(!offer(windows[0]), "the next window is hashed at once, with those waiting behind it")
        #expect(!offer(5100..<6100, withBytes: false))
        #expect(try digest.finish() == sha256(path))
        // A window never offered is read at the end.
        let gap = try FileDigest(path: path, header: 0)
        _ = gap.offer(0..<1000, bytes: nil, in: nil)
        _ = gap.offer(2000..<40_000, bytes: nil, in: nil)
        #expect(try gap.finish() == sha256(path))
    }

    @Test("an error in a later window names the file's own line: the windows before it count their lines")
    func errorLine() throws {
        for bad in [4000, 15000] {
            let path = try log(rows: 20000, bad: bad)
            do {
                _ = try ids(path)
                Issue.record("a ragged row was accepted")
            } catch let error as MetricsInputError {
                #expect(error.line == bad + 1 && error.problem.contains("has 1 fields"), "\(error)")
            }
        }
    }

    @Test("a bad row near the start stops the windows after it and the digest: the error comes without reading the rest")
    func failFast() throws {
        let rows = 400_000, path = try log(rows: rows, bad: 3)  // 16 MB
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let read = Atomic<Int>(0)
        let reader = TableReader(path: path) { bytes, _ in read.max(bytes, ordering: .relaxed) }
        do {
            _ = try reader.readCSV(threads: 2, header: { _ in () }, state: { _ in () }) { _, _, _ in }
            Issue.record("a ragged row was accepted")
        } catch let error as MetricsInputError {
            #expect(error.line == 4 && error.problem.contains("has 1 fields"), "\(error)")
        }
        #expect(read.load(ordering: .relaxed) <= size / 4, "read \(read.load(ordering: .relaxed)) of \(size) bytes")
    }

    @Test("a first pass that fails at a cut inside a quoted field stops hashing; the pass in one window then hashes the file")
    func digestAfterRereading() throws {
        // Each row's quoted field ends with a line break, so a cut at the first line break after a
        // point falls inside a quote: the next window starts with a lone quote, and the commas
        // inside the quotes end fields there, so its rows are too wide.
        var text = "id,note\n"
        for id in 1...100_000 { text += "\(id),\"\(String(repeating: "x,", count: 20))\n\"\n" }
        let path = try temporaryFile(text)
        let (states, digest) = try TableReader(path: path).readCSV(threads: 2, header: { _ in () }, state: { _ in [Int]() }) { _, part, block in
            for r in 0..<block.count { part.append(Int(block[r].text(0)!)!) }
        }
        #expect(states.count == 1 && states[0] == Array(1...100_000))
        #expect(digest == (try sha256(path)))
    }
}
