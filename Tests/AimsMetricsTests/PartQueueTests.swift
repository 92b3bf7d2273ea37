import Foundation
import Synchronization
import Testing

@testable import AimsMetrics

@Suite("Parts of a file read at once", .serialized)
struct PartQueueTests {
    /// Rows "id,padding" numbered from 1; every row 40 bytes.
    func log(rows: Int, bad: Int? = nil) throws -> String {
        var text = "id,padding\n"
        for id in 1...rows { text += id == bad ? "\(id)\n" : String(format: "%08d,%030d\n", id, id) }
        return try temporaryFile(text)
    }

    @Test("a part is handed out once; then the rest of the part with most left is cut at a row's start, past what its reader claimed")
    func cuts() {
        let queue = PartQueue([0..<1000, 1000..<2000], rowStart: { target, limit in
            let cut = (target / 10 + 1) * 10  // rows of ten bytes
            return cut < limit ? cut : nil
        }, smallest: 100)
        #expect(queue.take()! == (0, 0..<1000))
        #expect(queue.take()! == (1, 1000..<2000))
        #expect(queue.claim(0, upTo: 400) == 1000)
        #expect(queue.claim(1, upTo: 1100) == 2000)
        // Part 0 has 600 left, part 1 has 900: part 1 is cut halfway through its rest.
        #expect(queue.take()! == (2, 1560..<2000))
        #expect(queue.claim(1, upTo: 1356) == 1560)
        queue.finish(1)
        // Part 0 next (600 left, past its claim at 400).
        #expect(queue.take()! == (3, 710..<1000))
        queue.finish(0)
        queue.finish(3)
        #expect(queue.claim(2, upTo: 1950) == 2000)
        // 50 left in part 2: not worth a cut.
        #expect(queue.take() == nil)
        #expect(queue.ranges == [0..<710, 1000..<1560, 1560..<2000, 710..<1000])
    }

    @Test("no row start in a part's second half: it is not cut, and nothing else is to be taken")
    func noRowStart() {
        let queue = PartQueue([0..<1000, 1000..<2000], rowStart: { _, _ in nil }, smallest: 100)
        _ = queue.take()
        _ = queue.take()
        #expect(queue.take() == nil)
        #expect(queue.ranges == [0..<1000, 1000..<2000])
        let fixed = PartQueue([0..<1000, 1000..<2000], rowStart: nil, smallest: 100)
        _ = fixed.take()
        _ = fixed.take()
        #expect(fixed.take() == nil)
    }

    /// Reads the log in two parts, the first slowed down so that the other thread cuts pieces off it.
    func readSlowly(_ path: String) throws -> (states: [[Int]], sha256: String) {
        var reader = TableReader(path: path)
        reader.smallestCut = 8 << 10
        return try reader.readCSV(parts: 2, header: { _ in () }, state: { _ in [Int]() }) { _, ids, block in
            for r in 0..<block.count { ids.append(Int(block[r].text(0)!)!) }
            if (ids.first ?? 0) < 5000 { usleep(2000) }
        }
    }

    @Test("rows read by several threads cutting parts off each other come back each once, in file order, with the file's digest")
    func stealing() throws {
        let path = try log(rows: 20000)
        let expected = try TableReader(path: path).read(header: { _ in }, body: { _ in })
        // Whether the two parts run at once is up to the thread pool (other tests use it too):
        // read until the idle thread has taken pieces of the slow part, each read checked.
        var pieces = 0
        for _ in 0..<20 where pieces <= 2 {
            let (states, sha256) = try readSlowly(path)
            #expect(Array(states.joined()) == Array(1...20000))
            #expect(sha256 == expected)
            pieces = states.count
        }
        if ProcessInfo.processInfo.activeProcessorCount > 1 { #expect(pieces > 2, "the idle thread took pieces of the slow part") }
    }

    @Test("an error after pieces cut off another part names the file's own line: the pieces' rows are counted in file order")
    func errorLine() throws {
        for bad in [4000, 15000] {
            let path = try log(rows: 20000, bad: bad)
            #expect(throws: MetricsInputError.self) { try readSlowly(path) }
            do {
                _ = try readSlowly(path)
            } catch let error as MetricsInputError {
                #expect(error.line == bad + 1 && error.problem.contains("has 1 fields"), "\(error)")
            }
        }
    }

    @Test("a bad row near the start stops the read of the parts after it and the digest: the error comes without reading the rest")
    func failFast() throws {
        let rows = 400_000, path = try log(rows: rows, bad: 3)  // 16 MB, two parts of 8
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        // How far the other part gets before it hears of the failure is up to the thread pool:
        // read until it stops well short of its half, each read checked.
        var least = Int.max
        for _ in 0..<20 where least > size / 4 {
            let read = Atomic<Int>(0)
            var reader = TableReader(path: path) { bytes, _ in read.max(bytes, ordering: .relaxed) }
            reader.smallestCut = 1 << 30
            do {
                _ = try reader.readCSV(parts: 2, header: { _ in () }, state: { _ in () }) { _, _, _ in }
                Issue.record("a ragged row was accepted")
            } catch let error as MetricsInputError {
                #expect(error.line == 4 && error.problem.contains("has 1 fields"), "\(error)")
            }
            least = min(least, read.load(ordering: .relaxed))
        }
        #expect(least <= size / 4, "read \(least) of \(size) bytes")
    }

    @Test("a first pass that fails at a cut inside a quoted field stops hashing; the pass in one piece then hashes the file")
    func digestAfterRereading() throws {
        // Each row's quoted field ends with a line break, so a cut at the first line break after a
        // point falls inside a quote: the second part starts with a lone quote, and the commas
        // inside the quotes end fields there, so its rows are too wide.
        var text = "id,note\n"
        for id in 1...100_000 { text += "\(id),\"\(String(repeating: "x,", count: 20))\n\"\n" }
        let path = try temporaryFile(text)
        let cuts = try CSVScanner(path: path).split(from: 8, parts: 2)
        #expect(cuts.count == 2)
        var ids: [Int] = []
        let sha256 = try TableReader(path: path).readCSV(parts: 2, header: { _ in () }, state: { _ in [Int]() }) { _, part, block in
            for r in 0..<block.count { part.append(Int(block[r].text(0)!)!) }
        }
        ids = Array(sha256.states.joined())
        #expect(ids == Array(1...100_000))
        #expect(sha256.sha256 == (try TableReader(path: path).read(header: { _ in }, body: { _ in })))
    }
}
