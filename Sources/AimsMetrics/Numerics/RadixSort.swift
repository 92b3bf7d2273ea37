extension Array where Element == Double {
    /// Sorts in ascending order by a least-significant-digit radix sort on the IEEE bit patterns
    /// (four passes of 16 bits, a pass skipped when every value shares its digit), in place: the
    /// array's own storage holds the keys, so one spare buffer is all it allocates. On a million
    /// scores it is several times faster than `sort()`; ROC AUC, KS and Wasserstein all start by
    /// sorting. Values must not be NaN (the readers never produce it).
    mutating func radixSort() {
        let n = count
        guard n >= 4096 else { return sort() }
        let signBit: UInt64 = 1 << 63
        withUnsafeMutableBufferPointer { values in
            values.withMemoryRebound(to: UInt64.self) { keys in
                // Negative numbers: flip every bit; positive: flip the sign bit. Order then matches unsigned order.
                for i in 0..<n {
                    let bits = keys[i]
                    keys[i] = bits & signBit != 0 ? ~bits : bits | signBit
                }
                let spare = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
                defer { spare.deallocate() }
                let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1 << 16)
                defer { counts.deallocate() }
                var (source, target) = (keys, spare)
                for pass in 0..<4 {
                    let shift = UInt64(pass * 16)
                    counts.update(repeating: 0)
                    for key in source { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
                    if counts[Int(truncatingIfNeeded: (source[0] >> shift) & 0xFFFF)] == n { continue }
                    var total = 0
                    for i in 0..<counts.count {
                        let c = counts[i]
                        counts[i] = total
                        total += c
                    }
                    for key in source {
                        let digit = Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)
                        target[counts[digit]] = key
                        counts[digit] += 1
                    }
                    swap(&source, &target)
                }
                if source.baseAddress != keys.baseAddress { _ = keys.update(fromContentsOf: source) }
                for i in 0..<n {
                    let key = keys[i]
                    keys[i] = key & signBit != 0 ? key ^ signBit : ~key
                }
            }
        }
    }

    /// A sorted copy (see `radixSort`).
    func radixSorted() -> [Double] {
        var copy = self
        copy.radixSort()
        return copy
    }
}

enum RadixSort {
    /// Sorts `keys` ascending and moves `payload` along (the same radix sort, 16 bits a pass, a
    /// pass skipped when every key shares its digit), in place with one spare buffer each. Ties
    /// keep their order. Keys must not be NaN.
    static func sort(_ keys: inout [Double], carrying payload: inout [UInt32]) {
        precondition(keys.count == payload.count)
        let n = keys.count
        guard n > 1 else { return }
        let signBit: UInt64 = 1 << 63
        keys.withUnsafeMutableBufferPointer { values in
            payload.withUnsafeMutableBufferPointer { tags in
                values.withMemoryRebound(to: UInt64.self) { bits in
                    for i in 0..<n {
                        let b = bits[i]
                        bits[i] = b & signBit != 0 ? ~b : b | signBit
                    }
                    let spareBits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: n)
                    defer { spareBits.deallocate() }
                    let spareTags = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
                    defer { spareTags.deallocate() }
                    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1 << 16)
                    defer { counts.deallocate() }
                    var (source, target, sourceTags, targetTags) = (bits, spareBits, tags, spareTags)
                    for pass in 0..<4 {
                        let shift = UInt64(pass * 16)
                        counts.update(repeating: 0)
                        for key in source { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
                        if counts[Int(truncatingIfNeeded: (source[0] >> shift) & 0xFFFF)] == n { continue }
                        var total = 0
                        for i in 0..<counts.count {
                            let c = counts[i]
                            counts[i] = total
                            total += c
                        }
                        for i in 0..<n {
                            let key = source[i]
                            let digit = Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)
                            target[counts[digit]] = key
                            targetTags[counts[digit]] = sourceTags[i]
                            counts[digit] += 1
                        }
                        swap(&source, &target)
                        swap(&sourceTags, &targetTags)
                    }
                    if source.baseAddress != bits.baseAddress {
                        _ = bits.update(fromContentsOf: source)
                        _ = tags.update(fromContentsOf: sourceTags)
                    }
                    for i in 0..<n {
                        let key = bits[i]
                        bits[i] = key & signBit != 0 ? key ^ signBit : ~key
                    }
                }
            }
        }
    }
}
