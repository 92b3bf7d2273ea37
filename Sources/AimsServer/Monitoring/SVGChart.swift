import Foundation

/// Small server-drawn SVG charts: no JavaScript, no external assets. Every label is escaped.
enum SVGChart {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A time series of one KPI with its threshold as a dashed line.
    static func series(title: String, points: [(label: String, value: Double?)], threshold: Double?) -> String {
        let width = 560.0, height = 180.0, left = 48.0, bottom = 24.0, top = 12.0
        let values = points.compactMap(\.value) + (threshold.map { [$0] } ?? [])
        var low = values.min() ?? 0, high = values.max() ?? 1
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let pad = (high - low) * 0.1
        (low, high) = (low - pad, high + pad)
        let x = { (i: Int) in left + (width - left - 10) * (points.count > 1 ? Double(i) / Double(points.count - 1) : 0.5) }
        let y = { (v: Double) in top + (height - top - bottom) * (1 - (v - low) / (high - low)) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" class=\"axis\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 10)\" y2=\"\(height - bottom)\" class=\"axis\"/>"
        for tick in [low + pad, (low + high) / 2, high - pad] {
            svg += "<text x=\"\(left - 4)\" y=\"\(number(y(tick) + 4))\" class=\"tick\" text-anchor=\"end\">\(String(format: "%.3g", tick))</text>"
        }
        if let threshold {
            svg += "<line x1=\"\(left)\" y1=\"\(number(y(threshold)))\" x2=\"\(width - 10)\" y2=\"\(number(y(threshold)))\" class=\"threshold\"/>"
        }
        let path = points.enumerated().compactMap { i, p in p.value.map { "\(number(x(i))),\(number(y($0)))" } }
        if path.count > 1 { svg += "<polyline points=\"\(path.joined(separator: " "))\" class=\"series\"/>" }
        for (i, p) in points.enumerated() {
            if let v = p.value {
                svg += "<circle cx=\"\(number(x(i)))\" cy=\"\(number(y(v)))\" r=\"3\" class=\"point\"><title>\(escape(p.label)): \(String(format: "%.4f", v))</title></circle>"
            }
        }
        if let first = points.first, let last = points.last {
            svg += "<text x=\"\(left)\" y=\"\(height - 6)\" class=\"tick\">\(escape(String(first.label.prefix(10))))</text>"
            svg += "<text x=\"\(width - 10)\" y=\"\(height - 6)\" class=\"tick\" text-anchor=\"end\">\(escape(String(last.label.prefix(10))))</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one per group (or bin), optionally two series side by side.
    static func bars(title: String, labels: [String], series: [(name: String, values: [Double?])]) -> String {
        let row = 18.0 * Double(series.count) + 6, left = 140.0, width = 560.0
        let height = Double(labels.count) * row + 24
        let high = max(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1, 1e-9)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        for (i, label) in labels.enumerated() {
            let top = Double(i) * row + 4
            svg += "<text x=\"\(left - 6)\" y=\"\(number(top + 13))\" class=\"tick\" text-anchor=\"end\">\(escape(String(label.prefix(22))))</text>"
            for (j, s) in series.enumerated() {
                let value = s.values[i]
                let length = (width - left - 60) * (value ?? 0) / high
                svg += "<rect x=\"\(left)\" y=\"\(number(top + Double(j) * 18))\" width=\"\(number(max(length, 0)))\" height=\"14\" class=\"bar bar\(j)\"><title>\(escape(s.name)): \(value.map { String(format: "%.4f", $0) } ?? "null")</title></rect>"
                svg += "<text x=\"\(number(left + max(length, 0) + 4))\" y=\"\(number(top + Double(j) * 18 + 12))\" class=\"tick\">\(value.map { String(format: "%.3f", $0) } ?? "null")</text>"
            }
        }
        if series.count > 1 {
            svg += series.enumerated().map { j, s in "<text x=\"\(left + Double(j) * 120)\" y=\"\(number(height - 4))\" class=\"legend bar\(j)-text\">■ \(escape(s.name))</text>" }.joined()
        }
        return svg + "</svg>"
    }
}
