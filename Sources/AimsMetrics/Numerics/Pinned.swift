/// A fixed copy of an array that the per-row code reads through a pointer. Reading a `let` array
/// of a class from the row loop retains and releases its buffer on every row (measured: a sixth
/// of the CPU time of a combined read); reading through a pointer touches no reference count.
/// The owning class frees it in its `deinit`.
struct Pinned<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ array: [Element]) {
        buffer = .allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        count = array.count
    }

    let count: Int

    @inline(__always)
    subscript(index: Int) -> Element { buffer[index] }

    @inline(__always)
    var bytes: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: buffer.baseAddress, count: count) }

    func free() {
        buffer.baseAddress!.deinitialize(count: count)
        buffer.deallocate()
    }
}
