import Foundation

/// The exact distribution of the one-sample Kolmogorov–Smirnov statistic D_n, which scipy's
/// `ks_2samp` uses (as `kstwo.sf(d, round(en))`) for samples above 10,000 values. The algorithm
/// choice follows Simard & L'Ecuyer (2011) as scipy does: closed forms at the ends, the Durbin
/// matrix for small n·x², the Pelz–Good expansion for large n, and twice the one-sided Smirnov
/// tail where that tail is accurate.
enum KolmogorovDistribution {
    /// P(D_n > x).
    static func survival(n: Int, x: Double) -> Double {
        guard n > 0, x.isFinite else { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {
            // Ruben–Gambino: for 1/2n < x ≤ 1/n the CDF is n!/n^n (2t − 1)^n.
            if t <= 0.5 { return 1 }
            let cdf = exp(lgamma(nd + 1) - nd * log(nd) + nd * log(2 * t - 1))
            return clip(1 - cdf)
        }
        if t >= nd - 1 { return clip(2 * pow(1 - x, nd)) }
        if x >= 0.5 { return clip(2 * smirnovSurvival(n: n, x: x)) }
        let nxSquared = t * x
        if n <= 140 {
            // scipy takes Pomeranz's recursion for 0.754693 < n·x² ≤ 4; the Durbin matrix is exact there too.
            if nxSquared <= 4 { return clip(1 - durbinCDF(n: n, d: x)) }
            return clip(2 * smirnovSurvival(n: n, x: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * smirnovSurvival(n: n, x: x)) }
        if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 { return clip(1 - durbinCDF(n: n, d: x)) }
        return clip(1 - pelzGoodCDF(n: n, x: x))
    }

    static func clip(_ p: Double) -> Double { min(1, max(0, p)) }

    /// One-sided tail P(D⁺_n > x), Birnbaum–Tingey: x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x+v/n)^(v−1) (1−x−v/n)^(n−v).
    /// The terms are positive, so summing them in log space loses nothing to cancellation.
    static func smirnovSurvival(n: Int, x: Double) -> Double {
        if n == 1 { return 1 - x }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let nd = Double(n)
        if -2 * nd * x * x < -708.3964185322641 { return 0 }
        if n > 1_000_000 {
            // scipy's approximation above a million: p ≈ exp(−(6nx + 1)² / 18n).
            return exp(-pow(6 * nd * x + 1, 2) / 18 / nd)
        }
        let last = Int((nd * (1 - x)).rounded(.down))
        let top = nd * (1 - x) == Double(last) ? last - 1 : last  // the term at 1−x−v/n = 0 vanishes
        guard top >= 0 else { return 0 }
        let logFactorialN: Double = lgamma(nd + 1)
        var sum = 0.0
        var largest = -Double.infinity
        for v in 0...top {
            let vd = Double(v)
            let logTerm = logFactorialN - lgamma(vd + 1) - lgamma(nd - vd + 1) + (vd - 1) * log(x + vd / nd) + (nd - vd) * log1p(-x - vd / nd)
            let term = exp(logTerm)
            sum += term
            // Past the peak, stop once the remaining terms cannot move the sum.
            if logTerm < largest, term * Double(top - v) < sum * 1e-17 { break }
            largest = max(largest, logTerm)
        }
        return clip(x * sum)
    }

    /// P(D_n ≤ d) by Durbin's matrix method in Marsaglia, Tsang and Wang's form, with scaling so
    /// the powers neither overflow nor underflow.
    static func durbinCDF(n: Int, d: Double) -> Double {
        let nd = Double(n) * d
        if d >= 1 { return 1 }
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] = (1 - pow(h, Double(j))) * factorial
        }
        v[m - 1] = (1 + pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))) * factorial
        var matrix = [Double](repeating: 0, count: m * m)
        for i in 1..<max(m, 1) {
            for row in (i - 1)..<m { matrix[row * m + i] = w[row - i + 1] }
        }
        for row in 0..<m { matrix[row * m] = v[row] }
        for column in 0..<m { matrix[(m - 1) * m + column] = v[m - 1 - column] }

        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var exponent = 0, matrixExponent = 0
        var remaining = n
        let scale = 0x1p128, scaleBits = 128
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = multiply(power, matrix, m)
                exponent += matrixExponent
            }
            matrix = multiply(matrix, matrix, m)
            matrixExponent *= 2
            if abs(matrix[(k - 1) * m + (k - 1)]) > scale {
                for i in matrix.indices { matrix[i] /= scale }
                matrixExponent += scaleBits
            }
            remaining /= 2
        }
        var p = power[(k - 1) * m + (k - 1)]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < 0x1p-128 {
                p *= scale
                exponent -= scaleBits
            }
        }
        return clip(scalbn(p, exponent))
    }

    static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for l in 0..<m {
                            let x = a[i * m + l]
                            if x == 0 { continue }
                            for j in 0..<m { c[i * m + j] += x * b[l * m + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// Pelz–Good asymptotic expansion of P(D_n ≤ x) in powers of 1/√n, in its theta-function form.
    static func pelzGoodCDF(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let (z2, z3, z4, z6) = (z * z, z * z * z, pow(z, 4), pow(z, 6))
        let pi2 = Double.pi * Double.pi, pi4 = pow(Double.pi, 4), pi6 = pow(Double.pi, 6)
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 0 }
        var q = exp(qlog)
        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * pow(z, 8)
        var terms = [0.0, 0.0, 0.0, 0.0]
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        for k in stride(from: maxK, through: 1, by: -1) {
            let m = Double(2 * k - 1)
            let (m2, m4, m6) = (m * m, pow(m, 4), pow(m, 6))
            let qPower = pow(q, Double(8 * k))
            let coefficients = [1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6]
            for i in 0..<4 { terms[i] = terms[i] * qPower + coefficients[i] }
        }
        let sqrt2pi = (2 * Double.pi).squareRoot()
        let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { terms[i] = terms[i] * q * sqrt2pi / divisors[i] }
        q = exp(-pi2 / 2 / z2)
        var k2extra = 0.0, k3extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        for k in stride(from: maxK, through: 1, by: -1) {
            let kd = Double(k)
            let qPower = pow(q, kd * kd)
            k2extra += kd * kd * qPower
            k3extra += (sqrt3z + Double.pi * kd) * (sqrt3z - Double.pi * kd) * kd * kd * qPower
        }
        terms[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
        terms[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
        var cdf = 0.0
        for i in 0..<4 { cdf += terms[i] / pow(nd, Double(i) / 2) }
        return cdf
    }
}
