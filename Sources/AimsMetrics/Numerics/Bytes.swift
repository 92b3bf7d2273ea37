import Foundation

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether both hold the same bytes. Cells compared on every row (split values, group
    /// names) are short: up to 16 bytes they are compared as two overlapping words each, inline,
    /// where a call to `memcmp` cost more than the comparison.
    @inline(__always)
    func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = self.count
        guard count == other.count else { return false }
        guard count > 0, let a = baseAddress.map(UnsafeRawPointer.init), let b = other.baseAddress.map(UnsafeRawPointer.init) else { return true }
        if count >= 8 {
            if count > 16 { return memcmp(a, b, count) == 0 }
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        for k in 0..<count where a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
        return true
    }

    /// Up to eight bytes as one word that tells them apart from any other bytes of the same count
    /// (four to eight: the first four and the last four, overlapping; fewer: the first, middle and
    /// last byte); nil for more than eight.
    @inline(__always)
    var shortWord: UInt64? {
        guard count <= 8 else { return nil }
        guard count > 0, let base = baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        if count >= 4 {
            return UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
        }
        return UInt64(base[0]) | UInt64(base[count / 2]) << 8 | UInt64(base[count - 1]) << 16
    }

    /// A 64-bit hash of the bytes and their count, continuing from `seed` (so the cells of a row
    /// chain into one hash). Eight bytes at a time, each word mixed in by one multiplication, the
    /// last few gathered into one word; every step is a bijection, so two inputs that differ in
    /// one word never collide. Not for adversarial input: for interning and counting duplicates.
    @inline(__always)
    func hash64(seed: UInt64 = 0) -> UInt64 {
        var hash = (seed ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15
        var k = 0
        if let base = baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= count {
                hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))) &* 0xBF58_476D_1CE4_E5B9
                k += 8
            }
            var tail: UInt64 = 0
            while k < count {
                tail = tail << 8 | UInt64(base[k])
                k += 1
            }
            hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        return hash ^ hash >> 32
    }
}
