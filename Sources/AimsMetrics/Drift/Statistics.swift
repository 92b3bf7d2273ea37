import Foundation
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Statistical building blocks for drift tests, written from their textbook definitions.
public enum Statistics {
    /// Sorted runs merged two at a time until two are left (either may be empty).
    static func lastTwo<Value: Comparable>(_ runs: [[Value]]) -> ([Value], [Value]) {
        var runs = runs.filter { !$0.isEmpty }
        while runs.count > 2 {
            runs = stride(from: 0, to: runs.count, by: 2).map { k in k + 1 < runs.count ? mergeSorted(runs[k], runs[k + 1]) : runs[k] }
        }
        return (runs.first ?? [], runs.count > 1 ? runs[1] : [])
    }

    static func mergeSorted<Value: Comparable>(_ a: [Value], _ b: [Value]) -> [Value] {
        [Value](unsafeUninitializedCapacity: a.count + b.count) { out, count in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    var i = 0, j = 0, k = 0
                    // Without a branch on which head is smaller: runs of two sorted windows
                    // interleave at random, and a branch on it was guessed wrong every other value.
                    while i < a.count, j < b.count {
                        let (x, y) = (a[i], b[j])
                        let takeB = y < x
                        out.initializeElement(at: k, to: takeB ? y : x)
                        j &+= takeB ? 1 : 0
                        i &+= takeB ? 0 : 1
                        k &+= 1
                    }
                    while i < a.count { out.initializeElement(at: k, to: a[i]); i += 1; k += 1 }
                    while j < b.count { out.initializeElement(at: k, to: b[j]); j += 1; k += 1 }
                }
            }
            count = a.count + b.count
        }
    }

    /// What one walk over two sorted samples' merged values gives: the distinct values of the
    /// first and of both, the two-sample Kolmogorov–Smirnov statistic (the largest gap between the
    /// empirical CDFs) and the first Wasserstein distance (the area between them). KS and
    /// Wasserstein are 0 when a sample is empty.
    public struct SortedComparison: Sendable, Equatable {
        public var distinctFirst = 0
        public var distinctBoth = 0
        public var ks = 0.0
        public var wasserstein = 0.0
    }

    /// Both arrays must be sorted ascending (see `walk`).
    public static func compareSorted(_ a: [Double], _ b: [Double]) -> SortedComparison {
        compareSorted(a, b, stretchValues: stretchValues)
    }

    static func compareSorted(_ a: [Double], _ b: [Double], stretchValues: Int) -> SortedComparison {
        compareSorted(plans: [WalkPlan(a, b, stretchValues: stretchValues)])[0]
    }

    /// Two sorted columns compared as integers when both hold them at one scale (each value's
    /// double is made only where Wasserstein needs it, once per distinct value), as doubles otherwise.
    static func compareSorted(_ a: NumberColumn, _ b: NumberColumn, stretchValues: Int = Statistics.stretchValues) -> SortedComparison {
        compareSorted(pairs: [(a, b)], stretchValues: stretchValues)[0]
    }

    /// Several pairs of sorted columns compared at once, every pair's stretches shared out over the
    /// cores together, the longest first: a pair's own walk in stretches, nested in a map over the
    /// pairs, found no core free and ran its stretches one after another (on 10M rows one column's
    /// walk went on alone for 35 ms after the others were done).
    static func compareSorted(pairs: [(NumberColumn, NumberColumn)], stretchValues: Int = Statistics.stretchValues) -> [SortedComparison] {
        compareSorted(plans: pairs.map { WalkPlan($0.0, $0.1, stretchValues: stretchValues) })
    }

    /// The plans' walks, every stretch of every plan shared out over the cores, the longest first.
    static func compareSorted(plans: [WalkPlan]) -> [SortedComparison] {
        let jobs = plans.indices.flatMap { p in plans[p].stretches.indices.map { (p, $0) } }
            .sorted { plans[$0.0].cost($0.1) > plans[$1.0].cost($1.1) }
        let walked = jobs.concurrentMap { plans[$0.0].walk($0.1) }
        var parts = plans.map { [SortedComparison](repeating: SortedComparison(), count: $0.stretches.count) }
        for (k, job) in jobs.enumerated() { parts[job.0][job.1] = walked[k] }
        return parts.map(combined)
    }

    /// Two sorted columns cut into stretches to walk at once (`stretches`): integers at one scale
    /// when both hold them, doubles otherwise. Eight values or more to an integer of their span
    /// (ages; six-place scores over ten million rows) are walked over their counts per integer
    /// instead, in one stretch (`walk(_:_:sizes:value:)`): the counting sort made them already.
    struct WalkPlan {
        private let columns: (NumberColumn, NumberColumn)?
        private let doubles: ([Double], [Double])
        private let counts: (RadixSort.Counts, RadixSort.Counts)?
        let stretches: [(Range<Int>, Range<Int>)]

        /// Two sorted arrays of doubles.
        init(_ x: [Double], _ y: [Double], stretchValues: Int) {
            let stretches = x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in Statistics.stretches(x, y, stretchValues: stretchValues, key: { $0 }) } }
            self.init(columns: nil, doubles: (x, y), counts: nil, stretches: stretches)
        }

        init(_ a: NumberColumn, _ b: NumberColumn, stretchValues: Int) {
            guard let (a, b) = NumberColumn.atOneScale(a, b) else {
                self.init(a.values, b.values, stretchValues: stretchValues)
                return
            }
            let span = a.withIntegers { x in b.withIntegers { y in Statistics.span(x, y) } } ?? 0
            if span > 0 && span * 8 <= a.count + b.count {
                // A window too small for the counting sort, or sparser than the other, is counted here.
                let counts = (a.counts ?? a.withIntegers(RadixSort.Counts.init), b.counts ?? b.withIntegers(RadixSort.Counts.init))
                self.init(columns: (a, b), doubles: ([], []), counts: counts, stretches: [(0..<a.count, 0..<b.count)])
                return
            }
            let stretches = a.withIntegers { x in b.withIntegers { y in Statistics.stretches(x, y, stretchValues: stretchValues, key: { Int64($0) }) } }
            self.init(columns: (a, b), doubles: ([], []), counts: nil, stretches: stretches)
        }

        private init(columns: (NumberColumn, NumberColumn)?, doubles: ([Double], [Double]), counts: (RadixSort.Counts, RadixSort.Counts)?,
                     stretches: [(Range<Int>, Range<Int>)]) {
            (self.columns, self.doubles, self.counts, self.stretches) = (columns, doubles, counts, stretches)
        }

        /// About how long stretch k takes, to start the longest first: a walk over counts takes a
        /// step per integer of their span.
        func cost(_ k: Int) -> Int {
            if let counts { return counts.0.counts.count + counts.1.counts.count }
            let (ra, rb) = stretches[k]
            return ra.count + rb.count
        }

        func walk(_ k: Int) -> SortedComparison {
            let (ra, rb) = stretches[k]
            guard let (a, b) = columns else {
                return doubles.0.withUnsafeBufferPointer { x in
                    doubles.1.withUnsafeBufferPointer { y in Statistics.walk(x, y, ra, rb, end: .infinity, key: { $0 }, value: { $0 }) }
                }
            }
            let power = NumberParser.powers[a.scale]
            if let counts { return Statistics.walk(counts.0, counts.1, sizes: (a.count, b.count), value: { Double($0) / power }) }
            return a.withIntegers { x in
                b.withIntegers { y in Statistics.walk(x, y, ra, rb, end: Int64.max, key: { Int64($0) }, value: { Double($0) / power }) }
            }
        }
    }

    /// How many integers two ascending samples span together; nil when both are empty.
    static func span(_ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>) -> Int? {
        let lows = [a.first, b.first].compactMap { $0 }, highs = [a.last, b.last].compactMap { $0 }
        guard let low = lows.min(), let high = highs.max() else { return nil }
        return Int(high) - Int(low) + 1
    }

    /// Values from which a walk is cut into stretches walked at once, one per core or more.
    static let stretchValues = 1 << 20

    /// Where a walk over two ascending samples is cut into stretches of about `stretchValues`
    /// values, walked at once (`compareSorted(plans:)`): ranges of each, in order, cut where the
    /// larger sample's quantiles fall, each cut after the last of a run of equal values in both,
    /// so no run is split. Distinct counts and areas of the stretches add up, and the KS statistic
    /// is the largest of the stretches'; the area is the same up to rounding in the last bits,
    /// where the stretches' sums are added.
    static func stretches<Element, Key: Comparable>(_ a: UnsafeBufferPointer<Element>, _ b: UnsafeBufferPointer<Element>, stretchValues: Int,
                                                     key: (Element) -> Key) -> [(Range<Int>, Range<Int>)] {
        let stretches = (a.count + b.count) / stretchValues + 1
        guard stretches > 1 else { return [(0..<a.count, 0..<b.count)] }
        let (pivots, other) = a.count >= b.count ? (a, b) : (b, a)
        /// Position of the first value above `pivot` in `values`, by binary search.
        func above(_ pivot: Key, in values: UnsafeBufferPointer<Element>) -> Int {
            var (low, high) = (0, values.count)
            while low < high {
                let middle = (low + high) / 2
                if key(values[middle]) <= pivot { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var cuts = [(0, 0)]
        for k in 1..<stretches {
            let pivot = key(pivots[k * pivots.count / stretches])
            let cut = (above(pivot, in: pivots), above(pivot, in: other))
            if cut.0 > cuts.last!.0 || cut.1 > cuts.last!.1 { cuts.append(cut) }
        }
        cuts.append((pivots.count, other.count))
        return (1..<cuts.count).map { k in
            let (p, o) = (cuts[k - 1].0..<cuts[k].0, cuts[k - 1].1..<cuts[k].1)
            return a.count >= b.count ? (p, o) : (o, p)
        }
    }

    /// The stretches' walks as one: distinct counts and areas add up (in order), KS is the largest.
    static func combined(_ parts: [SortedComparison]) -> SortedComparison {
        parts.dropFirst().reduce(parts[0]) { total, part in
            SortedComparison(distinctFirst: total.distinctFirst + part.distinctFirst, distinctBoth: total.distinctBoth + part.distinctBoth,
                             ks: max(total.ks, part.ks), wasserstein: total.wasserstein + part.wasserstein)
        }
    }

    /// One pass over the stretch `ra` of ascending sample `a` and `rb` of ascending sample `b`, no
    /// copy: values compare as `key`s (`end` above them all) and enter the Wasserstein area as
    /// `value`s, so integer and double samples give the same doubles. Each step takes the smaller
    /// head (or both, when equal), written without a branch, though the compiler makes the two
    /// tests of which head it is into jumps (reading the heads through clamped positions to avoid
    /// them measured no faster: the walk waits on its chain of dependent loads). The accounting
    /// runs at the end of a run of equal values, a branch that follows the data's shape. Loops
    /// per run guessed wrong about every second value.
    @inline(__always)
    static func walk<Element, Key: Comparable>(_ a: UnsafeBufferPointer<Element>, _ b: UnsafeBufferPointer<Element>, _ ra: Range<Int>, _ rb: Range<Int>,
                                                end: Key, key: (Element) -> Key, value: (Key) -> Double) -> SortedComparison {
        var result = SortedComparison()
        let sizes = SIMD2(Double(a.count), Double(b.count))
        let bothPresent = a.count > 0 && b.count > 0
        let (n, m) = (ra.upperBound, rb.upperBound)
        // The first value after the stretch stands in for either sample once it is used up.
        let following = min(n < a.count ? key(a[n]) : end, m < b.count ? key(b[m]) : end)
        var i = ra.lowerBound, j = rb.lowerBound
        var inFirst = false  // whether the current run holds a value of `a`
        var head = min(i < n ? key(a[i]) : following, j < m ? key(b[j]) : following)
        var headValue = head == end ? 0 : value(head)
        while i < n || j < m {
            let x = head
            let takeA = i < n && key(a[i]) == x, takeB = j < m && key(b[j]) == x
            i &+= takeA ? 1 : 0
            j &+= takeB ? 1 : 0
            inFirst = inFirst || takeA
            head = min(i < n ? key(a[i]) : following, j < m ? key(b[j]) : following)
            guard head != x else { continue }
            if inFirst { result.distinctFirst += 1 }
            inFirst = false
            result.distinctBoth += 1
            guard bothPresent else { continue }
            let gap = cdfGap(i, j, sizes)
            result.ks = max(result.ks, gap)
            if head != end {
                let next = value(head)
                result.wasserstein += gap * (next - headValue)
                headValue = next
            }
        }
        return result
    }

    /// |i/n − j/m|, the two empirical distributions' distance after i and j values: both
    /// divisions in one instruction (two lanes of SSE2, or NEON), the same correctly rounded
    /// quotients as two. The walks made three divisions a distinct value, and waited on them.
    @inline(__always)
    static func cdfGap(_ i: Int, _ j: Int, _ sizes: SIMD2<Double>) -> Double {
        #if arch(x86_64)
        let fractions = _mm_div_pd(_mm_unpacklo_pd(_mm_cvtsi64_sd(_mm_setzero_pd(), Int64(i)), _mm_cvtsi64_sd(_mm_setzero_pd(), Int64(j))),
                                   unsafeBitCast(sizes, to: __m128d.self))
        return abs(_mm_cvtsd_f64(fractions) - _mm_cvtsd_f64(_mm_unpackhi_pd(fractions, fractions)))
        #else
        let fractions = SIMD2(Double(i), Double(j)) / sizes
        return abs(fractions.x - fractions.y)
        #endif
    }

    /// `walk` over two samples given as counts per integer (`sizes` values each): a step per
    /// integer of their span instead of one per value, and no search for the end of each run. The
    /// same sums in the same order: each distinct value's area is added when the next is found.
    /// The scores of 10M rows (a million integers, ten values each) take 5 ms instead of the 28
    /// that walking the sorted values a run at a time took (each run's end found by galloping).
    static func walk(_ a: RadixSort.Counts, _ b: RadixSort.Counts, sizes: (Int, Int), value: (Int) -> Double) -> SortedComparison {
        var result = SortedComparison()
        let bothPresent = sizes.0 > 0 && sizes.1 > 0
        let sizes = SIMD2(Double(sizes.0), Double(sizes.1))
        let spans = [a, b].filter { !$0.counts.isEmpty }.map { $0.low..<($0.low + $0.counts.count) }
        guard let low = spans.map(\.lowerBound).min(), let high = spans.map(\.upperBound).max() else { return result }
        var (i, j) = (0, 0)
        var headValue = 0.0
        var pending: Double?  // the last distinct value's gap, whose area waits for the next value
        a.counts.withUnsafeBufferPointer { countsA in
            b.counts.withUnsafeBufferPointer { countsB in
                for v in low..<high {
                    let (ka, kb) = (v &- a.low, v &- b.low)
                    let ca = ka >= 0 && ka < countsA.count ? Int(countsA[ka]) : 0
                    let cb = kb >= 0 && kb < countsB.count ? Int(countsB[kb]) : 0
                    if ca | cb == 0 { continue }
                    let x = value(v)
                    if let gap = pending { result.wasserstein += gap * (x - headValue) }
                    headValue = x
                    i &+= ca
                    j &+= cb
                    if ca > 0 { result.distinctFirst += 1 }
                    result.distinctBoth += 1
                    guard bothPresent else { continue }
                    let gap = cdfGap(i, j, sizes)
                    result.ks = max(result.ks, gap)
                    pending = gap
                }
            }
        }
        return result
    }

    /// p-value of the two-sided two-sample KS test, as scipy's `ks_2samp` computes it: exact
    /// (lattice paths) when both samples have at most `exactLimit` values, otherwise the one-sample
    /// distribution of D at the effective size round(n·m / (n + m)).
    public static func ksPValue(d: Double, n: Int, m: Int, exactLimit: Int = 10_000) -> Double {
        guard n > 0, m > 0 else { return 1 }
        if max(n, m) <= exactLimit, let exact = ksExactPValue(d: d, n: n, m: m) { return exact }
        let en = Double(max(n, m)) * Double(min(n, m)) / Double(n + m)
        return KolmogorovDistribution.survival(n: Int(en.rounded(.toNearestOrEven)), x: d)
    }

    /// Counts the monotone lattice paths from (0,0) to (n,m) that stay strictly inside the band
    /// |x/n − y/m| < d, as a fraction of all paths; the p-value is one minus that. Each cell holds
    /// paths(x, y) / C(x+y, x), which stays in [0, 1] and needs no big numbers.
    static func ksExactPValue(d: Double, n: Int, m: Int) -> Double? {
        let g = gcd(n, m)
        let (ng, mg) = (n / g, m / g)  // |x/n − y/m| ≥ d  ⇔  |x·mg − y·ng| ≥ h
        let lcm = Double(ng) * Double(m)
        let h = Int((d * lcm).rounded())
        if h == 0 { return 1 }
        if n == m { return outsideSquare(n: n, h: h) }
        var column = [Double](repeating: 0, count: m + 1)
        // x = 0: only y with y·ng < h are inside.
        for y in 0...m { column[y] = y * ng < h ? 1 : 0 }
        for x in 1...n {
            var previous = 0.0  // value at (x, y − 1)
            for y in 0...m {
                let inside = abs(x * mg - y * ng) < h
                let value: Double
                if !inside {
                    value = 0
                } else if y == 0 {
                    value = column[0]
                } else {
                    value = (Double(x) * column[y] + Double(y) * previous) / Double(x + y)
                }
                column[y] = value
                previous = value
            }
        }
        let p = 1 - column[m]
        return p.isFinite ? min(1, max(0, p)) : nil
    }

    /// For equal sample sizes, the share of paths that leave the band |x − y| < h, summed directly
    /// (Horner form of the alternating binomial series, as scipy does), so tiny p-values keep their digits.
    static func outsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var term = 1.0
            for j in 0..<h { term = Double(n - k * h - j) * term / Double(n + k * h + j + 1) }
            p = term * (1 - p)
            k -= 1
        }
        return min(1, max(0, 2 * p))
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Population standard deviation.
    public static func standardDeviation(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
    }

    /// Upper tail of the chi-square distribution with `k` degrees of freedom.
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard x > 0 else { return 1 }
        return regularizedGammaQ(k / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): series below a + 1, continued fraction above.
    static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a, term = 1 / a, n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        // Lentz's method for the continued fraction.
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefix) * h)
    }

    /// Pearson's chi-square test of observed against expected counts; returns the p-value.
    public static func chiSquareTest(observed: [Double], expected: [Double]) -> Double {
        var statistic = 0.0
        for (o, e) in zip(observed, expected) {
            // A category the reference never saw: the statistic is infinite, as in scipy, and p is 0.
            if e == 0 { if o > 0 { return 0 } else { continue } }
            statistic += (o - e) * (o - e) / e
        }
        return chiSquareSurvival(statistic, degreesOfFreedom: Double(observed.count - 1))
    }

    /// Two-sided p-value of a standard normal statistic.
    public static func normalTwoSided(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// Jensen–Shannon distance (natural log), the square root of the divergence.
    public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
        let (sp, sq) = (p.reduce(0, +), q.reduce(0, +))
        var divergence = 0.0
        for (a, b) in zip(p, q) {
            let (x, y) = (a / sp, b / sq)
            let mid = (x + y) / 2
            if x > 0 { divergence += x * log(x / mid) }
            if y > 0 { divergence += y * log(y / mid) }
        }
        return (max(0, divergence) / 2).squareRoot()
    }

    /// Empty bins get a small share so PSI and KL stay finite, as evidently fills them: 0.0001, or
    /// a millionth of the smallest non-empty share when that is already 0.0001 or less.
    public static func fillEmptyBins(_ shares: [Double]) -> [Double] {
        guard let smallest = shares.filter({ $0 != 0 }).min() else { return shares }
        let fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001
        return shares.map { $0 == 0 ? fill : $0 }
    }

    /// Population stability index over matching bins.
    public static func psi(_ reference: [Double], _ current: [Double]) -> Double {
        zip(reference, current).reduce(0) { $0 + ($1.0 - $1.1) * log($1.0 / $1.1) }
    }

    /// Kullback–Leibler divergence of reference from current (both normalised first).
    public static func kullbackLeibler(_ p: [Double], _ q: [Double]) -> Double {
        let (sp, sq) = (p.reduce(0, +), q.reduce(0, +))
        return zip(p, q).reduce(0) { sum, pair in
            let (x, y) = (pair.0 / sp, pair.1 / sq)
            return x > 0 ? sum + x * log(x / y) : sum
        }
    }

    /// Edges of Sturges' histogram over all values: ⌈log2 n⌉ + 1 equal-width bins.
    public static func sturgesEdges(_ values: [Double]) -> [Double] {
        guard let low = values.min(), let high = values.max() else { return [] }
        return sturgesEdges(low: low, high: high, count: values.count)
    }

    public static func sturgesEdges(low: Double, high: Double, count: Int) -> [Double] {
        equalWidthEdges(low: low, high: high, bins: Int((log2(Double(count))).rounded(.up)) + 1)
    }

    /// `bins` equal-width bins from low to high; a single value gets a unit-wide range around it, as numpy does.
    public static func equalWidthEdges(low: Double, high: Double, bins: Int) -> [Double] {
        let (start, end) = low == high ? (low - 0.5, high + 0.5) : (low, high)
        // As numpy's linspace computes them (i · step + start, the last edge exactly `end`), so
        // values that fall on an edge land in the same bin as in numpy and evidently.
        let step = (end - start) / Double(bins)
        return (0...bins).map { $0 == bins ? end : Double($0) * step + start }
    }

    /// Counts per bin of sorted values: bin k holds edges[k] ≤ x < edges[k + 1], the last one its
    /// upper edge too, values outside the edges none (numpy's `histogram`). Each bin's bounds are
    /// found by binary search: a few dozen comparisons per edge instead of a division per value.
    public static func histogram(sorted values: [Double], edges: [Double]) -> [Double] {
        histogram(count: values.count, edges: edges) { values[$0] }
    }

    /// `histogram(sorted:edges:)` of `count` ascending values, the k-th given by `value`.
    static func histogram(count: Int, edges: [Double], value: (Int) -> Double) -> [Double] {
        let bins = edges.count - 1
        guard bins > 0 else { return [] }
        var starts = edges.dropLast().map { Self.count(count, below: $0, value: value) }
        starts.append(Self.count(count, below: edges[bins], inclusive: true, value: value))  // the last bin holds its upper edge
        return (0..<bins).map { Double(max(0, starts[$0 + 1] - starts[$0])) }
    }

    /// Sorted values below `bound` (or, `inclusive`, at most `bound`), by binary search.
    static func count(_ sorted: [Double], below bound: Double, inclusive: Bool = false) -> Int {
        count(sorted.count, below: bound, inclusive: inclusive) { sorted[$0] }
    }

    /// Of `count` ascending values, the k-th given by `value`, how many lie below `bound` (or at most at it).
    static func count(_ count: Int, below bound: Double, inclusive: Bool = false, value: (Int) -> Double) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if inclusive ? value(middle) <= bound : value(middle) < bound { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
