import Foundation

/// Values appended one block after another into storage that grows with `realloc`. On Linux a
/// large buffer is pages of its own (see `MemoryPolicy`), and realloc moves those pages to a
/// larger range (mremap) without copying or touching them again; an array copies into fresh pages
/// at every doubling, and those copies were most of a 10M-row run's page faults.
/// A reference: `NumberColumn` copies it before changing one that is shared.
final class GrowingBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private(set) var capacity = 0

    init() {}

    deinit { free(base) }

    /// The values held, valid while the buffer is.
    var values: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Room for `capacity` values in all, without moving them again until then.
    func reserve(_ capacity: Int) {
        guard capacity > self.capacity else { return }
        guard let grown = realloc(base, capacity * MemoryLayout<Element>.stride) else { fatalError("out of memory growing a buffer to \(capacity) values") }
        base = grown.assumingMemoryBound(to: Element.self)
        self.capacity = capacity
    }

    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, !values.isEmpty else { return }
        if count + values.count > capacity { reserve(Swift.max(count + values.count, 2 * capacity, 1024)) }
        (base! + count).initialize(from: source, count: values.count)
        count += values.count
    }

    /// Makes room for `n` more values and lets `body` write them from the end; it returns how
    /// many it wrote.
    @inline(__always)
    func appending(atMost n: Int, _ body: (UnsafeMutablePointer<Element>) -> Int) {
        if count + n > capacity { reserve(Swift.max(count + n, 2 * capacity, 1024)) }
        count += body(base! + count)
    }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { reserve(Swift.max(2 * capacity, 1024)) }
        (base! + count).initialize(to: value)
        count += 1
    }

    /// A buffer of its own holding the same values.
    func copy() -> GrowingBuffer {
        let copy = GrowingBuffer()
        copy.append(contentsOf: UnsafeBufferPointer(values))
        return copy
    }
}
