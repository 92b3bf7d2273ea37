extension Array where Element == Double {
    /// Sorts in ascending order by a least-significant-digit radix sort on the IEEE bit patterns,
    /// in place (see `RadixSort`). On a million scores it is several times faster than `sort()`;
    /// ROC AUC, KS and Wasserstein all start by sorting. Values must not be NaN (the readers never
    /// produce it).
    mutating func radixSort() {
        guard count >= 4096 else { return sort() }
        withUnsafeMutableBufferPointer { RadixSort.sort($0, carrying: nil) }
    }

    /// A sorted copy (see `radixSort`).
    func radixSorted() -> [Double] {
        var copy = self
        copy.radixSort()
        return copy
    }
}

enum RadixSort {
    /// Sorts `keys` ascending and moves `payload` along; ties keep their order.
    static func sort(_ keys: inout [Double], carrying payload: inout [UInt32]) {
        precondition(keys.count == payload.count)
        keys.withUnsafeMutableBufferPointer { keys in
            payload.withUnsafeMutableBufferPointer { payload in sort(keys, carrying: payload) }
        }
    }

    /// Six passes of 11 bits (2,048 buckets: the scatter stays within the caches, where 65,536
    /// buckets of 16 bits did not), every pass's counts taken in one read first, a pass skipped
    /// when every key shares its digit; in place: the keys' own storage holds the bit patterns,
    /// so one spare buffer (and one for the payload) is all it allocates.
    static func sort(_ values: UnsafeMutableBufferPointer<Double>, carrying tags: UnsafeMutableBufferPointer<UInt32>?) {
        let n = values.count
        guard n > 1 else { return }
        let signBit: UInt64 = 1 << 63
        let digitBits = 11, buckets = 1 << digitBits, mask = UInt64(buckets - 1), passes = 6
        values.withMemoryRebound(to: UInt64.self) { bits in
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: buckets * passes)
            defer { counts.deallocate() }
            counts.update(repeating: 0)
            // Negative numbers: flip every bit; positive: flip the sign bit. Order then matches unsigned order.
            for i in 0..<n {
                let b = bits[i]
                let key = b & signBit != 0 ? ~b : b | signBit
                bits[i] = key
                for pass in 0..<passes { counts[pass * buckets + Int(truncatingIfNeeded: (key >> UInt64(pass * digitBits)) & mask)] += 1 }
            }
            let spareBits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
            defer { spareBits.deallocate() }
            let spareTags = tags.map { _ in UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n) }
            defer { spareTags?.deallocate() }
            var (source, target, sourceTags, targetTags) = (bits, spareBits, tags, spareTags)
            for pass in 0..<passes {
                let shift = UInt64(pass * digitBits)
                let offsets = UnsafeMutableBufferPointer(rebasing: counts[(pass * buckets)..<((pass + 1) * buckets)])
                if offsets[Int(truncatingIfNeeded: (source[0] >> shift) & mask)] == n { continue }
                var total = 0
                for i in 0..<buckets {
                    let c = offsets[i]
                    offsets[i] = total
                    total += c
                }
                if let from = sourceTags, let to = targetTags {
                    for i in 0..<n {
                        let key = source[i]
                        let digit = Int(truncatingIfNeeded: (key >> shift) & mask)
                        target[offsets[digit]] = key
                        to[offsets[digit]] = from[i]
                        offsets[digit] += 1
                    }
                } else {
                    for key in source {
                        let digit = Int(truncatingIfNeeded: (key >> shift) & mask)
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
            for i in 0..<n {
                let key = bits[i]
                bits[i] = key & signBit != 0 ? key ^ signBit : ~key
            }
        }
    }
}
