extension Array where Element == Double {
    /// The values in ascending order, by a least-significant-digit radix sort on their IEEE bit
    /// patterns (four passes of 16 bits, a pass skipped when every value shares its digit). On a
    /// million scores it is several times faster than `sorted()`, and ROC AUC, KS and Wasserstein
    /// all start by sorting. Values must not be NaN (the readers never produce it).
    func radixSorted() -> [Double] {
        let n = count
        guard n >= 4096 else { return sorted() }
        let signBit: UInt64 = 1 << 63
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buffer, initialized in
            self.withUnsafeBufferPointer { values in
                for i in 0..<n {
                    let bits = values[i].bitPattern
                    // Negative numbers: flip every bit; positive: flip the sign bit. Order then matches unsigned order.
                    buffer[i] = bits & signBit != 0 ? ~bits : bits | signBit
                }
            }
            initialized = n
        }
        var spare = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(pass * 16)
            let scattered = keys.withUnsafeMutableBufferPointer { source -> Bool in
                spare.withUnsafeMutableBufferPointer { target -> Bool in
                    counts.withUnsafeMutableBufferPointer { counts -> Bool in
                        for i in 0..<counts.count { counts[i] = 0 }
                        for key in source { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
                        if counts[Int(truncatingIfNeeded: (source[0] >> shift) & 0xFFFF)] == n { return false }
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
                        return true
                    }
                }
            }
            if scattered { swap(&keys, &spare) }
        }
        return [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            keys.withUnsafeBufferPointer { keys in
                for i in 0..<n {
                    let key = keys[i]
                    buffer[i] = Double(bitPattern: key & signBit != 0 ? key ^ signBit : ~key)
                }
            }
            initialized = n
        }
    }
}
