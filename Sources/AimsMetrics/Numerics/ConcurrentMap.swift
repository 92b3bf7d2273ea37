import Foundation

extension Array {
    /// `map` with the elements spread over the cores; results keep their order. For a few heavy
    /// items (sorting a group's scores), not for many light ones.
    func concurrentMap<T>(_ transform: (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        nonisolated(unsafe) var results = [T?](repeating: nil, count: count)
        nonisolated(unsafe) let transform = transform
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            self.withUnsafeBufferPointer { items in
                nonisolated(unsafe) let items = items
                DispatchQueue.concurrentPerform(iterations: items.count) { slots[$0] = transform(items[$0]) }
            }
        }
        return results.map { $0! }
    }

    /// Mutates every element (told its index) in place, the elements spread over the cores.
    mutating func concurrentForEach(_ body: (Int, inout Element) -> Void) {
        nonisolated(unsafe) let body = body
        withUnsafeMutableBufferPointer { items in
            nonisolated(unsafe) let items = items
            DispatchQueue.concurrentPerform(iterations: items.count) { body($0, &items[$0]) }
        }
    }
}
