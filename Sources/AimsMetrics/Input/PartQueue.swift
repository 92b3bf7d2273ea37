import Synchronization

/// The byte ranges of a file that threads read at once, handed out one per thread; a thread done
/// with its own takes the second half of what another has left (cut at a row's start), so every
/// core stays busy to the end however unevenly the parts go. Cut in equal halves, one part
/// regularly finished 100 ms before the other on 10M rows (the two cores of a shared machine do
/// not run alike), and its core idled while the other part caught up.
///
/// A part claims the bytes it reads a block at a time (`claim`), so a cut is only ever made past
/// what its reader has read; the part's end moves back to the cut, and the rest becomes a part of
/// its own, with its own state, just after it in file order.
final class PartQueue: Sendable {
    struct Part {
        var range: Range<Int>
        /// How far its reader has read, or asked to.
        var claimed: Int
        var taken = false
        /// Read to its end (or failed), or with no row start in its second half: not to be cut.
        var closed = false
    }

    private let parts: Mutex<[Part]>
    /// Where the next row starts at or after an offset, before a limit (nil if none); without it,
    /// parts are read as they were cut and none is taken from.
    private let rowStart: (@Sendable (Int, Int) -> Int?)?
    /// A part with fewer bytes left is not cut: its rest would not pay for another state.
    private let smallest: Int

    init(_ ranges: [Range<Int>], rowStart: (@Sendable (Int, Int) -> Int?)?, smallest: Int) {
        parts = Mutex(ranges.map { Part(range: $0, claimed: $0.lowerBound) })
        (self.rowStart, self.smallest) = (rowStart, smallest)
    }

    /// The next part to read: one not yet taken, or the rest of the one with most left, cut in
    /// two; nil when every part is taken and none is worth cutting. Parts are numbered in the
    /// order they are made, not in file order (`ranges` gives that).
    func take() -> (id: Int, range: Range<Int>)? {
        while true {
            /// A part to take whole (no target), or where to cut one.
            let plan: (id: Int, range: Range<Int>, target: Int?)? = parts.withLock { parts in
                if let id = parts.firstIndex(where: { !$0.taken }) {
                    parts[id].taken = true
                    return (id, parts[id].range, nil)
                }
                func left(_ id: Int) -> Int { parts[id].range.upperBound - parts[id].claimed }
                guard rowStart != nil, let id = parts.indices.filter({ !parts[$0].closed }).max(by: { left($0) < left($1) }), left(id) >= smallest else { return nil }
                return (id, parts[id].range, parts[id].claimed + left(id) / 2)
            }
            guard let plan else { return nil }
            guard let target = plan.target else { return (plan.id, plan.range) }
            let end = plan.range.upperBound
            // The row's start is looked for outside the lock: the part's reader goes on meanwhile.
            guard let cut = rowStart?(target, end) else {
                parts.withLock { $0[plan.id].closed = true }
                continue
            }
            let taken: (id: Int, range: Range<Int>)? = parts.withLock { parts in
                let part = parts[plan.id]
                guard !part.closed, part.range.upperBound == end, part.claimed <= cut, cut < end else { return nil }
                parts[plan.id].range = part.range.lowerBound..<cut
                parts.append(Part(range: cut..<end, claimed: cut, taken: true))
                return (parts.count - 1, cut..<end)
            }
            if let taken { return taken }
        }
    }

    /// Claims the bytes of part `id` up to `offset` (or its end, if sooner) for reading; returns
    /// its end, which a cut may have moved back, but never below what was claimed.
    func claim(_ id: Int, upTo offset: Int) -> Int {
        parts.withLock { parts in
            parts[id].claimed = max(parts[id].claimed, min(offset, parts[id].range.upperBound))
            return parts[id].range.upperBound
        }
    }

    /// Part `id` is read (or failed): nothing is cut from it any more.
    func finish(_ id: Int) {
        parts.withLock { $0[id].closed = true }
    }

    /// Every part's range, by part number.
    var ranges: [Range<Int>] { parts.withLock { $0.map(\.range) } }
}
