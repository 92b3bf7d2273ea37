/// One column's numbers, as one part of a file reads them and, joined and sorted, as a window
/// holds them for the drift tests and quality checks. Plain decimals are kept as integers
/// scaled by 10^scale (ages at scale 0, amounts in cents at 2, six-decimal scores at 6) while every
/// value so far fits in 32 bits: half the memory of doubles, and a radix sort of two or three
/// passes instead of six. A value that does not fit turns the column into doubles from then on.
/// Either way the values handed on are the doubles a parse of the text gives: an integer v at
/// scale s becomes v ÷ 10^s, the same correctly rounded division `NumberParser` makes.
struct NumberColumn {
    /// The integers, shared between copies until one of them changes (see `integersToChange`).
    private var integers = NumberColumn.noIntegers
    private(set) var scale = 0
    private(set) var doubles: [Double] = []
    /// Whether the values are the integers in `scaled` rather than `doubles`.
    private(set) var exact = true
    /// Whether the values are in ascending order (`sort`, or values given in order).
    var sorted = false
    /// Each integer's count, when the sort counted the values (they span no more integers than
    /// there are values: ages, or scores over millions of rows): a dense column's walk steps by
    /// integer with them. Dropped at any change.
    private(set) var counts: RadixSort.Counts?

    /// Scales beyond 9 hold nothing but tiny values in 32 bits; such columns stay doubles.
    static let largestScale = 9
    /// 10^0 … 10^largestScale (written out, as `NumberParser.powers` is).
    static let tens: [Int64] = [1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]
    /// Every new column's integers, until it appends one: never changed, as it is never unique.
    private static let noIntegers = GrowingBuffer<Int32>()

