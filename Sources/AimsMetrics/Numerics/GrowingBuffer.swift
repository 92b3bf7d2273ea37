import Foundation

/// Values appended one block after another into pages of their own, mapped from the system. On
/// Linux the pages move to a larger range as the buffer grows (mremap), without copying or
/// touching them again; an array copies into fresh pages at every doubling, and those copies were
/// most of a 10M-row run's page faults. Buffers joined into one (`absorb`) hand over their whole
/// pages the same way.
/// A reference: `NumberColumn` copies it before changing one that is shared.
final class GrowingBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private(set) var capacity = 0
    /// Bytes mapped at `base`: a whole number of pages.
    private var mapped = 0

    private static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }

    init() {}

    deinit { if let base { munmap(base, mapped) } }

    /// The values held, valid while the buffer is.
    var values: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Room for `capacity` values in all, without moving them again until then.
    func reserve(_ capacity: Int) {
        guard capacity > self.capacity else { return }
        let page = Self.pageSize
        let bytes = (capacity * MemoryLayout<Element>.stride + page - 1) / page * page
        var grown: UnsafeMutableRawPointer?
        if let base, let moved = PageRemap.move(base, mapped, to: bytes, at: nil), moved != MAP_FAILED { grown = moved }
        if grown == nil {
            // A first mapping, or one mremap cannot move (pages absorbed from other buffers lie in
            // mappings of their own): new pages, and the values copied over.
            guard let fresh = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), fresh != MAP_FAILED else {
                fatalError("out of memory growing a buffer to \(capacity) values")
            }
            if let base {
                fresh.copyMemory(from: base, byteCount: count * MemoryLayout<Element>.stride)
                munmap(base, mapped)
            }
            grown = fresh
        }
        base = grown!.assumingMemoryBound(to: Element.self)
        (self.capacity, mapped) = (bytes / MemoryLayout<Element>.stride, bytes)
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

    /// Takes the values of `others` (emptying them), in no particular order: their whole pages are
    /// moved after this buffer's (on Linux), and only the values on each one's last, partial page,
    /// and on this buffer's, are copied, to the end. Joining two threads' halves of a column by
    /// copying touched every page of the second half again: 14,000 page faults on 10M rows.
    func absorb(_ others: [GrowingBuffer]) {
        let stride = MemoryLayout<Element>.stride, page = Self.pageSize
        var loose: [Element] = []
        var moves: [(buffer: GrowingBuffer, values: Int)] = []
        var kept = count
        if PageRemap.available, page % stride == 0 {
            let perPage = page / stride
            kept = count / perPage * perPage
            moves = others.map { ($0, $0.count / perPage * perPage) }
        }
        loose += UnsafeBufferPointer(rebasing: values[kept...])
        for (k, other) in others.enumerated() { loose += UnsafeBufferPointer(rebasing: other.values[(moves.isEmpty ? 0 : moves[k].values)...]) }
        // Room for everything first: the pages move into this one mapping, which need not grow again.
        reserve(kept + moves.reduce(0) { $0 + $1.values } + loose.count)
        count = kept
        for (other, whole) in moves where whole > 0 {
            let bytes = whole * stride, target = UnsafeMutableRawPointer(base! + count)
            if PageRemap.move(other.base!, bytes, to: bytes, at: target) != target {
                target.copyMemory(from: other.base!, byteCount: bytes)
                munmap(other.base!, bytes)
            }
            count += whole
            other.dropPages(bytes)
        }
        for other in others { other.count = 0 }
        loose.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Forgets the first `bytes` of the mapping, moved elsewhere; the values are gone.
    private func dropPages(_ bytes: Int) {
        count = 0
        mapped -= bytes
        capacity = mapped / MemoryLayout<Element>.stride
        base = mapped == 0 ? nil : UnsafeMutableRawPointer(base!).advanced(by: bytes).assumingMemoryBound(to: Element.self)
    }

    /// A buffer of its own holding the same values.
    func copy() -> GrowingBuffer {
        let copy = GrowingBuffer()
        copy.append(contentsOf: UnsafeBufferPointer(values))
        return copy
    }
}

/// Linux's mremap, which moves pages to another address without copying them. Swift does not
/// import C functions with variable arguments, so it is looked up by name and called with its
/// five arguments as registers pass them (the fifth, the target, is read only with
/// `MREMAP_FIXED`). Elsewhere `available` is false and buffers copy.
enum PageRemap {
    private typealias Function = @convention(c) (UnsafeMutableRawPointer?, Int, Int, Int32, UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?
    private static let function: Function? = {
        #if os(Linux)
        return dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mremap").map { unsafeBitCast($0, to: Function.self) }
        #else
        return nil
        #endif
    }()

    static var available: Bool { function != nil }

    /// The `bytes` mapped at `address` grown or shrunk to `size`, moved where the system likes or,
    /// with `target`, there (replacing what was mapped there); nil or `MAP_FAILED` when not.
    static func move(_ address: UnsafeMutableRawPointer, _ bytes: Int, to size: Int, at target: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        let mayMove: Int32 = 1, fixed: Int32 = 2  // MREMAP_MAYMOVE, MREMAP_FIXED
        return function?(address, bytes, size, target == nil ? mayMove : mayMove | fixed, target)
    }
}
