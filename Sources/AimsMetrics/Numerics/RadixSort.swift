extension Array where Element == Double {
    /// Sorts in ascending order by a least-significant-digit radix sort on the IEEE bit patterns,
    /// in place (see `RadixSort`). On a million scores it is several times faster than `sort()`;
    /// ROC AUC, KS and Wasserstein all start by sorting. Values must not be NaN (the readers never
    /// produce it).
    mutating func radixSort() {
        guard count >= 4096 else { return sort() }
        withUnsafeMutableBufferPointer { RadixSort.sort($0, carrying: nil) }
    }
}

extension Array where Element == UInt64 {
    /// Sorts in ascending order by a radix sort of up to six passes (see `RadixSort`), in place.
    mutating func radixSort() {
        guard count >= 4096 else { return sort() }
        withUnsafeMutableBufferPointer { RadixSort.sort($0, carrying: nil, encode: { $0 }) }
    }
}

enum RadixSort {
    /// How many times each integer from `low` on occurs in a column: what a counting sort makes,
    /// kept for the walk over a dense column (`Statistics.walk(_:_:sizes:value:)`).
    struct Counts: Sendable {
        let low: Int
        let counts: [UInt32]

        /// The counts of integers, sorted or not.
        init(_ values: UnsafeBufferPointer<Int32>) {
            let (low, high) = values.isEmpty ? (0, -1) : RadixSort.bounds(values)
            self.init(values, low: low, high: high)
        }

        /// The counts of integers that lie in `low...high`.
        init(_ values: UnsafeBufferPointer<Int32>, low: Int32, high: Int32) {
            var counts = [UInt32](repeating: 0, count: Int(high) - Int(low) + 1)
            counts.withUnsafeMutableBufferPointer { counts in
                for value in values { counts[Int(value) &- Int(low)] &+= 1 }
            }
            (self.low, self.counts) = (Int(low), counts)
        }
    }

    /// Sorts in ascending order, in place: by counting when the values span no more integers than
    /// there are values (`countingSort`, whose counts it returns), otherwise into buckets by their
    /// top bits and each bucket by the rest (`sortInBuckets`).
    @discardableResult
    static func sort(_ values: UnsafeMutableBufferPointer<Int32>) -> Counts? {
        guard values.count >= 4096 else {
            var values = values
            values.sort()
            return nil
        }
        let (low, high) = bounds(UnsafeBufferPointer(values))
        if let counts = countingSort(values, low: low, high: high) { return counts }
        values.withMemoryRebound(to: UInt32.self) { sortInBuckets($0, low: UInt32(bitPattern: low), span: UInt32(bitPattern: high &- low)) }
        return nil
    }

    /// The smallest and largest of values that are not empty.
    static func bounds(_ values: UnsafeBufferPointer<Int32>) -> (low: Int32, high: Int32) {
        var low = values[0], high = values[0]
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        return (low, high)
    }

    /// Sorts by counting each value, when the values span no more integers than there are values
    /// (ages; a six-place score over millions of rows): one pass counts into an array no larger
    /// than the values, one writes them back in order, where a radix sort scatters the whole array
    /// two or three times. Returns nil, leaving the values as they were, when they are sparser.
    private static func countingSort(_ values: UnsafeMutableBufferPointer<Int32>, low: Int32, high: Int32) -> Counts? {
        guard values.count < Int(UInt32.max) else { return nil }
        guard Int(high) - Int(low) + 1 <= values.count else { return nil }
        let counts = Counts(UnsafeBufferPointer(values), low: low, high: high)
        counts.counts.withUnsafeBufferPointer { counted in
            // Not zeroing, so the kept counts are only read.
            values.withMemoryRebound(to: UInt32.self) { writeBack(UnsafeMutableBufferPointer(mutating: counted), first: UInt32(bitPattern: low), into: $0, zeroing: false) }
        }
        return counts
    }

    /// Writes `first` + d as many times as `counts[d]` says, for every d in order (32-bit values
    /// as their bit patterns: signed ones wrap as they should), zeroing the counts if asked. A
    /// value counted at most eight times (a six-place score's five on average over 10M rows) is
    /// written eight times in one store, the extra copies overwritten by the values after it: no
    /// loop whose length changes from one value to the next (a copy loop per value took 11 ms on
    /// 5M scores, 4.5 this way). A value counted 0 times writes its copies where the next one
    /// goes, and the position has reached the end when no value is left to cover them.
    static func writeBack(_ counts: UnsafeMutableBufferPointer<UInt32>, first: UInt32, into values: UnsafeMutableBufferPointer<UInt32>, zeroing: Bool) {
        guard let base = values.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(base), end = values.count
        var at = 0
        for d in counts.indices {
            let count = Int(counts[d]), value = first &+ UInt32(truncatingIfNeeded: d)
            if zeroing { counts[d] = 0 }
            if count <= 8, at + 8 <= end {
                raw.storeBytes(of: SIMD8(repeating: value), toByteOffset: at &* 4, as: SIMD8<UInt32>.self)
            } else {
                (base + at).update(repeating: value, count: count)
            }
            at &+= count
        }
    }