    /// The integers (when `exact`), valid while this column is.
    var scaled: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(integers.values) }

    /// Calls `body` with the integers, keeping them alive meanwhile.
    func withIntegers<Result>(_ body: (UnsafeBufferPointer<Int32>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(integers) { try body(scaled) }
    }

    /// The integers to change in place: copied first when another column shares them.
    private mutating func integersToChange() -> GrowingBuffer<Int32> {
        counts = nil
        if !isKnownUniquelyReferenced(&integers) { integers = integers.copy() }
        return integers
    }

    /// mantissa ÷ 10^fraction as an integer at the current scale, when the column holds integers
    /// and it fits in one.
    @inline(__always)
    private func scaledValue(mantissa: Int64, fraction: Int) -> Int32? {
        guard exact, fraction <= scale else { return nil }
        let (value, overflow) = mantissa.multipliedReportingOverflow(by: Self.tens[scale - fraction])
        return overflow ? nil : Int32(exactly: value)
    }

    /// Appends the cells of `column` in the rows `picked`, in order, counting the missing ones;
    /// stops at the first cell that holds something other than a number and returns its position
    /// in `picked` (`picked.count` when there is none). Decimals that fit the scale are written
    /// straight into the column's buffer, as many in a row as come; gathered first and then
    /// copied, the copy was 4 % of a 10M-row run.
    mutating func append<Block: TableBlock>(_ column: Int, of rows: Block, picked: UnsafeBufferPointer<Int32>, missing: inout Int) -> Int {
        var k = 0
        while k < picked.count {
            if exact {
                integersToChange().appending(atMost: picked.count - k) { tail in
                    var n = 0
                    while k < picked.count {
                        switch rows[Int(picked[k])].numeric(column) {
                        case .decimal(let mantissa, let fraction):
                            guard let small = scaledValue(mantissa: mantissa, fraction: fraction) else { return n }
                            tail[n] = small
                            n += 1
                        case .missing: missing += 1
                        case .number, .invalid: return n
                        }
                        k += 1
                    }
                    return n
                }
                if k == picked.count { break }
            }
            // A cell the loop above does not take (read again: rare), or a column of doubles.
            switch rows[Int(picked[k])].numeric(column) {
            case .decimal(let mantissa, let fraction): appendSlowly(mantissa: mantissa, fraction: fraction)
            case .number(let value): append(value)
            case .missing: missing += 1
            case .invalid: return k
            }
            k += 1
        }
        return picked.count
    }

    @inline(never)
    private mutating func appendSlowly(mantissa: Int64, fraction: Int) {
        let value = NumberParser.Decimal(mantissa: mantissa, fraction: fraction).value
        if exact, fraction > scale, fraction <= Self.largestScale, Int32(exactly: mantissa) != nil, rescale(to: fraction) {
            return integersToChange().append(Int32(mantissa))
        }
        append(value)
    }

    /// Adds a number given as a double (another notation, or JSON): kept as an integer when one at
    /// this scale or a finer one gives back exactly the same double.
    mutating func append(_ value: Double) {
        if exact {
            for scale in scale...max(scale, Self.largestScale) {
                let power = NumberParser.powers[scale]
                let integer = (value * power).rounded()
                guard abs(integer) <= Double(Int32.max), integer / power == value, value != 0 || value.sign == .plus else { continue }
                if scale > self.scale, !rescale(to: scale) { break }
                return integersToChange().append(Int32(integer))
            }
            toDoubles()
        }
        doubles.append(value)
    }

    /// Multiplies the integers by 10^(scale − self.scale) when every one still fits; false otherwise.
    private mutating func rescale(to scale: Int) -> Bool {
        guard scale != self.scale else { return true }
        let factor = Int64(Self.tens[scale - self.scale])
        let largest = scaled.reduce(Int64(0)) { Swift.max($0, Swift.abs(Int64($1))) }
        guard largest * factor <= Int64(Int32.max) else { return false }
        let values = integersToChange().values
        for i in values.indices { values[i] = Int32(Int64(values[i]) * factor) }
        self.scale = scale
        return true
    }

    private mutating func toDoubles() {
        doubles = values
        integers = Self.noIntegers
        counts = nil
        exact = false
    }

    init() {}

    /// Doubles given as they are, kept as integers where they are decimals (`append`).
    init(_ values: [Double]) {
        for value in values { append(value) }
    }

    var count: Int { exact ? scaled.count : doubles.count }

    /// The value at position `i`, as a double.
    func value(at i: Int) -> Double { exact ? Double(scaled[i]) / NumberParser.powers[scale] : doubles[i] }

    /// The values as doubles, in the order held.
    var values: [Double] {
        guard exact else { return doubles }
        let power = NumberParser.powers[scale]
        return scaled.map { Double($0) / power }
    }

    /// Sorts the values in place.
    mutating func sort() {
        if exact {
            let values = integersToChange().values
            counts = RadixSort.sort(values)
        } else {
            doubles.radixSort()
        }
        sorted = true
    }

    /// The parts' values as one column (emptying `parts`): integers at the finest of their scales
    /// when every part's still fit it, doubles otherwise. A window is joined and then sorted
    /// whole, rather than sorted in parts and merged: the same sorting work, no merge pass, and no
    /// second copy of the column as doubles. So the order is not kept: the largest part's
    /// integers come first and grow in place, and the others' pages are moved after them
    /// (`GrowingBuffer.absorb`: each reading thread holds a share of every window, and copying
    /// the shares touched every page again); a part whose integers another column shares is copied.
    static func joined(_ parts: inout [NumberColumn]) -> NumberColumn {
        defer { parts = [] }
        guard let largest = parts.indices.max(by: { parts[$0].count < parts[$1].count }) else { return NumberColumn() }
        let single = parts.count == 1, scale = parts.map(\.scale).max()!
        var result = parts[largest]
        parts.remove(at: largest)
        if result.exact, parts.allSatisfy(\.exact), result.rescale(to: scale), parts.indices.allSatisfy({ parts[$0].rescale(to: scale) }) {
            let integers = result.integersToChange()
            integers.reserve(integers.count + parts.reduce(0) { $0 + $1.count })
            var owned: [GrowingBuffer<Int32>] = []
            for i in parts.indices {
                if isKnownUniquelyReferenced(&parts[i].integers) {
                    owned.append(parts[i].integers)
                } else {
                    integers.append(contentsOf: parts[i].scaled)
                }
                parts[i] = NumberColumn()
            }
            integers.absorb(owned)
        } else {
            if result.exact { result.toDoubles() }
            for i in parts.indices {
                result.doubles += parts[i].values
                parts[i] = NumberColumn()
            }
        }
        result.sorted = single && result.sorted
        return result
    }

    /// Two columns as integers at one scale (the finer one), when both hold integers that fit it.
    static func atOneScale(_ a: NumberColumn, _ b: NumberColumn) -> (NumberColumn, NumberColumn)? {
        guard a.exact, b.exact else { return nil }
        var (a, b) = (a, b)
        let scale = max(a.scale, b.scale)
        return a.rescale(to: scale) && b.rescale(to: scale) ? (a, b) : nil
    }

    /// Runs of equal values in a sorted column: each value (as its double) and how many times it occurs.
    func forEachRun(_ body: (Double, Int) -> Void) {
        func runs<Value: Equatable>(_ values: UnsafeBufferPointer<Value>, _ value: (Value) -> Double) {
            var i = 0
            while i < values.count {
                var j = i + 1
                while j < values.count, values[j] == values[i] { j += 1 }
                body(value(values[i]), j - i)
                i = j
            }
        }
        let power = NumberParser.powers[scale]
        if exact { runs(scaled) { Double($0) / power } } else { doubles.withUnsafeBufferPointer { runs($0) { $0 } } }
    }

    /// Population standard deviation of the values. Integers are summed exactly, with their
    /// squares, in one pass without a division, and rounded once: (n·Σv² − (Σv)²) / n², scaled back.
    var standardDeviation: Double {
        guard exact else { return Statistics.standardDeviation(doubles) }
        guard count > 0 else { return 0 }
        var sum: Int64 = 0, squares: Int128 = 0
        for v in scaled {
            sum &+= Int64(v)
            squares &+= Int128(Int64(v) * Int64(v))
        }
        let n = Double(count), power = NumberParser.powers[scale]
        let spread = Int128(count) * squares - Int128(sum) * Int128(sum)
        return (Double(spread) / (n * n)).squareRoot() / power
    }
}
