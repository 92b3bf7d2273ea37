#if arch(x86_64)
import _Builtin_intrinsics.intel

extension NumberParser {
    /// `decimal` for the `count` bytes (1 to 16) just before `end`, read in one 16-byte register
    /// with no loop and no branch on the digits: through the byte loop, a round per byte and an
    /// exit at a different byte from one cell to the next, a number of the log cost 7 ns. The
    /// caller guarantees that the 17 bytes before `end` can be read (the cell's and
    /// those before it, in the same buffer). Answers only an unsigned decimal with at most one
    /// point and a digit; nil means "not such a decimal", and the caller asks `decimal` (the same
    /// answer for every input it takes, checked against it in the tests).
    ///
    /// The cell lies in the register's last `count` lanes. A point at lane p is squeezed out by
    /// taking the lanes at or before it from a second load one byte earlier, so the digits sit
    /// together at the end; then pairs, fours and eights of digits are combined by multiply-adds
    /// (SSE2 only: every x86-64 has it).
    @inline(__always)
    static func decimal(endingAt end: UnsafePointer<UInt8>, count: Int) -> Decimal? {
        let raw = UnsafeRawPointer(end)
        if count <= 4, let integer = shortInteger(endingAt: raw, count: count) { return Decimal(mantissa: integer, fraction: 0) }
        let text = _mm_loadu_si128(raw.advanced(by: -16).assumingMemoryBound(to: __m128i.self))
        let lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let zeroChar = _mm_set1_epi8(48), nine = _mm_set1_epi8(9)
        let values = _mm_sub_epi8(text, zeroChar)
        let isDigit = _mm_cmpeq_epi8(_mm_min_epu8(values, nine), values)
        let cellBits: Int32 = (0xFFFF << Int32(16 - count)) & 0xFFFF
        let digitBits = _mm_movemask_epi8(isDigit) & cellBits
        let pointBits = _mm_movemask_epi8(_mm_cmpeq_epi8(text, _mm_set1_epi8(46))) & cellBits
        guard digitBits | pointBits == cellBits, pointBits & (pointBits &- 1) == 0, digitBits != 0 else { return nil }
        let inCell = _mm_cmpgt_epi8(lane, _mm_set1_epi8(CChar(15 - count)))
        var digits = _mm_and_si128(values, inCell)
        var fraction = 0
        if pointBits != 0 {
            let point = Int(pointBits.trailingZeroBitCount)
            fraction = 15 - point
            // Lane k of a load one byte earlier holds the byte of lane k − 1: the digits before the
            // point, moved up one lane, fill the lanes up to the point's.
            let earlier = _mm_loadu_si128(raw.advanced(by: -17).assumingMemoryBound(to: __m128i.self))
            let at = _mm_set1_epi8(CChar(point))
            let before = _mm_andnot_si128(_mm_cmpgt_epi8(lane, at), _mm_cmpgt_epi8(lane, _mm_set1_epi8(CChar(16 - count))))
            let after = _mm_cmpgt_epi8(lane, at)
            digits = _mm_or_si128(_mm_and_si128(_mm_sub_epi8(earlier, zeroChar), before), _mm_and_si128(values, after))
        }
        let zero = _mm_setzero_si128()
        let tens = _mm_setr_epi16(10, 1, 10, 1, 10, 1, 10, 1)
        let pairs = _mm_packs_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(digits, zero), tens), _mm_madd_epi16(_mm_unpackhi_epi8(digits, zero), tens))
        let fours = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1))
        let eights = _mm_madd_epi16(_mm_packs_epi32(fours, fours), _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1))
        let both = UInt64(bitPattern: _mm_cvtsi128_si64(eights))
        let mantissa = Int64(both & 0xFFFF_FFFF) &* 100_000_000 &+ Int64(both >> 32)
        guard mantissa <= 1 << 53 else { return nil }
        return Decimal(mantissa: mantissa, fraction: fraction)
    }

    /// One to four digits (ages, counts, codes) in a 32-bit word, in a few integer operations
    /// where the register took its full course: the digits are those bytes whose high half is 3
    /// and low half below 10, and pairs of them, then the pairs, combine by a multiplication
    /// each. Nil for anything else, which the register reads.
    @inline(__always)
    static func shortInteger(endingAt end: UnsafeRawPointer, count: Int) -> Int64? {
        let word = UInt32(littleEndian: end.loadUnaligned(fromByteOffset: -4, as: UInt32.self))
        let cell = UInt32.max << UInt32(8 * (4 - count))  // the cell's bytes: the word's last `count`
        guard word & cell & 0xF0F0_F0F0 == 0x3030_3030 & cell, ((word & 0x0F0F_0F0F) &+ 0x0606_0606) & 0xF0F0_F0F0 & cell == 0 else { return nil }
        let digits = (word & cell) &- (0x3030_3030 & cell)
        let pairs = (digits &* 10 &+ digits >> 8) & 0x00FF_00FF
        return Int64((pairs & 0xFFFF) &* 100 &+ pairs >> 16)
    }
}
#endif