    /// Sorts 32-bit keys by their offset from `low` (at most `span`; signed values compare as
    /// their offsets do): first into 256 buckets by the offset's top eight bits, then each bucket
    /// by the bits below: a bucket with at least half as many keys as it spans integers (the
    /// amounts of most of a log's incomes: 60,000 in each $655) by counting them, straight into
    /// place, and a sparser one eight bits at a time. A bucket of a few million amounts fits the second-level
    /// cache, where each pass of a radix sort over the whole array scattered keys across 20 MB:
    /// on 5M amounts in cents 33 ms instead of 54 for two passes of twelve bits. Counting the
    /// dense buckets instead of two passes and a copy back took the two 5M-income sorts of a 10M
    /// log from 85 to 70 ms of CPU.
    static func sortInBuckets(_ keys: UnsafeMutableBufferPointer<UInt32>, low: UInt32, span: UInt32) {
        let n = keys.count
        guard n > 1 else { return }
        let bits = UInt32.bitWidth - span.leadingZeroBitCount
        let top = Swift.min(8, bits), below = bits - top
        let spare = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        defer { spare.deallocate() }
        let places = Places()
        defer { places.deallocate() }
        // Bucket b holds starts[b]..<starts[b + 1]; the counts turn into each bucket's next place.
        let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 257)
        defer { starts.deallocate() }
        let next = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256)
        defer { next.deallocate() }
        next.initialize(repeating: 0)
        for key in keys { next[Int((key &- low) >> below)] &+= 1 }
        var total = 0
        for b in 0..<256 {
            starts[b] = total
            total += Int(next[b])
            next[b] = UInt32(starts[b])
        }
        starts[256] = n
        places.scatter(keys, into: spare.baseAddress!, next: next.baseAddress!) { Int(($0 &- low) >> below) }
        let passes = (below + 7) / 8
        let counts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 256 * Swift.max(passes, 1))
        defer { counts.deallocate() }
        // Counts for a dense bucket, one per integer it spans (at most 2^17: they stay in the cache);
        // left at zero after each bucket.
        let spanned = below <= 17 ? 1 << below : 0
        let tally = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: spanned)
        defer { tally.deallocate() }
        tally.initialize(repeating: 0)
        let digit = UInt32(truncatingIfNeeded: spanned &- 1)
        for b in 0..<256 {
            let range = starts[b]..<starts[b + 1]
            var source = UnsafeMutableBufferPointer(rebasing: spare[range]), target = UnsafeMutableBufferPointer(rebasing: keys[range])
            if spanned > 0, 2 * range.count >= spanned {
                for key in source { tally[Int((key &- low) & digit)] &+= 1 }
                writeBack(tally, first: low &+ UInt32(b) << below, into: target, zeroing: true)
                continue
            }
            if range.count < 64 || passes == 0 {
                _ = target.update(fromContentsOf: source)
                // By offset, as the passes sort: keys are signed values' bit patterns, and a bucket
                // that holds -1 and 0 would put 0 first by its bits.
                if passes > 0 { target.sort { $0 &- low < $1 &- low } }
                continue
            }
            counts.update(repeating: 0)
            for key in source {
                let offset = key &- low
                for pass in 0..<passes { counts[pass << 8 | Int((offset >> (8 * pass)) & 255)] &+= 1 }
            }
            for pass in 0..<passes {
                let shift = 8 * pass, next = counts.baseAddress! + pass << 8
                // A pass whose digit every key shares moves nothing.
                if next[Int(((source[0] &- low) >> shift) & 255)] == range.count { continue }
                var place: UInt32 = 0
                for digit in 0..<256 {
                    let count = next[digit]
                    next[digit] = place
                    place &+= count
                }
                places.scatter(source, into: target.baseAddress!, next: next) { Int((($0 &- low) >> shift) & 255) }
                swap(&source, &target)
            }
            if source.baseAddress != keys.baseAddress! + range.lowerBound {
                _ = UnsafeMutableBufferPointer(rebasing: keys[range]).update(fromContentsOf: source)
            }
        }
    }

    /// Moves keys to their digits' next places a chunk at a time, in two loops: the places first,
    /// then the moves. In one loop each store's address waits on the load of its digit's place,
    /// and the next load of that place cannot be told apart from the store until it is known: a
    /// scatter into 256 buckets took 3 ns a key that way, 1.8 in two loops.
    private struct Places {
        static let chunk = 1024
        let buffer = UnsafeMutablePointer<UInt32>.allocate(capacity: Places.chunk)

        func deallocate() { buffer.deallocate() }

        /// `next[d]` is where the next key of digit d goes (relative to `target`); advanced as keys go.
        @inline(__always)
        func scatter(_ source: UnsafeMutableBufferPointer<UInt32>, into target: UnsafeMutablePointer<UInt32>, next: UnsafeMutablePointer<UInt32>,
                     digit: (UInt32) -> Int) {
            let keys = source.baseAddress!
            var start = 0
            while start < source.count {
                let end = Swift.min(start + Self.chunk, source.count)
                for i in start..<end {
                    let d = digit(keys[i])
                    buffer[i - start] = next[d]
                    next[d] &+= 1
                }
                for i in start..<end { target[Int(buffer[i - start])] = keys[i] }
                start = end
            }
        }
    }

    /// Sorts `keys` ascending and moves `payload` along; ties keep their order.
    static func sort(_ keys: inout [Double], carrying payload: inout [UInt32]) {
        precondition(keys.count == payload.count)
        keys.withUnsafeMutableBufferPointer { keys in
            payload.withUnsafeMutableBufferPointer { payload in sort(keys, carrying: payload) }
        }
    }

    /// Doubles sort as their bit patterns once negative numbers have every bit flipped and
    /// positive ones their sign bit: unsigned order then matches numeric order.
    static func sort(_ values: UnsafeMutableBufferPointer<Double>, carrying tags: UnsafeMutableBufferPointer<UInt32>?) {
        let signBit: UInt64 = 1 << 63
        values.withMemoryRebound(to: UInt64.self) { bits in
            sort(bits, carrying: tags, encode: { $0 & signBit != 0 ? ~$0 : $0 | signBit })
        }
    }

    /// Sorts 64-bit keys by passes of 11 bits, six of them (2,048 buckets: the scatter stays
    /// within the caches, where 65,536 buckets of 16 bits did not). Every pass's counts are taken in
    /// one read first, and a pass is skipped when every key shares its digit. Digits are taken
    /// from `encode(key)` (a bit pattern whose unsigned order is the keys' order) where they are
    /// needed, while the keys move as they are: no pass to encode them in place and none to decode
    /// them after. In place, with one spare buffer (and one for the payload).
    @inline(__always)
    static func sort(_ bits: UnsafeMutableBufferPointer<UInt64>, carrying tags: UnsafeMutableBufferPointer<UInt32>?, encode: (UInt64) -> UInt64) {
        let n = bits.count
        guard n > 1 else { return }
        let digitBits = 11, buckets = 1 << digitBits, mask = UInt64(buckets - 1), passes = (UInt64.bitWidth + digitBits - 1) / digitBits
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: buckets * passes)
        defer { counts.deallocate() }
        counts.update(repeating: 0)
        for i in 0..<n {
            let key = encode(bits[i])
            for pass in 0..<passes { counts[pass * buckets + Int(truncatingIfNeeded: (key >> (pass * digitBits)) & mask)] += 1 }
        }
        let spareBits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
        defer { spareBits.deallocate() }
        let spareTags = tags.map { _ in UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n) }
        defer { spareTags?.deallocate() }
        var (source, target, sourceTags, targetTags) = (bits, spareBits, tags, spareTags)
        for pass in 0..<passes {
            let shift = pass * digitBits
            let offsets = UnsafeMutableBufferPointer(rebasing: counts[(pass * buckets)..<((pass + 1) * buckets)])
            if offsets[Int(truncatingIfNeeded: (encode(source[0]) >> shift) & mask)] == n { continue }
            var total = 0
            for i in 0..<buckets {
                let c = offsets[i]
                offsets[i] = total
                total += c
            }
            if let from = sourceTags, let to = targetTags {
                for i in 0..<n {
                    let key = source[i]
                    let digit = Int(truncatingIfNeeded: (encode(key) >> shift) & mask)
                    target[offsets[digit]] = key
                    to[offsets[digit]] = from[i]
                    offsets[digit] += 1
                }
            } else {
                for key in source {
                    let digit = Int(truncatingIfNeeded: (encode(key) >> shift) & mask)
                    target[offsets[digit]] = key
                    offsets[digit] += 1
                }
            }
            swap(&source, &target)
            swap(&sourceTags, &targetTags)
        }
        if source.baseAddress != bits.baseAddress {
            _ = bits.update(fromContentsOf: source)
            if let tags, let sourceTags { _ = tags.update(fromContentsOf: sourceTags) }
        }
    }
}
