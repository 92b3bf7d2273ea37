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
}
